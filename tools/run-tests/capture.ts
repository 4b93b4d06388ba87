// The one bash command a test run is: run the tests with their own time limit, then print the report
// file and the tail of the console log after marker lines, all in the same call. It has to be one
// call because the bwrap sandbox gives every exec a fresh /tmp, and the report lives there (never in
// the user's tree). The report is printed first and only when it fits the exec output cap, so the
// cap can never cut it into something unparseable; the log is bounded by `tail -c`.
import { shQuote } from './invocation.js';

/** What wrapCommand needs. */
export interface WrapOptions {
  /** The test snippet (may use "$SPROUT_REPORT"). */
  run: string;
  /** Kill the tests after this long; the wrapper then still prints what there is. */
  timeoutMs: number;
  /** A line no test output contains, unique per call. */
  marker: string;
  /** Largest report printed, in bytes; a bigger one is only measured. */
  reportBudget: number;
  /** Bytes of the end of the console log printed. */
  logBudget: number;
}

/** What the captured output held, split at the markers. */
export interface Captured {
  /** The report text; undefined when there was none or it was over budget. */
  report?: string;
  /** The report's size in bytes, or undefined when the runner wrote none. */
  reportBytes?: number;
  /** The end of the console output of the tests. */
  log: string;
  /** The console output's full size in bytes. */
  logBytes: number;
  /** False when the markers are missing: the whole call was killed, and `log` is whatever came out. */
  complete: boolean;
}

/**
 * Added to the environment of every run. Nothing here changes what a test can observe about colour,
 * CI or its arguments (those stay the user's): only npm's own chatter is turned off, and Python is
 * kept from writing __pycache__ into the user's tree.
 */
const RUN_ENV = ['PYTHONDONTWRITEBYTECODE=1', 'npm_config_update_notifier=false', 'npm_config_fund=false', 'npm_config_audit=false'];

/** The full bash command of a run. Its exit code is the tests' (124 or 137 when their time limit killed them). */
export function wrapCommand(options: WrapOptions): string {
  const { run, marker, reportBudget, logBudget } = options;
  const seconds = (options.timeoutMs / 1000).toFixed(1);
  return [
    'd=$(mktemp -d /tmp/sprout-tests.XXXXXX) || exit 125',
    `export SPROUT_REPORT="$d/report" ${RUN_ENV.join(' ')}`,
    `cmd=${shQuote(run)}`,
    // timeout kills the runner's whole process group, so the report and log still get printed after it.
    `if command -v timeout >/dev/null 2>&1; then timeout -k 2 ${seconds} bash -c "$cmd"; else bash -c "$cmd"; fi > "$d/log" 2>&1 < /dev/null`,
    'code=$?',
    'if [ -f "$SPROUT_REPORT" ]; then size=$(($(wc -c < "$SPROUT_REPORT"))); else size=none; fi',
    `echo "${marker} report $size"`,
    `if [ "$size" != none ] && [ "$size" -le ${reportBudget} ]; then cat "$SPROUT_REPORT"; fi`,
    'echo',
    `echo "${marker} log $(($(wc -c < "$d/log")))"`,
    `tail -c ${logBudget} "$d/log"`,
    'rm -rf "$d"',
    'exit $code',
  ].join('\n');
}

/** Split a wrapped run's output at its markers. */
export function splitCapture(output: string, marker: string, reportBudget: number): Captured {
  const reportAt = output.indexOf(`${marker} report `);
  const logAt = output.indexOf(`\n${marker} log `, reportAt);
  if (reportAt < 0 || logAt < 0) return { log: output, logBytes: Buffer.byteLength(output), complete: false };
  const reportLineEnd = output.indexOf('\n', reportAt);
  const size = output.slice(reportAt + marker.length + ' report '.length, reportLineEnd).trim();
  const reportBytes = /^\d+$/.test(size) ? Number(size) : undefined;
  const printed = reportBytes !== undefined && reportBytes <= reportBudget;
  const logLineEnd = output.indexOf('\n', logAt + 1);
  const logBytes = Number(output.slice(logAt + 1 + marker.length + ' log '.length, logLineEnd < 0 ? undefined : logLineEnd).trim()) || 0;
  let log = logLineEnd < 0 ? '' : output.slice(logLineEnd + 1);
  // tail -c may start inside a line (or a character); that first fragment only misleads.
  if (logBytes > Buffer.byteLength(log) && log.includes('\n')) log = log.slice(log.indexOf('\n') + 1);
  return {
    report: printed ? output.slice(reportLineEnd + 1, logAt) : undefined,
    reportBytes,
    log,
    logBytes,
    complete: true,
  };
}

/**
 * Split the exec output cap between the report and the log. The console output is what most runners
 * are read from, and a failure may sit thousands of lines above the summary, so it gets half.
 */
export function budgets(execOutputBytes: number): { reportBudget: number; logBudget: number } {
  const logBudget = Math.max(1024, Math.floor(execOutputBytes / 2));
  // What is left after the log, the marker lines and the echo; never negative, so a tiny cap prints no report.
  const reportBudget = Math.max(0, execOutputBytes - logBudget - 1024);
  return { reportBudget, logBudget };
}
