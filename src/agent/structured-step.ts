// The output schema's part of a turn: answering submit_result calls (tool mode), and checking the
// final message (json_schema mode) or that a valid submit came (tool mode) when the model stops.
// An invalid answer goes back to the model while retries last; then the run ends in error.
import type { ChatMessage, ToolCall } from '../model/types.js';
import type { AgentEvent } from './events.js';
import type { Outcome } from './model-turn.js';
import { type StructuredOutput, SUBMIT_TOOL } from './structured-output.js';

/** What to do after checking: go on (with messages for the model), or end the run. */
export type StructuredVerdict = { next: 'continue'; messages: ChatMessage[] } | { next: 'accepted' } | { next: 'end'; outcome: Outcome };

/** Split a turn's calls into submit_result calls and the rest. */
export function splitSubmits(calls: readonly ToolCall[], structured: StructuredOutput | undefined): [ToolCall[], ToolCall[]] {
  if (structured?.mode !== 'tool') return [[], [...calls]];
  return [calls.filter((c) => c.name === SUBMIT_TOOL), calls.filter((c) => c.name !== SUBMIT_TOOL)];
}

/** Answer submit_result calls with events; returns their tool messages and the verdict. */
export function* answerSubmits(calls: readonly ToolCall[], structured: StructuredOutput): Generator<AgentEvent, { messages: ChatMessage[]; verdict: StructuredVerdict }> {
  const messages: ChatMessage[] = [];
  let verdict: StructuredVerdict = { next: 'continue', messages: [] };
  for (const call of calls) {
    const started = performance.now();
    yield { type: 'tool_call', id: call.id, name: call.name, arguments: call.arguments };
    const checked = verdict.next === 'continue' ? structured.check(call.arguments, true) : undefined;
    let output: string;
    if (!checked) output = 'Error: not checked; an earlier submit_result of this turn ended the run.';
    else if (checked.ok) output = 'Accepted: the answer is valid. The run ends here.';
    else output = `Error: ${structured.feedback(checked.errors)}`;
    if (checked?.ok) verdict = { next: 'accepted' };
    else if (checked && !structured.retriesLeft) verdict = { next: 'end', outcome: failed(structured) };
    yield { type: 'tool_result', id: call.id, name: call.name, ok: Boolean(checked?.ok), output, duration_ms: Math.round(performance.now() - started) };
    messages.push({ role: 'tool', tool_call_id: call.id, content: output });
  }
  return { messages, verdict };
}

/** The model stopped: is its answer (json_schema) or its earlier submit (tool) good enough? */
export function checkFinal(content: string, structured: StructuredOutput): StructuredVerdict {
  if (structured.mode === 'tool') {
    if (structured.accepted) return { next: 'accepted' };
    const message = structured.missingSubmit();
    return structured.retriesLeft ? { next: 'continue', messages: [{ role: 'user', content: message }] } : { next: 'end', outcome: failed(structured) };
  }
  const checked = structured.check(content, false);
  if (checked.ok) return { next: 'accepted' };
  if (!structured.retriesLeft) return { next: 'end', outcome: failed(structured) };
  return { next: 'continue', messages: [{ role: 'user', content: structured.feedback(checked.errors) }] };
}

function failed(structured: StructuredOutput): Outcome {
  return {
    status: 'error',
    error: `the final answer still did not match the output schema after ${structured.rejected} attempts: ${structured.lastErrors.join('; ')}`,
    structured_output_errors: structured.lastErrors,
  };
}
