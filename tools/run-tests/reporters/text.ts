// Reading a test run from its plain console output: how most runners are read, since run_tests adds
// no reporter flag, and the fallback when a report is missing or cut. One reader per runner's format;
// the detected runner's reader is tried first, then every other one, and the first that recognises
// its runner's summary gives the counts and the failures.
import { stripAnsi } from '../../text/ansi.js';
import type { RunnerKind } from '../detect.js';
import { readAva } from './ava-console.js';
import { countsOf, type Counts } from './counts.js';
import { readJest } from './jest-console.js';
import { readPytest } from './pytest-console.js';
import { isTap, parseTap } from './tap.js';
import { cargoFailures, goFailures, mochaFailures } from './text-blocks.js';
import type { ParseContext, TestReport } from './types.js';
import { readUvu } from './uvu-console.js';
import { readVitest } from './vitest-console.js';

type Reader = (text: string, ctx: ParseContext) => TestReport | undefined;

/** The readers, by the runner whose format each reads; the order is the order of the fallback. */
const READERS: [RunnerKind, Reader][] = [
  ['cargo', readCargo],
  ['pytest', readPytest],
  ['jest', readJest],
  ['vitest', readVitest],
  ['ava', readAva],
  ['uvu', readUvu],
  ['mocha', readMocha],
  // TAP from tape, node-tap or node --test; node's spec reporter only has totals.
  ['tape', readTapText],
  ['node', readNodeSpec],
  ['go', readGoText],
];

/** Counts and failures read from console output, or undefined when no summary is recognised. */
export function parseText(output: string, ctx: ParseContext, runner?: RunnerKind): TestReport | undefined {
  const text = stripAnsi(output).replace(/\r\n/g, '\n');
  const own = runner === 'tap' ? 'tape' : runner;
  const ordered = [...READERS.filter(([kind]) => kind === own), ...READERS.filter(([kind]) => kind !== own)];
  for (const [, read] of ordered) {
    const report = read(text, ctx);
    if (report) return report;
  }
  return undefined;
}

function withFailures(counts: Counts | undefined, failures: TestReport['failures']): TestReport | undefined {
  return counts ? { ...counts, failed: Math.max(counts.failed, failures.length), failures, errors: [] } : undefined;
}

/** cargo: one "test result: FAILED. 1 passed; 2 failed; 1 ignored; ..." line per test binary, summed. */
function readCargo(text: string): TestReport | undefined {
  const lines = [...text.matchAll(/^test result: \w+\. (.*)$/gm)];
  if (lines.length === 0) return undefined;
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const match of lines) countsOf(match[1] ?? '', counts);
  return withFailures(counts, cargoFailures(text));
}

/** mocha's spec reporter: "  1 passing (3ms)", "  2 failing", "  1 pending", on lines of their own. */
function readMocha(text: string, ctx: ParseContext): TestReport | undefined {
  const lines = [...text.matchAll(/^\s*(\d+ (?:passing|failing|pending))\b/gm)];
  if (lines.length === 0) return undefined;
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const match of lines) countsOf(match[1] ?? '', counts);
  return withFailures(counts, mochaFailures(text, ctx));
}

function readTapText(text: string, ctx: ParseContext): TestReport | undefined {
  if (!isTap(text)) return undefined;
  try {
    return parseTap(text, ctx);
  } catch {
    return undefined;
  }
}

/** node --test's spec reporter: "ℹ pass 1" totals; the last of each wins. */
function readNodeSpec(text: string): TestReport | undefined {
  const totals = new Map<string, string>();
  for (const m of text.matchAll(/^ℹ (pass|fail|skipped|todo|cancelled) (\d+)\s*$/gm)) totals.set(m[1] ?? '', m[2] ?? '0');
  if (!totals.has('pass') || !totals.has('fail')) return undefined;
  return withFailures(countsOf([...totals].map(([word, n]) => `${n} ${word}`).join(', ')), []);
}

/** go without -json prints no totals, only a "--- FAIL" line per failing test (and "--- PASS" with -v). */
function readGoText(text: string): TestReport | undefined {
  const results = [...text.matchAll(/^\s*--- (FAIL|PASS|SKIP): (\S+)/gm)];
  if (results.length === 0) return undefined;
  const names = results.map((m) => m[2] ?? '');
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const [, status, name = ''] of results) {
    // Parents repeat their subtests' outcome; only leaves are tests of their own.
    if (names.some((n) => n.startsWith(`${name}/`))) continue;
    counts[status === 'FAIL' ? 'failed' : status === 'PASS' ? 'passed' : 'skipped']++;
  }
  return withFailures(counts, goFailures(text));
}
