// A real pseudo-terminal for tests: a command runs in a detached tmux pane on a private server
// socket; the test reads the screen (capture-pane) and the raw bytes written to it (pipe-pane).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './temp-repo.js';

export interface Pane {
  /** The visible screen now, as text. */
  screen(): string;
  /** Every byte the program wrote to the terminal so far, escape codes included. */
  raw(): string;
  /** Whether the program has exited. */
  exited(): boolean;
  close(): void;
}

const quote = (word: string): string => `'${word.replaceAll("'", `'\\''`)}'`;

/** Run `argv` with exactly `env` in a `width`x`height` terminal. */
export function startPane(argv: string[], env: Record<string, string | undefined>, size = { width: 120, height: 40 }): Pane {
  const dir = tempDir('sprout-tmux-');
  const socket = join(dir, 'sock');
  const log = join(dir, 'raw.log');
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-S', socket, ...args], { encoding: 'utf8' });
  const assignments = Object.entries(env)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([k, v]) => quote(`${k}=${v}`));
  // `env -i`: the pane sees only what the test passes, not the tmux server's or CI's environment.
  // The program waits for the `go` file, so that pipe-pane is recording before its first byte.
  const go = join(dir, 'go');
  const command = `while [ ! -e ${quote(go)} ]; do sleep 0.05; done; exec env -i ${[...assignments, ...argv.map(quote)].join(' ')}`;
  tmux('-f', '/dev/null', 'new-session', '-d', '-x', String(size.width), '-y', String(size.height), 'sh', '-c', command);
  tmux('set-option', '-w', '-t', '0', 'remain-on-exit', 'on');
  tmux('pipe-pane', '-o', `cat >> ${quote(log)}`);
  writeFileSync(go, '');
  return {
    screen: () => tmux('capture-pane', '-p'),
    raw: () => (existsSync(log) ? readFileSync(log, 'utf8') : ''),
    exited: () => tmux('display-message', '-p', '#{pane_dead}').trim() === '1',
    close: () => {
      try {
        tmux('kill-server');
      } catch {
        // already gone
      }
    },
  };
}
