// The sandbox from the user's side: the bug-fix job passes under bubblewrap (the default), a missing
// bwrap is refused with the cause and the fixes (never a silent fallback), and `sprout doctor`
// reports both with a real probe.
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toolResults } from '../fake-server/index.js';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { BUGGY_ADD_PROJECT, tempDir, tempRepo } from '../helpers/temp-repo.js';

const startServer = fakeServerPerTest();

/** A PATH with git and rg but no bwrap. */
function pathWithoutBwrap(): string {
  const bin = tempDir('sprout-bin-');
  for (const tool of ['git', 'rg', 'bash', 'env']) symlinkSync(`/usr/bin/${tool}`, join(bin, tool));
  return bin;
}

describe('sandbox from the CLI', () => {
  it('fixes the bug under bubblewrap by default, with HOME and the key out of reach', async () => {
    const repo = tempRepo(BUGGY_ADD_PROJECT);
    const server = await startServer({
      script: [
        { toolCalls: [{ name: 'edit_file', arguments: { path: 'math.js', old_string: 'return a - b;', new_string: 'return a + b;' } }] },
        { toolCalls: [{ name: 'shell', arguments: { command: 'npm test && echo "home=$HOME" && env | grep -c API_KEY || true' } }] },
        (req) => {
          const out = toolResults(req)[0]?.content ?? '';
          expect(out).toMatch(/^exit code 0/);
          expect(out).toMatch(/pass 1/);
          expect(out).toContain('home=/tmp/home');
          expect(out).not.toContain('sk-bwrap-key');
          return { content: 'fixed under bwrap' };
        },
      ],
    });
    const run = await runCli(['run', '--json', '--base-url', server.url, '-C', repo, 'fix it'], { env: { SPROUT_API_KEY: 'sk-bwrap-key' } });
    expect(run.code, run.stderr).toBe(0);
    server.assertDone();
    expect(run.events[0]).toMatchObject({ type: 'session', sandbox: 'bwrap', network: false });
    expect(run.events.at(-1)).toMatchObject({ status: 'success', sandbox: 'bwrap', changed_files: ['math.js'] });
  });

  it('refuses to run when bwrap is missing, naming the cause and the fixes, exit 1', async () => {
    const repo = tempRepo({ 'a.txt': 'a' });
    const run = await runCli(['run', '-C', repo, 'task'], { env: { SPROUT_API_KEY: 'k', PATH: pathWithoutBwrap() } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('the bwrap sandbox cannot run: bwrap was not found');
    expect(run.stderr).toContain('apt-get install bubblewrap');
    expect(run.stderr).toContain('kernel.apparmor_restrict_unprivileged_userns=0');
    expect(run.stderr).toContain('--sandbox none');
  });

  it('announces --sandbox none loudly in the session event, the result and the human output', async () => {
    const repo = tempRepo({ 'a.txt': 'a' });
    const server = await startServer({ script: [{ content: 'ok' }, { content: 'ok' }] });
    const json = await runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'task'], { env: { SPROUT_API_KEY: 'k' } });
    expect(json.events[0]).toMatchObject({ sandbox: 'host' });
    expect(json.events.at(-1)).toMatchObject({ sandbox: 'host' });
    const human = await runCli(['run', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'task'], { env: { SPROUT_API_KEY: 'k' } });
    expect(human.stderr).toContain('NO SANDBOX: tools run directly on this machine');
  });

  it('sprout doctor passes with bwrap and a reachable endpoint, and fails with fixes without bwrap', async () => {
    const server = await startServer({ models: ['doubao-seed-code'] });
    const ok = await runCli(['doctor', '--base-url', server.url], { env: { SPROUT_API_KEY: 'k' } });
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toMatch(/✓ sandbox: bwrap [\d.]+ confines commands here/);
    expect(ok.stdout).toContain(`✓ endpoint: ${server.url} answered (1 model listed)`);
    const broken = await runCli(['doctor', '--offline'], { env: { SPROUT_API_KEY: 'k', PATH: pathWithoutBwrap() } });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/✗ sandbox: bwrap was not found.*apt-get install bubblewrap/);
  });
});
