// Making a conversation read back from a damaged session file valid again. A skipped line can leave
// a call without its result (the provider rejects that): it is answered by saying the result was
// lost, since the call did run. A result without its call means the model's own request was lost:
// resuming would hide from it that the call ran, so that is reported instead of repaired.
import type { ChatMessage } from '../model/types.js';

export const LOST_RESULT =
  'Error: the result of this call was lost (the session file was damaged here). The call did run; ' +
  'check the current state before running it again.';

/**
 * The conversation with every tool call answered once; `orphans` counts tool results whose call was
 * lost (left out of `messages`), which the caller must not resume silently.
 */
export function repairToolPairing(history: readonly ChatMessage[]): { messages: ChatMessage[]; orphans: number } {
  let orphans = 0;
  const repaired: ChatMessage[] = [];
  let open: string[] = []; // calls of the last assistant message not answered yet
  for (const message of history) {
    if (message.role === 'tool') {
      if (open.includes(message.tool_call_id)) {
        open = open.filter((id) => id !== message.tool_call_id);
        repaired.push(message);
      } else {
        orphans++;
      }
      continue;
    }
    repaired.push(...lostResults(open));
    open = message.role === 'assistant' ? (message.tool_calls ?? []).map((c) => c.id) : [];
    repaired.push(message);
  }
  // Calls still open at the end are the resume's to answer (as interrupted): they may not have run.
  return { messages: repaired, orphans };
}

function lostResults(ids: readonly string[]): ChatMessage[] {
  return ids.map((id) => ({ role: 'tool', tool_call_id: id, content: LOST_RESULT }));
}
