// The one test that talks to the real provider, only when ARK_API_KEY is set (never here or in CI):
// the same path as bug-fix.test.ts, against doubao-seed-code on Ark.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { BUGGY_ADD_PROJECT, tempRepo } from '../helpers/temp-repo.js';

describe.skipIf(!process.env.ARK_API_KEY)('live: doubao-seed-code on Ark', () => {
  it('fixes the failing add() test and reports real usage', { timeout: 600_000 }, async () => {
    const repo = tempRepo(BUGGY_ADD_PROJECT);
    const run = await runCli(['run', '--json', '--max-cost', '1', '--verify', 'npm test', '-C', repo, 'Make npm test pass.'], {
      env: { ARK_API_KEY: process.env.ARK_API_KEY, SPROUT_MAX_RETRIES: '6' },
      timeoutMs: 600_000,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(join(repo, 'math.js'), 'utf8')).toContain('a + b');
    const result = run.events.at(-1)!;
    expect((result.usage as { prompt_tokens: number }).prompt_tokens).toBeGreaterThan(0);
    expect(run.stdout + run.stderr).not.toContain(process.env.ARK_API_KEY!);
  });
});
