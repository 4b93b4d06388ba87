// sprout's benchmarks, printed, never asserted. Run with `npm run bench`. First the six figures of
// issue 19 from real CLI runs against the fake server, next to the reference figures; then the
// compaction-threshold curve; then micro-benchmarks of what a user pays for: tokens (prefix cache),
// time (parallel tool calls), memory (output capture), CPU (stream assembly).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runToolBatch } from '../src/agent/tool-batch.js';
import { requestCost } from '../src/model/cost.js';
import { TurnAssembler } from '../src/model/assemble.js';
import { findProfile } from '../src/model/profiles.js';
import { createHostSandbox } from '../sandbox/host.js';
import { createBwrapSandbox } from '../sandbox/bwrap.js';
import { probeBwrap } from '../sandbox/bwrap-probe.js';
import { compactionCurve } from './compaction-curve.js';
import { fixedPrompt, oneRequest, parallelCommands, session } from './figures.js';
import { median } from './cli-runs.js';
import type { Tool } from '../tools/define-tool.js';
import { builtinTools, toToolSpecs } from '../tools/registry.js';

interface Row {
  name: string;
  value: string;
  note: string;
}

/** Cost of a 30-turn session with a stable prompt prefix vs one whose system prompt changes every turn. */
function prefixCache(): Row {
  const profile = findProfile('doubao-seed-code');
  const tools = JSON.stringify(toToolSpecs(builtinTools()));
  const tokens = (text: string) => Math.ceil(Buffer.byteLength(text) / 4);
  const session = (volatile: boolean) => {
    let previous = '';
    let cost = 0;
    let history = '';
    for (let turn = 0; turn < 30; turn++) {
      history += `{"role":"tool","content":"${'x'.repeat(3000)}"}`;
      const system = volatile ? `system prompt, now ${turn}` : 'system prompt';
      const prompt = tools + system + history;
      let shared = 0;
      while (shared < previous.length && shared < prompt.length && previous[shared] === prompt[shared]) shared++;
      cost += requestCost(profile, { promptTokens: tokens(prompt), cachedTokens: Math.floor(shared / 4), completionTokens: 300, reasoningTokens: 0 });
      previous = prompt;
    }
    return cost;
  };
  const stable = session(false);
  const volatile = session(true);
  return { name: 'prefix cache: 30-turn cost, volatile / stable prefix', value: `${(volatile / stable).toFixed(2)}x`, note: `${stable.toFixed(4)} vs ${volatile.toFixed(4)} CNY` };
}

/** Four 300 ms commands as one turn (concurrent) vs one after another. */
async function parallelCalls(root: string): Promise<Row> {
  const sandbox = await createHostSandbox({ root });
  const tools = new Map<string, Tool>(builtinTools().map((t) => [t.name, t]));
  const ctx = { sandbox, signal: new AbortController().signal, cwd: sandbox.root, limits: { shellTimeoutMs: 10_000, shellMaxTimeoutMs: 10_000, execOutputBytes: 65_536 } };
  const calls = Array.from({ length: 4 }, (_, i) => ({ id: `c${i}`, name: 'shell', arguments: '{"command":"sleep 0.3"}' }));
  const time = async (concurrency: number) => {
    const started = performance.now();
    for await (const _ of runToolBatch(calls, { tools, ctx, concurrency, output: { outputLimitBytes: 16_384 } }));
    return performance.now() - started;
  };
  const serial = await time(1);
  const parallel = await time(8);
  await sandbox.close();
  return { name: 'tool calls: 4 x sleep 0.3, serial / concurrent', value: `${(serial / parallel).toFixed(2)}x`, note: `${serial.toFixed(0)} ms vs ${parallel.toFixed(0)} ms` };
}

