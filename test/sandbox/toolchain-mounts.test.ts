// Which PATH entries under hidden places get their toolchain mounted: the first directory under HOME
// (with rustup beside cargo), only bin/ and lib/ of ~/.local, never a secret-bearing directory.
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planToolchainMounts } from '../../sandbox/toolchain-mounts.js';
import { tempDir } from '../helpers/temp-repo.js';

function home(dirs: string[]): string {
  const dir = tempDir('sprout-home-');
  for (const d of dirs) mkdirSync(join(dir, d), { recursive: true });
  return dir;
}

describe('toolchain mounts for PATH', () => {
  it('mounts the toolchain root of each hidden PATH entry, rustup with cargo, and links it into the sandbox HOME', async () => {
    const h = home(['.pyenv/shims', '.cargo/bin', '.rustup/toolchains', '.local/bin', '.local/share/keyrings', 'go/bin']);
    const path = [`${h}/.pyenv/shims`, `${h}/.cargo/bin`, `${h}/.local/bin`, `${h}/go/bin`, '/usr/bin'].join(':');
    const plan = await planToolchainMounts(path, h, [h]);
    expect(plan.mounts.map((m) => m.target).sort()).toEqual([`${h}/.cargo`, `${h}/.local/bin`, `${h}/.pyenv`, `${h}/.rustup`, `${h}/go`].sort());
    expect(plan.homeLinks.map((l) => l.name).sort()).toEqual(['.cargo', '.pyenv', '.rustup', 'go']);
    expect(plan.hidden).toEqual([]);
  });

  it('never mounts a secret-bearing directory, whatever PATH says, and says which entries stayed hidden', async () => {
    const h = home(['.ssh/bin', '.config/tool/bin', '.local/share/bin', '.aws/bin']);
    const path = [`${h}/.ssh/bin`, `${h}/.config/tool/bin`, `${h}/.local/share/bin`, `${h}/.aws/bin`].join(':');
    const plan = await planToolchainMounts(path, h, [h]);
    expect(plan.mounts).toEqual([]);
    expect(plan.hidden).toHaveLength(4);
    expect(plan.hidden[0]).toBe(`${h}/.ssh/bin (secrets)`);
  });

  it('mounts a symlinked toolchain at its own path and at its real path; leaves visible entries alone', async () => {
    const h = home([]);
    const real = tempDir('sprout-real-');
    mkdirSync(join(real, 'shims'));
    symlinkSync(real, join(h, '.pyenv'));
    const plan = await planToolchainMounts(`${h}/.pyenv/shims:/usr/bin`, h, [h]);
    expect(plan.mounts).toEqual([{ source: real, target: `${h}/.pyenv` }, { source: real, target: real }]);
  });
});
