// Bad input gets one clear line and an exit code from the contract, never a stack trace.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tempDir, tempRepo } from '../helpers/temp-repo.js';
import { userConfigEnv } from '../helpers/user-config.js';

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe('sprout CLI errors', () => {
  it('--help and --version work and exit 0', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('run [options] [task]');
    const runHelp = await runCli(['run', '--help']);
    expect(runHelp.stdout).toContain('--max-turns <n>');
    const version = await runCli(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('an unknown option is a usage error, exit 2', async () => {
    const run = await runCli(['run', '--no-such-flag', 'task']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown option '--no-such-flag'");
  });

  it('a bad --max-turns value is a usage error, exit 2', async () => {
    const run = await runCli(['run', '--max-turns', 'many', 'task']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('expected a whole number');
  });

  it('a missing API key names the variables to set, exit 1, and still ends --json with a result', async () => {
    const repo = tempRepo({ 'a.txt': 'a' });
    const run = await runCli(['run', '--json', '--sandbox', 'none', '-C', repo, 'task'], { env: { ARK_API_KEY: undefined } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('set ARK_API_KEY (or SPROUT_API_KEY)');
    noStack(run.stderr);
    expect(run.events.at(-1)).toMatchObject({ type: 'result', status: 'error' });
  });

  it('a missing working directory is exit 2 with what to do', async () => {
    const run = await runCli(['run', '-C', '/nonexistent/sprout-dir', 'task'], { env: { SPROUT_API_KEY: 'k' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('/nonexistent/sprout-dir does not exist; pass an existing directory with --cwd');
    noStack(run.stderr);
  });

  it('an unreadable issue file is exit 2 with its path', async () => {
    const dir = tempDir();
    const run = await runCli(['run', '--issue', 'nope.md', '-C', dir], { cwd: dir, env: { SPROUT_API_KEY: 'k' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cannot read the issue file nope.md: no such file');
  });

  it('no task at all is exit 2', async () => {
    const dir = tempDir();
    const run = await runCli(['run', '-C', dir], { env: { SPROUT_API_KEY: 'k' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("no task: pass TASK as text, '-' to read it from stdin, or --issue FILE");
  });

  it('an invalid config file names the file, the key and what was expected', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, '.sprout'));
    writeFileSync(join(dir, '.sprout', 'config.json'), JSON.stringify({ maxTurns: 'ten' }));
    const run = await runCli(['run', '-C', dir, 'task'], { env: { SPROUT_API_KEY: 'k' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`invalid setting in config file ${join(dir, '.sprout', 'config.json')}: maxTurns:`);
    expect(run.stderr).toMatch(/expected number/);
    noStack(run.stderr);
  });

  it("an empty task read from stdin ('-') is exit 2", async () => {
    const dir = tempDir();
    const run = await runCli(['run', '--sandbox', 'none', '-C', dir, '-'], { stdin: '', env: { SPROUT_API_KEY: 'k' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no task');
  });
});

describe('sprout models', () => {
  it('lists the five doubao models with their tier prices', async () => {
    const run = await runCli(['models']);
    expect(run.code).toBe(0);
    for (const id of ['doubao-seed-code', 'doubao-1.5-pro-32k', 'doubao-seed-2-0-code', 'doubao-seed-2-0-lite', 'doubao-seed-2-0-mini']) {
      expect(run.stdout).toMatch(new RegExp(`^${id.replace(/\./g, '\\.')}\\s`, 'm'));
    }
    expect(run.stdout).toMatch(/doubao-seed-code\s+256K\s+32K\s+ark-thinking\s+1\.2\/1\.4\/2\.8 CNY\s+0\.24\/0\.24\/0\.24 CNY\s+8\/12\/16 CNY/);
    const joapi = await runCli(['models', '--provider', 'joapi', '--json']);
    const lite = joapi.events.find((e) => e.id === 'doubao-seed-2-0-lite');
    expect(lite).toMatchObject({ currency: 'USD', tiers: [{ input: 0.39, output: 1.99, upTo: null }] });
  });
});

describe('user model profiles', () => {
  it('sprout models lists a model added in the user config, and a run prices it with those prices', async () => {
    const env = userConfigEnv({ models: { 'my-model': { contextWindow: 65536, maxOutputTokens: 4096, currency: 'USD', tiers: [{ upTo: null, input: 2, cachedInput: 1, output: 10 }] } } });
    const list = await runCli(['models'], { env });
    expect(list.stdout).toMatch(/^my-model\s+64K\s+4K\s+none\s+2 USD\s+1 USD\s+10 USD\s+one tier$/m);
  });
});
