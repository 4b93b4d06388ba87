// After a run: write what the command line asked for — the patch, a commit (on a branch), the
// markdown summary (also appended to $GITHUB_STEP_SUMMARY) — and record them in the result.
import { appendFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { RunResult } from '../agent/events.js';
import { finishEvidence } from './evidence-out.js';
import { commitChanges, writePatch } from './git-outputs.js';
import { commitMessage, summaryMarkdown } from './summary.js';

export interface OutputRequest {
  patchOut?: string;
  commit: boolean;
  branch?: string;
  summaryOut?: string;
  evidenceOut?: string;
  author: { name: string; email: string };
  /** The working directory, and the commit the run started from. */
  root: string;
  start: string | undefined;
  task: string | undefined;
  env: NodeJS.ProcessEnv;
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
    await finishEvidence(out, request);
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
  const markdown = summaryMarkdown(out, { patch: out.patch_file, branch: out.branch, commit: out.commit });
  if (request.summaryOut) {
    out.summary_file = resolve(request.summaryOut);
    await writeFile(out.summary_file, markdown);
  }
  if (request.env.GITHUB_STEP_SUMMARY) await appendFile(request.env.GITHUB_STEP_SUMMARY, `${markdown}\n`).catch(() => undefined);
  return out;
}
