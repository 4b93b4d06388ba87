// The configuration: every setting's type, default and a one-line reason, in one place. Layers (files,
// environment, flags) are validated against the same fields with no defaults, so a layer sets only
// what it names; defaults are applied once, under all layers.
import { z } from 'zod';
import { REASONING_EFFORTS } from '../model/thinking.js';
import { McpServersSchema } from './mcp-schema.js';
import { PROVIDER_NAMES } from './providers.js';

/** A user's own model profile, or changes to a shipped one (prices per 1M tokens). */
const ProfileOverride = z
  .object({
    contextWindow: z.number().int().positive(),
    maxOutputTokens: z.number().int().positive(),
    thinking: z.enum(['ark-thinking', 'reasoning-effort', 'none']),
    maxImagePixels: z.number().int().positive().describe('send images shrunk to this many pixels (vision models)'),
    echoReasoning: z.boolean().describe('send reasoning_content back on assistant messages with tool calls'),
    structuredOutput: z.enum(['json_schema', 'tool']).describe('how --output-schema reaches the model: response_format, or a submit_result tool'),
    currency: z.enum(['CNY', 'USD']),
    tiers: z
      .array(
        z.object({
          upTo: z.number().int().positive().nullable().describe('prompt tokens up to which the tier applies; null for no limit'),
          input: z.number().min(0),
          cachedInput: z.number().min(0),
          output: z.number().min(0),
        }),
      )
      .min(1),
  })
  .partial()
  .strict();
export type ProfileOverride = z.output<typeof ProfileOverride>;

const fields = {
  provider: z.enum(PROVIDER_NAMES),
  baseUrl: z.url(),
  model: z.string().min(1),
  maxTurns: z.number().int().positive(),
  maxOutputTokens: z.number().int().positive(),
  maxContinuations: z.number().int().min(0),
  sandbox: z.enum(['bwrap', 'none']),
  network: z.union([z.boolean(), z.literal('allowlist')]),
  allowedDomains: z.array(z.string().min(1)),
  networkHostMap: z.record(z.string().min(1), z.string().regex(/^[^\s:]+(:\d+)?$|^\[[0-9a-fA-F:]+\](:\d+)?$/, 'an address, optionally with :port')),
  sandboxReadWrite: z.array(z.string().min(1)),
  sandboxReadOnly: z.array(z.string().min(1)),
  sandboxMemoryMb: z.number().int().positive(),
  sandboxCpuSeconds: z.number().int().positive(),
  sandboxProcesses: z.number().int().positive(),
  sandboxTmpMb: z.number().int().positive(),
  shellTimeoutSeconds: z.number().int().positive(),
  shellMaxTimeoutSeconds: z.number().int().positive(),
  execOutputBytes: z.number().int().positive(),
  toolOutputBytes: z.number().int().positive(),
  toolConcurrency: z.number().int().positive(),
  envAllow: z.array(z.string().min(1)),
  agentsMdBytes: z.number().int().positive(),
  timeoutSeconds: z.number().positive(),
  maxCost: z.number().positive(),
  compactAtTokens: z.number().int().positive(),
  reasoningEffort: z.enum(REASONING_EFFORTS),
  maxRetries: z.number().int().min(0),
  verifyRetries: z.number().int().min(0),
  gitAuthorName: z.string().min(1),
  gitAuthorEmail: z.string().min(3),
  gitFilters: z.array(z.string().min(1)),
  maxRepeatedCalls: z.number().int().positive(),
  retryBaseDelayMs: z.number().int().positive(),
  retryMaxWaitSeconds: z.number().positive(),
  streamIdleTimeoutSeconds: z.number().positive(),
  rateLimitRequests: z.number().int().positive(),
  rateLimitWindowSeconds: z.number().positive(),
  models: z.record(z.string().min(1), ProfileOverride),
  mcpServers: McpServersSchema,
  mcpProjectFiles: z.array(z.string().min(1)),
};

/** Settings that have no default: unset means "none". */
const OPTIONAL = { sandboxMemoryMb: true, sandboxCpuSeconds: true, baseUrl: true, timeoutSeconds: true, maxCost: true, compactAtTokens: true, reasoningEffort: true, rateLimitRequests: true, rateLimitWindowSeconds: true } as const;

/** The resolved configuration. */
export const ConfigSchema = z.object(fields).partial(OPTIONAL).strict();
export type Config = z.output<typeof ConfigSchema>;

/** What one layer (file, environment, flags) may set: any subset, nothing filled in. */
export const ConfigLayerSchema = z.object(fields).partial().strict();
export type ConfigLayer = z.input<typeof ConfigLayerSchema>;

