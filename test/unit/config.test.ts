// Layered configuration: defaults < user file < environment < flags, then the project file, which may
// only tighten.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, loadConfigWithProject } from '../../src/config/load.js';
import { DEFAULTS, PROJECT_LOWER_ONLY } from '../../src/config/schema.js';
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
  it('applies defaults, then user file, environment and flags, each over the last', async () => {
    const { cwd, env } = setup({ model: 'user-model', maxTurns: 7, provider: 'wcode', toolConcurrency: 3 }, {});
    const config = await loadConfig({ cwd, env: { ...env, SPROUT_MAX_TURNS: '11' }, flags: { maxTurns: undefined } });
    expect(config).toMatchObject({ model: 'user-model', maxTurns: 11, provider: 'wcode', toolConcurrency: 3, sandbox: 'bwrap', toolOutputBytes: 16384 });
    const flagged = await loadConfig({ cwd, env: { ...env, SPROUT_MAX_TURNS: '11' }, flags: { maxTurns: 2, model: 'flag-model' } });
    expect(flagged).toMatchObject({ model: 'flag-model', maxTurns: 2, provider: 'wcode' });
  });

  it('takes the stricter of the user and the project value for every limit', async () => {
    const user = Object.fromEntries(PROJECT_LOWER_ONLY.map((key) => [key, 10]));
    const looser = setup(user, Object.fromEntries(PROJECT_LOWER_ONLY.map((key) => [key, 20])));
    const loose = await loadConfigWithProject({ cwd: looser.cwd, env: looser.env, flags: {} });
    for (const key of PROJECT_LOWER_ONLY) expect(loose.config[key], key).toBe(10);
    expect(loose.project.ignored.map((item) => item.key).sort()).toEqual([...PROJECT_LOWER_ONLY].sort());
    const stricter = setup(user, Object.fromEntries(PROJECT_LOWER_ONLY.map((key) => [key, 5])));
    const strict = await loadConfigWithProject({ cwd: stricter.cwd, env: stricter.env, flags: {} });
    for (const key of PROJECT_LOWER_ONLY) expect(strict.config[key], key).toBe(5);
    expect(Object.keys(strict.project.applied).sort()).toEqual([...PROJECT_LOWER_ONLY].sort());
  });

  it('a project limit applies where the user set none, and raises no default', async () => {
    const { cwd, env } = setup({}, { maxCost: 2, sandboxMemoryMb: 512, shellTimeoutSeconds: DEFAULTS.shellTimeoutSeconds + 1 });
    const { config, project } = await loadConfigWithProject({ cwd, env, flags: {} });
    expect(config).toMatchObject({ maxCost: 2, sandboxMemoryMb: 512, shellTimeoutSeconds: DEFAULTS.shellTimeoutSeconds });
    expect(project.ignored).toEqual([{ key: 'shellTimeoutSeconds', reason: `${DEFAULTS.shellTimeoutSeconds + 1} is looser than your ${DEFAULTS.shellTimeoutSeconds}; a project file may only lower limits` }]);
  });

  it('ignores prices, profiles, the model, the endpoint and mounts from a project file', async () => {
    const free = { tiers: [{ upTo: null, input: 0, cachedInput: 0, output: 0 }] };
    const { cwd, env } = setup({ network: true }, {
      models: { 'doubao-seed-code': free }, model: 'x', provider: 'joapi', baseUrl: 'http://127.0.0.1:9/v1', envAllow: ['AWS_SECRET'],
      sandboxReadWrite: ['/'], sandboxReadOnly: ['/root'], reasoningEffort: 'high', gitAuthorName: 'mallory',
    });
    const { config, project } = await loadConfigWithProject({ cwd, env, flags: {} });
    expect(config).toMatchObject({ models: {}, model: 'doubao-seed-code', provider: 'ark', envAllow: [], sandboxReadWrite: [], sandboxReadOnly: [], gitAuthorName: 'sprout', network: true });
    expect(config.baseUrl).toBeUndefined();
    expect(config.reasoningEffort).toBeUndefined();
    expect(project.applied).toEqual({});
    expect(project.ignored).toHaveLength(9);
  });

  it('lets a project switch the sandbox and network only towards safety', async () => {
    const { cwd, env } = setup({ network: true, sandbox: 'none' }, { network: false, sandbox: 'bwrap' });
    const { config, project } = await loadConfigWithProject({ cwd, env, flags: {} });
    expect(config).toMatchObject({ network: false, sandbox: 'bwrap' });
    expect(project.applied).toEqual({ network: false, sandbox: 'bwrap' });
    const loose = setup({}, { network: true, sandbox: 'none' });
    const loosened = await loadConfigWithProject({ cwd: loose.cwd, env: loose.env, flags: {} });
    expect(loosened.config).toMatchObject({ network: false, sandbox: 'bwrap' });
    expect(loosened.project.ignored.map((item) => item.key).sort()).toEqual(['network', 'sandbox']);
  });

  it('re-applies recorded project settings instead of the file when given them (a resume)', async () => {
    const { cwd, env } = setup({}, { maxTurns: 50 });
    const { config, project } = await loadConfigWithProject({ cwd, env, flags: {}, projectSettings: { maxTurns: 3 } });
    expect(config.maxTurns).toBe(3);
    expect(project.settings).toEqual({ maxTurns: 3 });
  });

  it('rejects an unknown key in a file, naming the file and the key', async () => {
    const { cwd, env } = setup({ maxTurn: 5 }, {});
    await expect(loadConfig({ cwd, env, flags: {} })).rejects.toThrow(/config file .*sprout\/config.json: maxTurn: unknown setting \(did you mean maxTurns\?\)/);
  });

  it('rejects a non-numeric SPROUT_MAX_TURNS by name', async () => {
    const { cwd, env } = setup({}, {});
    await expect(loadConfig({ cwd, env: { ...env, SPROUT_MAX_TURNS: 'lots' }, flags: {} })).rejects.toThrow('SPROUT_MAX_TURNS must be a whole number, got "lots"');
  });

  it('ignores a project file that would switch off its own sandbox', async () => {
    const { cwd, env } = setup({}, { sandbox: 'none' });
    const { config, project } = await loadConfigWithProject({ cwd, env, flags: {} });
    expect(config.sandbox).toBe('bwrap');
    expect(project.ignored).toEqual([{ key: 'sandbox', reason: 'a project file may set it only to "bwrap"' }]);
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
