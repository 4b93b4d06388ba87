// Layered configuration: defaults < user file < project file < environment < flags.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { lookupApiKey } from '../../src/config/providers.js';
import { tempDir } from '../helpers/temp-repo.js';

function setup(user: object, project: object) {
  const xdg = tempDir();
  const cwd = tempDir();
  mkdirSync(join(xdg, 'sprout'));
  writeFileSync(join(xdg, 'sprout', 'config.json'), JSON.stringify(user));
  mkdirSync(join(cwd, '.sprout'));
  writeFileSync(join(cwd, '.sprout', 'config.json'), JSON.stringify(project));
  return { cwd, env: { XDG_CONFIG_HOME: xdg } as NodeJS.ProcessEnv };
}

describe('loadConfig', () => {
  it('applies defaults, then user file, project file, environment and flags, each over the last', async () => {
    const { cwd, env } = setup({ model: 'user-model', maxTurns: 7, provider: 'wcode', toolConcurrency: 3 }, { model: 'project-model', maxTurns: 9 });
    const config = await loadConfig({ cwd, env: { ...env, SPROUT_MAX_TURNS: '11' }, flags: { maxTurns: undefined } });
    expect(config).toMatchObject({ model: 'project-model', maxTurns: 11, provider: 'wcode', toolConcurrency: 3, sandbox: 'bwrap', toolOutputBytes: 16384 });
    const flagged = await loadConfig({ cwd, env: { ...env, SPROUT_MAX_TURNS: '11' }, flags: { maxTurns: 2, model: 'flag-model' } });
    expect(flagged).toMatchObject({ model: 'flag-model', maxTurns: 2, provider: 'wcode' });
  });

  it('rejects an unknown key in a file, naming the file and the key', async () => {
    const { cwd, env } = setup({ maxTurn: 5 }, {});
    await expect(loadConfig({ cwd, env, flags: {} })).rejects.toThrow(/config file .*sprout\/config.json: maxTurn: unknown setting \(did you mean maxTurns\?\)/);
  });

  it('rejects a non-numeric SPROUT_MAX_TURNS by name', async () => {
    const { cwd, env } = setup({}, {});
    await expect(loadConfig({ cwd, env: { ...env, SPROUT_MAX_TURNS: 'lots' }, flags: {} })).rejects.toThrow('SPROUT_MAX_TURNS must be a whole number, got "lots"');
  });

  it('refuses a project file that would switch off its own sandbox', async () => {
    const { cwd, env } = setup({}, { sandbox: 'none' });
    await expect(loadConfig({ cwd, env, flags: {} })).rejects.toThrow(/sets sandbox, which a project file may not set/);
  });
});

describe('lookupApiKey', () => {
  it('prefers SPROUT_API_KEY, then the provider variable, then OPENAI_API_KEY', () => {
    expect(lookupApiKey('ark', { SPROUT_API_KEY: 's', ARK_API_KEY: 'a', OPENAI_API_KEY: 'o' })).toEqual({ value: 's', envName: 'SPROUT_API_KEY' });
    expect(lookupApiKey('ark', { ARK_API_KEY: 'a', OPENAI_API_KEY: 'o' })).toEqual({ value: 'a', envName: 'ARK_API_KEY' });
    expect(lookupApiKey('joapi', { ARK_API_KEY: 'a', OPENAI_API_KEY: 'o' })).toEqual({ value: 'o', envName: 'OPENAI_API_KEY' });
    expect(() => lookupApiKey('wcode', {})).toThrow('set WCODE_API_KEY (or SPROUT_API_KEY)');
  });
});
