// `sprout run`: prepare, open the session and the sandbox, run the agent loop while rendering and
// saving its events, write the CI outputs asked for, and return the exit code. Errors before the
// loop still produce a `result` line with --json.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AgentEvent, RunResult } from '../agent/events.js';
import { runAgent } from '../agent/run-agent.js';
import type { VerifyOptions } from '../agent/verify.js';
import { headCommit, openGitDoor, type GitDoor, type GitDoorOptions } from '../../sandbox/git.js';
import { diffStatSince } from '../ci/git-outputs.js';
import type { OutputRequest } from '../ci/outputs.js';
import { ignoredWarnings, projectDetails } from '../config/project.js';
import { thinkingParams } from '../model/thinking.js';
import { createSpillStore, spillDir } from '../session/spill.js';
import { type SessionWriter, sessionsDir } from '../session/store.js';
import { UsageError } from '../errors.js';
import { VERSION } from '../version.js';
import { builtinTools, visionTools } from '../../tools/registry.js';
import { EXIT, exitCodeForError, exitCodeForStatus } from './exit-codes.js';
import { chooseMcpServers, type McpSetup, startMcpServers } from './mcp-setup.js';
import { taskImages } from './task-images.js';
import { expandDomains, type EgressPolicy } from '../../sandbox/egress-policy.js';
import type { Config } from '../config/schema.js';
import { type Egress, startEgress } from './egress-setup.js';
import { createModelClient } from './model-client.js';
import { createRenderer } from './output.js';
import { prepareRun, type RunFlags } from './run-prepare.js';
import { proveOptions } from './prove-choice.js';
import { openSession, runLimits } from './run-setup.js';
import { createSandbox, describeSandbox, findChromium, sandboxDetails } from './sandbox-choice.js';

// A run parses its config once and each tool's arguments a few times: zod's compiled parsers would
// cost more to build than they save.
z.config({ jitless: true });

export type { RunFlags } from './run-prepare.js';

export interface RunIo {
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  readStdin: () => Promise<string>;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
}

/** Run one task; resolves to the process exit code. */
export async function runCommand(taskArg: string | undefined, flags: RunFlags, io: RunIo): Promise<number> {
  let sessionId: string = randomUUID();
  const render = createRenderer({ json: flags.json, format: flags.outputFormat, sessionId: () => sessionId, stdout: io.stdout, stderr: io.stderr, env: io.env });
  let result: RunResult | undefined;
  try {
    const run = await prepareRun(taskArg, flags, io.env, io.readStdin);
    const { config, profile, cwd, task } = run;
    sessionId = run.sessionId;
    const outputs = spillDir(sessionsDir(io.env), sessionId);
    const spill = createSpillStore(outputs);
    // The door's git reads run while the sandbox and the rest are set up; it is still open before the model acts.
    const doorOptions = { env: io.env, allowedFilters: config.gitFilters, writable: config.sandboxReadWrite };
    const started = openRunGitDoor(cwd, flags, doorOptions).then(async (door) => ({ door, start: await headCommit(door) }));
    started.catch(() => undefined); // an error surfaces where it is awaited, below
    // Made now, so that loading the HTTP stack overlaps the door's git processes.
    const thinking = thinkingParams(profile, config.reasoningEffort);
    const model = createModelClient(config, run.key, thinking.body);
    const egress = await startEgress(config, render);
    const sandbox = await createSandbox(config, cwd, io.env, [outputs], egress).catch(async (error: unknown) => {
      await egress?.close();
      throw error;
    });
    let mcp: McpSetup | undefined;
    try {
      const chosen = await chooseMcpServers(config, cwd, flags.mcpConfig);
      mcp = await startMcpServers(chosen.servers, io.env);
      const attached = await taskImages({ files: flags.images ?? [], issueText: run.fromIssue ? task : undefined, maxPixels: profile.maxImagePixels, sandbox, network: imagePolicy(config) });
      for (const warning of [...chosen.warnings, ...mcp.warnings, ...attached.warnings]) render(warning);
      const taskText = task && attached.leftOut > 0 ? `${task}\n\n[${attached.leftOut} image(s) came with this task but were left out: ${config.model} does not take images]` : task;
      const session = openSession(io.env, run.resumed, { sessionId, cwd, model: config.model, provider: config.provider, task: task ?? '', fromIssue: run.fromIssue, projectConfig: run.project });
      for (const message of ignoredWarnings(run.project)) render({ type: 'warning', message });
      for (const message of session.warnings) render({ type: 'warning', message });
      if (profile.generic) render({ type: 'warning', message: `unknown model ${config.model}: no prices known, cost is reported as 0` });
      if (thinking.warning) render({ type: 'warning', message: thinking.warning });
      const { door, start } = await started;
      const author = { name: config.gitAuthorName, email: config.gitAuthorEmail };
      const prove = proveOptions({ flag: flags.prove, verify: flags.verify, fromIssue: run.fromIssue, start, config, env: io.env });
      const events = runAgent({
        task: session.task ?? taskText, taskImages: attached.images, resume: session.resume, model, sandbox, sessionId,
        version: VERSION, profile, tools: [...builtinTools(), ...(profile.maxImagePixels ? visionTools({ chromiumPath: await findChromium(io.env) }) : []), ...mcp.tools], signal: io.signal, sandboxNote: describeSandbox(config),
        limits: runLimits(config, profile), sandboxDetails: sandboxDetails(config, egress), spill, gitAuthor: author, gitDoor: door,
        requireChanges: run.fromIssue, outputSchema: run.outputSchema, projectConfig: projectDetails(run.project), verify: verifyOptions(flags.verify, run.fromIssue, config.verifyRetries), prove,
      });
      for await (const event of events) {
        // The result waits for the outputs, so that it can say where they are; the diff stat and the
        // session's records come first, so that the summary can be the full run report.
        if (event.type === 'result') {
          await saveDiffStat(session.writer, door, start);
          result = await ciOutputs(withDenied(event, egress), { ...flags, door, start, task, env: io.env, author, sessionPath: session.writer.path });
        } else render(event);
        save(session.writer, result ?? event);
      }
    } finally {
      await mcp?.close();
      await sandbox.close();
      await egress?.close();
    }
  } catch (error) {
    return failBeforeResult(error, sessionId, render, flags.json);
  }
  if (!result) return EXIT.error;
  render(result);
  // With an output schema, the answer on stdout is the structured value itself, as one line of JSON.
  const answer = result.structured_output === undefined ? result.final_message : JSON.stringify(result.structured_output);
  if (!flags.json && answer && !(io.stdout as { isTTY?: boolean }).isTTY) io.stdout.write(`${answer}\n`);
  return exitCodeForStatus(result.status);
}

