// Choosing the renderer for a run: JSON Lines on stdout with --json, else human text on stderr.
import type { AgentEvent } from '../agent/events.js';
import { createJsonLinesRenderer } from '../render/json-lines.js';
import { createTerminalRenderer } from '../render/terminal.js';

export interface RendererChoice {
  json: boolean;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export function createRenderer(choice: RendererChoice): (event: AgentEvent) => void {
  if (choice.json) {
    const json = createJsonLinesRenderer(choice.stdout);
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
