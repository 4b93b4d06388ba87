// The `result` line of a run's JSON Lines events file, as the Action's later steps read it.
import { readFileSync } from 'node:fs';
import type { RunResult } from '../../agent/events.js';

/** The last result in the events file; undefined when sprout wrote none (it failed before a run). */
export function readRunResult(eventsFile: string | undefined): (RunResult & { structured_output?: unknown }) | undefined {
  if (!eventsFile) return undefined;
  let text: string;
  try {
    text = readFileSync(eventsFile, 'utf8');
  } catch {
    return undefined;
  }
  let result: RunResult | undefined;
  for (const line of text.split('\n')) {
    try {
      const event = JSON.parse(line) as { type?: string };
      if (event.type === 'result') result = event as RunResult;
    } catch {
      // not an event line
    }
  }
  return result;
}
