// The proof of a fix in a sentence, for people: the summary, the Action's output and the terminal.
import type { Evidence } from '../agent/evidence.js';

const LISTED = 5; // test names named in the sentence before "and N more"

/** "Proven: 1 reproduction test (…) failed on abc123 and passes now; 4 tests that passed there still pass." */
export function proofWords(evidence: Evidence): string {
  const base = evidence.base_commit.slice(0, 12);
  if (!evidence.proven) return `Not proven: ${evidence.reason ?? 'the proof failed'}.`;
  const repro = evidence.reproduction.tests;
  const kept = Math.max(0, (evidence.after.passed ?? 0) - repro.length);
  return (
    `Proven: ${count(repro.length, 'reproduction test')} (${list(repro.map((t) => t.id))}) failed on the base commit ${base} ` +
    `and ${repro.length === 1 ? 'passes' : 'pass'} after the change; ${count(kept, 'other test')} still ${kept === 1 ? 'passes' : 'pass'}.`
  );
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function list(names: string[]): string {
  const shown = names.slice(0, LISTED);
  return shown.join('; ') + (names.length > shown.length ? ` and ${names.length - shown.length} more` : '');
}
