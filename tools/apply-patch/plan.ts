// Planning a patch: read every file it touches and compute every new content in memory, so that
// nothing is written unless every operation of the patch applies. Later operations see the
// results of earlier ones (an Update after an Add of the same path, a Delete then an Add).
import type { Sandbox } from '../../sandbox/types.js';
import { ToolError } from '../define-tool.js';
import { decodeFile, encodeFile, type FileText } from '../text/file-text.js';
import { applyHunks } from './hunks.js';
import type { FileOp } from './parser.js';

/** What the patch does to one path: its original bytes (for restoring) and its new text. */
export interface FileEffect {
  /** The path as the patch gave it. */
  path: string;
  /** The content before the patch; undefined when the file did not exist. */
  before: Buffer | undefined;
  /** The content after the patch, in the file's own encoding and line breaks; undefined when the patch deletes the file. */
  after: Buffer | undefined;
}

/** One operation of the patch as the summary reports it. */
export interface OpSummary {
  kind: 'add' | 'update' | 'delete' | 'move';
  path: string;
  /** The new path of a move. */
  to?: string;
  added: number;
  removed: number;
  /** Hunks that matched only loosely. */
  loose: string[];
}

/** Everything to write, and what to tell about it. */
export interface PatchPlan {
  /** Writes first, then deletions, so a failed write leaves nothing deleted. */
  effects: FileEffect[];
  summary: OpSummary[];
}

/** A path's state during planning: as on disk at first, then as the operations so far left it. */
interface Entry {
  path: string;
  before: Buffer | undefined;
  /** How `before` was decoded (its encoding and line breaks); undefined for a new file. */
  file?: FileText;
  /** Why the file cannot be edited (it is binary); it may still be deleted. */
  refusal?: string;
  /** The decoded text of `before`, to tell whether the patch changed it. */
  original?: string;
  now: string | undefined;
}

/** The files as the patch would leave them, keyed by real path so two spellings of one file agree. */
class Overlay {
  private readonly entries = new Map<string, Entry>();
  constructor(private readonly sandbox: Sandbox) {}

  /** The entry of `path`, read from the sandbox the first time (throws PathOutsideError). */
  async entry(path: string): Promise<Entry> {
    const key = await this.sandbox.resolvePath(path);
    const known = this.entries.get(key);
    if (known) return known;
    const info = await this.sandbox.stat(path);
    if (info && info.type !== 'file') throw new ToolError(`${path} is a ${info.type === 'directory' ? 'directory' : 'special file'}, not a file`);
    const before = info ? await this.sandbox.readFile(path) : undefined;
    const entry: Entry = { path, before, now: undefined };
    if (before) {
      try {
        entry.file = decodeFile(path, before);
        entry.now = entry.original = entry.file.text;
      } catch (error) {
        // Kept as existing (Add refuses it, Delete removes it); Update refuses it with this reason.
        entry.refusal = error instanceof Error ? error.message : String(error);
        entry.now = '';
      }
    }
    this.entries.set(key, entry);
    return entry;
  }

  /** The entries whose content changes, encoded as each file was; writes before deletions. */
  effects(): FileEffect[] {
    const changed = [...this.entries.values()].filter((e) => (e.refusal ? e.now === undefined : e.now !== e.original));
    const effect = (e: Entry): FileEffect => ({ path: e.path, before: e.before, after: e.now === undefined ? undefined : encodeFile(e.path, e.file ?? NEW_FILE, e.now) });
    return [...changed.filter((e) => e.now !== undefined), ...changed.filter((e) => e.now === undefined)].map(effect);
  }
}

// A file the patch creates: UTF-8 with LF breaks.
const NEW_FILE: FileText = { text: '', encoding: 'utf8', crlf: false };

/** Compute the whole patch in memory; throws ToolError at the first operation that cannot apply. */
export async function planPatch(ops: readonly FileOp[], sandbox: Sandbox): Promise<PatchPlan> {
  const overlay = new Overlay(sandbox);
  const summary: OpSummary[] = [];
  for (const op of ops) {
    const entry = await overlay.entry(op.path);
    const where = `(patch line ${op.patchLine})`;
    if (op.kind === 'add') {
      if (entry.now !== undefined) throw new ToolError(`cannot add ${op.path} ${where}: it already exists; use *** Update File to change it`);
      entry.now = op.lines.length === 0 ? '' : `${op.lines.join('\n')}\n`;
      // A new file (also one added after deleting the old) is UTF-8 with LF breaks.
      [entry.file, entry.refusal] = [undefined, undefined];
      summary.push({ kind: 'add', path: op.path, added: op.lines.length, removed: 0, loose: [] });
    } else if (op.kind === 'delete') {
      if (entry.now === undefined) throw new ToolError(`cannot delete ${op.path} ${where}: it does not exist`);
      summary.push({ kind: 'delete', path: op.path, added: 0, removed: lineCount(entry.now), loose: [] });
      entry.now = undefined;
    } else {
      summary.push(await planUpdate(op, entry, overlay, where));
    }
  }
  return { effects: overlay.effects(), summary };
}

async function planUpdate(op: Extract<FileOp, { kind: 'update' }>, entry: Entry, overlay: Overlay, where: string): Promise<OpSummary> {
  if (entry.now === undefined) {
    throw new ToolError(`cannot update ${op.path} ${where}: it does not exist; use *** Add File to create it`);
  }
  if (entry.refusal) throw new ToolError(`cannot update ${op.path} ${where}: ${entry.refusal}`);
  const updated = await applyHunks(op.path, entry.now, op.hunks);
  const target = op.moveTo === undefined ? entry : await overlay.entry(op.moveTo);
  if (target === entry) {
    entry.now = updated.text;
    return { kind: 'update', path: op.path, added: updated.added, removed: updated.removed, loose: updated.loose };
  }
  if (target.now !== undefined) {
    throw new ToolError(`cannot move ${op.path} to ${op.moveTo} ${where}: ${op.moveTo} already exists; delete it first or pick another name`);
  }
  target.now = updated.text;
  target.file = entry.file;
  entry.now = undefined;
  return { kind: 'move', path: op.path, to: op.moveTo, added: updated.added, removed: updated.removed, loose: updated.loose };
}

function lineCount(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}
