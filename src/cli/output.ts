// Choosing the renderer for a run: JSON Lines on stdout with --json, else human text on stderr.
import type { AgentEvent } from '../agent/events.js';
import { createJsonLinesRenderer } from '../render/json-lines.js';
import { createStreamJsonRenderer } from '../render/stream-json.js';
import { createTerminalRenderer } from '../render/terminal.js';

/** What `sprout run` writes on stdout: nothing but the final answer, sprout's events, or Claude's stream-json. */
export type OutputFormat = 'text' | 'json' | 'stream-json';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'stream-json'];

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

export function createRenderer(choice: RendererChoice): (event: AgentEvent) => void {
  if (choice.json) {
    const json = (choice.format === 'stream-json' ? createStreamJsonRenderer : createJsonLinesRenderer)(choice.stdout, choice.sessionId);
    // Errors also go to stderr as a line for people reading CI logs.
    return (event) => {
      json(event);
      if (event.type === 'error') choice.stderr.write(`sprout: ${event.message}\n`);
    };
  }
  return createTerminalRenderer(choice.stderr, { color: wantsColor(choice.stderr, choice.env) });
}

/** Colour only on a terminal, never on CI logs unless forced (NO_COLOR / FORCE_COLOR conventions). */
function wantsColor(stream: NodeJS.WritableStream, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return Boolean((stream as { isTTY?: boolean }).isTTY) && env.TERM !== 'dumb';
}
