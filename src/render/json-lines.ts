// The `--output-format json` renderer: one JSON object per line on stdout, deltas and raw messages left
// out, every line stamped with `ts` (ISO time) and the run's `session_id` so that any one line can be
// filed on its own. The shape of each line is the shipped events schema (event-schema.ts).
import type { AgentEvent } from '../agent/events.js';
import { UNLISTED_EVENT_TYPES } from '../agent/events.js';

/** Writes events as JSON Lines to `out`; `sessionId()` is the run's id when the line is written. */
export function createJsonLinesRenderer(out: NodeJS.WritableStream, sessionId: () => string = () => ''): (event: AgentEvent) => void {
  return (event) => {
    if (UNLISTED_EVENT_TYPES.has(event.type)) return;
    const { type, ...fields } = event;
    out.write(`${JSON.stringify({ type, ts: new Date().toISOString(), session_id: sessionId(), ...fields })}\n`);
  };
}
