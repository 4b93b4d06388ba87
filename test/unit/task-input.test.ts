// Where a task comes from: text, stdin, markdown issues and GitHub event payloads.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIssue, resolveTask } from '../../src/cli/task-input.js';
import { tempDir } from '../helpers/temp-repo.js';

const noStdin = async () => {
  throw new Error('stdin was not expected to be read');
};

describe('task input', () => {
  it('reads a GitHub issue_comment event into title, body and comment', () => {
    const event = { action: 'created', issue: { title: 'Crash on empty input', body: 'Steps: run it' }, comment: { body: '@sprout please fix' } };
    expect(parseIssue(JSON.stringify(event))).toEqual({ title: 'Crash on empty input', body: 'Steps: run it\n\nComment:\n@sprout please fix' });
  });

  it('refuses JSON that is not an issue event', () => {
    expect(() => parseIssue('{"pull_request": {}}')).toThrow(/not a GitHub issues or issue_comment event/);
  });

  it('frames an issue file as an issue to resolve and appends extra instructions', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'issue.md'), 'The parser drops the last line.\n');
    const task = await resolveTask({ issue: join(dir, 'issue.md'), task: 'Keep the public API.', readStdin: noStdin });
    expect(task).toContain('reproduce the problem, fix it, run the tests');
    expect(task).toContain('The parser drops the last line.');
    expect(task.endsWith('Additional instructions:\nKeep the public API.')).toBe(true);
  });

  it("reads the task from stdin for '-'", async () => {
    expect(await resolveTask({ task: '-', readStdin: async () => '  fix it \n' })).toBe('fix it');
  });

  it("refuses two readers of stdin", async () => {
    await expect(resolveTask({ task: '-', issue: '-', readStdin: noStdin })).rejects.toThrow(/cannot both read stdin/);
  });
});
