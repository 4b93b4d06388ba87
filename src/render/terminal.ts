// The human renderer: streamed assistant text, one line per tool call with outcome and duration, and
// a closing summary, all on stderr so stdout stays free for the final answer or for pipes.
import type { AgentEvent, RunResult } from '../agent/events.js';

export interface TerminalOptions {
  color: boolean;
}

const CODES = { dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], bold: [1, 22] } as const;

/** Writes events for a person to `err`. */
export function createTerminalRenderer(err: NodeJS.WritableStream, options: TerminalOptions): (event: AgentEvent) => void {
  const paint = (style: keyof typeof CODES, text: string): string =>
    options.color ? `\u001b[${CODES[style][0]}m${text}\u001b[${CODES[style][1]}m` : text;
  const calls = new Map<string, { name: string; arguments: string }>();
  let midLine = false; // whether streamed text left the cursor mid-line
  let streaming: 'text' | 'reasoning' | undefined;
  const line = (text: string): void => {
    if (midLine) err.write('\n');
    midLine = false;
    streaming = undefined;
    err.write(`${text}\n`);
  };
  const stream = (kind: 'text' | 'reasoning', text: string): void => {
    if (streaming !== kind && midLine) err.write('\n');
    streaming = kind;
    err.write(kind === 'reasoning' ? paint('dim', text) : text);
    midLine = !text.endsWith('\n');
  };

  return (event) => {
    switch (event.type) {
      case 'session': {
        const net = event.network ? ', network on' : ', no network';
        const mounts = [...(event.read_write ?? []).map((p) => `rw ${p}`), ...(event.read_only ?? []).map((p) => `ro ${p}`)];
        const where =
          event.sandbox === 'host'
            ? paint('yellow', 'NO SANDBOX: tools run directly on this machine')
            : `sandbox ${event.sandbox}${net}${mounts.length > 0 ? ` (+ ${mounts.join(', ')})` : ''}`;
        line(paint('dim', `sprout ${event.version} · ${event.model} · ${where} · ${event.cwd}`));
        break;
      }
      case 'text_delta':
        stream('text', event.text);
        break;
      case 'reasoning_delta':
        stream('reasoning', event.text);
        break;
      case 'assistant':
        if (midLine) line('');
        break;
      case 'tool_call':
        calls.set(event.id, { name: event.name, arguments: event.arguments });
        break;
      case 'tool_result': {
        const call = calls.get(event.id);
        const mark = event.ok ? paint('green', '✓') : paint('red', '✗');
        const summary = call ? summarizeArguments(call.arguments) : '';
        const failure = event.ok ? '' : paint('red', ` — ${firstLine(event.output)}`);
        line(`${mark} ${event.name}${summary ? ` ${summary}` : ''} ${paint('dim', `(${formatMs(event.duration_ms)})`)}${failure}`);
        break;
      }
      case 'retry':
        line(paint('yellow', `retrying in ${formatMs(event.wait_ms)} (attempt ${event.attempt}): ${event.message}`));
        // Text on screen cannot be taken back: say it is void, so the retried answer is not read as its continuation.
        if (event.discarded_chars) line(paint('yellow', '(the partial answer above was lost with the failed request; the retried answer starts over)'));
        break;
      case 'verification': {
        const counts = event.passed !== undefined ? ` (${event.passed} passed, ${event.failed ?? 0} failed)` : '';
        const verdict = event.ok ? paint('green', '✓ check passed') : paint('red', '✗ check failed');
        line(`${verdict}: ${event.command}${counts}`);
        break;
      }
      case 'proof': {
        const said = event.ok ? `reproduction failed on the base and passes now: ${event.reproduction.join('; ')}` : (event.reason ?? 'unproven');
        line(`${event.ok ? paint('green', '✓ fix proven') : paint('red', '✗ fix not proven')}: ${said}`);
        break;
      }
      case 'compaction':
        line(paint('dim', `compacted ${event.summarized_messages} older messages: ~${event.tokens_before.toLocaleString('en-US')} → ~${event.tokens_after.toLocaleString('en-US')} prompt tokens (${event.reason === 'context_length' ? 'the provider said the prompt was too long' : 'threshold'})`));
        break;
      case 'warning':
        line(paint('yellow', `warning: ${event.message}`));
        break;
      case 'error':
        line(paint('red', `error: ${event.message}`));
        break;
      case 'result':
        line(summarizeResult(event, paint));
        break;
      default:
        break;
    }
  };
}

/** The most telling argument of a call, shortened: a command, a path. */
export function summarizeArguments(raw: string): string {
  let args: Record<string, unknown>;
  try {
    args = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return '';
  }
  const value = args.command ?? args.path ?? args.pattern ?? Object.values(args).find((v) => typeof v === 'string');
  if (typeof value !== 'string') return '';
  const oneLine = value.replace(/\s+/g, ' ').trim();
  return oneLine.length > 80 ? `${oneLine.slice(0, 77)}...` : oneLine;
}

function summarizeResult(result: RunResult, paint: (style: keyof typeof CODES, text: string) => string): string {
  const { usage } = result;
  const total = usage.prompt_tokens + usage.completion_tokens;
  const cachedShare = usage.prompt_tokens > 0 ? Math.round((100 * usage.cached_tokens) / usage.prompt_tokens) : 0;
  const status = result.status === 'success' ? paint('green', 'success') : paint('red', result.status);
  const parts = [
    `${status} after ${result.num_turns} turn${result.num_turns === 1 ? '' : 's'} in ${formatMs(result.duration_ms)}`,
    `${total.toLocaleString('en-US')} tokens (${usage.prompt_tokens.toLocaleString('en-US')} in, ${cachedShare}% cached; ${usage.completion_tokens.toLocaleString('en-US')} out)`,
    `cost ${result.cost.amount.toFixed(4)} ${result.cost.currency}${result.cost.saved_by_cache ? ` (cache saved ${result.cost.saved_by_cache.toFixed(4)})` : ''}`,
  ];
  const changed = result.changed_files.length > 0 ? `changed: ${result.changed_files.join(', ')}` : 'no files changed';
  const error = result.error ? `\n${paint('red', result.error)}` : '';
  const resume = result.status === 'success' ? '' : `\nsession saved; continue with: sprout run --resume ${result.session_id}`;
  return `${paint('bold', '─'.repeat(3))} ${parts.join(' · ')}\n${changed}${error}${resume}`;
}

function firstLine(text: string): string {
  const first = text.split('\n', 1)[0] ?? '';
  return first.length > 120 ? `${first.slice(0, 117)}...` : first;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
