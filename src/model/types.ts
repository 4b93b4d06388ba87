// Shapes of the chat-completions conversation that sprout keeps and sends, independent of the SDK.

/** One tool call of an assistant turn; `arguments` is the raw JSON string the model produced. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** A part of a user message: text, or an image as a data URL (vision models only). */
export type ContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

/** The text of a message's content; images stand as `[image]`. */
export function contentText(content: string | readonly ContentPart[]): string {
  if (typeof content === 'string') return content;
  return content.map((part) => (part.type === 'text' ? part.text : '[image]')).join('\n');
}

/** A message of the conversation, in the wire shape of chat completions. */
export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | ContentPart[] }
  | {
      role: 'assistant';
      content: string | null;
      reasoning_content?: string;
      tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }>;
    }
  | { role: 'tool'; tool_call_id: string; content: string };

/** Why the model stopped a turn. */
export type FinishReason = 'stop' | 'tool_calls' | 'length' | 'content_filter' | 'unknown';

/** Token counts of one request, as the server reported them. */
export interface Usage {
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
  reasoningTokens: number;
}

/** One complete assistant turn, assembled from a stream. */
export interface AssistantTurn {
  content: string;
  reasoning: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  /** Undefined when the server sent no usage chunk. */
  usage: Usage | undefined;
  /** The model id the server says answered. */
  model: string | undefined;
  /** The X-Client-Request-Id sprout sent with the request that produced this turn. */
  requestId?: string;
}

/** A tool as sent to the model. */
export interface ToolSpec {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

/** Pieces of a turn as they stream in, for live rendering, and notices of retried requests. */
export type TurnDelta =
  | { kind: 'text'; text: string }
  | { kind: 'reasoning'; text: string }
  | {
      kind: 'retry';
      attempt: number;
      status: number | null;
      waitMs: number;
      message: string;
      /** Text and reasoning characters the failed attempt had streamed: void, the retry starts over. */
      discardedChars?: number;
    };

export const ZERO_USAGE: Usage = Object.freeze({
  promptTokens: 0,
  cachedTokens: 0,
  completionTokens: 0,
  reasoningTokens: 0,
});

/** Sum two usage records. */
export function addUsage(a: Usage, b: Usage): Usage {
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    cachedTokens: a.cachedTokens + b.cachedTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    reasoningTokens: a.reasoningTokens + b.reasoningTokens,
  };
}
