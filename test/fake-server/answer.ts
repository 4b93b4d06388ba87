// Turns a scripted turn into what the server sends: a `chat.completion` JSON, or the list of
// `chat.completion.chunk` objects of a stream with reasoning, content and arguments split up.

import type { FinishReason, ReportedUsage, ScriptedTurn } from './types.js';

/** A scripted turn with ids assigned and arguments as JSON text. */
export interface ResolvedAnswer {
  reasoning: string;
  content: string;
  toolCalls: Array<{ id: string; name: string; arguments: string }>;
  finishReason: FinishReason;
}

/** Fields shared by every object of one answer. */
export interface AnswerMeta {
  id: string;
  created: number;
  model: string;
}

/** `idFor(i, given)` picks the id of the i-th tool call. */
export function resolveTurn(turn: ScriptedTurn, idFor: (i: number, given: string | undefined) => string): ResolvedAnswer {
  const toolCalls = (turn.toolCalls ?? []).map((call, i) => ({
    id: idFor(i, call.id),
    name: call.name,
    arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
  }));
  return {
    reasoning: turn.reasoning ?? '',
    content: turn.content ?? '',
    toolCalls,
    finishReason: turn.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
  };
}

/** The non-streaming answer. */
export function buildCompletion(meta: AnswerMeta, answer: ResolvedAnswer, usage: ReportedUsage): object {
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: answer.content === '' && answer.toolCalls.length > 0 ? null : answer.content,
  };
  if (answer.reasoning !== '') message.reasoning_content = answer.reasoning;
  if (answer.toolCalls.length > 0) {
    message.tool_calls = answer.toolCalls.map((c) => ({
      id: c.id,
      type: 'function',
      function: { name: c.name, arguments: c.arguments },
    }));
  }
  return {
    ...meta,
    object: 'chat.completion',
    choices: [{ index: 0, message, finish_reason: answer.finishReason, logprobs: null }],
    usage,
  };
}

/**
 * Splits text into `minPieces` or more pieces of about `size` characters, never inside a
 * surrogate pair. Short text yields empty trailing pieces so the piece count still holds.
 */
export function splitText(text: string, minPieces: number, size = 12): string[] {
  const chars = Array.from(text);
  const count = Math.max(minPieces, Math.ceil(chars.length / size));
  const cut = (i: number): number => Math.ceil((i * chars.length) / count);
  const pieces: string[] = [];
  for (let i = 0; i < count; i++) pieces.push(chars.slice(cut(i), cut(i + 1)).join(''));
  return pieces;
}

/** The chunks of a streamed answer, in order; a usage chunk is last when `usage` is given. */
export function buildChunks(
  meta: AnswerMeta,
  answer: ResolvedAnswer,
  usage: ReportedUsage | undefined,
  options: { repeatToolName?: boolean } = {},
): object[] {
  const chunk = (delta: object, finish_reason: FinishReason | null = null): object => ({
    ...meta,
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta, finish_reason, logprobs: null }],
  });
  const chunks = [chunk({ role: 'assistant', content: '' })];
  if (answer.reasoning !== '') {
    for (const piece of splitText(answer.reasoning, 3).filter((p) => p !== '')) {
      chunks.push(chunk({ reasoning_content: piece }));
    }
  }
  if (answer.content !== '') {
    for (const piece of splitText(answer.content, 3).filter((p) => p !== '')) chunks.push(chunk({ content: piece }));
  }
  for (const [index, call] of answer.toolCalls.entries()) {
    chunks.push(
      chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }),
    );
    for (const piece of splitText(call.arguments, 3, 16)) {
      const name = options.repeatToolName ? { name: call.name } : {};
      chunks.push(chunk({ tool_calls: [{ index, function: { ...name, arguments: piece } }] }));
    }
  }
  chunks.push(chunk({}, answer.finishReason));
  if (usage) chunks.push({ ...meta, object: 'chat.completion.chunk', choices: [], usage });
  return chunks;
}
