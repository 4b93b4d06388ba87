// Process-level plumbing for the CLI: reading stdin, surviving a closed stdout or stderr, and turning
// SIGINT/SIGTERM into an abort so the run can stop cleanly and still write its result (a second
// signal exits at once).
import { EXIT } from './exit-codes.js';
import { watchBatchParent } from './parent-watch.js';

/** Read all of stdin as UTF-8. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A reader that went away (`sprout ... | head -1`) makes every later write fail with EPIPE, which
 * Node throws as an unhandled 'error' event. Nobody is left to read those lines, so they are
 * dropped, and a run goes on to finish its work and its session file.
 */
export function tolerateClosedOutput(streams: NodeJS.WritableStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
}

/**
 * Abort on the first SIGINT/SIGTERM, exit at once on the second. A batch's task also takes the
 * death of its batch for a SIGTERM (parent-watch.ts).
 */
export function installSignalHandlers(): { signal: AbortSignal; exitCode(): number; dispose(): void } {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (received) process.exit(signal === 'SIGTERM' ? 143 : EXIT.interrupted);
    received = signal;
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const parent = watchBatchParent(process.env, () => onSignal('SIGTERM'));
  return {
    signal: controller.signal,
    exitCode: () => (received === 'SIGTERM' ? 143 : EXIT.interrupted),
    dispose() {
      parent.dispose();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
