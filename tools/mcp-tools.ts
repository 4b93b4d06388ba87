// MCP tools as sprout tools: each tool a server lists becomes `mcp__<server>__<tool>` with the
// server's own JSON schema (made acceptable to the chat API), run through the same runner as the
// built-in tools, so size caps, error results and events apply to them unchanged.
import { z } from 'zod';
import type { McpConnection, McpContent, McpToolInfo } from '../sandbox/mcp.js';
import { defineTool, type Tool } from './define-tool.js';

const MAX_NAME = 64; // the chat API's limit on function names

/** Tools of one connected server; `callTimeoutMs` bounds each call. */
export function mcpTools(connection: McpConnection, callTimeoutMs: number): Tool[] {
  return connection.tools.map((info) => mcpTool(connection, info, callTimeoutMs));
}

/** The name the model calls a server's tool by. */
export function mcpToolName(server: string, tool: string): string {
  return `mcp__${server}__${tool}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, MAX_NAME);
}

function mcpTool(connection: McpConnection, info: McpToolInfo, callTimeoutMs: number): Tool {
  const inputSchema = chatSchema(info.inputSchema);
  return defineTool({
    name: mcpToolName(connection.name, info.name),
    description: info.description.trim() || `Tool ${info.name} of the MCP server ${connection.name}.`,
    parameters: validatorFor(inputSchema),
    inputSchema,
    async execute(args, ctx) {
      const result = await connection.call(info.name, args as Record<string, unknown>, { signal: ctx.signal, timeoutMs: callTimeoutMs });
      return { output: renderContent(result.content), isError: result.isError };
    },
  }) as unknown as Tool;
}

/** The server's schema as the chat API takes it: an object schema, without `$schema`. */
function chatSchema(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _dropped, ...rest } = schema;
  return { ...rest, type: 'object', properties: (rest.properties as object | undefined) ?? {} };
}

/** A zod validator for the schema; a schema zod cannot read is left to the server to check. */
function validatorFor(schema: Record<string, unknown>): z.ZodObject {
  try {
    const converted = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
    if (converted instanceof z.ZodObject) return converted;
  } catch {
    // fall through: the server validates its own arguments and answers an error result
  }
  return z.looseObject({});
}

function renderContent(parts: readonly McpContent[]): string {
  const lines = parts.map((part) => {
    if (part.type === 'text') return part.text;
    if (part.type === 'image') return `[image result (${part.mimeType}, ${Math.round((part.data.length * 3) / 4)} bytes) not shown]`;
    return `[${part.kind} result not shown]`;
  });
  return lines.join('\n') || '(no output)';
}
