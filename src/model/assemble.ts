// Assembling a streamed chat completion into one assistant turn: text and reasoning concatenated,
// tool calls gathered by `index` with their argument pieces joined, finish reason and usage kept.
import type { AssistantTurn, FinishReason, ToolCall, Usage } from './types.js';

/** The parts of a `chat.completion.chunk` sprout reads (reasoning_content is a provider extension). */
export interface StreamChunk {
  model?: string;
  choices?: Array<{
    delta?: {
      content?: string | null;
      reasoning_content?: string | null;
      tool_calls?: Array<{ index: number; id?: string; function?: { name?: string; arguments?: string } }>;
    };
    finish_reason?: string | null;
  }>;
  usage?: {
    prompt_tokens?: number;
    completion_tokens?: number;
    prompt_tokens_details?: { cached_tokens?: number } | null;
    completion_tokens_details?: { reasoning_tokens?: number } | null;
  } | null;
}

const FINISH_REASONS = new Set<FinishReason>(['stop', 'tool_calls', 'length', 'content_filter']);

/** Accumulates chunks; `turn()` returns the assembled turn once the stream has ended. */
export class TurnAssembler {
  private content = '';
  private reasoning = '';
  private readonly calls = new Map<number, { id: string; name: string; arguments: string }>();
  private finishReason: FinishReason | undefined;
  private usage: Usage | undefined;
  private model: string | undefined;

  /** Add one chunk; returns the text and reasoning pieces it carried, for live display. */
  add(chunk: StreamChunk): { text: string; reasoning: string } {
    this.model ??= chunk.model;
    let text = '';
    let reasoning = '';
    for (const choice of chunk.choices ?? []) {
      const delta = choice.delta ?? {};
      if (delta.content) text += delta.content;
      if (delta.reasoning_content) reasoning += delta.reasoning_content;
      for (const piece of delta.tool_calls ?? []) {
        const call = this.calls.get(piece.index) ?? { id: '', name: '', arguments: '' };
        if (piece.id) call.id = piece.id;
        if (piece.function?.name) call.name = joinName(call.name, piece.function.name);
        if (piece.function?.arguments) call.arguments += piece.function.arguments;
        this.calls.set(piece.index, call);
      }
      if (choice.finish_reason) {
        const reason = choice.finish_reason as FinishReason;
        this.finishReason = FINISH_REASONS.has(reason) ? reason : 'unknown';
      }
    }
    if (chunk.usage) this.usage = readUsage(chunk.usage);
    this.content += text;
    this.reasoning += reasoning;
    return { text, reasoning };
  }

  /** True once a finish reason arrived: a stream that ends before it was cut off. */
  get complete(): boolean {
    return this.finishReason !== undefined;
  }

  turn(): AssistantTurn {
    const toolCalls: ToolCall[] = [...this.calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, call]) => ({ id: call.id || `call_${index}`, name: call.name, arguments: call.arguments }));
    return {
      content: this.content,
      reasoning: this.reasoning,
      toolCalls,
      finishReason: this.finishReason ?? 'unknown',
      usage: this.usage,
      model: this.model,
    };
  }
}

/**
 * A tool name arrives whole in one chunk (as OpenAI sends it, and as the SDK's own stream helper
 * assumes: it sets the name), but some providers repeat it in every chunk or send a growing copy;
 * only a piece that does not restate the name so far is a continuation to append.
 */
function joinName(sofar: string, piece: string): string {
  return piece.startsWith(sofar) ? piece : sofar + piece;
}

function readUsage(raw: NonNullable<StreamChunk['usage']>): Usage {
  return {
    promptTokens: raw.prompt_tokens ?? 0,
    cachedTokens: raw.prompt_tokens_details?.cached_tokens ?? 0,
    completionTokens: raw.completion_tokens ?? 0,
    reasoningTokens: raw.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}
