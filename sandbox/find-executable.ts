// Finding a program on a PATH value the way a shell would, without running anything.
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** The first executable regular file called `name` in `searchPath`; empty entries (the current directory) are skipped on purpose. */
export async function findExecutable(name: string, searchPath: string): Promise<string | undefined> {
  for (const dir of searchPath.split(':')) {
    if (!dir.startsWith('/')) continue;
    const candidate = path.join(dir, name);
    try {
      await fs.access(candidate, fs.constants.X_OK);
      if ((await fs.stat(candidate)).isFile()) return candidate;
    } catch {
      // Not here; keep looking.
    }
  }
  return undefined;
}