/** 200 MB of output through the capped capture: what is held stays at the cap. */
async function outputCapture(root: string): Promise<Row> {
  const sandbox = await createHostSandbox({ root });
  const before = process.memoryUsage().rss;
  const started = performance.now();
  const result = await sandbox.exec('head -c 200000000 /dev/zero | tr "\\0" "y"', { timeoutMs: 60_000, maxOutputBytes: 1 << 20 });
  const seconds = (performance.now() - started) / 1000;
  const grown = Math.max(0, process.memoryUsage().rss - before);
  await sandbox.close();
  const mb = result.totalBytes / 1e6;
  const kept = result.output.length / 1e6;
  // RSS growth is mostly garbage the collector has not taken back yet; what is held is `kept`.
  return { name: 'output capture: MB drained per MB kept in memory', value: `${(mb / kept).toFixed(0)}x`, note: `${mb.toFixed(0)} MB in ${seconds.toFixed(2)} s, RSS +${(grown / 1e6).toFixed(1)} MB, kept ${kept.toFixed(1)} MB` };
}

/** A short bwrap call whose container is set up at the call, vs one set up ahead while the model thinks. */
async function containerAhead(root: string): Promise<Row> {
  const time = async (warm: boolean) => {
    const sandbox = await createBwrapSandbox({ root });
    const times: number[] = [];
    if (warm) sandbox.warm?.();
    for (let i = 0; i < 15; i++) {
      await new Promise((resolve) => setTimeout(resolve, 60)); // the model's thinking, shortened
      const started = performance.now();
      await sandbox.exec(`seq ${i} ${i + 559}`, { timeoutMs: 10_000, maxOutputBytes: 65_536 });
      times.push(performance.now() - started);
    }
    await sandbox.close();
    return median(times);
  };
  const atCall = await time(false);
  const ahead = await time(true);
  return { name: 'bwrap call (seq 1 560): set up at the call / ahead', value: `${(atCall / ahead).toFixed(2)}x`, note: `${atCall.toFixed(1)} ms vs ${ahead.toFixed(1)} ms, median of 15` };
}

/** Assembling a streamed turn: chunks per second through TurnAssembler. */
function streamAssembly(): Row {
  const chunks = 200_000;
  const started = performance.now();
  const assembler = new TurnAssembler();
  for (let i = 0; i < chunks; i++) {
    assembler.add({ choices: [{ delta: i % 2 ? { content: 'tok ' } : { tool_calls: [{ index: i % 3, id: `c${i % 3}`, function: { arguments: '{"a":' } }] } }] });
  }
  assembler.add({ choices: [{ delta: {}, finish_reason: 'stop' }] });
  assembler.turn();
  const seconds = (performance.now() - started) / 1000;
  return { name: 'stream assembly: chunks per second', value: `${Math.round(chunks / seconds).toLocaleString('en-US')}`, note: `${chunks.toLocaleString('en-US')} chunks in ${(seconds * 1000).toFixed(0)} ms` };
}

/** Print rows as an aligned plain-text table. */
function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const row of [header, ...rows]) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}

const bwrap = await probeBwrap();
const sandbox = bwrap.ok ? [] : ['--sandbox', 'none'];
const [load] = (await import('node:os')).loadavg();
console.log(`issue 19 figures (sandbox: ${bwrap.ok ? 'bwrap' : 'none, bwrap unavailable'}; load average ${load!.toFixed(1)} on ${(await import('node:os')).availableParallelism()} cores)`);
const figures = [fixedPrompt(), ...(await session(sandbox)), await oneRequest(sandbox), await parallelCommands(sandbox)];
printTable(['figure', 'sprout', 'best peer', 'target', 'details'], figures.map((f) => [f.name, f.value, f.reference, f.target, f.note]));

console.log('\ncompaction threshold, 62-turn doubao-seed-code session (cost falls with the threshold; fidelity is not measured here)');
printTable(['--compact-at', 'cost CNY', 'compactions'], (await compactionCurve()).map((p) => [p.threshold, p.cost.toFixed(3), String(p.compactions)]));

const root = mkdtempSync(join(tmpdir(), 'sprout-bench-'));
try {
  const rows = [prefixCache(), await parallelCalls(root), ...(bwrap.ok ? [await containerAhead(root)] : []), await outputCapture(root), streamAssembly()];
  console.log('\nmicro-benchmarks');
  printTable(['benchmark', 'result', 'details'], rows.map((r) => [r.name, r.value, r.note]));
} finally {
  rmSync(root, { recursive: true, force: true });
}
