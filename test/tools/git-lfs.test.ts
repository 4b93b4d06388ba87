// The git tool and a repository's own config: Git LFS's standard filters are trusted, any other
// program named there is refused (git runs on the host).
import { execFileSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { git as gitTool } from '../../tools/git.js';
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
