// The git tool's schema and footprints, and a repository's own config: no filter it names runs,
// Git LFS's included (git runs on the host; only the user's gitFilters can allow one).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git as gitTool, gitFootprint } from '../../tools/git.js';
import { toolJsonSchema } from '../../tools/registry.js';
import { tempDir, tempRepo, writeFiles } from '../helpers/temp-repo.js';
import { toolHarness } from '../helpers/tools.js';

it("runs none of a repository's own filters, LFS included (only the user can allow one), and says so", async () => {
  const repo = tempRepo({ 'a.txt': 'a\n' });
  const marker = join(tempDir(), 'ran');
  execFileSync('git', ['config', 'filter.lfs.clean', `touch ${marker}; git-lfs clean -- %f`], { cwd: repo });
  execFileSync('git', ['config', 'filter.lfs.process', 'git-lfs filter-process'], { cwd: repo });
  writeFiles(repo, { '.gitattributes': '* filter=lfs\n', 'a.txt': 'b\n' });
  const { call } = await toolHarness(repo, { tools: [gitTool] });
  const added = await call('git', { command: 'add', paths: ['a.txt'] });
  expect(added.ok).toBe(true);
  expect(added.output).toContain('(host-side git ignored the repository config\'s filter "lfs"');
  expect(existsSync(marker)).toBe(false);
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
