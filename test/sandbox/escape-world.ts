// The host side of the escape suite: a fake HOME with a planted key and the working directory inside
// it (a real git repository), directories outside, an HTTP server and a unix socket on the host, API
// keys in sprout's own environment, and two bwrap sandboxes (network off and on) behind the real tools.
// The fake HOME and the visible outside directory live in /var/tmp, not /tmp, so that hiding them is
// the sandbox's doing and not merely a side effect of its fresh /tmp.
import { execFileSync } from 'node:child_process';
import { promises as fs, mkdtempSync, realpathSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createSocketServer, type Server as SocketServer } from 'node:net';
import path from 'node:path';
import { createBwrapSandbox } from '../../sandbox/bwrap.js';
import { tempDir, writeFiles } from '../helpers/temp-repo.js';
import { toolHarness, type ToolHarness } from '../helpers/tools.js';

const id = `${process.pid}-${Date.now()}`;
/** Unique to this run, so finding it anywhere in output means it leaked. */
export const SECRET = `-----BEGIN OPENSSH PRIVATE KEY----- sprout-test-${id}`;
export const KEYS = { SPROUT_API_KEY: `sk-sprout-${id}`, ARK_API_KEY: `ark-${id}` };
export const ETC_TARGET = `/etc/sprout-escape-${id}`;

/** Everything a case may look at. */
export interface World {
  fakeHome: string;
  /** The working directory, inside fakeHome. */
  root: string;
  /** Outside the root on the read-only host (/var/tmp); `escape-link` in the root points here. */
  outsideVisible: string;
  /** Outside the root under the host's /tmp, holding `marker`. */
  outsideTmp: string;
  port: number;
  /** Requests the HTTP server got since the current case started. */
  requests: number;
  /** A listening unix socket in /run, when /run is writable (running as root). */
  socketPath?: string;
  offline: ToolHarness;
  online: ToolHarness;
  dispose(): Promise<void>;
}

/** A command line that fetches http://127.0.0.1:port/ with curl, or bash's /dev/tcp without it. */
export function httpGet(port: number): string {
  try {
    execFileSync('curl', ['--version'], { stdio: 'ignore' });
    return `curl -sS -m 3 http://127.0.0.1:${port}/`;
  } catch {
    return `exec 3<>/dev/tcp/127.0.0.1/${port} && printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3 && cat <&3`;
  }
}

export async function createWorld(): Promise<World> {
  const fakeHome = realpathSync(mkdtempSync('/var/tmp/sprout-home-'));
  const outsideVisible = realpathSync(mkdtempSync('/var/tmp/sprout-outside-'));
  const outsideTmp = tempDir('sprout-outside-');
  const root = path.join(fakeHome, 'work', 'repo');
  writeFiles(fakeHome, { '.ssh/id_rsa': SECRET, '.npmrc': `//registry.npmjs.org/:_authToken=${KEYS.SPROUT_API_KEY}` });
  writeFiles(outsideTmp, { marker: 'host-marker' });
  writeFiles(root, { 'README.md': 'hi\n' });
  await fs.symlink(outsideVisible, path.join(root, 'escape-link'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('add', 'README.md');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'initial');

  // The keys are in sprout's own environment too, as in a real run: no process in the sandbox may see them.
  const savedEnv = Object.fromEntries(Object.keys(KEYS).map((name) => [name, process.env[name]]));
  Object.assign(process.env, KEYS);
  const hostEnv = { PATH: process.env.PATH, LANG: 'C.UTF-8', HOME: fakeHome, ...KEYS };
  const offlineBox = await createBwrapSandbox({ root, hostEnv, network: false });
  const onlineBox = await createBwrapSandbox({ root, hostEnv, network: true });

  const server = createServer((_req, res) => {
    world.requests += 1;
    res.end('hello from the host\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const socketPath = `/run/sprout-test-${id}.sock`;
  const socketServer = await listenOnSocket(socketPath);

  const world: World = {
    fakeHome,
    root,
    outsideVisible,
    outsideTmp,
    port: (server.address() as { port: number }).port,
    requests: 0,
    socketPath: socketServer ? socketPath : undefined,
    offline: await toolHarness(root, { sandbox: offlineBox }),
    online: await toolHarness(root, { sandbox: onlineBox }),
    async dispose() {
      await offlineBox.close();
      await onlineBox.close();
      await new Promise((resolve) => server.close(resolve));
      if (socketServer) await new Promise((resolve) => socketServer.close(resolve));
      for (const [name, value] of Object.entries(savedEnv)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      for (const dir of [fakeHome, outsideVisible]) await fs.rm(dir, { recursive: true, force: true });
    },
  };
  return world;
}

/** A unix socket server, as docker.sock would be; undefined where the path is not writable (not root). */
async function listenOnSocket(socketPath: string): Promise<SocketServer | undefined> {
  const socket = createSocketServer((conn) => conn.end('socket reached\n'));
  return new Promise((resolve) => {
    socket.once('error', () => resolve(undefined));
    socket.listen(socketPath, () => resolve(socket));
  });
}
