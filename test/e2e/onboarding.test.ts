// Getting started: `sprout init` writes files that `sprout doctor` accepts, a config file may carry
// comments and a `$schema` for editors, a misspelt setting or option gets "did you mean", and shell
// completion scripts complete commands, options and option values.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, cliEnv, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-repo.js';

describe('sprout init', { timeout: 90_000 }, () => {
  it('writes a commented project config with its schema, AGENTS.md and a workflow, which doctor accepts', async () => {
    const dir = tempDir('sprout-init-');
    const init = await runCli(['init', '-C', dir]);
    expect(init.code, init.stderr).toBe(0);
    for (const file of ['.sprout/config.json', '.sprout/config.schema.json', 'AGENTS.md', '.github/workflows/sprout.yml']) {
      expect(existsSync(join(dir, file)), file).toBe(true);
      expect(init.stdout).toContain(`wrote   ${file}`);
    }
    const config = readFileSync(join(dir, '.sprout/config.json'), 'utf8');
    expect(config).toContain('"$schema": "./config.schema.json"');
    expect(config).toMatch(/^\s*\/\/ /m);
    const doctor = await runCli(['doctor', '--offline', '-C', dir], { env: { SPROUT_API_KEY: 'k' } });
    expect(doctor.stdout).toMatch(/^✓ config: provider ark, model doubao-seed-code/m);
    expect(doctor.code, doctor.stdout).toBe(0);

    // A second init keeps what is there.
    const again = await runCli(['init', '-C', dir]);
    expect(again.stdout).toContain('kept    AGENTS.md (exists; --force overwrites it)');
  });

  it('--user writes the user config, which doctor loads', async () => {
    const xdg = tempDir('sprout-xdg-');
    const init = await runCli(['init', '--user'], { env: { XDG_CONFIG_HOME: xdg } });
    expect(init.code, init.stderr).toBe(0);
    expect(existsSync(join(xdg, 'sprout', 'config.json'))).toBe(true);
    expect(existsSync(join(xdg, 'sprout', 'config.schema.json'))).toBe(true);
    const doctor = await runCli(['doctor', '--offline', '-C', tempDir()], { env: { XDG_CONFIG_HOME: xdg, SPROUT_API_KEY: 'k' } });
    expect(doctor.code, doctor.stdout).toBe(0);
  });
});

describe('config files', () => {
  const project = (text: string): string => {
    const dir = tempDir('sprout-project-');
    mkdirSync(join(dir, '.sprout'));
    writeFileSync(join(dir, '.sprout', 'config.json'), text);
    return dir;
  };

  it('a config with $schema, comments and a trailing comma loads', async () => {
    const dir = project('{\n  "$schema": "https://example.invalid/schema.json", // for the editor\n  "maxTurns": 7,\n}\n');
    const doctor = await runCli(['doctor', '--offline', '-C', dir], { env: { SPROUT_API_KEY: 'k' } });
    expect(doctor.stdout).toMatch(/^✓ config:/m);
  });

  it('maxTurn gets "did you mean maxTurns" in one line, a config error (exit 1), no stack trace', async () => {
    const dir = project('{ "maxTurn": 3 }');
    const run = await runCli(['run', '--base-url', 'http://127.0.0.1:9/v1', '-C', dir, 'x'], { env: { SPROUT_API_KEY: 'k' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/maxTurn: unknown setting \(did you mean maxTurns\?\)/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('a syntax error names the line and column', async () => {
    const dir = project('{\n  "maxTurns": 3\n  "model": "x"\n}');
    const doctor = await runCli(['doctor', '--offline', '-C', dir], { env: { SPROUT_API_KEY: 'k' } });
    expect(doctor.stdout).toMatch(/✗ config: config file .*config\.json is not valid JSON \(CommaExpected at line 3, column 3\)/);
  });

  it('sprout schema config prints the JSON Schema with defaults, $schema allowed and unknown keys refused', async () => {
    const run = await runCli(['schema', 'config']);
    expect(run.code, run.stderr).toBe(0);
    const schema = JSON.parse(run.stdout) as { properties: Record<string, { default?: unknown; type?: string }>; additionalProperties: boolean };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.$schema).toMatchObject({ type: 'string' });
    expect(schema.properties.maxTurns).toMatchObject({ type: 'integer', default: 100 });
  });

  it('a misspelt option gets "did you mean"', async () => {
    const run = await runCli(['run', '--max-turn', '3', 'x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('(Did you mean --max-turns?)');
  });
});

describe('sprout completion', () => {
  /** What bash completes for the words typed so far (the last one may be partial). */
  const complete = (script: string, typed: string[]): string[] => {
    const file = join(tempDir(), 'sprout.bash');
    writeFileSync(file, script);
    const words = typed.map((w) => `'${w}'`).join(' ');
    const program = `source ${file}; COMP_WORDS=(${words}); COMP_CWORD=${typed.length - 1}; _sprout; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const out = spawnSync('bash', ['-c', program], { encoding: 'utf8' });
    expect(out.stderr).toBe('');
    return out.stdout.split('\n').filter(Boolean);
  };

  it('bash completes commands, options and option values', async () => {
    const { stdout: script } = await runCli(['completion', 'bash']);
    expect(complete(script, ['sprout', 'ru'])).toEqual(['run']);
    expect(complete(script, ['sprout', 'run', '--max-t'])).toEqual(['--max-turns']);
    expect(complete(script, ['sprout', 'run', '--provider', 'ark'])).toEqual(['ark', 'ark-coding']);
    expect(complete(script, ['sprout', 'sessions', 'show', '--format', ''])).toEqual(['md', 'html', 'json']);
  });

  it('zsh and fish scripts cover the same commands', async () => {
    const zsh = await runCli(['completion', 'zsh']);
    expect(zsh.stdout).toContain('bashcompinit');
    expect(zsh.stdout).toContain('complete -o default -F _sprout sprout');
    const fish = await runCli(['completion', 'fish']);
    expect(fish.stdout).toContain("complete -c sprout -n '__fish_use_subcommand' -a run");
    expect(fish.stdout).toContain("complete -c sprout -n '__fish_seen_subcommand_from run' -l provider -x -a 'ark ark-coding wcode joapi openai'");
    const bad = await runCli(['completion', 'tcsh']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Allowed choices are bash, zsh, fish');
    expect(spawnSync(process.execPath, [CLI, 'completion', 'bash'], { env: cliEnv() }).status).toBe(0);
  });
});
