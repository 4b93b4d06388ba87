// The AgentEvent union: the one contract between the agent loop and everything that consumes it
// (terminal and JSON Lines renderers, tests, later the session store and batch runner).
// Field names are snake_case because they are written verbatim as the `--json` event format.
import type { ChatMessage } from '../model/types.js';
import type { Evidence } from './evidence.js';

/** How a run ended. */
export type RunStatus = 'success' | 'error' | 'limit' | 'interrupted';

/** Token totals as they appear in events. */
export interface UsageTotals {
  prompt_tokens: number;
  cached_tokens: number;
  completion_tokens: number;
  reasoning_tokens: number;
}

/** The last event of every run, also returned by runAgent. */
export interface RunResult {
  type: 'result';
  status: RunStatus;
  finish_reason: string | null;
  num_turns: number;
  duration_ms: number;
  usage: UsageTotals;
  /** Spent, and what the prefix cache saved against paying full input price (this run's requests). */
  cost: { amount: number; currency: string; saved_by_cache?: number };
  session_id: string;
  /** Where tools ran: `bwrap`, or `host` (unconfined). */
  sandbox: string;
  changed_files: string[];
  final_message: string;
  /** The model id the provider last reported serving (coding plans may re-route dated ids). */
  served_model?: string;
  /** Present when status is not success: what stopped the run. */
  error?: string;
  /** With status limit: which limit stopped the run. */
  limit?: LimitKind;
  /** With an output schema: the final answer, a JSON value valid against it. */
  structured_output?: unknown;
  /** With an output schema and no valid answer: the last answer's validation errors. */
  structured_output_errors?: string[];
  /** The final check of a run given a verification command (--verify). */
  verification?: Verification;
  /** CI outputs, when asked for: the patch file, and the branch and commit made. */
  patch_file?: string;
  branch?: string;
  commit?: string;
  summary_file?: string;
  /** Hosts the egress proxy refused during the run (network "allowlist"). */
  denied_hosts?: string[];
  /** What host-side git refused or switched off in this run (a repository the model made, a filter the repository names). */
  git_notes?: string[];
  /** The fail-to-pass proof of the fix (--prove), also written to --evidence-out. */
  evidence?: Evidence;
  evidence_file?: string;
}

/** The limits that can stop a run. */
export type LimitKind = 'max_turns' | 'max_cost' | 'timeout' | 'repeated_calls';

/** The outcome of running the verification command after the model stopped. */
export interface Verification {
  command: string;
  exit_code: number | null;
  /** Test counts, when the output could be parsed. */
  passed?: number;
  failed?: number;
  /** True when the command ran and exited but executed no test: a failed check, whatever its exit code. */
  no_tests_ran?: boolean;
  /** How many times the model was sent back to work because the check failed. */
  retries: number;
  /** The end of the command's output. */
  output: string;
}

export type AgentEvent =
  | {
      type: 'session';
      session_id: string;
      model: string;
      cwd: string;
      /** `bwrap`, or `host` when tools run unconfined (--sandbox none). */
      sandbox: string;
      version: string;
      /** Whether commands can reach the network, and extra host paths mounted into the sandbox. */
      network?: boolean;
      read_write?: string[];
      read_only?: string[];
      /** Project instruction files put into the system prompt (AGENTS.md or CLAUDE.md per level), root first. */
      instructions?: string[];
      /** With network "allowlist": the domains the sandbox may reach through sprout's proxy. */
      allowed_domains?: string[];
      /** What the repository's `.sprout/config.json` applied (it may only tighten) and which keys were ignored. */
      project_config?: { path: string; applied: Record<string, unknown>; ignored: string[] };
      /** Toolchains on PATH the sandbox mounted read-only from hidden places, and PATH entries it left hidden. */
      toolchains?: string[];
      /** Names of the tools the model is offered. */
      tools?: string[];
    }
  /** A model request (turn N of the run) is about to be sent; for live display and CI log groups. */
  | { type: 'turn_start'; turn: number }
  | { type: 'text_delta'; text: string }
  | { type: 'reasoning_delta'; text: string }
  | { type: 'assistant'; text: string; reasoning?: string }
  | { type: 'tool_call'; id: string; name: string; arguments: string }
  | {
      type: 'tool_result'; id: string; name: string; ok: boolean; output: string; duration_ms: number;
      /** For commands (shell, run_tests): the exit code (null when killed) and whether it timed out. */
      exit_code?: number | null;
      timed_out?: boolean;
    }
  /** A file a step's tool calls changed (shell commands included); line counts null when unknown. */
  | { type: 'file_change'; path: string; kind: 'added' | 'modified' | 'deleted' | 'moved'; from?: string; added: number | null; removed: number | null }
  /** `model`: the id the provider says served the request; `request_id`: the X-Client-Request-Id sent. */
  | ({ type: 'usage'; cost: number; purpose?: 'compaction'; model?: string; request_id?: string } & UsageTotals)
  | {
      type: 'compaction';
      reason: 'threshold' | 'context_length';
      /** Estimated prompt tokens before and after. */
      tokens_before: number;
      tokens_after: number;
      summarized_messages: number;
      /** Cost of the summary request. */
      cost: number;
    }
  | {
      type: 'retry';
      attempt: number;
      status: number | null;
      wait_ms: number;
      message: string;
      /** Characters of text_delta/reasoning_delta the failed attempt streamed: void, the answer starts over. */
      discarded_chars?: number;
    }
  | ({ type: 'verification'; ok: boolean; attempt: number } & Verification)
  /** A connection the egress proxy allowed or refused (network "allowlist"). */
  | { type: 'network'; host: string; port: number; verdict: 'allowed' | 'denied'; bytes: number; reason?: string }
  /** A proof of the fix (--prove): the tests failing on the base, and those the change broke or left failing. */
  | { type: 'proof'; ok: boolean; attempt: number; base_commit: string; reproduction: string[]; broken: string[]; still_failing: string[]; reason?: string }
  | { type: 'warning'; message: string }
  | { type: 'error'; message: string }
  /** A message added to the conversation, for the session store (not part of the --json stream). */
  | { type: 'message'; message: ChatMessage }
  /** The whole conversation replaced (after a compaction), for the session store. */
  | { type: 'history'; messages: ChatMessage[] }
  | RunResult;

/**
 * Event types the JSON Lines writer leaves out: deltas for live display, and conversation messages
 * (the session file keeps those; the stream already has them as assistant/tool events).
 */
export const UNLISTED_EVENT_TYPES = new Set<AgentEvent['type']>(['text_delta', 'reasoning_delta', 'message', 'history', 'turn_start']);
