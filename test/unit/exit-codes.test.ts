// The exit code each error class documents in src/errors.ts is the one the CLI gives it, and both
// follow the CLI contract (usage error 2, any other error 1).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { exitCodeForError } from '../../src/cli/exit-codes.js';
import { ApiError, ConfigError, InputError, SandboxError, UsageError } from '../../src/errors.js';

const SOURCE = readFileSync(fileURLToPath(new URL('../../src/errors.ts', import.meta.url)), 'utf8');

/** The "exit N" the doc comment right above `class NAME` states. */
function documentedExit(name: string): number | undefined {
  const at = SOURCE.indexOf(`export class ${name} `);
  const doc = SOURCE.slice(SOURCE.lastIndexOf('/**', at), at);
  const match = /exit (\d+)/i.exec(doc);
  return match ? Number(match[1]) : undefined;
}

it('every error class documents the exit code the CLI maps it to', () => {
  const samples = [
    new UsageError('u'),
    new ConfigError('c'),
    new InputError('i'),
    new ApiError('a', 500, undefined),
    new SandboxError('s'),
  ];
  const table = samples.map((e) => [e.name, documentedExit(e.name), exitCodeForError(e)]);
  expect(table).toEqual([
    ['UsageError', 2, 2],
    ['ConfigError', 1, 1],
    ['InputError', 2, 2],
    ['ApiError', 1, 1],
    ['SandboxError', 1, 1],
  ]);
});
