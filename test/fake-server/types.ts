// Types of the fake OpenAI-compatible model server used by tests: the script a test writes,
// what the server records about each request, and the handle a test gets back.

import type { IncomingHttpHeaders } from 'node:http';

/** Why a scripted answer stopped; the default is `tool_calls` when there are tool calls, else `stop`. */
export type FinishReason = 'stop' | 'tool_calls' | 'length' | 'content_filter';

/** One tool call the fake model makes; an object `arguments` is sent as its JSON text. */
export interface ScriptedToolCall {
  /** Generated (unique per request) when left out. */
  id?: string;
  name: string;
  /** A string is sent as is, so a test can send broken JSON on purpose. */
  arguments: string | object;
}

/** An HTTP error answer instead of a completion. */
export interface ScriptedError {
  status: number;
  /** Defaults to an Ark-style `{"error":{code,message,param,type}}` body for the status. */
  body?: object;
  /** Extra response headers, e.g. `{ 'retry-after': '2' }`. */
  headers?: Record<string, string>;
}

/** Values that replace the fake tokenizer's numbers in the reported usage. */
export interface UsageOverride {
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
  reasoning_tokens: number;
}

/** What the fake model answers to one chat request. */
export interface ScriptedTurn {
  reasoning?: string;
  content?: string;
  toolCalls?: ScriptedToolCall[];
  finishReason?: FinishReason;
  usage?: Partial<UsageOverride>;
  /** Answer with this HTTP error instead of a completion. */
  error?: ScriptedError;
  /** Wait this long before the first byte of the answer. */
  delayMs?: number;
  /**
   * Streaming only: drop the connection after this many SSE chunks (the role chunk counts),
   * to imitate a mid-stream disconnect. No `[DONE]` is sent.
   */
  disconnectAfterChunks?: number;
  /** Streaming only: repeat each tool call's full name in every one of its chunks, as some providers do. */
  repeatToolName?: boolean;
}

/** A script step: a fixed turn, or a function that looks at the request before answering. */
export type ScriptStep = ScriptedTurn | ((req: RecordedRequest) => ScriptedTurn | Promise<ScriptedTurn>);

/** A chat message as the client sent it; fields are not validated beyond what the checks need. */
export interface FakeMessage {
  role: string;
  content?: unknown;
  tool_calls?: Array<{ id: string; type?: string; function?: { name?: string; arguments?: string } }>;
  tool_call_id?: string;
  reasoning_content?: string;
  [key: string]: unknown;
}

/** The parsed body of a chat-completions request. */
export interface ChatRequestBody {
  model?: string;
  messages?: FakeMessage[];
  tools?: unknown[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean } | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  [key: string]: unknown;
}

/** Usage in the shape the server reports it. */
export interface ReportedUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details: { reasoning_tokens: number };
}

/** One `POST /v1/chat/completions` request as the server saw it. */
export interface RecordedRequest {
  /** Parsed JSON body; `{}` when the body was not JSON. */
  body: ChatRequestBody;
  rawBody: string;
  headers: IncomingHttpHeaders;
  /** The fake tokenizer's input: `JSON.stringify({tools, messages})`. */
  prompt: string;
  /**
   * Usage computed for a completion answer (sent in the body, or in the last chunk when
   * `stream_options.include_usage` was asked); undefined for error answers.
   */
  usage: ReportedUsage | undefined;
  /** Index of the script step that answered; undefined when none did (rejected or exhausted). */
  stepIndex: number | undefined;
  /** HTTP status of the answer. */
  status: number;
}

/** Options of `startFakeModelServer`. */
export interface FakeServerOptions {
  /** Steps consumed one per chat request, in order. */
  script?: ScriptStep[];
  /** When set, the bearer key must equal it; otherwise any non-empty bearer key passes. */
  apiKey?: string;
  /** Keep replaying the last step once the script is used up ("model never stops" tests). */
  repeatLast?: boolean;
  /**
   * A request after the script is used up: `'error'` (default) answers 500 and records the
   * request in `unexpected`; a step answers it instead and records nothing.
   */
  onExhausted?: 'error' | ScriptStep;
  /** Model name reported in answers; defaults to echoing the request's `model`. */
  servedModel?: string;
  /** Ids returned by `GET /v1/models`. */
  models?: string[];
}

/** A running fake server. */
export interface FakeModelServer {
  /** Base URL for the SDK, e.g. `http://127.0.0.1:PORT/v1`. */
  url: string;
  /** Every chat request, in arrival order, including rejected ones. */
  requests: RecordedRequest[];
  /** Things a test did not plan for: exhausted script, unknown paths, step functions that threw. */
  unexpected: string[];
  close(): Promise<void>;
  /** Throws when a script step was not used or anything landed in `unexpected`. */
  assertDone(): void;
}
