// The conversation of a run: append-only, except for a compaction, which replaces it whole. Every
// change is announced as an event so the session store can keep an exact copy.
import type { ChatMessage, ToolCall } from '../model/types.js';
import type { AgentEvent } from './events.js';

export class Conversation {
  private history: ChatMessage[];

  constructor(initial: readonly ChatMessage[]) {
    this.history = [...initial];
  }

  get messages(): readonly ChatMessage[] {
    return this.history;
  }

  *append(...added: ChatMessage[]): Generator<AgentEvent> {
    for (const message of added) {
      this.history.push(message);
      yield { type: 'message', message };
    }
  }

  /**
   * The assistant message of a turn, in wire form; `reasoning` only for profiles that echo it. A turn
   * with neither text nor tool calls (cut off while thinking, or an empty answer) adds nothing: the
   * API rejects `content: null` without tool calls, and an empty message would tell the model nothing.
   */
  *appendAssistant(content: string, calls: readonly ToolCall[], reasoning?: string): Generator<AgentEvent> {
    if (content === '' && calls.length === 0) return;
    const toolCalls = calls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } }));
    yield* this.append({
      role: 'assistant',
      content: content === '' ? null : content,
      ...(reasoning ? { reasoning_content: reasoning } : {}),
      ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
    });
  }

  /** Replace the whole history (compaction); the caller announces it. */
  replace(messages: ChatMessage[]): void {
    this.history = [...messages];
  }
}
