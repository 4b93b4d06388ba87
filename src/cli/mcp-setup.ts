// Which MCP servers a run starts, and starting them: the user's config, `--mcp-config FILE`, and a
// repository's `.mcp.json` only when the user's config names that file in `mcpProjectFiles` (a
// repository must not be able to start programs on the host). All start at once; a required server
// that fails stops the run before any model request, an optional one becomes a warning.
import { readFile, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentEvent } from '../agent/events.js';
import { McpConfigFileSchema, type McpServers, type McpServerSpec } from '../config/mcp-schema.js';
import type { Config } from '../config/schema.js';
import { ConfigError } from '../errors.js';
import { VERSION } from '../version.js';
import type { McpConnection } from '../../sandbox/mcp.js';
import type { Tool } from '../../tools/define-tool.js';
import { mcpTools } from '../../tools/mcp-tools.js';

const STARTUP_TIMEOUT_S = 30; // a server that takes longer to list its tools is treated as failed
const CALL_TIMEOUT_S = 120; // one tool call of an MCP server, unless its declaration says otherwise

/** The started servers' tools, warnings to show, and how to stop them all. */
export interface McpSetup {
  tools: Tool[];
  connections: McpConnection[];
  warnings: AgentEvent[];
  close(): Promise<void>;
}

/** The servers this run should start, by name, and warnings about servers it will not start. */
export async function chooseMcpServers(config: Config, cwd: string, mcpConfigFile: string | undefined): Promise<{ servers: McpServers; warnings: AgentEvent[] }> {
  const servers: McpServers = { ...config.mcpServers };
  const warnings: AgentEvent[] = [];
  const project = join(cwd, '.mcp.json');
  const projectReal = await realpath(project).catch(() => undefined);
  if (projectReal) {
    const trusted = await Promise.all(config.mcpProjectFiles.map((file) => realpath(file).catch(() => file)));
    if (trusted.includes(projectReal)) Object.assign(servers, await readMcpFile(projectReal));
    else warnings.push({ type: 'warning', message: `${project} declares MCP servers; they were not started (a repository cannot start programs on the host: list the file in mcpProjectFiles of your user config to allow it)` });
  }
  if (mcpConfigFile) Object.assign(servers, await readMcpFile(mcpConfigFile));
  return { servers, warnings };
}

/** Read an MCP config file: `{"mcpServers": {...}}` or the map itself. */
export async function readMcpFile(file: string): Promise<McpServers> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read MCP config ${file}: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = McpConfigFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`invalid MCP config ${file}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  return 'mcpServers' in parsed.data && typeof parsed.data.mcpServers === 'object' ? (parsed.data.mcpServers as McpServers) : (parsed.data as McpServers);
}

/** Start every server; throws ConfigError (exit 1) when a required one fails, after stopping the rest. */
export async function startMcpServers(servers: McpServers, hostEnv: NodeJS.ProcessEnv): Promise<McpSetup> {
  const names = Object.keys(servers).sort();
  const settled = await Promise.allSettled(names.map((name) => start(name, servers[name]!, hostEnv)));
  const connections = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const close = async (): Promise<void> => {
    await Promise.all(connections.map((c) => c.close()));
  };
  const warnings: AgentEvent[] = [];
  for (const [i, outcome] of settled.entries()) {
    if (outcome.status === 'fulfilled') continue;
    const message = outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason);
    if (servers[names[i]!]!.required) {
      await close();
      throw new ConfigError(`${message}. It is marked required: fix its command or URL (sprout doctor starts it), or set "required": false`);
    }
    warnings.push({ type: 'warning', message: `${message}; the run goes on without its tools` });
  }
  const tools = connections.flatMap((c) => mcpTools(c, callTimeoutMs(servers[c.name]!)));
  return { tools, connections, warnings, close };
}

async function start(name: string, spec: McpServerSpec, hostEnv: NodeJS.ProcessEnv): Promise<McpConnection> {
  const timeoutMs = (spec.startupTimeoutSeconds ?? STARTUP_TIMEOUT_S) * 1000;
  const endpoint = 'url' in spec ? { url: spec.url, headers: spec.headers } : { command: spec.command, args: spec.args, env: spec.env, cwd: spec.cwd };
  // The MCP SDK loads only when a server is configured.
  const { connectMcpServer, McpStartError } = await import('../../sandbox/mcp.js');
  try {
    return await connectMcpServer(name, endpoint, { timeoutMs, hostEnv, clientVersion: VERSION });
  } catch (error) {
    if (error instanceof McpStartError) throw error;
    throw new McpStartError(name, (error as Error).message, '');
  }
}

function callTimeoutMs(spec: McpServerSpec): number {
  return (spec.callTimeoutSeconds ?? CALL_TIMEOUT_S) * 1000;
}

/** For `sprout doctor`: start each configured server, list its tools, stop it. */
export async function mcpDoctorChecks(config: Config, cwd: string, hostEnv: NodeJS.ProcessEnv): Promise<Array<{ name: string; ok: boolean; detail: string }>> {
  const { servers } = await chooseMcpServers(config, cwd, undefined);
  return Promise.all(
    Object.keys(servers).sort().map(async (name) => {
      try {
        const connection = await start(name, servers[name]!, hostEnv);
        await connection.close();
        const tools = connection.tools.map((t) => t.name).join(', ');
        return { name: `mcp ${name}`, ok: true, detail: `${connection.tools.length} tools: ${tools || '(none)'}` };
      } catch (error) {
        return { name: `mcp ${name}`, ok: !servers[name]!.required, detail: (error as Error).message };
      }
    }),
  );
}
