// Where tool output too long for the model's context is kept whole: one numbered file per cut
// result, next to the session file, readable by read_file by absolute path.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The folder for a session's kept outputs. */
export function spillDir(sessionsDirectory: string, sessionId: string): string {
  return join(sessionsDirectory, `${sessionId}.outputs`);
}

/** Make the folder now (the sandbox needs it to exist) and return the saver. */
export function createSpillStore(dir: string): (text: string) => Promise<string> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let next = 0;
  return async (text) => {
    const path = join(dir, `output-${Date.now()}-${next++}.txt`);
    writeFileSync(path, text, { mode: 0o600 });
    return path;
  };
}
