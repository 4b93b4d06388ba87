// The door for MCP servers: sprout starts (stdio) or reaches (streamable HTTP) the servers the user
// configured, on the host, through the official SDK. A stdio server gets PATH, HOME and the variables
// its declaration names, never sprout's own environment (the API key stays out); its stderr is kept
// as a short tail for error messages, and its stdin closing (sprout gone, even by kill -9) ends it.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';

/** How to reach one server (the config's declaration, minus sprout's own options). */
export type McpEndpoint =
  | { command: string; args?: string[]; env?: Record<string, string>; cwd?: string }
  | { url: string; headers?: Record<string, string> };

/** A tool a server offers, as it listed it. */
export interface McpToolInfo {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

/** One content part of a tool result, reduced to what sprout passes on. */
export type McpContent = { type: 'text'; text: string } | { type: 'image'; mimeType: string; data: string } | { type: 'other'; kind: string };

/** A started server. */
export interface McpConnection {
  readonly name: string;
  /** The server process's pid (stdio servers only). */
  readonly pid: number | undefined;
  readonly tools: McpToolInfo[];
  call(tool: string, args: Record<string, unknown>, options: { signal: AbortSignal; timeoutMs: number }): Promise<{ content: McpContent[]; isError: boolean }>;
  /** Stop the server (stdio: the process is ended) or close the HTTP session. */
  close(): Promise<void>;
}

/** A server that did not start or list its tools; `stderrTail` is what it printed last. */
export class McpStartError extends Error {
  constructor(
    readonly server: string,
    readonly reason: string,
    readonly stderrTail: string,
  ) {
    super(`MCP server ${server} did not start: ${reason}${stderrTail ? `; its stderr ended with: ${stderrTail}` : ''}`);
    this.name = 'McpStartError';
  }
}

const STDERR_TAIL_CHARS = 600; // enough to show the error a failing server printed

/** Start or reach `endpoint` and list its tools within `timeoutMs`. */
export async function connectMcpServer(
  name: string,
  endpoint: McpEndpoint,
  options: { timeoutMs: number; hostEnv: NodeJS.ProcessEnv; clientVersion: string },
): Promise<McpConnection> {
  const stderr = new TailBuffer(STDERR_TAIL_CHARS);
  const transport = makeTransport(endpoint, options.hostEnv, stderr);
  const client = new Client({ name: 'sprout', version: options.clientVersion });
  const fail = async (reason: string): Promise<never> => {
    await client.close().catch(() => undefined);
    throw new McpStartError(name, reason, stderr.text());
  };
  const timer = new AbortController();
  const timeout = setTimeout(() => timer.abort(), options.timeoutMs);
  try {
    await client.connect(transport, { signal: timer.signal, timeout: options.timeoutMs });
    const listed = await client.listTools(undefined, { signal: timer.signal, timeout: options.timeoutMs });
    const tools = listed.tools.map((tool) => ({
      name: tool.name,
      description: tool.description ?? '',
      inputSchema: tool.inputSchema as Record<string, unknown>,
    }));
    return connection(name, client, transport, tools);
  } catch (error) {
    return fail(timer.signal.aborted ? `no answer within ${Math.round(options.timeoutMs / 1000)} s` : errorText(error));
  } finally {
    clearTimeout(timeout);
  }
}

function makeTransport(endpoint: McpEndpoint, hostEnv: NodeJS.ProcessEnv, stderr: TailBuffer): Transport {
  if ('url' in endpoint) {
    return new StreamableHTTPClientTransport(new URL(endpoint.url), { requestInit: { headers: endpoint.headers ?? {} } });
  }
  const transport = new StdioClientTransport({
    command: endpoint.command,
    args: endpoint.args ?? [],
    cwd: endpoint.cwd,
    env: { PATH: hostEnv.PATH ?? '/usr/bin:/bin', HOME: hostEnv.HOME ?? '/nonexistent', ...endpoint.env },
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (chunk: Buffer) => stderr.add(chunk.toString('utf8')));
  return transport;
}

function connection(name: string, client: Client, transport: Transport, tools: McpToolInfo[]): McpConnection {
  return {
    name,
    pid: transport instanceof StdioClientTransport ? (transport.pid ?? undefined) : undefined,
    tools,
    async call(tool, args, { signal, timeoutMs }) {
      const result = await client.callTool({ name: tool, arguments: args }, undefined, { signal, timeout: timeoutMs });
      const content = Array.isArray(result.content) ? result.content.map(toContent) : [];
      return { content, isError: result.isError === true };
    },
    async close() {
      if (transport instanceof StreamableHTTPClientTransport) await transport.terminateSession().catch(() => undefined);
      await client.close().catch(() => undefined);
    },
  };
}

function toContent(part: { type: string; [key: string]: unknown }): McpContent {
  if (part.type === 'text' && typeof part.text === 'string') return { type: 'text', text: part.text };
  if (part.type === 'image' && typeof part.data === 'string') return { type: 'image', mimeType: String(part.mimeType ?? 'image/png'), data: part.data };
  return { type: 'other', kind: part.type };
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!;
}

/** Keeps the last `max` characters written to it. */
class TailBuffer {
  private buffer = '';
  constructor(private readonly max: number) {}
  add(text: string): void {
    this.buffer = (this.buffer + text).slice(-this.max);
  }
  text(): string {
    return this.buffer.trim().split('\n').slice(-5).join(' | ');
  }
}
