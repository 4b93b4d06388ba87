// Escape attempts through the real shell and file tools on a real bwrap sandbox, one table row
// per attempt. Each row asserts that the attempt failed and that the host is unchanged; a few
// rows are controls showing what must still work. The host side is set up in escape-world.ts.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolCallOutcome } from '../../tools/runner.js';
import { ETC_TARGET, KEYS, SECRET, createWorld, httpGet, type World } from './escape-world.js';
import { survivors, uniqueSleep } from './process-helpers.js';

interface EscapeCase {
  name: string;
  /** Run on the sandbox with network shared (default: no network). */
  network?: boolean;
  /** Default: shell. */
  tool?: string;
  args(w: World): object;
  check(outcome: ToolCallOutcome, w: World): void | Promise<void>;
  skipIf?(w: World): boolean;
}

const exists = (p: string): boolean => existsSync(p);
const sleeps = { timeout: uniqueSleep(), plain: uniqueSleep(), detached: uniqueSleep() };

const cases: EscapeCase[] = [
  {
    name: 'writing to /etc fails and leaves /etc unchanged',
    args: () => ({ command: `echo pwned > ${ETC_TARGET}` }),
    check: (out) => {
      expect(out.ok).toBe(false);
      expect(out.output).toMatch(/Read-only file system/);
      expect(exists(ETC_TARGET)).toBe(false);
    },
  },
  {
    name: 'writing to a visible directory outside the working directory fails',
    args: (w) => ({ command: `echo pwned > ${w.outsideVisible}/planted` }),
    check: (out, w) => {
      expect(out.ok).toBe(false);
      expect(out.output).toMatch(/Read-only file system/);
      expect(exists(path.join(w.outsideVisible, 'planted'))).toBe(false);
    },
  },
  {
    name: "the host's /tmp is not visible, and a write there never reaches the host",
    args: (w) => ({ command: `cat ${w.outsideTmp}/marker; mkdir -p ${w.outsideTmp} && echo pwned > ${w.outsideTmp}/planted; cat ${w.outsideTmp}/marker` }),
    check: (out, w) => {
      expect(out.ok).toBe(false);
      expect(out.output).not.toContain('host-marker');
      expect(exists(path.join(w.outsideTmp, 'planted'))).toBe(false);
    },
  },
  {
    name: 'writing through a symlink in the repo that points outside fails',
    args: () => ({ command: 'echo pwned > escape-link/planted' }),
    check: (out, w) => {
      expect(out.ok).toBe(false);
      expect(exists(path.join(w.outsideVisible, 'planted'))).toBe(false);
    },
  },
  {
    name: 'write_file through a symlink that points outside is refused',
    tool: 'write_file',
    args: () => ({ path: 'escape-link/planted', content: 'pwned' }),
    check: (out, w) => {
      expect(out.ok).toBe(false);
      expect(out.output).toMatch(/outside the working directory/);
      expect(exists(path.join(w.outsideVisible, 'planted'))).toBe(false);
    },
  },
  {
    name: 'a key planted in the real HOME cannot be read, and HOME is a fresh empty directory',
    args: (w) => ({
      command: `cat ${w.fakeHome}/.ssh/id_rsa ~/.npmrc; echo "real home: $(ls -A ${w.fakeHome})"; echo "HOME=$HOME: $(ls -A ~)"`,
    }),
    check: (out) => {
      expect(out.output).not.toContain(SECRET);
      expect(out.output).not.toContain(KEYS.SPROUT_API_KEY);
      expect(out.output).toMatch(/id_rsa: No such file or directory/);
      // Only the path down to the working directory exists in the hidden home.
      expect(out.output).toContain('real home: work\n');
      expect(out.output.trimEnd().endsWith('HOME=/tmp/home:')).toBe(true);
    },
  },
  {
    name: 'the working directory inside the hidden home is still read-write',
    args: () => ({ command: 'echo made > made-inside.txt && cat made-inside.txt' }),
    check: (out, w) => {
      expect(out.ok).toBe(true);
      expect(readFileSync(path.join(w.root, 'made-inside.txt'), 'utf8')).toBe('made\n');
    },
  },
  {
    name: 'API keys are neither in the environment nor in any visible process',
    args: () => ({ command: 'env; echo "[$SPROUT_API_KEY][$ARK_API_KEY]"; cat /proc/*/environ | tr "\\0" "\\n"; ls /proc | grep -c "^[0-9]"' }),
    check: (out) => {
      expect(out.output).toContain('[][]');
      for (const key of Object.values(KEYS)) expect(out.output).not.toContain(key);
    },
  },
  {
    name: 'an HTTP server on 127.0.0.1 cannot be reached without network',
    args: (w) => ({ command: httpGet(w.port) }),
    check: (out, w) => {
      expect(out.ok).toBe(false);
      expect(out.output).not.toContain('hello from the host');
      expect(w.requests).toBe(0);
    },
  },
  {
    name: 'the same server is reachable when network is on',
    network: true,
    args: (w) => ({ command: httpGet(w.port) }),
    check: (out, w) => {
      expect(out.ok).toBe(true);
      expect(out.output).toContain('hello from the host');
      expect(w.requests).toBe(1);
    },
  },
  {
    name: 'a host unix socket under /run cannot be reached, even with network on',
    network: true,
    skipIf: (w) => w.socketPath === undefined,
    args: (w) => ({ command: `test -S ${w.socketPath} && echo visible; ls -A /run` }),
    check: (out) => {
      expect(out.output).not.toContain('visible');
      expect(out.output).not.toMatch(/docker\.sock|systemd|dbus/);
    },
  },
  {
    name: 'root-only secret files cannot be read, even by root',
    skipIf: () => !exists('/etc/shadow'),
    args: () => ({ command: 'head -c 100 /etc/shadow' }),
    check: (out) => {
      // /dev/null is mounted over it without device access, so opening it is refused outright.
      expect(out.ok).toBe(false);
      expect(out.output).toMatch(/Permission denied/);
      expect(out.output).not.toContain('root:');
    },
  },
  {
    name: 'planting a git hook or rewriting git config fails and nothing appears in .git',
    args: () => ({
      command: 'echo "touch /tmp/pwned" > .git/hooks/pre-commit; chmod +x .git/hooks/pre-commit; git config core.hooksPath /tmp/x',
    }),
    check: (out, w) => {
      expect(out.ok).toBe(false);
      expect(out.output).toMatch(/Read-only file system/);
      expect(exists(path.join(w.root, '.git/hooks/pre-commit'))).toBe(false);
      expect(readFileSync(path.join(w.root, '.git/config'), 'utf8')).not.toContain('hooksPath');
    },
  },
  {
    name: 'write_file into .git is refused as read-only',
    tool: 'write_file',
    args: () => ({ path: '.git/hooks/post-checkout', content: '#!/bin/sh\ntouch /tmp/pwned\n' }),
    check: (out, w) => {
      expect(out).toMatchObject({ ok: false });
      expect(out.output).toMatch(/is read-only in the sandbox/);
      expect(exists(path.join(w.root, '.git/hooks/post-checkout'))).toBe(false);
    },
  },
  {
    name: 'git can still read the repository inside the sandbox',
    args: () => ({ command: 'git log --format=%s && git status --short' }),
    check: (out) => expect(out.output).toMatch(/^exit code 0\ninitial/),
  },
  {
    name: 'binary and invalid UTF-8 output comes back as safe text',
    args: () => ({ command: "printf '\\xff\\xfe\\x00abc'" }),
    check: (out) => {
      expect(out.output).toBe('exit code 0\n\uFFFD\uFFFD\uFFFDabc');
    },
  },
  {
    name: 'stdin is closed, so a command waiting for input returns at once',
    args: () => ({ command: 'read x; echo "got:$x"; cat; echo done' }),
    check: (out) => {
      expect(out.output).toBe('exit code 0\ngot:\ndone');
      expect(out.durationMs).toBeLessThan(3000);
    },
  },
  {
    name: 'a command killed at its timeout leaves no process behind',
    args: () => ({ command: `${sleeps.timeout.command}; echo never`, timeout_seconds: 1 }),
    check: async (out) => {
      expect(out.ok).toBe(false);
      expect(out.output).toMatch(/^Error: timed out after 1 s and was killed/);
      expect(out.output).not.toContain('never');
      expect(await survivors(sleeps.timeout.pattern)).toEqual([]);
    },
  },
  {
    name: 'background processes, even setsid and nohup ones, are gone when the call returns',
    args: () => ({ command: `${sleeps.plain.command} & (setsid nohup ${sleeps.detached.command} >/dev/null 2>&1 &); echo started` }),
    check: async (out) => {
      expect(out).toMatchObject({ ok: true, output: 'exit code 0\nstarted' });
      expect(out.durationMs).toBeLessThan(3000);
      expect(await survivors(sleeps.plain.pattern)).toEqual([]);
      expect(await survivors(sleeps.detached.pattern)).toEqual([]);
    },
  },
  {
    name: 'huge output is capped and counted without being held in memory',
    args: () => ({ command: 'yes | head -c 50000000' }),
    check: (out) => {
      expect(out.ok).toBe(true);
      expect(out.details?.totalBytes).toBe(50_000_000);
      expect(Buffer.byteLength(out.output)).toBeLessThan(20 * 1024);
      expect(process.memoryUsage().rss).toBeLessThan(rssBefore + 200 * 1024 * 1024);
    },
  },
];

let world: World;
let rssBefore = 0;

beforeAll(async () => {
  world = await createWorld();
  rssBefore = process.memoryUsage().rss;
});

afterAll(async () => {
  await world?.dispose();
});

describe('bwrap escape attempts', () => {
  for (const c of cases) {
    it(c.name, async (ctx) => {
      if (c.skipIf?.(world)) ctx.skip();
      world.requests = 0;
      const outcome = await (c.network ? world.online : world.offline).call(c.tool ?? 'shell', c.args(world));
      await c.check(outcome, world);
    });
  }
});
