// After a run: write what the command line asked for — the patch, a commit (on a branch), the
// markdown summary (also appended to $GITHUB_STEP_SUMMARY) — and record them in the result.
import { appendFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { RunResult } from '../agent/events.js';
import { commitChanges, writePatch } from './git-outputs.js';
import { commitMessage, summaryMarkdown } from './summary.js';
import { sessionReport } from '../report/session.js';
import { reportMarkdown } from '../report/markdown.js';

export interface OutputRequest {
  patchOut?: string;
  commit: boolean;
  branch?: string;
  summaryOut?: string;
  author: { name: string; email: string };
  /** The working directory, and the commit the run started from. */
  root: string;
  start: string | undefined;
  task: string | undefined;
  env: NodeJS.ProcessEnv;
  /** The session file: the summary is its full run report (per-turn table, diff stat). */
  sessionPath?: string;
}

/** Produce the requested outputs; returns the result with their locations (or an error) added. */
export async function writeOutputs(result: RunResult, request: OutputRequest): Promise<RunResult> {
  const out: RunResult = { ...result };
  try {
    if (request.patchOut) {
      const file = resolve(request.patchOut);
      await writePatch(request.root, request.start, file);
      out.patch_file = file;
    }
    // A commit is a claim that the work is done: only a successful run makes one.
    if ((request.commit || request.branch) && result.status === 'success') {
      const made = await commitChanges(request.root, {
        branch: request.branch,
        message: commitMessage(result.final_message, request.task),
        author: request.author,
      });
      if (made) Object.assign(out, made);
    }
  } catch (error) {
    out.status = 'error';
    out.error = `writing the run's outputs failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  const markdown = await runReportMarkdown(out, request);
  if (request.summaryOut) {
    out.summary_file = resolve(request.summaryOut);
    await writeFile(out.summary_file, markdown);
  }
  if (request.env.GITHUB_STEP_SUMMARY) await appendFile(request.env.GITHUB_STEP_SUMMARY, `${markdown}\n`).catch(() => undefined);
  return out;
}

/** The markdown report of the run: from the session's records when there are some, else the short summary. */
async function runReportMarkdown(result: RunResult, request: OutputRequest): Promise<string> {
  if (!request.summaryOut && !request.env.GITHUB_STEP_SUMMARY) return '';
  const short = (): string => summaryMarkdown(result, { patch: result.patch_file, branch: result.branch, commit: result.commit });
  if (!request.sessionPath) return short();
  const path = request.sessionPath;
  try {
    return reportMarkdown(await sessionReport(path, request.env, request.root), result);
  } catch {
    return short();
  }
}
