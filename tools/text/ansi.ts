// Terminal escape sequences removed from what the model reads. Tool processes keep the user's own
// colour settings (a suite that tests colour detection must see the environment its CI sees), so
// colour codes do reach sprout; they only cost tokens and break parsing, and are dropped here.

// CSI (colours, cursor moves), OSC (titles, hyperlinks, ended by BEL or ST) and lone two-byte escapes.
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g;

/** `text` without terminal escape sequences. */
export function stripAnsi(text: string): string {
  return text.includes('\u001b') || text.includes('\u009b') ? text.replace(ESCAPES, '') : text;
}
