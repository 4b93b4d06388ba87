// The fake server's tokenizer and prefix cache: four UTF-8 bytes make a token. Exported so
// tests can compute the usage they expect the runtime to add up.

import type { ChatRequestBody, ReportedUsage, UsageOverride } from './types.js';

/** The text the fake tokenizer counts for a request: tools first, then messages, as the cache sees them. */
export function serialisePrompt(body: ChatRequestBody): string {
  return JSON.stringify({ tools: body.tools ?? [], messages: body.messages });
}

export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** ceil(bytes / 4). */
export function countTokens(text: string): number {
  return Math.ceil(byteLength(text) / 4);
}

/** Length in bytes of the longest common prefix of two strings' UTF-8 encodings. */
export function commonPrefixBytes(a: string, b: string): number {
  return commonPrefix(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * The common prefix of two buffers by binary search over native comparisons: a byte-by-byte loop
 * over every earlier prompt made the server's own time grow with the square of the session, and
 * that time counts in the bench's time per turn.
 */
function commonPrefix(x: Buffer, y: Buffer): number {
  let low = 0; // x and y agree on their first `low` bytes
  let high = Math.min(x.length, y.length);
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (x.compare(y, low, mid, low, mid) === 0) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** floor(longest common byte prefix with any earlier prompt / 4); 0 when there is none. */
export function cachedTokens(prompt: string, earlierPrompts: readonly string[]): number {
  const bytes = encoded(prompt);
  let best = 0;
  for (const earlier of earlierPrompts) best = Math.max(best, commonPrefix(bytes, encoded(earlier)));
  return Math.floor(best / 4);
}

const ENCODED_KEPT = 512; // prompts whose UTF-8 bytes are kept, so earlier prompts are not encoded again per request
const encodings = new Map<string, Buffer>();

function encoded(text: string): Buffer {
  let bytes = encodings.get(text);
  if (!bytes) {
    bytes = Buffer.from(text, 'utf8');
    encodings.set(text, bytes);
    if (encodings.size > ENCODED_KEPT) encodings.delete(encodings.keys().next().value!);
  }
  return bytes;
}

/** What the fake model produced in one answer, for counting completion tokens. */
export interface AnswerText {
  reasoning: string;
  content: string;
  toolCalls: Array<{ name: string; arguments: string }>;
}

/**
 * The usage reported for one answer: prompt tokens of the serialised prompt, cached tokens from
 * earlier prompts, completion tokens of everything generated (at least 1), and any overrides.
 */
export function computeUsage(
  prompt: string,
  earlierPrompts: readonly string[],
  answer: AnswerText,
  override: Partial<UsageOverride> = {},
): ReportedUsage {
  const generated =
    answer.reasoning + answer.content + answer.toolCalls.map((c) => c.name + c.arguments).join('');
  const prompt_tokens = override.prompt_tokens ?? countTokens(prompt);
  const completion_tokens = override.completion_tokens ?? Math.max(1, countTokens(generated));
  return {
    prompt_tokens,
    completion_tokens,
    total_tokens: prompt_tokens + completion_tokens,
    prompt_tokens_details: { cached_tokens: override.cached_tokens ?? cachedTokens(prompt, earlierPrompts) },
    completion_tokens_details: { reasoning_tokens: override.reasoning_tokens ?? countTokens(answer.reasoning) },
  };
}
