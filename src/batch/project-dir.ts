// Which directories a batch task may work in. A task's directory is checked out or copied whole, so
// the file system root, a top-level system folder or the home folder (or a folder above it) would
// mean copying a machine: such a cwd is a mistake in the manifest, refused before any task starts.
import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, sep } from 'node:path';

/** Why `dir` (an existing directory) is not a project a task can run in; undefined when it is. */
export function notProjectReason(dir: string, home: string | undefined = homedir()): string | undefined {
  const real = realpathSync(dir);
  if (dirname(real) === real) return 'it is the root of the file system';
  if (dirname(real) === sep) return 'it is a top-level system folder';
  if (home) {
    const realHome = safeRealpath(home);
    if (real === realHome) return 'it is the home folder';
    if (realHome.startsWith(real + sep)) return 'it holds the home folder';
  }
  return undefined;
}

function safeRealpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
