// Scheduling one turn's calls: conflicting calls (same file, same lock) in the model's order, the
// rest side by side, results in the model's order.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runToolBatch } from '../../src/agent/tool-batch.js';
import type { Tool } from '../../tools/define-tool.js';
import { builtinTools } from '../../tools/registry.js';
import { tempDir, writeFiles } from '../helpers/temp-repo.js';
import { toolHarness } from '../helpers/tools.js';

it('two edits of one file apply in order while a sleep in the same turn runs alongside', async () => {
  const dir = tempDir();
  writeFiles(dir, { 'f.txt': 'alpha\n' });
  const { ctx } = await toolHarness(dir);
  const calls = [
    { id: 'sleep', name: 'shell', arguments: JSON.stringify({ command: 'sleep 1; echo slept' }) },
    { id: 'e1', name: 'edit_file', arguments: JSON.stringify({ path: 'f.txt', old_string: 'alpha', new_string: 'beta' }) },
    { id: 'e2', name: 'edit_file', arguments: JSON.stringify({ path: './f.txt', old_string: 'beta', new_string: 'gamma' }) },
  ];
  const tools = new Map<string, Tool>(builtinTools().map((t) => [t.name, t]));
  const order: string[] = [];
  const started = Date.now();
  for await (const [index, outcome] of runToolBatch(calls, { tools, ctx, concurrency: 4, output: { outputLimitBytes: 4096 } })) {
    order.push(calls[index]!.id);
    expect(outcome.ok, outcome.output).toBe(true);
  }
  // Both edits finished before the sleep: they did not wait for it, and the second saw the first.
  expect(order).toEqual(['e1', 'e2', 'sleep']);
  expect(readFileSync(join(dir, 'f.txt'), 'utf8')).toBe('gamma\n');
  expect(Date.now() - started).toBeLessThan(1900);
});
