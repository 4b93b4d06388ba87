// After a run: write what the command line asked for — the patch, a commit (on a branch), the
// markdown summary (also appended to $GITHUB_STEP_SUMMARY) — and record them in the result. An
// output that cannot be written fails the run but never replaces its result: turns, usage, cost
// and changed files stay what they were, and the error names the file and what to do.
import { statSync } from 'node:fs';
import { appendFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { gitNotes, type GitDoor } from '../../sandbox/git.js';
import type { RunResult } from '../agent/events.js';
import { finishEvidence } from './evidence-out.js';
import { commitChanges, diffSince } from './git-outputs.js';
import { commitMessage, summaryMarkdown } from './summary.js';
import { sessionReport } from '../report/session.js';
import { reportMarkdown } from '../report/markdown.js';

export interface OutputRequest {
  patchOut?: string;
  commit: boolean;
  branch?: string;
  summaryOut?: string;
  evidenceOut?: string;
  author: { name: string; email: string };
  /** The run's host-side git door (its working directory), and the commit the run started from. */
  door: GitDoor;
  start: string | undefined;
  task: string | undefined;
  env: NodeJS.ProcessEnv;
  /** The session file: the summary is its full run report (per-turn table, diff stat). */
  sessionPath?: string;
}

/** Produce the requested outputs; returns the result with their locations (or an error) added. Never throws. */
export async function writeOutputs(result: RunResult, request: OutputRequest): Promise<RunResult> {
  const out: RunResult = { ...result };
  if (request.patchOut) {
    const file = resolve(request.patchOut);
    const patch = await diffSince(request.door, request.start).catch((error: unknown) => {
      fail(out, `computing the diff for --patch-out failed: ${messageOf(error)}`);
      return undefined;
    });
    if (patch !== undefined) {
      try {
        await writeFile(file, patch);
        out.patch_file = file;
      } catch (error) {
        fail(out, outputProblem('--patch-out', file, error));
      }
    }
  }
  await finishEvidence(out, request).catch((error: unknown) => fail(out, `writing the evidence failed: ${messageOf(error)}`));
  // A commit is a claim that the work is done: only a successful run makes one.
  if ((request.commit || request.branch) && out.status === 'success') {
    try {
      const made = await commitChanges(request.door, {
        branch: request.branch,
        message: commitMessage(result.final_message, request.task),
        author: request.author,
      });
      if (made) Object.assign(out, made);
    } catch (error) {
      fail(out, `committing the changes failed: ${messageOf(error)}`);
    }
  }
  // What the door switched off while writing the outputs joins what it switched off during the run.
  const doorNotes = gitNotes(request.door);
  const notes = [...doorNotes, ...(out.git_notes ?? []).filter((note) => !doorNotes.includes(note) && !note.startsWith('host-side git ignored'))];
  if (notes.length > 0) out.git_notes = notes;
  const report = await runReportMarkdown(out, request);
  const markdown = (): string => report;
  if (request.summaryOut) {
    const file = resolve(request.summaryOut);
    try {
      await writeFile(file, markdown());
      out.summary_file = file;
    } catch (error) {
      fail(out, outputProblem('--summary-out', file, error));
    }
  }
  if (request.env.GITHUB_STEP_SUMMARY) await appendFile(request.env.GITHUB_STEP_SUMMARY, `${markdown()}\n`).catch(() => undefined);
  return out;
}

/** Mark the result failed, keeping any error the run already had. */
function fail(out: RunResult, problem: string): void {
  out.status = 'error';
  out.error = out.error ? `${out.error}; ${problem}` : problem;
}

/** Why `file` (given as `flag`) could not be written, and what to do about it. */
export function outputProblem(flag: string, file: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const why =
    code === 'ENOENT' ? `the folder ${dirname(file)} does not exist; create it or pass another path`
    : code === 'ENOTDIR' ? `${nearestFile(file)} is not a folder; pass another path`
    : code === 'EACCES' || code === 'EPERM' ? 'permission denied; pass a path you can write'
    : code === 'EISDIR' ? 'it is a folder; pass a file path'
    : code === 'ENOSPC' ? 'the disk is full; free some space or pass a path on another disk'
    : `${messageOf(error)}; pass another path`;
  return `cannot write ${flag} ${file}: ${why} (the run's work is kept; its session and changes are unaffected)`;
}

/** The ancestor of `file` that exists but is not a folder (what ENOTDIR is about). */
function nearestFile(file: string): string {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const info = statOrUndefined(dir);
    if (info) return info.isDirectory() ? dirname(file) : dir;
  }
  return dirname(file);
}

function statOrUndefined(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined; // missing, or under a file itself: look further up
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The markdown report of the run: from the session's records when there are some, else the short summary. */
async function runReportMarkdown(result: RunResult, request: OutputRequest): Promise<string> {
  if (!request.summaryOut && !request.env.GITHUB_STEP_SUMMARY) return '';
  const short = (): string => summaryMarkdown(result, { patch: result.patch_file, branch: result.branch, commit: result.commit });
  if (!request.sessionPath) return short();
  const path = request.sessionPath;
  try {
    return reportMarkdown(await sessionReport(path, request.env, request.door.root), result);
  } catch {
    return short();
  }
}
