// The Sandbox interface: the only way tools reach files and processes. Backends (host, bwrap)
// implement it; tools never import fs or child_process themselves.

/** Options of one process run on the model's behalf. */
export interface ExecOptions {
  /** Working directory, relative to the sandbox root (default: the root). Confined like any path. */
  cwd?: string;
  /** Kill the whole process tree after this many milliseconds. */
  timeoutMs: number;
  /** Aborting kills the whole process tree at once. */
  signal?: AbortSignal;
  /** Bytes of output kept in memory (head and tail); the rest is drained and counted. */
  maxOutputBytes: number;
}

/** What a finished process left: its combined output (stdout and stderr interleaved) and status. */
export interface ExecResult {
  /** Exit code, or null when the process was killed by a signal. */
  exitCode: number | null;
  /** The signal that ended the process, if any. */
  signal: string | null;
  /** Interleaved stdout and stderr, decoded as UTF-8 (invalid bytes replaced), cut in the middle past the cap. */
  output: string;
  /** Total bytes the process wrote, kept or not. */
  totalBytes: number;
  /** Bytes dropped from the middle of `output` because of the cap. */
  omittedBytes: number;
  /** True when the timeout killed the process. */
  timedOut: boolean;
  /** True when the abort signal killed the process. */
  aborted: boolean;
  durationMs: number;
}

/** What stat tells about a path. */
export interface FileInfo {
  type: 'file' | 'directory' | 'other';
  size: number;
  mtimeMs: number;
}

/** One entry of a directory listing. */
export interface DirEntry {
  name: string;
  type: 'file' | 'directory' | 'symlink' | 'other';
}

/** Which backend runs processes: `bwrap` (confined) or `host` (the `--sandbox none` mode). */
export type SandboxKind = 'bwrap' | 'host';

/** File and process access confined to one working directory. */
export interface Sandbox {
  readonly kind: SandboxKind;
  /** The working directory's real path (symlinks resolved). */
  readonly root: string;
  /** What the backend mounted of the host beyond its fixed layout, for the session header (e.g. toolchains on PATH). */
  readonly toolchains?: readonly string[];
  /**
   * Resolve a path given by the model (absolute or relative to the root) to a real absolute path
   * inside the root, following symlinks of every existing component. Throws PathOutsideError.
   */
  resolvePath(path: string): Promise<string>;
  /**
   * Read a regular file (path as for resolvePath). FIFOs, sockets and devices throw
   * UnsupportedFileError before they are opened, and so does a file too large, before it is read.
   */
  readFile(path: string): Promise<Buffer>;
  /**
   * Write a regular file, creating missing parent directories (path as for resolvePath); the new
   * content replaces the old one at once (temp file and rename), keeping its mode. Throws
   * PathChangedError when a directory on the way is swapped for a symlink meanwhile.
   */
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
  /** True when the path exists (path as for resolvePath). */
  exists(path: string): Promise<boolean>;
  /** Kind, size and modification time of a path, or undefined when it does not exist. */
  stat(path: string): Promise<FileInfo | undefined>;
  /** The entries of a directory, sorted by name. */
  listDir(path: string): Promise<DirEntry[]>;
  /** Delete a file (not a directory; never the root). */
  remove(path: string): Promise<void>;
  /** Run a shell command line with bash, stdin closed, in a scrubbed environment. */
  exec(command: string, options: ExecOptions): Promise<ExecResult>;
  /**
   * A hint that commands may come soon (the model is thinking): start ahead what they need, so a
   * call does not wait for it. Optional, and never required for exec to work.
   */
  warm?(): void;
  /** Release what the backend holds (kill leftover processes). */
  close(): Promise<void>;
}

/** A path resolved outside the sandbox root. The model's fault: tools turn it into an error result. */
export class PathOutsideError extends Error {
  constructor(
    readonly requested: string,
    readonly root: string,
  ) {
    super(`path ${JSON.stringify(requested)} is outside the working directory ${root}; use a path inside it`);
    this.name = 'PathOutsideError';
  }
}

/**
 * The confining backend cannot run on this machine (bwrap missing, user namespaces refused, mounts
 * forbidden inside a container). The environment's fault: the run must not start, and never falls
 * back to running unconfined on its own. The message names the cause and every fix.
 */
export class SandboxUnavailableError extends Error {
  constructor(
    /** What went wrong, in one sentence (e.g. "bwrap was not found on PATH=..."). */
    readonly reason: string,
    /** What the user can do, most likely first; the last is always running without the sandbox. */
    readonly fixes: readonly string[],
  ) {
    super(`the bwrap sandbox cannot run: ${reason}\nTo fix it, do one of:\n${fixes.map((fix) => `  - ${fix}`).join('\n')}`);
    this.name = 'SandboxUnavailableError';
  }
}

/**
 * A path that changed while a file tool was opening it: a directory on the way (or the file itself)
 * became a symlink or vanished, as when another call of the same turn swaps it. The model's fault,
 * or a race it set up: nothing was read or written, and the tool answers an error.
 */
export class PathChangedError extends Error {
  constructor(readonly requested: string) {
    super(`${requested} changed while sprout was opening it (a directory on the way was replaced by a symlink or removed); nothing was read or written: try again once nothing else is changing it`);
    this.name = 'PathChangedError';
  }
}

/**
 * A file the file tools will not touch: a FIFO, socket or device (opening one could block or never
 * end), or a regular file too large to read into memory. The model's fault: the tool answers an error.
 */
export class UnsupportedFileError extends Error {
  constructor(
    readonly requested: string,
    reason: string,
  ) {
    super(`${requested} ${reason}`);
    this.name = 'UnsupportedFileError';
  }
}
