// The git tool's schema and footprints, and a repository's own config: Git LFS's standard filters
// are trusted, any other program named there is refused (git runs on the host).
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { git as gitTool, gitFootprint } from '../../tools/git.js';
import { toolJsonSchema } from '../../tools/registry.js';
import { tempRepo } from '../helpers/temp-repo.js';
import { toolHarness } from '../helpers/tools.js';

it("accepts a repository whose own config sets Git LFS's standard filters, but not a changed one", async () => {
  const repo = tempRepo({ 'a.txt': 'a\n' });
  execFileSync('git', ['config', 'filter.lfs.clean', 'git-lfs clean -- %f'], { cwd: repo });
  execFileSync('git', ['config', 'filter.lfs.process', 'git-lfs filter-process'], { cwd: repo });
  const { call } = await toolHarness(repo, { tools: [gitTool] });
  expect((await call('git', { command: 'status' })).ok).toBe(true);
  execFileSync('git', ['config', 'filter.lfs.clean', 'touch /tmp/pwned; git-lfs clean -- %f'], { cwd: repo });
  expect((await call('git', { command: 'status' })).output).toContain('refused: the repository config sets filter.lfs.clean');
});

describe('git schema and footprint', () => {
  it('describes every field for the model and allows no other field', () => {
    const schema = toolJsonSchema(gitTool) as { properties: Record<string, { description?: string }>; required: string[]; additionalProperties: boolean };
    for (const [key, property] of Object.entries(schema.properties)) expect(property.description, key).toBeTruthy();
    expect(schema.required).toEqual(['command']);
    expect(schema.additionalProperties).toBe(false);
  });

  it('locks git-write for writes, with the paths of path-scoped ones, and nothing for reads', () => {
    for (const read of [{ command: 'status' }, { command: 'stash', action: 'list' }, { command: 'branch' }] as const) expect(gitFootprint(read)).toEqual({});
    expect(gitFootprint({ command: 'branch', name: 'x' })).toEqual({ locks: ['git-write'] });
    expect(gitFootprint({ command: 'stash' })).toEqual({ locks: ['git-write'] });
    expect(gitFootprint({ command: 'commit', message: 'm' })).toEqual({ locks: ['git-write'] });
    expect(gitFootprint({ command: 'add', paths: ['a.ts'] })).toEqual({ locks: ['git-write'], paths: ['a.ts'] });
    expect(gitFootprint({ command: 'restore', paths: ['b.ts'], staged: true })).toEqual({ locks: ['git-write'], paths: ['b.ts'] });
  });
});
