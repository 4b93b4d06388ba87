// The human renderer: streamed assistant text, one line per tool call with outcome and duration, and
// a closing summary, all on stderr so stdout stays free for the final answer or for pipes. On a
// terminal a live view (spinner, phase, running tools) sits below the text; elsewhere it is plain.
import type { AgentEvent, RunResult } from '../agent/events.js';
import { PLAIN_REASON_CHARS, PLAIN_SUMMARY_CHARS } from '../config/display.js';
import { failureReason, fit, formatCount, formatMs, summarizeArguments, widthOf } from './format.js';
import { GithubCommands } from './github-commands.js';
import { LiveScreen } from './live-screen.js';

export { summarizeArguments } from './format.js';

export interface TerminalOptions {
  color: boolean;
  /** Spinner and in-place tool lines: only on a terminal that takes escape codes. */
  live?: boolean;
  /** The terminal's width now (it can change during a run); undefined off a terminal. */
  columns?: () => number | undefined;
  /** Stream the model's text and reasoning (off when stdout carries machine output). */
  showText?: boolean;
  /** A `turn N` line per model request, for logs without the streamed text. */
  turnLines?: boolean;
  /** GitHub Actions workflow commands: a group per turn, annotations for errors and warnings. */
  github?: boolean;
}

const CODES = { dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], bold: [1, 22] } as const;
type Paint = (style: keyof typeof CODES, text: string) => string;

/** Writes events for a person to `err`. */
export function createTerminalRenderer(err: NodeJS.WritableStream, options: TerminalOptions): (event: AgentEvent) => void {
  const paint: Paint = (style, text) => (options.color ? `\u001b[${CODES[style][0]}m${text}\u001b[${CODES[style][1]}m` : text);
  const columns = options.columns ?? (() => undefined);
  const live = options.live ? new LiveScreen(err, columns) : undefined;
  const github = options.github ? new GithubCommands(err) : undefined;
  const showText = options.showText ?? true;
  const calls = new Map<string, { name: string; arguments: string }>();
  let midLine = false; // whether streamed text left the cursor mid-line
  let streaming: 'text' | 'reasoning' | undefined;
  let turn = 0;
  // Under GitHub Actions a line that starts with `::` is a workflow command: text from the model or
  // the repository must never be one, so such a start is broken up.
  const defuse = (text: string, atLineStart: boolean): string => (github ? text.replace(atLineStart ? /(^|\n)::/g : /(\n)::/g, '$1: :') : text);
  const line = (text: string): void => {
    flushPending();
    if (midLine) err.write('\n');
    midLine = false;
    streaming = undefined;
    err.write(`${defuse(text, true)}\n`);
  };
  const stream = (kind: 'text' | 'reasoning', text: string): void => {
    live?.setPhase(`turn ${turn} · ${kind === 'text' ? 'streaming' : 'thinking'}`, live.phaseSince());
    if (!showText) return;
    if (live) return liveStream(kind, text);
    if (streaming !== kind && midLine) err.write('\n');
    streaming = kind;
    const safe = defuse(text, !midLine);
    err.write(kind === 'reasoning' ? paint('dim', safe) : safe);
    midLine = !text.endsWith('\n');
  };
  // Under the live view only whole lines are written: redrawing the spinner would wipe a partial one.
  let pending = '';
  const liveStream = (kind: 'text' | 'reasoning', text: string): void => {
    if (kind !== streaming && pending !== '') flushPending();
    streaming = kind;
    pending += text;
    const cut = pending.lastIndexOf('\n');
    if (cut < 0) return;
    const whole = pending.slice(0, cut);
    pending = pending.slice(cut + 1);
    err.write(`${whole.split('\n').map((l) => (streaming === 'reasoning' ? paint('dim', l) : l)).join('\n')}\n`);
  };
  const flushPending = (): void => {
    if (pending !== '') err.write(`${streaming === 'reasoning' ? paint('dim', pending) : pending}\n`);
    pending = '';
  };

  return (event) => {
    switch (event.type) {
      case 'session': {
        line(paint('dim', describeSession(event, paint)));
        const applied = Object.entries(event.project_config?.applied ?? {}).map(([key, value]) => `${key}=${JSON.stringify(value)}`);
        if (applied.length > 0) line(paint('dim', `project config ${event.project_config?.path} applied: ${applied.join(', ')}`));
        for (const toolchain of event.toolchains ?? []) line(paint('dim', `  ${toolchain}`));
        break;
      }
      case 'turn_start':
        turn = event.turn;
        if (github) github.group(`turn ${event.turn}`);
        else if (options.turnLines) line(`turn ${event.turn}`);
        live?.setPhase(`turn ${event.turn} · waiting for the model`);
        break;
      case 'text_delta':
      case 'reasoning_delta':
        stream(event.type === 'text_delta' ? 'text' : 'reasoning', event.text);
        break;
      case 'assistant':
        flushPending();
        if (midLine) line('');
        live?.setPhase(undefined);
        break;
      case 'tool_call': {
        calls.set(event.id, { name: event.name, arguments: event.arguments });
        const summary = summarizeArguments(event.arguments);
        live?.toolStarted(event.id, `${event.name}${summary ? ` ${summary}` : ''}`);
        break;
      }
      case 'tool_result': {
        live?.toolEnded(event.id);
        const call = calls.get(event.id);
        line(toolLine(event, call ? summarizeArguments(call.arguments) : '', columns(), paint));
        break;
      }
      case 'retry':
        line(paint('yellow', `retrying in ${formatMs(event.wait_ms)} (attempt ${event.attempt}): ${event.message}`));
        // Text on screen cannot be taken back: say it is void, so the retried answer is not read as its continuation.
        if (event.discarded_chars) line(paint('yellow', '(the partial answer above was lost with the failed request; the retried answer starts over)'));
        live?.setPhase(`turn ${turn} · waiting to retry`);
        break;
      case 'verification': {
        const counts = event.no_tests_ran ? ' (no test ran)' : event.passed !== undefined ? ` (${event.passed} passed, ${event.failed ?? 0} failed)` : '';
        const verdict = event.ok ? paint('green', '✓ check passed') : paint('red', '✗ check failed');
        line(`${verdict}: ${event.command}${counts}`);
        if (!event.ok) github?.warning(`the check \`${event.command}\` failed${counts}`, 'sprout check');
        break;
      }
      case 'proof': {
        const said = event.ok ? `reproduction failed on the base and passes now: ${event.reproduction.join('; ')}` : (event.reason ?? 'unproven');
        line(`${event.ok ? paint('green', '✓ fix proven') : paint('red', '✗ fix not proven')}: ${said}`);
        break;
      }
      case 'compaction':
        line(paint('dim', `compacted ${event.summarized_messages} older messages: ~${formatCount(event.tokens_before)} → ~${formatCount(event.tokens_after)} prompt tokens (${event.reason === 'context_length' ? 'the provider said the prompt was too long' : 'threshold'})`));
        break;
      case 'warning':
        line(paint('yellow', `warning: ${event.message}`));
        github?.warning(event.message);
        break;
      case 'error':
        live?.stop();
        line(paint('red', `error: ${event.message}`));
        github?.error(event.message);
        break;
      case 'result':
        live?.stop();
        github?.endGroup();
        line(summarizeResult(event, paint));
        if (event.status !== 'success' && event.error) github?.error(event.error, `sprout ${event.status}`);
        break;
      default:
        break;
    }
  };
}

