// Choosing the renderer for a run. When stdout carries machine output (sprout's JSON Lines events or
// Claude's stream-json), people get short progress lines on stderr instead of the streamed text;
// otherwise human text on stderr, live (spinner, in-place tool lines) on a terminal and plain elsewhere.
import type { AgentEvent } from '../agent/events.js';
import { inGithubActions } from '../render/github-commands.js';
import { createJsonLinesRenderer } from '../render/json-lines.js';
import { createStreamJsonRenderer } from '../render/stream-json.js';
import { createTerminalRenderer } from '../render/terminal.js';
import type { OutputFormat } from './output-formats.js';

export interface RendererChoice {
  json: boolean;
  /** Which machine format when `json` is set (default `json`). */
  format?: OutputFormat;
  /** The run's session id at the time a line is written. */
  sessionId?: () => string;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

type Tty = { isTTY?: boolean; columns?: number };

/** Whether stdout is for programs (any machine format), so people are served on stderr only. */
export function stdoutIsMachineOutput(choice: RendererChoice): boolean {
  return choice.json;
}

export function createRenderer(choice: RendererChoice): (event: AgentEvent) => void {
  const github = inGithubActions(choice.env);
  if (stdoutIsMachineOutput(choice)) {
    const machine = (choice.format === 'stream-json' ? createStreamJsonRenderer : createJsonLinesRenderer)(choice.stdout, choice.sessionId);
    const progress = createTerminalRenderer(choice.stderr, { color: false, showText: false, turnLines: !github, github });
    return (event) => {
      machine(event);
      progress(event);
    };
  }
  const live = wantsLive(choice.stderr, choice.env);
  const columns = live ? () => (choice.stderr as Tty).columns : undefined;
  return createTerminalRenderer(choice.stderr, { color: wantsColor(choice.stderr, choice.env), live, columns, github });
}

/** Colour only on a terminal, never on CI logs unless forced (NO_COLOR / FORCE_COLOR conventions). */
function wantsColor(stream: NodeJS.WritableStream, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return Boolean((stream as Tty).isTTY) && env.TERM !== 'dumb';
}

/** The live view redraws with escape codes: only on a real terminal, and never with NO_COLOR. */
export function wantsLive(stream: NodeJS.WritableStream, env: NodeJS.ProcessEnv): boolean {
  return Boolean((stream as Tty).isTTY) && env.TERM !== 'dumb' && !env.NO_COLOR;
}
