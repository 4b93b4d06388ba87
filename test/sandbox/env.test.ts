// Environment scrubbing for tool processes.
import { describe, expect, it } from 'vitest';
import { buildToolEnv, looksSecret } from '../../sandbox/env.js';

const hostEnv = {
  PATH: '/usr/bin:/bin',
  LANG: 'C.UTF-8',
  LC_ALL: 'C.UTF-8',
  TERM: 'xterm',
  HOME: '/home/real',
  SPROUT_API_KEY: 'k1',
  ARK_API_KEY: 'k2',
  GITHUB_TOKEN: 'k3',
  DB_PASSWORD: 'k4',
  aws_secret: 'k5',
  OPENAI_API_KEY_FILE: 'k6',
  EDITOR: 'vim',
  MY_TOOL_FLAG: 'on',
  PAGER: 'less',
};

describe('looksSecret', () => {
  it('flags key, token, secret and password names in any case', () => {
    for (const name of ['SPROUT_API_KEY', 'ARK_API_KEY', 'GITHUB_TOKEN', 'DB_PASSWORD', 'aws_secret', 'ssh_key', 'OPENAI_API_KEY_FILE', 'PASSWORD_FILE']) {
      expect(looksSecret(name), name).toBe(true);
    }
  });

  it('does not flag ordinary names', () => {
    for (const name of ['PATH', 'HOME', 'LANG', 'KEYBOARD', 'TOKENIZERS_PARALLELISM', 'CI']) {
      expect(looksSecret(name), name).toBe(false);
    }
  });
});

describe('buildToolEnv', () => {
  it('keeps PATH, LANG, LC_* and TERM and sets HOME to the given home', () => {
    const env = buildToolEnv(hostEnv, { allow: [], home: '/tmp/home' });
    expect(env).toMatchObject({ PATH: '/usr/bin:/bin', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', TERM: 'xterm', HOME: '/tmp/home' });
  });

  it('drops API keys, tokens, passwords and names not on the allowlist', () => {
    const env = buildToolEnv(hostEnv, { allow: [], home: '/tmp/home' });
    for (const name of ['SPROUT_API_KEY', 'ARK_API_KEY', 'GITHUB_TOKEN', 'DB_PASSWORD', 'aws_secret', 'OPENAI_API_KEY_FILE', 'EDITOR', 'MY_TOOL_FLAG']) {
      expect(env, name).not.toHaveProperty(name);
    }
  });

  it('passes names the user allows, including a secret-looking one named exactly', () => {
    const env = buildToolEnv(hostEnv, { allow: ['MY_TOOL_FLAG', 'GITHUB_TOKEN'], home: '/h' });
    expect(env.MY_TOOL_FLAG).toBe('on');
    expect(env.GITHUB_TOKEN).toBe('k3');
    expect(env).not.toHaveProperty('ARK_API_KEY');
  });

  it('never passes a secret-looking LC_ name without an exact allow entry', () => {
    const env = buildToolEnv({ LC_API_KEY: 'x', LC_CTYPE: 'C' }, { allow: [], home: '/h' });
    expect(env).not.toHaveProperty('LC_API_KEY');
    expect(env.LC_CTYPE).toBe('C');
  });

  it('sets non-interactive defaults that an allowed name overrides', () => {
    const env = buildToolEnv(hostEnv, { allow: [], home: '/h' });
    expect(env).toMatchObject({ GIT_TERMINAL_PROMPT: '0', PAGER: 'cat', GIT_PAGER: 'cat' });
    expect(buildToolEnv(hostEnv, { allow: ['PAGER'], home: '/h' }).PAGER).toBe('less');
  });

  it('forces no colour setting: the user\'s NO_COLOR/FORCE_COLOR/CI pass through as they are, and none is added', () => {
    const plain = buildToolEnv({ PATH: '/bin' }, { allow: [], home: '/h' });
    for (const name of ['NO_COLOR', 'FORCE_COLOR', 'CI', 'CARGO_TERM_COLOR']) expect(plain).not.toHaveProperty(name);
    expect(buildToolEnv({ FORCE_COLOR: '1', CI: 'true' }, { allow: [], home: '/h' })).toMatchObject({ FORCE_COLOR: '1', CI: 'true' });
    expect(buildToolEnv({ NO_COLOR: '1' }, { allow: [], home: '/h' }).NO_COLOR).toBe('1');
  });
});
