// Batch manifests and --dirs: JSON, JSONL and YAML give the same tasks with paths resolved against
// the manifest's folder; every kind of mistake is an InputError naming the file, task and field.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tasksFromDirs } from '../../src/batch/dirs.js';
import { loadManifest } from '../../src/batch/manifest.js';
import { isSafeName, toSafeName } from '../../src/batch/names.js';
import { InputError } from '../../src/errors.js';
import { tempDir } from '../helpers/temp-repo.js';

function fixture(): string {
  const dir = tempDir('sprout-manifest-');
  for (const sub of ['a', 'b', 'pkgs/x/util', 'pkgs/y/util', 'pkgs/z']) mkdirSync(join(dir, sub), { recursive: true });
  writeFileSync(join(dir, 'issue.md'), '# Bug\n');
  return dir;
}

function write(dir: string, name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('batch manifests', () => {
  it('JSON, JSONL and YAML manifests give the same tasks, paths relative to the manifest', () => {
    const dir = fixture();
    const tasks = [
      { id: 'a', cwd: 'a', prompt: 'do a', model: 'm1', max_cost: 0.5 },
      { id: 'b', cwd: 'b', issue: 'issue.md' },
    ];
    const expected = [
      { id: 'a', cwd: join(dir, 'a'), prompt: 'do a', model: 'm1', maxCost: 0.5, issue: undefined },
      { id: 'b', cwd: join(dir, 'b'), prompt: undefined, model: undefined, maxCost: undefined, issue: join(dir, 'issue.md') },
    ];
    expect(loadManifest(write(dir, 'm.json', JSON.stringify(tasks)))).toEqual(expected);
    expect(loadManifest(write(dir, 'm2.json', JSON.stringify({ tasks })))).toEqual(expected);
    expect(loadManifest(write(dir, 'm.jsonl', `${tasks.map((t) => JSON.stringify(t)).join('\n\n')}\n`))).toEqual(expected);
    const yaml = 'tasks:\n  - id: a\n    cwd: a\n    prompt: do a\n    model: m1\n    max_cost: 0.5\n  - {id: b, cwd: b, issue: issue.md}\n';
    expect(loadManifest(write(dir, 'm.yaml', yaml))).toEqual(expected);
  });

  it('a task with no cwd works in the manifest folder', () => {
    const dir = fixture();
    expect(loadManifest(write(dir, 'm.yml', '- {id: here, prompt: x}\n'))[0]!.cwd).toBe(dir);
  });

  it('rejects mistakes with the file, the task number and id, and the field', () => {
    const dir = fixture();
    const cases: Array<[string, string, RegExp]> = [
      ['unknown.json', JSON.stringify([{ id: 'a', cwd: 'a', prompt: 'x', 'max-cost': 1 }]), /unknown\.json: task 1 \(id "a"\): \(task\): Unrecognized key: "max-cost"/],
      ['cost.json', JSON.stringify([{ id: 'a', cwd: 'a', prompt: 'x', max_cost: 0 }]), /task 1 \(id "a"\): max_cost: /],
      ['noprompt.json', JSON.stringify([{ id: 'a', cwd: 'a', prompt: '  ' }]), /task 1 \(id "a"\): prompt: /],
      ['badid.json', JSON.stringify([{ id: '../x', cwd: 'a', prompt: 'x' }]), /task 1 \(id "\.\.\/x"\): id: must be 1-100 letters/],
      ['noid.json', JSON.stringify([{ cwd: 'a', prompt: 'x' }]), /task 1: id: /],
      ['dup.json', JSON.stringify([{ id: 'a', prompt: 'x' }, { id: 'b', prompt: 'x' }, { id: 'a', prompt: 'y' }]), /tasks 1 and 3 have the same id "a"/],
      ['nodir.json', JSON.stringify([{ id: 'a', cwd: 'nope', prompt: 'x' }]), /nodir\.json: task 1 \(id "a"\): cwd: .*nope is not a directory/],
      ['noissue.json', JSON.stringify([{ id: 'a', cwd: 'a', issue: 'gone.md' }]), /issue: .*gone\.md does not exist/],
      ['empty.yaml', 'tasks: []\n', /empty\.yaml lists no tasks/],
      ['shape.yaml', 'id: a\n', /expected a list of tasks/],
      ['broken.json', '[{', /broken\.json is not valid JSON/],
      ['broken.yaml', 'tasks: [\n', /broken\.yaml is not valid YAML/],
      ['broken.jsonl', '{"id":"a","prompt":"x"}\nnot json\n', /broken\.jsonl line 2 is not valid JSON/],
      ['lines.jsonl', '{"id":"a","prompt":"x"}\n\n{"id":"b"}\n', /line 3 \(id "b"\): prompt: a task needs a prompt or an issue/],
    ];
    for (const [name, text, message] of cases) {
      const error = errorOf(() => loadManifest(write(dir, name, text)));
      expect(error, name).toBeInstanceOf(InputError);
      expect(error.message, name).toMatch(message);
    }
    expect(errorOf(() => loadManifest(join(dir, 'absent.yaml'))).message).toMatch(/manifest .*absent\.yaml does not exist/);
  });
});

describe('batch --dirs', () => {
  it('makes one task per directory, ids from their names, sorted', async () => {
    const dir = fixture();
    const tasks = await tasksFromDirs({ pattern: '{a,b}', base: dir, prompt: 'p' });
    expect(tasks).toEqual([
      { id: 'a', cwd: join(dir, 'a'), prompt: 'p', issue: undefined },
      { id: 'b', cwd: join(dir, 'b'), prompt: 'p', issue: undefined },
    ]);
  });

  it('uses whole relative paths as ids when two directories share a name', async () => {
    const dir = fixture();
    const tasks = await tasksFromDirs({ pattern: 'pkgs/*/util', base: dir, issue: 'issue.md' });
    expect(tasks.map((t) => t.id)).toEqual(['pkgs-x-util', 'pkgs-y-util']);
    expect(tasks[0]!.issue).toBe(join(dir, 'issue.md'));
  });

  it('refuses a pattern that matches no directory, and a missing issue file', async () => {
    const dir = fixture();
    await expect(tasksFromDirs({ pattern: 'nothing/*', base: dir, prompt: 'p' })).rejects.toThrow(/matched no directory/);
    await expect(tasksFromDirs({ pattern: 'a', base: dir, issue: 'gone.md' })).rejects.toBeInstanceOf(InputError);
  });
});

describe('batch names', () => {
  it('accepts names that make valid branches and files, and repairs others', () => {
    for (const ok of ['a', 'p1', 'my.pkg_2-x']) expect(isSafeName(ok), ok).toBe(true);
    for (const bad of ['', '-a', 'a/b', 'a..b', 'a.', 'a.lock', 'a b', 'x'.repeat(101)]) expect(isSafeName(bad), bad).toBe(false);
    expect(toSafeName('My Package (v2)')).toBe('My-Package-v2');
    expect(toSafeName('.hidden')).toBe('hidden');
    expect(toSafeName('tasks.lock')).toBe('tasks');
    expect(toSafeName('///')).toBeUndefined();
  });
});
