// Building the conversation a run starts from: a fresh one (system prompt + task), or a resumed one
// whose unanswered tool calls are answered as interrupted, so the provider accepts it again.
import type { ChatMessage, ContentPart } from '../model/types.js';
import type { RunOptions } from './options.js';
import { readInstructionFiles, type InstructionFile } from '../../sandbox/instructions.js';
import { buildSystemPrompt } from './system-prompt.js';

export const INTERRUPTED_CALL =
  'Error: this call was interrupted: the run stopped before it finished, so its effects are unknown. ' +
  'Check the current state and run it again if it is still needed.';

const CONTINUE_RESUMED = 'The run was stopped and has now been resumed. Continue with the task.';

/**
 * Messages to append to a resumed history so that it is valid and ends where the model should act:
 * an interrupted answer for every unanswered tool call, then the new instructions if any, or a
 * nudge to continue when the model had already finished its last turn.
 */
export function resumeMessages(history: readonly ChatMessage[], newTask: string | undefined): ChatMessage[] {
  const added: ChatMessage[] = [];
  const last = history.at(-1);
  if (last?.role === 'assistant' && last.tool_calls?.length) {
    for (const call of last.tool_calls) added.push({ role: 'tool', tool_call_id: call.id, content: INTERRUPTED_CALL });
  } else if (last?.role === 'tool') {
    const answered = new Set<string>();
    let i = history.length - 1;
    for (; i >= 0 && history[i]!.role === 'tool'; i--) answered.add((history[i] as { tool_call_id: string }).tool_call_id);
    const asking = history[i];
    if (asking?.role === 'assistant') {
      for (const call of asking.tool_calls ?? []) {
        if (!answered.has(call.id)) added.push({ role: 'tool', tool_call_id: call.id, content: INTERRUPTED_CALL });
      }
    }
  }
  const endsWithModel = (added.at(-1) ?? last)?.role === 'assistant';
  if (newTask?.trim()) added.push({ role: 'user', content: newTask.trim() });
  else if (endsWithModel) added.push({ role: 'user', content: CONTINUE_RESUMED });
  return added;
}

/**
 * A saved conversation without the assistant messages that say nothing (no text, no tool calls),
 * which older versions stored and the API rejects when they are sent back.
 */
export function dropSilentAnswers(messages: readonly ChatMessage[]): ChatMessage[] {
  return messages.filter((m) => m.role !== 'assistant' || (m.content ?? '') !== '' || (m.tool_calls?.length ?? 0) > 0);
}

/** What a run adds before its first request, and the instruction files its system prompt used. */
export interface Opening {
  messages: ChatMessage[];
  /** Paths of the project instruction files read (none when resuming: the saved prompt is kept). */
  instructionFiles: string[];
}

/** The messages a run adds before its first request: a new conversation, or a resumed one's repairs. */
export async function openingMessages(options: RunOptions, history: readonly ChatMessage[]): Promise<Opening> {
  if (options.resume) return { messages: resumeMessages(history, options.task), instructionFiles: [] };
  if (!options.task?.trim()) throw new Error('runAgent needs a task unless it resumes a session');
  const instructions = await readInstructionFiles(options.sandbox.root, options.limits.agentsMdBytes);
  return {
    messages: [
      { role: 'system', content: systemPrompt(options, instructions) },
      { role: 'user', content: taskContent(options.task, options.taskImages ?? []) },
    ],
    instructionFiles: instructions.map((file) => file.relativePath),
  };
}

/** The task as text, or as text and image parts when images come with it. */
function taskContent(task: string, images: ReadonlyArray<{ url: string; label: string }>): string | ContentPart[] {
  if (images.length === 0) return task;
  return [
    { type: 'text', text: task },
    ...images.flatMap((image): ContentPart[] => [
      { type: 'text', text: `Attached image: ${image.label}` },
      { type: 'image_url', image_url: { url: image.url } },
    ]),
  ];
}

function systemPrompt(options: RunOptions, instructions: readonly InstructionFile[]): string {
  const { sandbox } = options;
  return buildSystemPrompt({
    cwd: sandbox.root,
    toolNames: options.tools.map((t) => t.name),
    sandboxNote: options.sandboxNote ?? (sandbox.kind === 'bwrap' ? 'a sandbox' : 'the host, without a sandbox'),
    instructions,
    prove: options.prove !== undefined,
  });
}
