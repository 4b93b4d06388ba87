// Tool processes see the colour settings the user's CI would: sprout forces no NO_COLOR, FORCE_COLOR
// or CI, so a suite that tests colour detection passes under run_tests and shell exactly when it
// passes in a plain shell; colour codes a command prints are stripped from what the model reads.
import { execFileSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { toolResults } from '../fake-server/index.js';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';

const startServer = fakeServerPerTest();

// Colour detection as supports-color does it: NO_COLOR wins, then FORCE_COLOR, then the terminal.
const COLOUR_PROJECT = {
  'package.json': JSON.stringify({ name: 'colour', type: 'module', scripts: { test: 'node --test' } }),
  'colour.js':
    "export function colourLevel(env, isTTY) {\n  if ('NO_COLOR' in env) return 0;\n  if ('FORCE_COLOR' in env) return env.FORCE_COLOR === '0' ? 0 : 1;\n  return isTTY ? 1 : 0;\n}\n",
  'colour.test.js':
    "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { colourLevel } from './colour.js';\n\n" +
    "test('FORCE_COLOR=1 turns colour on', () => {\n  assert.equal(colourLevel({ ...process.env, FORCE_COLOR: '1' }, false), 1);\n});\n\n" +
    "test('without a terminal and no setting, colour is off', () => {\n  const { FORCE_COLOR, ...env } = process.env;\n  assert.equal(colourLevel(env, false), 0);\n});\n",
};

it('a colour-detection suite that passes in a plain shell passes under run_tests and shell, with colour codes stripped', async () => {
  const repo = tempRepo(COLOUR_PROJECT);
  // The user's environment has no colour setting at all.
  const userEnv = { NO_COLOR: undefined, FORCE_COLOR: undefined, CI: undefined };
  const plainEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  execFileSync('npm', ['test', '--silent'], { cwd: repo, env: plainEnv, stdio: 'pipe' }); // throws if the plain run fails
  const server = await startServer({
    script: [
      {
        toolCalls: [
          { id: 'tests', name: 'run_tests', arguments: {} },
          { id: 'shell', name: 'shell', arguments: { command: "npm test --silent >/dev/null && echo suite-ok; env | grep -c -E '^(NO_COLOR|FORCE_COLOR|CI)=' ; printf '\\033[31mred\\033[0m\\n'" } },
        ],
      },
      (req) => {
        const [tests, shell] = toolResults(req);
        expect(tests?.content).toMatch(/^PASSED: 2 passed \(node --test/);
        expect(shell?.content).toContain('suite-ok\n0\nred');
        expect(shell?.content).not.toContain('\u001b[');
        return { content: 'colour works' };
      },
    ],
  });
  const run = await runCli(['run', '--json', '--base-url', server.url, '-C', repo, 'check colour'], { env: { SPROUT_API_KEY: 'k', ...userEnv } });
  expect(run.code, run.stderr).toBe(0);
  server.assertDone();
});
