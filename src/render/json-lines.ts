// The `--json` renderer: one JSON object per line on stdout, deltas and raw messages left out.
import type { AgentEvent } from '../agent/events.js';
import { UNLISTED_EVENT_TYPES } from '../agent/events.js';

/** Writes events as JSON Lines to `out`. */
export function createJsonLinesRenderer(out: NodeJS.WritableStream): (event: AgentEvent) => void {
  return (event) => {
    if (UNLISTED_EVENT_TYPES.has(event.type)) return;
    out.write(`${JSON.stringify(event)}\n`);
  };
}
