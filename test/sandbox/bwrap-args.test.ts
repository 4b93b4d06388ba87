// The bwrap mount layout as an argument list: order, masks, binds and namespace flags.
import { describe, expect, it } from 'vitest';
import { buildBwrapArgs, type BwrapLayout, type HostFacts, MASK_TMPFS_BYTES } from '../../sandbox/bwrap-args.js';

const layout: BwrapLayout = {
  root: '/home/dev/proj',
  home: '/tmp/home',
  network: false,
  readWrite: [],
  readOnly: [],
  realHome: '/home/dev',
};

const facts: HostFacts = {
  hiddenDirectories: ['/root', '/home', '/run', '/home/dev'],
  secretFiles: ['/etc/shadow'],
  resolvDir: '/run/systemd/resolve',
  gitPaths: ['/home/dev/proj/.git'],
};

/** The args as [flag, ...operands] groups, for order assertions. */
function mounts(args: string[]): string[] {
  const groups: string[] = [];
  const arity: Record<string, number> = { '--size': 1, '--ro-bind': 2, '--bind': 2, '--tmpfs': 1, '--dev': 1, '--proc': 1, '--dir': 1, '--chdir': 1, '--cap-drop': 1 };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]!;
    const n = arity[flag] ?? 0;
    groups.push([flag, ...args.slice(i + 1, i + 1 + n)].join(' '));
    i += n;
  }
  return groups;
}

function indexOf(groups: string[], group: string): number {
  const index = groups.indexOf(group);
  expect(index, `${group} in ${groups.join(' | ')}`).toBeGreaterThanOrEqual(0);
  return index;
}

describe('buildBwrapArgs', () => {
  it('starts from a read-only host with fresh /dev, /proc and /tmp', () => {
    expect(mounts(buildBwrapArgs(layout, facts)).slice(0, 4)).toEqual(['--ro-bind / /', '--dev /dev', '--proc /proc', '--tmpfs /tmp']);
  });

  it('bounds the fresh /tmp to the given size, and every masking tmpfs to a small one', () => {
    const groups = mounts(buildBwrapArgs({ ...layout, tmpBytes: 256 * 1024 * 1024 }, facts));
    expect(groups[indexOf(groups, '--tmpfs /tmp') - 1]).toBe('--size 268435456');
    for (const dir of ['/root', '/home', '/run']) expect(groups[indexOf(groups, `--tmpfs ${dir}`) - 1]).toBe(`--size ${MASK_TMPFS_BYTES}`);
  });

  it('hides /root, /home and /run behind tmpfs, skipping a home already inside /home', () => {
    const groups = mounts(buildBwrapArgs(layout, facts));
    for (const dir of ['/root', '/home', '/run']) indexOf(groups, `--tmpfs ${dir}`);
    expect(groups).not.toContain('--tmpfs /home/dev');
  });

  it('hides a real home outside /home, but never / and nothing the fresh /tmp already hides', () => {
    const args = buildBwrapArgs(layout, { ...facts, hiddenDirectories: ['/var/lib/ci', '/', '/tmp/fake-home'] });
    const groups = mounts(args);
    indexOf(groups, '--tmpfs /var/lib/ci');
    expect(groups).not.toContain('--tmpfs /');
    expect(groups).not.toContain('--tmpfs /tmp/fake-home');
  });

  it('binds the working directory read-write after the masks, then its .git read-only', () => {
    const groups = mounts(buildBwrapArgs(layout, facts));
    const home = indexOf(groups, '--tmpfs /home');
    const root = indexOf(groups, '--bind /home/dev/proj /home/dev/proj');
    const git = indexOf(groups, '--ro-bind /home/dev/proj/.git /home/dev/proj/.git');
    expect(home).toBeLessThan(root);
    expect(root).toBeLessThan(git);
  });

  it('creates the fresh HOME and blanks secret files with /dev/null', () => {
    const groups = mounts(buildBwrapArgs(layout, facts));
    indexOf(groups, '--dir /tmp/home');
    expect(indexOf(groups, '--ro-bind /dev/null /etc/shadow')).toBeGreaterThan(indexOf(groups, '--ro-bind / /'));
  });

  it('mounts extra paths parents first, so .git stays read-only even under a read-write parent', () => {
    const args = buildBwrapArgs({ ...layout, readWrite: ['/home/dev', '/home/dev/.npm'], readOnly: ['/home/dev/proj/vendor'] }, facts);
    const groups = mounts(args);
    const parent = indexOf(groups, '--bind /home/dev /home/dev');
    const root = indexOf(groups, '--bind /home/dev/proj /home/dev/proj');
    const git = indexOf(groups, '--ro-bind /home/dev/proj/.git /home/dev/proj/.git');
    const vendor = indexOf(groups, '--ro-bind /home/dev/proj/vendor /home/dev/proj/vendor');
    expect(parent).toBeLessThan(root);
    expect(root).toBeLessThan(git);
    expect(root).toBeLessThan(vendor);
    expect(parent).toBeLessThan(indexOf(groups, '--bind /home/dev/.npm /home/dev/.npm'));
  });

  it('lets the built-in binds win over a configured duplicate of the root', () => {
    const groups = mounts(buildBwrapArgs({ ...layout, readOnly: ['/home/dev/proj'] }, facts));
    expect(indexOf(groups, '--ro-bind /home/dev/proj /home/dev/proj')).toBeLessThan(indexOf(groups, '--bind /home/dev/proj /home/dev/proj'));
  });

  it('unshares every namespace, dies with its parent, starts a new session and drops all capabilities', () => {
    const args = buildBwrapArgs(layout, facts);
    expect(args).toContain('--unshare-all');
    expect(args).not.toContain('--share-net');
    expect(mounts(args).slice(-5)).toEqual(['--unshare-all', '--die-with-parent', '--new-session', '--cap-drop ALL', '--chdir /home/dev/proj']);
  });

  it('shares the network and re-mounts a hidden resolv.conf directory only when network is on', () => {
    const off = mounts(buildBwrapArgs(layout, facts));
    expect(off).not.toContain('--ro-bind /run/systemd/resolve /run/systemd/resolve');
    const on = mounts(buildBwrapArgs({ ...layout, network: true }, facts));
    expect(on).toContain('--share-net');
    expect(indexOf(on, '--ro-bind /run/systemd/resolve /run/systemd/resolve')).toBeGreaterThan(indexOf(on, '--tmpfs /run'));
    const visible = mounts(buildBwrapArgs({ ...layout, network: true }, { ...facts, resolvDir: '/etc' }));
    expect(visible).not.toContain('--ro-bind /etc /etc');
  });

  it('starts the command in the requested directory', () => {
    expect(buildBwrapArgs({ ...layout, cwd: '/home/dev/proj/src' }, facts).slice(-2)).toEqual(['--chdir', '/home/dev/proj/src']);
  });
});
