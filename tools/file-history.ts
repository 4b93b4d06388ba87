// Per-file edit history for undo_edit: the sandbox handed to tools is wrapped so that every write or
// delete a file tool makes first records what the file held (or that it did not exist). Changes made
// by shell commands are not recorded; git is the tool for those.
import type { Sandbox } from '../sandbox/types.js';

/** Snapshots of files before each tool write, newest last, keyed by real path. */
export class FileHistory {
  private readonly snapshots = new Map<string, Array<Buffer | null>>();

  constructor(private readonly raw: Sandbox) {}

  /** A sandbox that records each file's previous content before writing or removing it. */
  recording(): Sandbox {
    const raw = this.raw;
    const remember = async (path: string): Promise<void> => {
      const real = await raw.resolvePath(path);
      const previous = (await raw.stat(path))?.type === 'file' ? await raw.readFile(path) : null;
      const stack = this.snapshots.get(real) ?? [];
      stack.push(previous);
      this.snapshots.set(real, stack);
    };
    return Object.assign(Object.create(raw) as Sandbox, {
      async writeFile(path: string, data: string | Uint8Array) {
        await remember(path);
        return raw.writeFile(path, data);
      },
      async remove(path: string) {
        await remember(path);
        return raw.remove(path);
      },
    });
  }

  /** Put the file back as it was before its last recorded write; false when there is none. */
  async undo(path: string): Promise<{ restored: boolean; deleted: boolean; left: number }> {
    const real = await this.raw.resolvePath(path);
    const stack = this.snapshots.get(real);
    const previous = stack?.pop();
    if (previous === undefined) return { restored: false, deleted: false, left: 0 };
    if (previous === null) await this.raw.remove(path);
    else await this.raw.writeFile(path, previous);
    return { restored: true, deleted: previous === null, left: stack?.length ?? 0 };
  }
}
