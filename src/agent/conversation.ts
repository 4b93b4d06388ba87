// The conversation of a run: append-only, except for a compaction, which replaces it whole. Every
// change is announced as an event so the session store can keep an exact copy.
import { joinedPromptBytes, messageBytes } from '../context/estimate.js';
import type { ChatMessage, ToolCall } from '../model/types.js';
import type { AgentEvent } from './events.js';

export class Conversation {
  private history: ChatMessage[];
  /** Summed messageBytes of the history, kept as it grows so no turn re-serialises the whole of it. */
  private bytes = 0;

  constructor(initial: readonly ChatMessage[]) {
    this.history = [];
    this.replace([...initial]);
  }

  /** The prompt's size in bytes as promptBytes counts it, given the tools' serialised bytes. */
  promptBytes(toolBytes: number): number {
    return joinedPromptBytes(toolBytes, this.history.length, this.bytes);
  }

  get messages(): readonly ChatMessage[] {
    return this.history;
  }

  *append(...added: ChatMessage[]): Generator<AgentEvent> {
    for (const message of added) {
      this.history.push(message);
      this.bytes += messageBytes(message);
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
    this.bytes = this.history.reduce((sum, message) => sum + messageBytes(message), 0);
  }
}
