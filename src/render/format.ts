// Small text helpers shared by the human renderers: durations, the telling argument of a tool call,
// the first line of a failure reason, and cutting a line to the terminal's width.

/** `850 ms`, `4.2 s`, `3 min 05 s`. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const secs = Math.round(ms / 1000);
  return `${Math.floor(secs / 60)} min ${String(secs % 60).padStart(2, '0')} s`;
}

/**
 * `2,545`: digits grouped by three, as en-US writes them. By hand because the first
 * toLocaleString of a process loads ICU's number formatting, ~15 ms of a run's exit.
 */
export function formatCount(n: number): string {
  const sign = n < 0 ? '-' : '';
  const [whole = '0', fraction] = String(Math.abs(n)).split('.');
  return `${sign}${whole.replace(/\B(?=(\d{3})+$)/g, ',')}${fraction === undefined ? '' : `.${fraction}`}`;
}

/** The most telling argument of a call, on one line: a command, a path, a pattern. */
export function summarizeArguments(raw: string): string {
  let args: Record<string, unknown>;
  try {
    args = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return '';
  }
  if (args === null || typeof args !== 'object') return '';
  const value = args.command ?? args.path ?? args.pattern ?? Object.values(args).find((v) => typeof v === 'string');
  return typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() : '';
}

/**
 * The first line of a failure that says something: a line ending in a colon ("invalid arguments for
 * shell:") is only a heading, so the next non-empty line joins it.
 */
export function failureReason(output: string): string {
  const lines = output.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const first = lines[0] ?? '';
  if (first.endsWith(':') && lines[1] !== undefined) return `${first} ${lines[1]}`;
  return first;
}

/** Cut `text` to `width` characters with an ellipsis; characters, not bytes, so UTF-8 stays whole. */
export function fit(text: string, width: number): string {
  const chars = Array.from(text);
  if (chars.length <= width) return text;
  return width <= 1 ? chars.slice(0, width).join('') : `${chars.slice(0, width - 1).join('')}…`;
}

/** Rough display width: what `fit` counts. */
export function widthOf(text: string): number {
  return Array.from(text).length;
}
