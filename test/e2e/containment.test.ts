// A fork bomb, a memory bomb and a /tmp filler inside shell calls each end with their call, as an
// error result, under the configured limits, and the next call of the same run works. The CLI runs
// inside a test-made cgroup (test/helpers/safety-net.ts) with looser limits, so a containment that
// fails makes the test fail instead of harming the machine; that net's limit must never be reached.
// Both containments are driven: the per-call cgroup (this host) and, for a user who may make no
// cgroup, RLIMIT_NPROC in the call's own user namespace.
import { execFileSync } from 'node:child_process';
import { afterEach, expect, it } from 'vitest';
import { describeCgroupHost, detectCgroups } from '../../sandbox/cgroup-host.js';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { createSafetyNet, type SafetyNet } from '../helpers/safety-net.js';
import { tempDir, tempRepo } from '../helpers/temp-repo.js';
import { userConfigEnv } from '../helpers/user-config.js';

const startServer = fakeServerPerTest();
/** The unprivileged user a root test run drops to. */
const NOBODY = 65534;
let net: SafetyNet | undefined;
afterEach(async () => {
  await net?.close();
  net = undefined;
});

/** Processes alive in the call's pid namespace, sampled for a few seconds with builtins only (no fork). */
const FORK_BOMB = [
  'bomb() { while :; do bomb & done; }; bomb 2>/dev/null &',
  'peak=0; end=$((SECONDS + 3)); while [ $SECONDS -lt $end ]; do p=(/proc/[0-9]*); [ ${#p[@]} -gt $peak ] && peak=${#p[@]}; done',
  'echo "peak $peak"; wait',
].join('\n');

const shell = (command: string, timeout?: number) => ({
  toolCalls: [{ name: 'shell', arguments: { command, ...(timeout ? { timeout_seconds: timeout } : {}) } }],
});

function results(events: Array<Record<string, unknown>>): Array<{ ok: boolean; output: string }> {
  return events.filter((e) => e.type === 'tool_result') as unknown as Array<{ ok: boolean; output: string }>;
}

it('a fork bomb, a 3 GiB allocation and 1.5 GiB into /tmp each fail their call alone, and the run goes on', async () => {
  net = await createSafetyNet({ processes: 400, memoryBytes: 1536 * 1024 * 1024 });
  const repo = tempRepo({ 'a.txt': 'a\n' });
  const server = await startServer({
    script: [
      shell(FORK_BOMB, 8),
      shell("perl -e '$x = \"a\" x (3 * 1024 ** 3); print length $x'"),
      shell('head -c 1610612736 /dev/zero > /tmp/big && ls -l /tmp/big'),
      shell('echo still works'),
      { content: 'done' },
    ],
  });
  const env = { SPROUT_API_KEY: 'k', ...userConfigEnv({ sandboxProcesses: 64, sandboxMemoryMb: 256 }) };
  const started = Date.now();
  const run = await runCli(['run', '--json', '--base-url', server.url, '-C', repo, 'misbehave'], { env, wrap: net.wrap, timeoutMs: 90_000 });
  expect(run.code, run.stderr).toBe(0);
  server.assertDone();
  const [bomb, memory, tmp, after] = results(run.events);

  expect(bomb).toMatchObject({ ok: false });
  expect(bomb!.output).toMatch(/timed out after 8 s and was killed/);
  const peak = Number(/peak (\d+)/.exec(bomb!.output)?.[1]);
  expect(peak).toBeGreaterThan(10);
  expect(peak).toBeLessThanOrEqual(64);
  expect(memory).toMatchObject({ ok: false });
  expect(memory!.output).toMatch(/Out of memory/);
  expect(tmp).toMatchObject({ ok: false });
  expect(tmp!.output).toMatch(/No space left on device/);
  expect(tmp!.output).not.toContain('1610612736');
  expect(after).toMatchObject({ ok: true });
  expect(after!.output).toContain('still works');
  // sprout's own limits bound first: the test's outer limit was never reached.
  expect(await net.pidsLimitHits()).toBe(0);
  expect(Date.now() - started).toBeLessThan(60_000);
});

it('without a cgroup of its own (a normal user), RLIMIT_NPROC still bounds a fork bomb to its call', async () => {
  net = await createSafetyNet({ processes: 400, memoryBytes: 1536 * 1024 * 1024 });
  const repo = tempRepo({ 'a.txt': 'a\n' });
  const state = tempDir('sprout-state-');
  // Run as root, the test drops the CLI to `nobody`, who may write no cgroup: only the ulimit is left.
  const asUser = process.getuid?.() === 0 ? ['setpriv', '--reuid', String(NOBODY), '--regid', String(NOBODY), '--clear-groups'] : [];
  const env = { SPROUT_API_KEY: 'k', XDG_STATE_HOME: state, ...userConfigEnv({ sandboxProcesses: 64 }) };
  if (asUser.length > 0) for (const dir of [repo, state, env.XDG_CONFIG_HOME]) execFileSync('chown', ['-R', `${NOBODY}:${NOBODY}`, dir]);
  const server = await startServer({ script: [shell(FORK_BOMB, 8), shell('echo still works'), { content: 'done' }] });
  const wrap = (file: string, args: string[]) => (asUser.length > 0 ? net!.wrap(asUser[0]!, [...asUser.slice(1), file, ...args]) : net!.wrap(file, args));
  const run = await runCli(['run', '--json', '--base-url', server.url, '-C', repo, 'misbehave'], { env, wrap, timeoutMs: 90_000 });
  expect(run.code, run.stderr).toBe(0);
  const [bomb, after] = results(run.events);
  expect(bomb!.output).toMatch(/timed out after 8 s and was killed/);
  const peak = Number(/peak (\d+)/.exec(bomb!.output)?.[1]);
  expect(peak).toBeGreaterThan(10);
  expect(peak).toBeLessThanOrEqual(64);
  expect(after).toMatchObject({ ok: true });
  expect(await net.pidsLimitHits()).toBe(0);
});

it('every call gets at most 512 processes and a bounded /tmp by default', async () => {
  net = await createSafetyNet({ processes: 400, memoryBytes: 1536 * 1024 * 1024 });
  const repo = tempRepo({ 'a.txt': 'a\n' });
  const server = await startServer({ script: [shell('ulimit -u; df -B1M --output=size /tmp | tail -1'), { content: 'done' }] });
  const run = await runCli(['run', '--json', '--base-url', server.url, '-C', repo, 'look'], { env: { SPROUT_API_KEY: 'k' }, wrap: net.wrap });
  expect(run.code, run.stderr).toBe(0);
  const [look] = results(run.events);
  expect(look!.output.split('\n').slice(1).map((line) => line.trim())).toEqual(['512', '1024']);
});

it('sprout doctor says which containment this host allows', async () => {
  const run = await runCli(['doctor', '--offline', '--json'], { env: { SPROUT_API_KEY: 'k' } });
  const checks = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { name: string; ok: boolean; detail: string });
  const containment = checks.find((check) => check.name === 'containment');
  const host = await detectCgroups();
  expect(containment?.detail.startsWith(describeCgroupHost(host)), containment?.detail).toBe(true);
  expect(containment?.ok).toBe(host.kind !== 'none' || process.getuid?.() !== 0);
});
