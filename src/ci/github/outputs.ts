// Step outputs of the Action from the run's result, written to $GITHUB_OUTPUT. Multi-line values
// (the final message, structured output) use a random delimiter that the value cannot contain.
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import type { RunResult } from '../../agent/events.js';

/** `success` or `failure`, as a check run would say; `refused`/`error` come from earlier steps. */
export function conclusion(result: RunResult | undefined): string {
  return result?.status === 'success' ? 'success' : 'failure';
}

export function actionOutputs(result: (RunResult & { structured_output?: unknown }) | undefined, eventsFile: string): Record<string, string> {
  const amount = result ? String(Number(result.cost.amount.toFixed(6))) : '';
  const structured = result?.structured_output;
  return {
    conclusion: conclusion(result),
    status: result?.status ?? 'error',
    'final-message': result?.final_message ?? '',
    'events-file': eventsFile,
    'structured-output': structured === undefined ? '' : JSON.stringify(structured),
    cost: amount,
    currency: result?.cost.currency ?? '',
    'session-id': result?.session_id ?? '',
    branch: result?.branch ?? '',
    commit: result?.commit ?? '',
    patch: result?.patch_file ?? '',
    summary: result?.summary_file ?? '',
  };
}

/** Append `name=value` (or a heredoc for multi-line values) for each output. */
export function writeStepOutputs(file: string, outputs: Record<string, string>): void {
  let text = '';
  for (const [name, value] of Object.entries(outputs)) {
    if (!value.includes('\n') && !value.includes('\r')) {
      text += `${name}=${value}\n`;
      continue;
    }
    let delimiter = `SPROUT_${randomUUID()}`;
    while (value.includes(delimiter)) delimiter = `SPROUT_${randomUUID()}`;
    text += `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
  }
  appendFileSync(file, text);
}
