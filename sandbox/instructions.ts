// Project instruction files (AGENTS.md, else CLAUDE.md) from the repository root down to the
// working directory. They are read on the host, above the sandbox root, so each one is opened only
// when it is a regular file (never a link, FIFO or device) and read no further than the budget.
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';

/** One instruction file as it goes into the system prompt. */
export interface InstructionFile {
  /** Path relative to the repository root (or to the working directory outside a repository). */
  relativePath: string;
  text: string;
  /** True when the file was cut to fit the byte budget. */
  cut: boolean;
  /** The file's full size in bytes. */
  size: number;
}

/** Names looked for at each level, in order of preference: the first that exists is used. */
export const INSTRUCTION_NAMES = ['AGENTS.md', 'CLAUDE.md'] as const;

/**
 * The instruction files that apply to `cwd` (a real path): one per directory from the nearest
 * ancestor holding `.git` down to `cwd`, root first, within `maxBytes` in total.
 */
export async function readInstructionFiles(cwd: string, maxBytes: number): Promise<InstructionFile[]> {
  const top = (await findRepositoryTop(cwd)) ?? cwd;
  const files: InstructionFile[] = [];
  let budget = maxBytes;
  for (const dir of levelsBetween(top, cwd)) {
    if (budget <= 0) break;
    const found = await readFirstRegular(dir, budget);
    if (!found) continue;
    budget -= Buffer.byteLength(found.text);
    files.push({ ...found, relativePath: path.relative(top, path.join(dir, found.name)) });
  }
  return files;
}

/** The nearest directory at or above `dir` that holds a `.git` entry, if any. */
async function findRepositoryTop(dir: string): Promise<string | undefined> {
  for (let current = dir; ; current = path.dirname(current)) {
    if (await fs.lstat(path.join(current, '.git')).then(() => true, () => false)) return current;
    if (path.dirname(current) === current) return undefined;
  }
}

/** `top`, then each directory below it on the way to `cwd`, ending with `cwd`. */
function levelsBetween(top: string, cwd: string): string[] {
  const parts = path.relative(top, cwd).split(path.sep).filter(Boolean);
  return [top, ...parts.map((_, i) => path.join(top, ...parts.slice(0, i + 1)))];
}

async function readFirstRegular(dir: string, budget: number): Promise<(Omit<InstructionFile, 'relativePath'> & { name: string }) | undefined> {
  for (const name of INSTRUCTION_NAMES) {
    const read = await readRegularFile(path.join(dir, name), budget);
    if (read) return { name, ...read };
  }
  return undefined;
}

/** Read at most `budget` bytes of a regular file; undefined for anything else or a missing file. */
async function readRegularFile(file: string, budget: number): Promise<Omit<InstructionFile, 'relativePath'> | undefined> {
  // O_NOFOLLOW and O_NONBLOCK: a planted symlink is not followed and a FIFO cannot block the run.
  const handle = await fs.open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => undefined);
  if (!handle) return undefined;
  try {
    const info = await handle.stat();
    if (!info.isFile()) return undefined;
    const length = Math.min(info.size, budget);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return { text: wholeCharacters(buffer.subarray(0, bytesRead)), cut: info.size > length, size: info.size };
  } finally {
    await handle.close();
  }
}

/** Decode, dropping a multi-byte character cut in half at the end. */
function wholeCharacters(bytes: Buffer): string {
  return new TextDecoder('utf-8').decode(bytes, { stream: true });
}
