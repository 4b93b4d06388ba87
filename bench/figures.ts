// The six figures of issue 19, each measured on the built CLI against the fake server, next to the
// reference figures (the best peer measured on the same kind of server and machine) and the target.
import { buildSystemPrompt } from '../src/agent/system-prompt.js';
import { builtinTools, toToolSpecs, visionTools } from '../tools/registry.js';
import { benchGitRepo, benchRepo, benchState, median, runCli, type BenchModel, type CliRun } from './cli-runs.js';

/** One row of the table. */
export interface Figure {
  name: string;
  value: string;
  reference: string;
  target: string;
  note: string;
}

const RUNS = 5; // timed runs per figure; the median is quoted
const SESSION_TURNS = 40;

/** System prompt plus every tool schema, as the fake server counts tokens (bytes / 4). */
export function fixedPrompt(): Figure {
  const tools = [...builtinTools(), ...visionTools({ chromiumPath: '/usr/bin/chromium' })];
  const system = buildSystemPrompt({ cwd: '/home/user/project', toolNames: tools.map((t) => t.name), sandboxNote: 'a bubblewrap sandbox without network access' });
  const toolJson = JSON.stringify(toToolSpecs(tools));
  const tokens = Math.ceil((Buffer.byteLength(system) + Buffer.byteLength(toolJson)) / 4);
  return { name: 'fixed prompt overhead, tokens', value: tokens.toLocaleString('en-US'), reference: 'opencode 7.6K', target: '<= 2,500', note: `${tools.length} tools, tool JSON ${toolJson.length.toLocaleString('en-US')} chars` };
}

/** A 40-turn session: each turn one short command printing ~2.1 KB, then a final answer. */
const sessionModel: BenchModel = (i) =>
  i < SESSION_TURNS - 1
    ? { reasoning: `Step ${i}: list the next range.`, content: `Checking range ${i}.`, toolCalls: [{ name: 'shell', arguments: { command: `seq ${i} ${i + 559}` } }] }
    : { content: 'Checked every range.' };

export async function session(sandbox: string[]): Promise<Figure[]> {
  const runs = await sessionRuns(benchRepo(), sandbox);
  const inGit = await sessionRuns(benchGitRepo(), sandbox);
  const cost = Number((runs[0]!.result.cost as { amount: number }).amount);
  const peaks = runs.map((r) => r.peakKib).filter((p): p is number => p !== undefined);
  return [
    { name: `${SESSION_TURNS}-turn session cost (2.1 KB output/turn), CNY`, value: cost.toFixed(3), reference: 'opencode 0.319', target: '<= 0.255', note: `doubao-seed-code prices, ${runs[0]!.result.num_turns} turns` },
    { name: 'agent time per turn incl. a short sandboxed command', value: `${perTurn(runs).toFixed(1)} ms`, reference: 'Gemini 32 ms', target: '<= 25 ms', note: `median over turns, median of ${RUNS} runs; in a git repository ${perTurn(inGit).toFixed(1)} ms` },
    { name: `peak RSS of the sprout process, ${SESSION_TURNS}-turn session`, value: peaks.length ? `${(median(peaks) / 1024).toFixed(0)} MB` : 'n/a', reference: 'Codex 141 MB', target: '<= 100 MB', note: peaks.length ? `median of ${peaks.length} runs (/usr/bin/time)` : '/usr/bin/time not found' },
  ];
}

async function sessionRuns(repo: string, sandbox: string[]): Promise<CliRun[]> {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const state = benchState();
    try {
      runs.push(await runCli(sessionModel, sandbox, { repo, state: state.dir, measureMemory: true }));
    } finally {
      state.remove();
    }
  }
  return runs;
}

/**
 * Agent time per turn: from one request's arrival to the next, minus nothing the model spends (the
 * fake server answers at once): parse, run the command, record, serialise, send.
 */
function perTurn(runs: readonly CliRun[]): number {
  return median(runs.map((r) => median(r.arrivalsMs.slice(1).map((t, i) => t - r.arrivalsMs[i]!))));
}

/** Start, one answer, exit: whole-process wall, and when the first request arrived; outside git and in a repository. */
export async function oneRequest(sandbox: string[]): Promise<Figure> {
  const plain = await oneRequestIn(benchRepo(), sandbox);
  const inGit = await oneRequestIn(benchGitRepo(), sandbox);
  return {
    name: 'one-request run, wall (start, one answer, exit)', value: `${(plain.wall / 1000).toFixed(2)} s`, reference: 'Codex 0.5 s', target: '<= 0.5 s',
    note: `first request at ${plain.first.toFixed(0)} ms; in a git repository ${(inGit.wall / 1000).toFixed(2)} s; median of ${RUNS}`,
  };
}

async function oneRequestIn(repo: string, sandbox: string[]): Promise<{ wall: number; first: number }> {
  const runs = await warmRuns(() => ({ content: 'Done.' }), repo, sandbox);
  return { wall: median(runs.map((r) => r.wallMs)), first: median(runs.map((r) => r.arrivalsMs[0]!)) };
}

/** One turn of four `sleep 1` calls: from that turn's answer to the next request; to the millisecond, as the target is 40 ms above the floor. */
export async function parallelCommands(sandbox: string[]): Promise<Figure> {
  const model: BenchModel = (i) =>
    i === 0 ? { toolCalls: Array.from({ length: 4 }, () => ({ name: 'shell', arguments: { command: 'sleep 1' } })) } : { content: 'Slept.' };
  const times = (await warmRuns(model, benchRepo(), sandbox)).map((run) => run.arrivalsMs[1]! - run.arrivalsMs[0]!);
  return { name: '4 parallel 1 s commands, wall', value: `${(median(times) / 1000).toFixed(3)} s`, reference: 'Codex 1.07 s', target: '<= 1.04 s', note: `request to request; median of ${RUNS}` };
}

/** RUNS runs after one warm-up (file cache, probe cache), all with one state directory, as a user's is. */
async function warmRuns(model: BenchModel, repo: string, sandbox: string[]): Promise<CliRun[]> {
  const state = benchState();
  try {
    await runCli(model, sandbox, { repo, state: state.dir });
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await runCli(model, sandbox, { repo, state: state.dir }));
    return runs;
  } finally {
    state.remove();
  }
}
