// Compaction: when the conversation grows too long (or too expensive), the older middle of it is
// summarised by the model into a structured note, and the run continues from the system prompt,
// the task, that note and the most recent turns kept verbatim. The prefix cache is lost once.
import { ApiError } from '../errors.js';
import type { ModelProfile } from '../model/profiles.js';
import { type ChatMessage, contentText } from '../model/types.js';

/** At most this many recent assistant turns (with their tool results) are kept word for word. */
const KEEP_RECENT_TURNS = 4;
/** Characters of one tool result shown to the summariser; the rest is cut. */
const TRANSCRIPT_RESULT_CHARS = 2000;
/** Tiered models compact before crossing this prompt size, where prices step up (see README). */
const TIERED_COMPACT_AT = 120 * 1024;

/** The conversation split for compaction. */
export interface CompactionPlan {
  /** System prompt and task, kept. */
  head: ChatMessage[];
  /** The part to summarise. */
  middle: ChatMessage[];
  /** The recent turns, kept. */
  tail: ChatMessage[];
}

/**
 * The prompt size (tokens) at which to compact: below the window with room for an answer, and for
 * tiered prices below the top tier, where input costs twice as much and output a third more.
 */
export function compactionThreshold(profile: ModelProfile, maxOutputTokens: number, override?: number): number {
  if (override !== undefined) return override;
  const room = profile.contextWindow - maxOutputTokens - Math.round(profile.contextWindow * 0.05);
  return profile.tiers.length > 1 ? Math.min(room, TIERED_COMPACT_AT) : room;
}

/**
 * Split at a turn boundary, keeping the most recent turns that `tailFits` (at least one, at most
 * four) so that the compacted conversation lands well under the threshold and does not compact
 * again at once. Undefined when there is nothing older to summarise.
 */
export function planCompaction(
  messages: readonly ChatMessage[],
  tailFits: (tail: readonly ChatMessage[]) => boolean = () => true,
): CompactionPlan | undefined {
  const firstUser = messages.findIndex((m) => m.role === 'user');
  if (firstUser < 0) return undefined;
  const head = messages.slice(0, firstUser + 1);
  // A turn starts at an assistant message; cutting there never separates calls from their results.
  const turnStarts = messages.map((m, i) => (m.role === 'assistant' && i > firstUser ? i : -1)).filter((i) => i >= 0);
  let kept = 1;
  while (kept < KEEP_RECENT_TURNS && kept < turnStarts.length - 1 && tailFits(messages.slice(turnStarts[turnStarts.length - kept - 1]!))) kept++;
  if (turnStarts.length <= kept) return undefined;
  const cut = turnStarts[turnStarts.length - kept]!;
  return { head, middle: messages.slice(firstUser + 1, cut), tail: messages.slice(cut) };
}

/** The request that asks the model to summarise the middle of the conversation. */
export function summaryRequest(plan: CompactionPlan): ChatMessage[] {
  const task = plan.head.filter((m) => m.role === 'user').map((m) => contentText(m.content)).join('\n\n');
  return [
    {
      role: 'system',
      content:
        'You summarise the work of an autonomous coding agent so that it can continue without the full ' +
        'transcript. Be factual and specific: file paths, function names, commands, error messages.',
    },
    {
      role: 'user',
      content: [
        `The agent's task:\n${task}`,
        `Transcript of its earlier turns:\n${transcript(plan.middle)}`,
        'Write a summary with these sections: Task; What was tried (and what failed); Files changed and ' +
          'why; Test status; Open steps. Do not invent anything that is not in the transcript.',
      ].join('\n\n'),
    },
  ];
}

/** True when the profile bills cached input below fresh input, so re-reading the prefix is cheap. */
export function hasCachePrice(profile: ModelProfile): boolean {
  return profile.tiers.some((tier) => tier.cachedInput < tier.input);
}

/**
 * The summary request that continues the conversation as it stands (same system prompt, tools and
 * history, answered with tool_choice "none"): the provider reads it all from its prefix cache, and
 * the summary sees every tool result in full. Only the older part is dropped afterwards.
 */
export function cachedSummaryRequest(messages: readonly ChatMessage[], plan: CompactionPlan): ChatMessage[] {
  const kept = plan.tail.filter((m) => m.role === 'assistant').length;
  return [
    ...messages,
    {
      role: 'user',
      content:
        `[sprout: the conversation is being compacted. Do not call tools now. Everything before your last ${kept} ` +
        'turn(s) will be replaced by your summary; those last turns stay as they are.] Write a summary of the work ' +
        'so far with these sections: Task; What was tried (and what failed); Files changed and why; Test status; ' +
        'Open steps. Be factual and specific: file paths, function names, commands, error messages.',
    },
  ];
}

/** The conversation after compaction. */
export function compactedHistory(plan: CompactionPlan, summary: string): ChatMessage[] {
  const note: ChatMessage = {
    role: 'user',
    content: `[Earlier turns were compacted to save context. Summary of the work so far:]\n\n${summary.trim()}`,
  };
  return [...plan.head, note, ...plan.tail];
}

/** True for a 400 that says the prompt is longer than the model accepts. */
export function isContextOverflow(error: unknown): boolean {
  if (!(error instanceof ApiError) || error.status !== 400) return false;
  return /context|max(imum)? message tokens|too long|exceed/i.test(`${error.code ?? ''} ${error.message}`);
}

function transcript(messages: readonly ChatMessage[]): string {
  return messages
    .map((m) => {
      if (m.role === 'assistant') {
        const calls = (m.tool_calls ?? []).map((c) => `  call ${c.function.name} ${c.function.arguments}`);
        return [`assistant: ${m.content ?? ''}`, ...calls].join('\n');
      }
      if (m.role === 'tool') {
        const text = m.content.length > TRANSCRIPT_RESULT_CHARS ? `${m.content.slice(0, TRANSCRIPT_RESULT_CHARS)}… [cut]` : m.content;
        return `tool result: ${text}`;
      }
      return `${m.role}: ${contentText(m.content)}`;
    })
    .join('\n');
}
