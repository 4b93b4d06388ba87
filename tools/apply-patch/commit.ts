// Writing a planned patch. Planning already proved every hunk applies, so what can still fail here
// is the file system (a read-only folder, a full disk). Then the files already changed are put back
// from their original bytes, so the patch stays all or nothing as far as the file system allows.
import type { Sandbox } from '../../sandbox/types.js';
import { ToolError } from '../define-tool.js';
import type { FileEffect } from './plan.js';

/** Apply every effect in order; on a failure restore those done, then throw a ToolError saying how that went. */
export async function commitPlan(effects: readonly FileEffect[], sandbox: Sandbox): Promise<void> {
  const done: FileEffect[] = [];
  for (const effect of effects) {
    try {
      await perform(sandbox, effect.path, effect.after);
    } catch (error) {
      const failures = await restore(done, sandbox);
      const verb = effect.after === undefined ? 'delete' : 'write';
      const outcome =
        done.length === 0
          ? 'No file was changed.'
          : failures.length === 0
            ? `The ${done.length} file(s) already changed were restored (${done.map((e) => e.path).join(', ')}); no file was changed.`
            : `Restoring failed for ${failures.join('; ')}: check these files by hand. The others were restored.`;
      throw new ToolError(`could not ${verb} ${effect.path}: ${reasonOf(error)}. ${outcome}`);
    }
    done.push(effect);
  }
}

async function perform(sandbox: Sandbox, path: string, content: string | Buffer | undefined): Promise<void> {
  if (content === undefined) await sandbox.remove(path);
  else await sandbox.writeFile(path, content);
}

/** Put back the original of each effect, newest first; returns "path (reason)" for each that failed. */
async function restore(done: readonly FileEffect[], sandbox: Sandbox): Promise<string[]> {
  const failures: string[] = [];
  for (const effect of [...done].reverse()) {
    try {
      await perform(sandbox, effect.path, effect.before);
    } catch (error) {
      failures.push(`${effect.path} (${reasonOf(error)})`);
    }
  }
  return failures;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