/** The CI outputs asked for; their file and report code loads only when one is. */
async function ciOutputs(result: RunResult, request: OutputRequest): Promise<RunResult> {
  const wanted = request.patchOut || request.commit || request.branch || request.summaryOut || request.env.GITHUB_STEP_SUMMARY || result.evidence;
  if (!wanted) return result;
  const { writeOutputs } = await import('../ci/outputs.js');
  return writeOutputs(result, request);
}

/** Where an issue's image URLs may be fetched from: as far as the run's own network reaches. */
function imagePolicy(config: Config): EgressPolicy | undefined {
  if (config.network === 'allowlist') return { allowedDomains: expandDomains(config.allowedDomains), hostMap: config.networkHostMap };
  if (config.network === true || config.sandbox === 'none') return { allowedDomains: ['*'], hostMap: config.networkHostMap };
  return undefined;
}

/** The result with the hosts the egress proxy refused, when there were any. */
function withDenied(result: RunResult, egress: Egress | undefined): RunResult {
  const denied = egress?.denied() ?? [];
  return denied.length > 0 ? { ...result, denied_hosts: denied } : result;
}

/**
 * The run's host-side git door, opened before the model acts. --patch-out and --commit need the
 * repository the run starts in: outside one, say so now rather than after the run has spent money
 * (and never use a .git the model makes later).
 */
async function openRunGitDoor(cwd: string, flags: RunFlags, options: GitDoorOptions): Promise<GitDoor> {
  const door = await openGitDoor(cwd, options);
  if (!door.repo && (flags.patchOut || flags.commit || flags.branch)) {
    const flag = flags.patchOut ? '--patch-out' : flags.branch ? '--branch' : '--commit';
    throw new UsageError(`${flag} needs a git repository, and ${door.reason}; run git init and commit there first, or drop ${flag}`);
  }
  return door;
}

/** The check when the model stops: --verify CMD, else the detected tests for an issue run, else none. */
function verifyOptions(flag: string | false | undefined, fromIssue: boolean, retries: number): VerifyOptions | undefined {
  if (flag === false) return undefined;
  if (typeof flag === 'string') return { command: flag, retries };
  return fromIssue ? { retries, optional: true } : undefined;
}

/** Keep what a resume needs: every message, every request's usage, each run's result. */
function save(writer: SessionWriter, event: AgentEvent): void {
  if (event.type === 'message') writer.append({ type: 'message', message: event.message });
  else if (event.type === 'history') writer.append({ type: 'history', messages: event.messages });
  else if (event.type === 'tool_result') writer.append({ type: 'tool', id: event.id, name: event.name, ok: event.ok, duration_ms: event.duration_ms });
  else if (event.type === 'usage') {
    const { type: _type, ...usage } = event;
    writer.append({ type: 'usage', ...usage });
  } else if (event.type === 'result') writer.append({ type: 'result', result: event });
}

/** What the run changed per file, for the report; outside git (or when git fails) nothing is recorded. */
async function saveDiffStat(writer: SessionWriter, door: GitDoor, start: string | undefined): Promise<void> {
  if (!door.repo) return;
  const files = await diffStatSince(door, start).catch(() => undefined);
  if (files) writer.append({ type: 'diffstat', files });
}

/** Report an error that ended the run outside the loop: one line, and with --json a result line too. */
function failBeforeResult(error: unknown, sessionId: string, render: (event: AgentEvent) => void, json: boolean): number {
  const message = error instanceof Error ? error.message : String(error);
  render({ type: 'error', message });
  if (json) {
    render({
      type: 'result', status: 'error', finish_reason: null, num_turns: 0, duration_ms: 0,
      usage: { prompt_tokens: 0, cached_tokens: 0, completion_tokens: 0, reasoning_tokens: 0 },
      cost: { amount: 0, currency: 'CNY' }, session_id: sessionId, sandbox: 'unknown', changed_files: [], final_message: '', error: message,
    });
  }
  return exitCodeForError(error);
}
