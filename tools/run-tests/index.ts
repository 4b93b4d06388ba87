// run_tests: detect how the project runs its tests, run them (or a subset) in the sandbox exactly as
// the project's CI would, read the runner's console output (or a report it writes unseen by the
// tests), and tell the model what failed and where, in a few lines per failure.
import { z } from 'zod';
import { defineTool, type ToolContext } from '../define-tool.js';
import { budgets, splitCapture, wrapCommand, type Captured } from './capture.js';
import { detectTestSetup, packageScriptSetup, readPackageJson, type RunnerKind } from './detect.js';
import { buildInvocation, customInvocation, type Invocation } from './invocation.js';
import { parseGoJson } from './reporters/go-json.js';
import { parseTap } from './reporters/tap.js';
import { parseText } from './reporters/text.js';
import type { ParseContext, TestReport } from './reporters/types.js';
import { formatRun, type RunFacts } from './summary.js';

// Time the wrapper needs after the tests' own limit to print the report and clean up.
const WRAP_GRACE_MS = 5_000;

const LABELS: Record<RunnerKind, string> = {
  vitest: 'vitest', jest: 'jest', mocha: 'mocha', node: 'node --test', tape: 'tape', tap: 'tap', ava: 'ava', uvu: 'uvu', pytest: 'pytest', go: 'go test',
  cargo: 'cargo test', make: 'make test', npm: 'npm test', custom: 'custom command',
};

export const runTests = defineTool({
  name: 'run_tests',
  description:
    "Run the project's tests as its CI would (detected: npm, pytest, go, cargo, make) and get the counts and each " +
    'failure with file:line and message; prefer it to shell.',
  parameters: z.object({
    command: z
      .string()
      .min(1)
      .optional()
      .describe('Shell command to run instead of the detected one'),
    path: z
      .string()
      .min(1)
      .optional()
      .describe('Only this test file or directory'),
    filter: z
      .string()
      .min(1)
      .optional()
      .describe('Only tests whose name matches this pattern'),
    timeout_seconds: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('Time limit in seconds'),
  }),
  // The tests read whatever the model edited before this call in the same turn.
  footprint: () => ({ tree: true }),
  async execute(args, ctx) {
    const { label, runner, invocation } = await plan(args, ctx);
    const { shellTimeoutMs, shellMaxTimeoutMs, execOutputBytes } = ctx.limits;
    const timeoutMs = Math.min(args.timeout_seconds ? args.timeout_seconds * 1000 : shellTimeoutMs, shellMaxTimeoutMs);
    const { reportBudget, logBudget } = budgets(execOutputBytes);
    const marker = `@@sprout-run-tests-${crypto.randomUUID()}@@`;
    const command = wrapCommand({ run: invocation.run, timeoutMs, marker, reportBudget, logBudget });
    const result = await ctx.sandbox.exec(command, { timeoutMs: timeoutMs + WRAP_GRACE_MS, signal: ctx.signal, maxOutputBytes: execOutputBytes });
    const captured = splitCapture(result.output, marker, reportBudget);
    const parsed = readReport(invocation, captured, { root: ctx.cwd }, runner);
    // timeout(1) exits 124 (137 after its follow-up KILL); only trust that when the limit was really reached.
    const killedByLimit = (result.exitCode === 124 || result.exitCode === 137) && result.durationMs >= timeoutMs * 0.95;
    const facts: RunFacts = {
      label,
      display: invocation.display,
      exitCode: result.exitCode,
      timedOut: result.timedOut || killedByLimit,
      aborted: result.aborted,
      timeoutMs,
      durationMs: result.durationMs,
      report: parsed.report,
      reportExpected: invocation.format !== 'text',
      reportProblem: parsed.problem,
      notes: invocation.notes,
      log: captured.log,
    };
    const { status, text } = formatRun(facts);
    const r = parsed.report;
    return {
      output: text,
      isError: status !== 'PASSED',
      details: {
        status, runner: label, command: invocation.display, exitCode: result.exitCode, timedOut: facts.timedOut,
        durationMs: result.durationMs, countsFrom: parsed.source, passed: r?.passed, failed: r?.failed,
        skipped: r?.skipped, xfailed: r?.xfailed, xpassed: r?.xpassed, failures: r?.failures ?? [], errors: r?.errors ?? [],
      },
    };
  },
});

/** The invocation for this call: the model's command, or the detected setup with its subset. */
async function plan(args: { command?: string; path?: string; filter?: string }, ctx: ToolContext): Promise<{ label: string; runner: RunnerKind; invocation: Invocation }> {
  if (args.command !== undefined) {
    const scriptRunner = packageScriptSetup(await readPackageJson(ctx.sandbox))?.runner;
    const { runner, ...invocation } = customInvocation(args.command, scriptRunner);
    const notes = args.path || args.filter ? ['path/filter were not used with `command`: put the selection in the command itself'] : [];
    return { label: LABELS[runner], runner, invocation: { ...invocation, notes } };
  }
  const setup = await detectTestSetup(ctx.sandbox);
  // The path must stay inside the working directory; runners get it relative, as the model gave it.
  const path = args.path !== undefined ? await relativeInside(args.path, ctx) : undefined;
  return { label: LABELS[setup.runner], runner: setup.runner, invocation: buildInvocation(setup, { path, filter: args.filter }) };
}

async function relativeInside(path: string, ctx: ToolContext): Promise<string> {
  const real = await ctx.sandbox.resolvePath(path);
  if (!path.startsWith('/')) return path;
  return real === ctx.sandbox.root ? '.' : real.slice(ctx.sandbox.root.length + 1);
}

/** The report when it parses, else counts from the console output, else nothing; with why the report was not used. */
function readReport(invocation: Invocation, captured: Captured, ctx: ParseContext, runner: RunnerKind): { report?: TestReport; source: string; problem?: string } {
  let problem: string | undefined;
  if (invocation.format !== 'text') {
    if (captured.report !== undefined && captured.report.trim() !== '') {
      try {
        return { report: parseReportText(invocation.format, captured.report, ctx), source: 'report' };
      } catch (error) {
        problem = `the runner's report could not be read (${error instanceof Error ? error.message : String(error)}); counts come from the console output`;
      }
    } else if (captured.reportBytes !== undefined && captured.reportBytes > 0) {
      problem = `the runner's report (${captured.reportBytes} bytes) is larger than the output cap allows; counts come from the console output`;
    }
  }
  const fromLog = parseText(captured.log, ctx, runner);
  return fromLog ? { report: fromLog, source: 'console', problem } : { source: 'none', problem };
}

function parseReportText(format: Invocation['format'], text: string, ctx: ParseContext): TestReport {
  switch (format) {
    case 'tap':
      return parseTap(text, ctx);
    case 'go-json':
      return parseGoJson(text);
    case 'text':
      throw new Error('no report format');
  }
}
