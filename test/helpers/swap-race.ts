// The file-tool race of issue 11 played through the real CLI: in every turn one shell call keeps
// swapping the directory `d` for a symlink to a host folder outside the working directory, while
// the same turn's write_file, edit_file and apply_patch calls write into `d`. Shared by the bounded
// main-suite test and the bigger one under `npm run test:stress`.
import { existsSync, readdirSync } from 'node:fs';
import { expect } from 'vitest';
import { join } from 'node:path';
import type { ScriptedToolCall, ScriptStep } from '../fake-server/index.js';
import type { FakeModelServer, FakeServerOptions } from '../fake-server/index.js';
import { runCli, type CliResult } from './run-cli.js';
import { tempDir, tempRepo } from './temp-repo.js';
import { userConfigEnv } from './user-config.js';

/** Tool calls of one turn at a time: the swapper, then gates filling every other slot until it runs. */
const TOOL_SLOTS = 3;

export interface SwapRaceOptions {
  turns: number;
  /** File-tool calls per turn, split evenly between write_file, edit_file and apply_patch. */
  writesPerTurn: number;
  /** Starts the fake model server (one per test). */
  startServer: (options: FakeServerOptions) => Promise<FakeModelServer>;
  timeoutMs: number;
}

export interface SwapRaceOutcome {
  run: CliResult;
  /** Every path created below the outside folder: must stay empty. */
  outsideEntries: string[];
  /** File-tool results of the whole run. */
  fileResults: Array<{ ok: boolean; output: string }>;
  /** Swaps the shell calls made, summed over turns. */
  swaps: number;
  /** Names sprout left in the working directory that nobody asked for (temp files). */
  strayNames: string[];
  root: string;
}

/**
 * The swapper: a node loop (no process per swap, so thousands of swaps a second) that renames `d`
 * away, puts a symlink to `outside` in its place and back, until the turn's last write creates
 * `done-N`. A write can recreate `d` as a real directory while it is away; that one is moved to
 * `junk-*` (still inside) so the swapping never gets stuck. It leaves `d` a real directory.
 */
function swapper(outside: string, turn: number): ScriptedToolCall {
  const script = `
const fs = require('fs');
const tryIt = (f) => { try { f(); return true; } catch { return false; } };
const kind = (p) => { try { const s = fs.lstatSync(p); return s.isSymbolicLink() ? 'link' : s.isDirectory() ? 'dir' : 'file'; } catch { return 'none'; } };
let n = 0;
const clear = () => { const k = kind('d'); if (k === 'link' || k === 'file') tryIt(() => fs.unlinkSync('d')); else if (k === 'dir') tryIt(() => fs.renameSync('d', 'junk-${turn}-' + n)); };
fs.writeFileSync('swapping-${turn}', '');
while (!fs.existsSync('done-${turn}') && n < 2000000) {
  n++;
  if (kind('d.real') === 'none') tryIt(() => fs.renameSync('d', 'd.real'));
  else clear();
  tryIt(() => fs.symlinkSync(${JSON.stringify(outside)}, 'd'));
  clear();
  tryIt(() => fs.renameSync('d.real', 'd'));
}
if (kind('d') !== 'dir') { clear(); tryIt(() => fs.renameSync('d.real', 'd')); }
console.log('swaps=' + n);`;
  return { name: 'shell', arguments: { command: `node -e ${shellQuote(script)}`, timeout_seconds: 120 } };
}

/** Holds a tool slot until the swapper runs, so that no write of the turn starts before it. */
function gate(turn: number): ScriptedToolCall {
  return { name: 'shell', arguments: { command: `while [ ! -e swapping-${turn} ]; do sleep 0.02; done`, timeout_seconds: 60 } };
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** The turn's file-tool calls into `d`, then the write that stops the swapper. */
function fileCalls(turn: number, count: number): ScriptedToolCall[] {
  const calls: ScriptedToolCall[] = [];
  for (let i = 0; i < count; i++) {
    const name = `t${turn}-${i}.txt`;
    const kind = i % 3;
    if (kind === 0) calls.push({ name: 'write_file', arguments: { path: `d/w-${name}`, content: `write ${turn} ${i}\n` } });
    else if (kind === 1) calls.push({ name: 'edit_file', arguments: { path: `d/e-${i}.txt`, old_string: 'edit me', new_string: 'edit me' + ' ' } });
    else calls.push({ name: 'apply_patch', arguments: { patch: `*** Begin Patch\n*** Add File: d/p-${name}\n+patch ${turn} ${i}\n*** End Patch\n` } });
  }
  calls.push({ name: 'write_file', arguments: { path: `done-${turn}`, content: 'done\n' } });
  return calls;
}

/** Run the race and report what landed where. */
export async function runSwapRace(options: SwapRaceOptions): Promise<SwapRaceOutcome> {
  const outside = tempDir('sprout-race-outside-');
  const editTargets: Record<string, string> = {};
  for (let i = 1; i < options.writesPerTurn; i += 3) editTargets[`d/e-${i}.txt`] = 'edit me\n';
  const root = tempRepo({ 'README.md': 'race\n', ...editTargets });
  const script: ScriptStep[] = [];
  for (let turn = 0; turn < options.turns; turn++) {
    const gates = Array.from({ length: TOOL_SLOTS - 1 }, () => gate(turn));
    script.push({ toolCalls: [swapper(outside, turn), ...gates, ...fileCalls(turn, options.writesPerTurn)] });
  }
  script.push({ content: 'done' });
  const server = await options.startServer({ script });
  const run = await runCli(['run', '--json', '--base-url', server.url, '-C', root, 'race the file tools'], {
    env: { SPROUT_API_KEY: 'k', ...userConfigEnv({ maxRepeatedCalls: 1000, toolConcurrency: TOOL_SLOTS, compactAtTokens: 50_000_000 }) },
    timeoutMs: options.timeoutMs,
  });
  const results = run.events.filter((e) => e.type === 'tool_result') as unknown as Array<{ name: string; ok: boolean; output: string }>;
  const fileResults = results.filter((r) => r.name !== 'shell');
  results.filter((r) => r.name === 'shell' && !r.ok).forEach((r) => {
    throw new Error(`a shell call of the race failed: ${r.output}`);
  });
  const swaps = results
    .filter((r) => r.name === 'shell')
    .reduce((sum, r) => sum + Number(/swaps=(\d+)/.exec(r.output)?.[1] ?? 0), 0);
  return { run, outsideEntries: listTree(outside), fileResults, swaps, strayNames: strayNames(root), root };
}

function listTree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' });
}

/** Entries anywhere in the tree whose names look like a file tool's leftover temp file. */
function strayNames(root: string): string[] {
  return listTree(root).filter((p) => !p.startsWith('.git/') && /\.sprout-/.test(join('/', p)));
}

/** Run the race and assert the guarantee: the run finished, the swapper ran, nothing landed outside, no temp file was left. */
export async function expectRaceContained(options: SwapRaceOptions): Promise<SwapRaceOutcome> {
  const race = await runSwapRace(options);
  expect(race.run.code, race.run.stderr).toBe(0);
  expect(race.fileResults.length).toBe(options.turns * (options.writesPerTurn + 1));
  expect(race.swaps).toBeGreaterThan(0);
  expect(race.outsideEntries).toEqual([]);
  expect(race.strayNames).toEqual([]);
  return race;
}
