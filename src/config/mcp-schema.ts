// The shape of MCP server declarations, as Claude Code and others write them: a command to start
// (stdio) or a URL (streamable HTTP), by server name. Only the user's own config declares servers.
import { z } from 'zod';

const common = {
  /** A required server that does not start stops the run before the first model request. */
  required: z.boolean().optional(),
  /** Seconds to start and list tools (default 30). */
  startupTimeoutSeconds: z.number().positive().optional(),
  /** Seconds one tool call may take (default 120). */
  callTimeoutSeconds: z.number().positive().optional(),
};

const StdioServer = z
  .object({
    command: z.string().min(1),
    args: z.array(z.string()).optional(),
    /** The only variables the server sees besides PATH and HOME; sprout's own (the API key) never. */
    env: z.record(z.string(), z.string()).optional(),
    cwd: z.string().min(1).optional(),
    ...common,
  })
  .strict();

const HttpServer = z
  .object({
    url: z.url(),
    headers: z.record(z.string(), z.string()).optional(),
    ...common,
  })
  .strict();

export const McpServerSchema = z.union([StdioServer, HttpServer]);
export type McpServerSpec = z.output<typeof McpServerSchema>;

/** Server names become part of tool names (`mcp__<server>__<tool>`), so they stay simple. */
export const McpServersSchema = z.record(z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'server names use letters, digits, _ and -'), McpServerSchema);
export type McpServers = z.output<typeof McpServersSchema>;

/** An `--mcp-config` file: `{"mcpServers": {...}}` (the common file shape) or the map itself. */
export const McpConfigFileSchema = z.union([z.object({ mcpServers: McpServersSchema }).strict(), McpServersSchema]);
