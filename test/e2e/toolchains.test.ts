// Toolchains under HOME stay usable in the sandbox: a toolchain installed in a `.pyenv`-like prefix
// of HOME and first on PATH is what run_tests runs inside bubblewrap with the default settings,
// while ~/.ssh of that HOME stays unreadable; the session header and `sprout doctor` list the mount,
// and "not found" for a tool in a hidden place says which path was hidden.
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toolResults } from '../fake-server/index.js';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir, tempRepo, writeFiles } from '../helpers/temp-repo.js';

const startServer = fakeServerPerTest();

/**
 * A HOME with a toolchain in .pyenv/shims whose `python3 -m pytest` is a stand-in pytest (the
 * system python3 has no pytest module, so only this one can pass), a secret key, and a
 * `secret-tool` in ~/.ssh/bin (a place that is never mounted).
 */
function fakeHome(): string {
  const home = tempDir('sprout-home-');
  writeFiles(home, {
    '.pyenv/shims/python3':
      '#!/bin/sh\nif [ "$1 $2" = "-m pytest" ]; then echo "test_a.py ..                        [100%]"; echo "============ 2 passed in 0.01s ============"; exit 0; fi\n' +
      'exec /usr/bin/python3 "$@"\n',
    '.ssh/id_rsa': '-----BEGIN OPENSSH PRIVATE KEY-----\nsecret\n',
    '.ssh/bin/secret-tool': '#!/bin/sh\necho leaked\n',
  });
  chmodSync(join(home, '.pyenv/shims/python3'), 0o755);
  chmodSync(join(home, '.ssh/bin/secret-tool'), 0o755);
  mkdirSync(join(home, '.pyenv/versions'), { recursive: true });
  return home;
}

describe('toolchains on PATH under HOME', () => {
  it('run_tests uses the HOME toolchain inside bwrap by default, ~/.ssh/id_rsa stays unreadable, and the header lists the mount', async () => {
    const home = fakeHome();
    const repo = tempRepo({ 'pytest.ini': '[pytest]\n', 'test_a.py': 'def test_a():\n    pass\n' });
    const server = await startServer({
      script: [
        {
          toolCalls: [
            { id: 'tests', name: 'run_tests', arguments: {} },
            { id: 'key', name: 'shell', arguments: { command: `cat ${home}/.ssh/id_rsa; ls -d "$HOME/.pyenv/shims"` } },
            { id: 'hidden', name: 'shell', arguments: { command: 'secret-tool' } },
          ],
        },
        (req) => {
          const [tests, key, hidden] = toolResults(req);
          expect(tests?.content).toMatch(/^PASSED: 2 passed \(pytest/);
          expect(key?.content).toContain(`${home}/.ssh/id_rsa: No such file or directory`);
          expect(key?.content).not.toContain('PRIVATE KEY');
          expect(key?.content).toContain('/tmp/home/.pyenv/shims');
          expect(hidden?.content).toContain(`[sprout: ${home}/.ssh/bin/secret-tool exists on the host, but the sandbox hides`);
          expect(hidden?.content).not.toContain('leaked');
          return { content: 'ok' };
        },
      ],
    });
    const env = { SPROUT_API_KEY: 'k', HOME: home, PATH: `${home}/.pyenv/shims:${home}/.ssh/bin:${process.env.PATH}` };
    const run = await runCli(['run', '--json', '--base-url', server.url, '-C', repo, 'run the tests'], { env });
    expect(run.code, run.stderr).toBe(0);
    server.assertDone();
    const header = run.events.find((e) => e.type === 'session');
    expect(header?.toolchains).toEqual(expect.arrayContaining([expect.stringContaining(`mounted read-only: ${home}/.pyenv`), expect.stringContaining(`${home}/.ssh/bin (secrets)`)]));
  });

  it('sprout doctor lists the toolchains it would mount and the PATH entries it keeps hidden', async () => {
    const home = fakeHome();
    const run = await runCli(['doctor', '--offline'], { env: { HOME: home, PATH: `${home}/.pyenv/shims:${home}/.ssh/bin:${process.env.PATH}` } });
    expect(run.stdout).toContain(`✓ toolchains: toolchains on PATH mounted read-only: ${home}/.pyenv`);
    expect(run.stdout).toContain(`PATH entries left hidden: ${home}/.ssh/bin (secrets)`);
  });
});
