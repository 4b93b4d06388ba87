// An output file that cannot be written (--summary-out, --patch-out) fails the run honestly: exit 1,
// the result keeps what the run did and spent, names the file and says what to do, and the session
// file ends with that same result.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { sessionsDir } from '../../src/session/store.js';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir, tempRepo } from '../helpers/temp-repo.js';

const startServer = fakeServerPerTest();

function lastSessionRecord(state: string): Record<string, unknown> {
  const dir = sessionsDir({ XDG_STATE_HOME: state });
  const [file] = readdirSync(dir).filter((n) => n.endsWith('.jsonl'));
  return JSON.parse(readFileSync(join(dir, file!), 'utf8').trim().split('\n').at(-1)!);
}

/** Paths no one can write: in a folder that does not exist, and under a regular file. */
function unwritable(): Array<[string, string, RegExp]> {
  const out = tempDir('sprout-out-');
  writeFileSync(join(out, 'plain-file'), 'x');
  return [
    ['a missing folder', join(out, 'no-such-dir', 'out.file'), /folder .*no-such-dir does not exist; create it or pass another path/],
    ['a file used as a folder', join(out, 'plain-file', 'out.file'), /plain-file is not a folder; pass another path/],
  ];
}

for (const flag of ['--summary-out', '--patch-out']) {
  it.each(unwritable())(`an unwritable ${flag} in %s: exit 1, the real result kept, and the session ends with it`, async (_case, file, advice) => {
    const repo = tempRepo({ 'a.txt': 'a' });
    const state = tempDir('sprout-state-');
    const server = await startServer({
      script: [{ toolCalls: [{ name: 'write_file', arguments: { path: 'b.txt', content: 'beta\n' } }] }, { content: 'wrote b' }],
    });
    const run = await runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '-C', repo, flag, file, 'write b'], {
      env: { SPROUT_API_KEY: 'k', XDG_STATE_HOME: state },
    });
    expect(run.code, run.stderr).toBe(1);
    const result = run.events.at(-1)!;
    expect(result).toMatchObject({ type: 'result', status: 'error', num_turns: 2, changed_files: ['b.txt'], final_message: 'wrote b' });
    expect((result.usage as { prompt_tokens: number }).prompt_tokens).toBeGreaterThan(0);
    expect((result.cost as { amount: number }).amount).toBeGreaterThan(0);
    expect(String(result.error)).toContain(`cannot write ${flag} ${file}`);
    expect(String(result.error)).toMatch(advice);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    // The session keeps the result as the run made it; the JSON line adds only its write time.
    const { ts: _ts, ...saved } = result;
    expect(lastSessionRecord(state)).toEqual({ type: 'result', result: saved });
  });
}
