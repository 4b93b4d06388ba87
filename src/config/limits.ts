// The agent loop's limits with their defaults, for library users who set only some of them; the CLI
// derives the same numbers from the config file (schema.ts), so both start from one set of values.
import { DEFAULTS } from './schema.js';

/** Defaults of every limit runAgent takes (see RunLimits); optional limits default to none. */
export const defaultLimits = Object.freeze({
  /** Model requests per run. */
  maxTurns: DEFAULTS.maxTurns,
  /** Answer tokens per request; the loop raises it after a length stop, up to the model's maximum. */
  maxOutputTokens: DEFAULTS.maxOutputTokens,
  /** "Continue" replies to length stops in a row. */
  maxContinuations: DEFAULTS.maxContinuations,
  /** Bytes of one tool result the model sees. */
  toolOutputBytes: DEFAULTS.toolOutputBytes,
  /** Tool calls of a turn run at once. */
  toolConcurrency: DEFAULTS.toolConcurrency,
  /** Bytes of AGENTS.md put into the system prompt. */
  agentsMdBytes: DEFAULTS.agentsMdBytes,
  /** Identical tool-call turns in a row before a warning. */
  maxRepeatedCalls: DEFAULTS.maxRepeatedCalls,
  /** Default shell command timeout. */
  shellTimeoutMs: DEFAULTS.shellTimeoutSeconds * 1000,
  /** Longest shell timeout the model may ask for. */
  shellMaxTimeoutMs: DEFAULTS.shellMaxTimeoutSeconds * 1000,
  /** Bytes of a process's output kept in memory. */
  execOutputBytes: DEFAULTS.execOutputBytes,
  /** Answers that fail the output schema sent back to the model before the run ends in error. */
  structuredOutputRetries: 3,
});

/** Defaults of withRetries' policy: the same figures the CLI uses. */
export const defaultRetryPolicy = Object.freeze({
  /** Retries after the first try. */
  maxRetries: DEFAULTS.maxRetries,
  /** First backoff wait, doubled each attempt. */
  baseDelayMs: DEFAULTS.retryBaseDelayMs,
  /** Longest single wait, Retry-After included. */
  maxDelayMs: 60_000,
  /** Total waiting allowed for one request. */
  maxTotalWaitMs: DEFAULTS.retryMaxWaitSeconds * 1000,
});
