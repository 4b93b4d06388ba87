// The model client: one streamed chat-completions request on the official `openai` SDK, yielding
// text and reasoning pieces as they arrive and returning the assembled turn. Retries and rate limits
// are wrappers around it (resilience.ts); this file makes one attempt and reports how it failed.
import { randomUUID } from 'node:crypto';
import OpenAI from 'openai';
import { MAX_TIMER_MS } from '../config/timers.js';
import { ApiError } from '../errors.js';
import { type ErrorContext, toApiError } from './api-errors.js';
import { type StreamChunk, TurnAssembler } from './assemble.js';
import type { AssistantTurn, ChatMessage, ToolSpec, TurnDelta } from './types.js';

/** One request to the model. */
export interface ModelRequest {
  messages: readonly ChatMessage[];
  tools: readonly ToolSpec[];
  maxTokens: number;
  /** `none` asks for an answer without tool calls while still sending the tools (a cache-friendly prefix). */
  toolChoice?: 'auto' | 'none';
  /** Sent as `response_format` (an output schema in json_schema mode). */
  responseFormat?: Record<string, unknown>;
  signal?: AbortSignal;
}

/** Anything that can play assistant turns: the real client, or a scripted one in tests. */
export interface ModelClient {
  readonly model: string;
  streamTurn(request: ModelRequest): AsyncGenerator<TurnDelta, AssistantTurn>;
}

export interface OpenAIClientOptions {
  baseUrl: string;
  apiKey: string;
  /** The variable the key came from, for error messages; never the key itself. */
  keyEnvName: string;
  model: string;
  /** Give up on a request when no byte arrives for this long, first byte included (default 180 s). */
  idleTimeoutMs?: number;
  /** Provider-specific request fields sent with every request (e.g. Ark's `thinking`). */
  extraBody?: Record<string, unknown>;
}

/** A ModelClient on the `openai` SDK, for any OpenAI-compatible endpoint; one attempt per request. */
export function createOpenAIClient(options: OpenAIClientOptions): ModelClient {
  // The SDK's own retries are off: resilience.ts retries with events the user can see.
  const sdk = new OpenAI({ baseURL: options.baseUrl, apiKey: options.apiKey, maxRetries: 0, timeout: 24 * 3600 * 1000 });
  // Node loads its fetch (undici, tens of ms) on the first use of Headers: do it now rather than on
  // the first request, so that it overlaps whatever start-up I/O the caller has in flight.
  void globalThis.Headers;
  // fetch releases its reader of each request body once it is sent, and Node builds a private
  // context for the first such release (~3 ms), just as the first answer arrives: build it now.
  setImmediate(() => new ReadableStream().getReader().releaseLock());
  const errorContext: ErrorContext = { keyEnvName: options.keyEnvName, baseUrl: options.baseUrl, model: options.model };
  // A silence longer than Node's timer maximum is as good as none (and a longer timer fires at once).
  const idleMs = Math.min(options.idleTimeoutMs ?? 180_000, MAX_TIMER_MS);

  async function* streamTurn(request: ModelRequest): AsyncGenerator<TurnDelta, AssistantTurn> {
    const assembler = new TurnAssembler();
    // One id per attempt, sent as Ark's X-Client-Request-Id so a user can quote it to support.
    const requestId = `sprout-${randomUUID()}`;
    const watchdog = new IdleWatchdog(idleMs, request.signal);
    try {
      const stream = await sdk.chat.completions.create(
        {
          model: options.model,
          messages: request.messages as OpenAI.Chat.ChatCompletionMessageParam[],
          ...(request.tools.length > 0
            ? { tools: request.tools as OpenAI.Chat.ChatCompletionTool[], tool_choice: request.toolChoice ?? ('auto' as const) }
            : {}),
          max_tokens: request.maxTokens,
          ...(request.responseFormat ? { response_format: request.responseFormat as unknown as OpenAI.ResponseFormatJSONSchema } : {}),
          ...options.extraBody,
          stream: true,
          stream_options: { include_usage: true },
        },
        { signal: watchdog.signal, headers: { 'X-Client-Request-Id': requestId } },
      );
      for await (const chunk of stream) {
        watchdog.reset();
        const piece = assembler.add(chunk as StreamChunk);
        if (piece.reasoning) yield { kind: 'reasoning', text: piece.reasoning };
        if (piece.text) yield { kind: 'text', text: piece.text };
      }
    } catch (error) {
      if (watchdog.fired) {
        throw new ApiError(`no data from ${options.baseUrl} for ${Math.round(idleMs / 1000)} s; the request was abandoned`, undefined, 'stream_idle');
      }
      throw toApiError(error, errorContext);
    } finally {
      watchdog.dispose();
    }
    if (!assembler.complete) {
      throw new ApiError('the response stream ended before the turn was complete', undefined, 'stream_incomplete');
    }
    return { ...assembler.turn(), requestId };
  }

  return { model: options.model, streamTurn };
}

/** Aborts a request when nothing arrives for `ms`; also follows the caller's signal. */
class IdleWatchdog {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout;
  fired = false;
  private readonly follow = (): void => this.controller.abort();

  constructor(
    private readonly ms: number,
    private readonly outer: AbortSignal | undefined,
  ) {
    outer?.addEventListener('abort', this.follow, { once: true });
    if (outer?.aborted) this.controller.abort();
    this.timer = this.arm();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  reset(): void {
    clearTimeout(this.timer);
    this.timer = this.arm();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.outer?.removeEventListener('abort', this.follow);
  }

  private arm(): NodeJS.Timeout {
    return setTimeout(() => {
      this.fired = true;
      this.controller.abort();
    }, this.ms);
  }
}
