// What runAgent needs: the task, a model client, tools, a sandbox and the run's limits.
import type { Tool, ToolLimits } from '../../tools/define-tool.js';
import type { GitDoor } from '../../sandbox/git.js';
import { defaultLimits } from '../config/limits.js';
import type { Sandbox } from '../../sandbox/types.js';
import type { ModelClient } from '../model/client.js';
import type { ModelProfile } from '../model/profiles.js';
import type { ChatMessage, Usage } from '../model/types.js';
import type { ProveOptions } from './prove.js';
import type { VerifyOptions } from './verify.js';

/** Limits of one run; the CLI fills them from config (src/config/schema.ts documents each). */
export interface RunLimits extends ToolLimits {
  maxTurns: number;
  maxOutputTokens: number;
  maxContinuations: number;
  toolOutputBytes: number;
  toolConcurrency: number;
  agentsMdBytes: number;
  /** Identical tool-call turns in a row before the model is warned; one more stops the run. */
  maxRepeatedCalls: number;
  /** Compact the conversation when the next prompt would pass this many tokens (default: per profile). */
  compactAtTokens?: number;
  /** Stop before a request that would take this run's spending past this amount; undefined for none. */
  maxCost?: number;
  /** Wall-clock limit of the run in ms; undefined for none. */
  timeoutMs?: number;
  /** Answers that fail the output schema sent back to the model before the run ends in error. */
  structuredOutputRetries: number;
}

/** A saved conversation to continue instead of starting a new one. */
export interface ResumeState {
  messages: ChatMessage[];
  /** Totals so far; the run's limits count only what this run adds. */
  turns: number;
  usage: Usage;
  cost: number;
}

export interface AgentOptions {
  /** The task; when resuming, optional new instructions. */
  task?: string;
  /** Images that come with the task (data URLs), sent with it to a vision model. */
  taskImages?: ReadonlyArray<{ url: string; label: string }>;
  /** Continue this conversation (its system prompt is kept byte for byte, so the cache stays warm). */
  resume?: ResumeState;
  model: ModelClient;
  /** Prices for the cost figures. */
  profile: ModelProfile;
  tools: readonly Tool[];
  sandbox: Sandbox;
  /** Any subset; the rest comes from `defaultLimits`. */
  limits?: Partial<RunLimits>;
  /** Aborting interrupts the run (status `interrupted`). */
  signal?: AbortSignal;
  sessionId?: string;
  /** Words for the system prompt on where commands run. */
  sandboxNote?: string;
  /** Reported in the `session` event. */
  version?: string;
  /** Keeps tool output too long to show whole, returning a path read_file can read (see OutputOptions). */
  spill?: (text: string) => Promise<string | undefined>;
  /** Check the work when the model stops (the verification gate). */
  verify?: VerifyOptions;
  /** Prove the fix when the model stops (--prove); takes the place of `verify`. */
  prove?: ProveOptions;
  /** A run that must change files (an issue fix): finishing with no change is status error. */
  requireChanges?: boolean;
  /** Author of commits made by the git tool. */
  gitAuthor?: { name: string; email: string };
  /** The host-side git door, opened before the model acts; runAgent opens one itself if absent. */
  gitDoor?: GitDoor;
  /** A JSON Schema the final answer must satisfy; the value is the result's `structured_output`. */
  outputSchema?: Record<string, unknown>;
  /** Network access and extra mounts, stated in the `session` event. */
  sandboxDetails?: { network: boolean; read_write: string[]; read_only: string[]; allowed_domains?: string[] };
  /** The project config file's applied and ignored settings, stated in the `session` event. */
  projectConfig?: { path: string; applied: Record<string, unknown>; ignored: string[] };
}

/** The limits a run uses: the given ones over `defaultLimits`. */
export function resolveLimits(limits: Partial<RunLimits> | undefined): RunLimits {
  const given = Object.fromEntries(Object.entries(limits ?? {}).filter(([, v]) => v !== undefined));
  return { ...defaultLimits, ...given };
}

/** AgentOptions once the limits are filled in: what the loop's parts work with. */
export type RunOptions = Omit<AgentOptions, 'limits'> & { limits: RunLimits };