function describeSession(event: Extract<AgentEvent, { type: 'session' }>, paint: Paint): string {
  const net = event.network ? ', network on' : ', no network';
  const mounts = [...(event.read_write ?? []).map((p) => `rw ${p}`), ...(event.read_only ?? []).map((p) => `ro ${p}`)];
  const where =
    event.sandbox === 'host'
      ? paint('yellow', 'NO SANDBOX: tools run directly on this machine')
      : `sandbox ${event.sandbox}${net}${mounts.length > 0 ? ` (+ ${mounts.join(', ')})` : ''}`;
  return `sprout ${event.version} · ${event.model} · ${where} · ${event.cwd}`;
}

/**
 * `✓ shell npm test (1.2 s)` or `✗ shell npm test (0.1 s) — reason`. On a terminal the line fits its
 * width; the argument summary gives way first, so a failure's reason is always shown.
 */
function toolLine(event: Extract<AgentEvent, { type: 'tool_result' }>, summary: string, width: number | undefined, paint: Paint): string {
  const mark = event.ok ? '✓' : '✗';
  const duration = `(${formatMs(event.duration_ms)})`;
  let reason = event.ok ? '' : failureReason(event.output);
  let args = summary;
  if (width === undefined) {
    args = fit(args, PLAIN_SUMMARY_CHARS);
    reason = fit(reason, PLAIN_REASON_CHARS);
  } else {
    const fixed = widthOf(`${mark} ${event.name}  ${duration}`) + (reason ? 3 : 0);
    reason = fit(reason, Math.max(10, width - fixed - Math.min(widthOf(args), 12)));
    args = fit(args, Math.max(0, width - fixed - widthOf(reason) - 1));
  }
  const head = `${event.ok ? paint('green', mark) : paint('red', mark)} ${event.name}${args ? ` ${args}` : ''}`;
  return `${head} ${paint('dim', duration)}${reason ? paint('red', ` — ${reason}`) : ''}`;
}

function summarizeResult(result: RunResult, paint: Paint): string {
  const { usage } = result;
  const total = usage.prompt_tokens + usage.completion_tokens;
  const cachedShare = usage.prompt_tokens > 0 ? Math.round((100 * usage.cached_tokens) / usage.prompt_tokens) : 0;
  const status = result.status === 'success' ? paint('green', 'success') : paint('red', result.status);
  const parts = [
    result.num_turns === 0
      ? `${status} before any model request completed, in ${formatMs(result.duration_ms)}`
      : `${status} after ${result.num_turns} turn${result.num_turns === 1 ? '' : 's'} in ${formatMs(result.duration_ms)}`,
    `${formatCount(total)} tokens (${formatCount(usage.prompt_tokens)} in, ${cachedShare}% cached; ${formatCount(usage.completion_tokens)} out)`,
    `cost ${result.cost.amount.toFixed(4)} ${result.cost.currency}${result.cost.saved_by_cache ? ` (cache saved ${result.cost.saved_by_cache.toFixed(4)})` : ''}`,
  ];
  const changed = result.changed_files.length > 0 ? `changed: ${result.changed_files.join(', ')}` : 'no files changed';
  const error = result.error ? `\n${paint('red', result.error)}` : '';
  const resume = result.status === 'success' ? '' : `\nsession saved; continue with: sprout run --resume ${result.session_id}`;
  return `${paint('bold', '─'.repeat(3))} ${parts.join(' · ')}\n${changed}${error}${resume}`;
}