export const DEFAULTS: Omit<Config, keyof typeof OPTIONAL> = {
  /** Endpoint preset; picks the base URL, key variable and currency. */
  provider: 'ark',
  /** The model id (or an Ark endpoint id `ep-...`). */
  model: 'doubao-seed-code',
  /** Stop after this many model requests: a runaway loop must end. */
  maxTurns: 100,
  /** Answer-length bound sent as max_tokens; Ark's default of 4096 is too small for big edits. */
  maxOutputTokens: 16384,
  /** How often a `length` stop is answered with "continue" before the run gives up. */
  maxContinuations: 3,
  /** Process backend for tools: bwrap confines them, none runs them on the host. */
  sandbox: 'bwrap',
  /** Network inside the sandbox: false (none), true (all of it) or 'allowlist' (allowedDomains, via sprout's proxy). */
  network: false,
  /** Domains the sandbox may reach with network 'allowlist': exact names, `*.suffix`, presets like `@npm`. */
  allowedDomains: [],
  /** For tests and local mirrors (user config only): connect these names to `address:port`, private addresses included. */
  networkHostMap: {},
  /** Extra host paths mounted read-write inside the sandbox (e.g. a package cache). */
  sandboxReadWrite: [],
  /** Extra host paths mounted read-only inside the sandbox (e.g. a hidden toolchain under $HOME). */
  sandboxReadOnly: [],
  /** Processes (and threads) alive at once in one sandboxed call: a fork bomb ends with its call. */
  sandboxProcesses: 512,
  /** Size of the sandbox's /tmp (host RAM) in MiB; at most half of sandboxMemoryMb when that is set. */
  sandboxTmpMb: 1024,
  /** Default timeout of one shell command, in seconds. */
  shellTimeoutSeconds: 120,
  /** The longest timeout the model may ask a shell command for, in seconds. */
  shellMaxTimeoutSeconds: 600,
  /** Bytes of a process's output kept in memory; the rest is counted and dropped. */
  execOutputBytes: 4 * 1024 * 1024,
  /** Bytes of one tool result sent to the model; more is cut from the middle. */
  toolOutputBytes: 16 * 1024,
  /** Tool calls of one turn run at the same time, at most. */
  toolConcurrency: 8,
  /** Extra environment variables tools may see (secret-looking names need listing here). */
  envAllow: [],
  /** Bytes of project instruction files (AGENTS.md/CLAUDE.md, root to cwd) put into the system prompt. */
  agentsMdBytes: 32 * 1024,
  /** Model profiles added or changed by the user, by model id (see ProfileOverride). */
  models: {},
  /** MCP servers whose tools the model gets (user config and --mcp-config only; see README "MCP"). */
  mcpServers: {},
  /** Absolute paths of repositories' `.mcp.json` files the user trusts to start servers. */
  mcpProjectFiles: [],
  /** Identical tool-call turns in a row before the model is warned; one more stops the run. */
  maxRepeatedCalls: 4,
  /** Times a failed --verify check is sent back to the model before the run ends in error. */
  verifyRetries: 2,
  /** Author (and committer) of commits sprout makes with --commit and the git tool. */
  gitAuthorName: 'sprout',
  gitAuthorEmail: 'sprout@users.noreply.github.com',
  /** Git filter drivers host-side git may run, by name (e.g. "lfs"), as your own git config defines them; no others run. */
  gitFilters: [],
  /** Retries of one model request on 429/5xx/connection errors/cut streams before the run fails. */
  maxRetries: 6,
  /** First retry wait in ms, doubled on each retry (with jitter) unless the server says Retry-After. */
  retryBaseDelayMs: 1000,
  /** Seconds after a request's first attempt (attempts and waits) past which no retry starts; a longer outage fails the run. */
  retryMaxWaitSeconds: 600,
  /** Abandon (and retry) a request when the stream is silent this long, first byte included. */
  streamIdleTimeoutSeconds: 180,
};

/**
 * Limits a repository's own `.sprout/config.json` may set, and only lower: the stricter of the user's
 * and the project's value applies (see project.ts). Every other key in a project file is ignored.
 */
export const PROJECT_LOWER_ONLY = [
  'maxTurns', 'maxCost', 'timeoutSeconds', 'maxOutputTokens', 'maxContinuations', 'compactAtTokens',
  'sandboxMemoryMb', 'sandboxCpuSeconds', 'sandboxProcesses', 'sandboxTmpMb', 'shellTimeoutSeconds',
  'shellMaxTimeoutSeconds', 'execOutputBytes', 'toolOutputBytes', 'toolConcurrency', 'agentsMdBytes',
  'maxRepeatedCalls', 'verifyRetries', 'maxRetries', 'retryMaxWaitSeconds',
] as const satisfies ReadonlyArray<keyof Config>;
