// Where a run's task comes from: the TASK argument, stdin ('-'), or an issue file (markdown/text or a
// GitHub `issues` / `issue_comment` event payload).
import { readFile } from 'node:fs/promises';
import { InputError, UsageError } from '../errors.js';

export interface TaskSources {
  /** The positional TASK: text, or '-' for stdin. */
  task?: string;
  /** --issue FILE, or '-' for stdin. */
  issue?: string;
  readStdin: () => Promise<string>;
}

/** Build the task text for the model; throws UsageError/InputError with what to do. */
export async function resolveTask(sources: TaskSources): Promise<string> {
  if (sources.task === '-' && sources.issue === '-') {
    throw new UsageError("TASK and --issue cannot both read stdin ('-'); pass one of them as a file or text");
  }
  const extra = sources.task === '-' ? await sources.readStdin() : sources.task;
  if (sources.issue !== undefined) {
    const raw = sources.issue === '-' ? await sources.readStdin() : await readIssueFile(sources.issue);
    const issueTask = frameIssue(parseIssue(raw));
    return extra?.trim() ? `${issueTask}\n\nAdditional instructions:\n${extra.trim()}` : issueTask;
  }
  if (!extra?.trim()) {
    throw new UsageError("no task: pass TASK as text, '-' to read it from stdin, or --issue FILE");
  }
  return extra.trim();
}

async function readIssueFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new InputError(`cannot read the issue file ${path}: ${reason}; pass a readable markdown or GitHub event JSON file`);
  }
}

/** An issue's words: a GitHub event payload's title, body and comment, or the text as it is. */
export function parseIssue(raw: string): { title?: string; body: string } {
  const trimmed = raw.trim();
  if (trimmed.startsWith('{')) {
    let event: unknown;
    try {
      event = JSON.parse(trimmed);
    } catch {
      return { body: trimmed }; // markdown that happens to start with a brace
    }
    const payload = event as { issue?: { title?: string; body?: string | null }; comment?: { body?: string | null } };
    if (!payload.issue) {
      throw new InputError('the issue file is JSON but not a GitHub issues or issue_comment event (no "issue" field)');
    }
    const body = [payload.issue.body ?? '', payload.comment?.body ? `Comment:\n${payload.comment.body}` : '']
      .filter((part) => part.trim() !== '')
      .join('\n\n');
    return { title: payload.issue.title, body };
  }
  if (trimmed === '') throw new InputError('the issue file is empty; describe the problem in it');
  return { body: trimmed };
}

function frameIssue(issue: { title?: string; body: string }): string {
  return [
    'Resolve the issue below in this repository: reproduce the problem, fix it, run the tests, and',
    'finish with a short summary of the cause and the change.',
    '',
    issue.title ? `# ${issue.title}\n\n${issue.body}` : issue.body,
  ].join('\n');
}
