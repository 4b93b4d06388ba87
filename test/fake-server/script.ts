// Hands out a test's script steps one per chat request, in order, and remembers which were used,
// so the server can fail a test on unused steps or on requests nobody scripted.

import type { ScriptStep, ScriptedTurn, RecordedRequest } from './types.js';

/** The step picked for one request; `replay` is true when `repeatLast` served it again. */
export interface StepPick {
  step: ScriptStep;
  index: number;
  replay: boolean;
}

export interface ScriptCursor {
  /** The next step, or undefined when the script is used up (and not repeating). */
  take(): StepPick | undefined;
  /** Indexes of steps never taken. */
  unused(): number[];
  readonly length: number;
}

export function createScriptCursor(script: readonly ScriptStep[], repeatLast: boolean): ScriptCursor {
  let next = 0;
  return {
    length: script.length,
    take() {
      if (next < script.length) {
        const index = next++;
        return { step: script[index]!, index, replay: false };
      }
      if (repeatLast && script.length > 0) {
        const index = script.length - 1;
        return { step: script[index]!, index, replay: true };
      }
      return undefined;
    },
    unused() {
      return script.map((_, i) => i).filter((i) => i >= next);
    },
  };
}

/** Runs a step against a request: a fixed turn is returned as is, a function is called. */
export async function runStep(step: ScriptStep, req: RecordedRequest): Promise<ScriptedTurn> {
  return typeof step === 'function' ? await step(req) : step;
}
