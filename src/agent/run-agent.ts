// The agent loop: ask the model, run the tool calls it returns, feed the results back, repeat until
// it stops or a limit is hit. It yields every AgentEvent and returns the RunResult (also its last event).
import { randomUUID } from 'node:crypto';
import { openSnapshotter, trackChanges } from '../../sandbox/changes.js';
import { trackFileChanges } from '../../sandbox/file-changes.js';
import { GitRefusedError, gitNotes as doorNotes, openGitDoor, type GitDoor } from '../../sandbox/git.js';
import { toToolSpecs } from '../../tools/registry.js';
import type { ToolSpec } from '../model/types.js';
import { compactionThreshold } from '../context/compaction.js';
import { compactConversation } from './compact-step.js';
import { Conversation } from './conversation.js';
import type { AgentEvent, RunResult } from './events.js';
import { buildEvidence } from './evidence.js';
import { dropSilentAnswers, type Opening, openingMessages } from './history.js';
import { type Outcome, requestTurn } from './model-turn.js';
import { type AgentOptions, resolveLimits, type RunOptions } from './options.js';
import { LimitWarnings, RunState, StopWatch } from './run-state.js';
import { StructuredOutput } from './structured-output.js';
import { TurnHandler } from './turn-handler.js';

/** Run one task to the end. */
export async function* runAgent(input: AgentOptions): AsyncGenerator<AgentEvent, RunResult> {
  // The git door is opened before the model acts, so that a .git it makes is known to be its own.
  const gitDoor = input.gitDoor ?? (await openGitDoor(input.sandbox.root));
  const { options, structured, tools, responseFormat } = setUp({ ...input, gitDoor });
  const { sandbox, model, limits } = options;
  const sessionId = options.sessionId ?? randomUUID();
  const clock = new StopWatch(options.signal, limits.timeoutMs);
  sandbox.warm?.(); // the first calls' containers are set up while the run starts
  // The snapshots run while the first request is out; every tool call and the end wait for them.
  // Per-step file changes are a report, not a need of the run: a tree git cannot read just has none.
  const tracking = openSnapshotter(sandbox.root, gitDoor).then((first) =>
    Promise.all([trackChanges(sandbox.root, gitDoor, first), trackFileChanges(sandbox.root, gitDoor, first).catch(() => undefined)]),
  );
  tracking.catch(() => undefined); // its error surfaces where it is awaited, not as an unhandled rejection
  const state = new RunState(options.profile, options.resume, limits.maxCost);
  const toolBytes = Buffer.byteLength(JSON.stringify(tools)); // the tools do not change during a run
  const threshold = compactionThreshold(options.profile, limits.maxOutputTokens, limits.compactAtTokens);
  const conversation = new Conversation(dropSilentAnswers(options.resume?.messages ?? []));
  const opening = await openingMessages(options, conversation.messages);
  yield sessionEvent(options, sessionId, tools, opening);
  yield* conversation.append(...opening.messages);

  const fileChanges = { step: async () => (await (await tracking)[1]?.step()) ?? [] };
  const turns = new TurnHandler(options, clock, conversation, fileChanges, structured);
  const warnings = new LimitWarnings(limits.maxTurns, limits.timeoutMs);
  let compactedFor = -1; // the turn a compaction last ran before, so it runs at most once per turn
  let outcome: Outcome | undefined;
  while (!outcome) {
    outcome = clock.reason() ?? turnLimit(state.turns - state.startTurns, limits.maxTurns);
    if (outcome) break;
    yield* warnings.check(state.turns - state.startTurns, clock.elapsedMs());
    const bytes = conversation.promptBytes(toolBytes);
    if (state.estimatePrompt(bytes) > threshold && compactedFor !== state.turns) {
      compactedFor = state.turns;
      const compacted = yield* compactConversation(conversation.messages, tools, 'threshold', threshold, model, state, clock);
      if (Array.isArray(compacted)) conversation.replace(compacted);
      else if (compacted) outcome = budgetLimit(compacted.budgetStop);
      continue;
    }
    outcome = budgetLimit(state.budgetStop(bytes));
    if (outcome) break;
    state.turns++;
    yield { type: 'turn_start', turn: state.turns };
    sandbox.warm?.(); // the sandbox gets ready for this turn's tool calls while the model answers
    const turn = yield* requestTurn(model, { messages: conversation.messages, tools, maxTokens: turns.maxTokens, ...(responseFormat ? { responseFormat } : {}) }, clock);
    if (turn === 'overflow') {
      // The provider counts differently from the estimate: compact once, then try the turn again.
      const compacted = compactedFor === state.turns - 1 ? undefined : yield* compactConversation(conversation.messages, tools, 'context_length', threshold, model, state, clock);
      compactedFor = state.turns - 1;
      if (Array.isArray(compacted)) conversation.replace(compacted);
      else if (compacted) outcome = budgetLimit(compacted.budgetStop);
      else outcome = { status: 'error', error: 'the conversation is longer than the model accepts, and compacting it did not help' };
      continue;
    }
    if ('status' in turn) {
      state.turns--; // a request that got no answer is not a turn: the result counts completed ones
      outcome = turn;
      break;
    }
    yield* state.recordTurn(turn, bytes);
    await tracking; // no tool may touch a file before the starting snapshots are taken
    outcome = yield* turns.handle(turn);
  }
  clock.dispose();
  const result = await finalResult(options, sessionId, outcome, state, clock, (await tracking)[0]);
  yield result;
  return result;
}

/** The first event: what runs where, with which tools and instructions. */
function sessionEvent(options: RunOptions, sessionId: string, tools: readonly ToolSpec[], opening: Opening): AgentEvent {
  const { sandbox } = options;
  return {
    type: 'session',
    session_id: sessionId,
    model: options.model.model,
    cwd: sandbox.root,
    sandbox: sandbox.kind,
    version: options.version ?? '0.0.0',
    ...options.sandboxDetails,
    tools: tools.map((t) => t.function.name),
    ...(opening.instructionFiles.length > 0 ? { instructions: opening.instructionFiles } : {}),
    ...(options.projectConfig ? { project_config: options.projectConfig } : {}),
    ...(sandbox.toolchains && sandbox.toolchains.length > 0 ? { toolchains: [...sandbox.toolchains] } : {}),
  };
}

/** The result event: how the run ended, what it cost and changed, and what host-side git refused. */
async function finalResult(
  options: RunOptions,
  sessionId: string,
  ended: Outcome,
  state: RunState,
  clock: StopWatch,
  changes: { changedFiles(): Promise<string[]> },
): Promise<RunResult> {
  const refused: string[] = [];
  const changedFiles = await changes.changedFiles().catch((error: unknown) => {
    if (error instanceof GitRefusedError) refused.push(`change tracking ${error.message}`);
    return [];
  });
  let outcome = ended;
  if (outcome.status === 'success' && options.requireChanges && changedFiles.length === 0) {
    outcome = { status: 'error', error: 'the model finished without changing any file, but the task asked for a fix' };
  }
  return {
    type: 'result',
    status: outcome.status,
    finish_reason: state.finishReason,
    num_turns: state.turns,
    duration_ms: clock.elapsedMs(),
    usage: state.usageTotals(),
    cost: { amount: state.cost, currency: options.profile.currency, saved_by_cache: state.savedByCache },
    session_id: sessionId,
    sandbox: options.sandbox.kind,
    changed_files: changedFiles,
    final_message: state.finalMessage,
    ...(state.servedModel ? { served_model: state.servedModel } : {}),
    ...(outcome.error === undefined ? {} : { error: outcome.error }),
    ...(outcome.verification ? { verification: outcome.verification } : {}),
    ...(outcome.limit ? { limit: outcome.limit } : {}),
    ...(outcome.structured_output === undefined ? {} : { structured_output: outcome.structured_output }),
    ...(outcome.structured_output_errors ? { structured_output_errors: outcome.structured_output_errors } : {}),
    ...withGitNotes(refused, options.gitDoor),
    ...(outcome.proof ? { evidence: evidenceOf(outcome.proof, options, state) } : {}),
  };
}

/** The proof of the fix as the result and `--evidence-out` give it. */
function evidenceOf(proof: NonNullable<Outcome['proof']>, options: RunOptions, state: RunState): ReturnType<typeof buildEvidence> {
  const sandbox = { kind: options.sandbox.kind, ...options.sandboxDetails };
  const cost = { amount: state.cost, currency: options.profile.currency };
  return buildEvidence(proof, { requestedModel: options.model.model, servedModel: state.servedModel, numTurns: state.turns, usage: state.usageTotals(), cost, sandbox });
}

/** The result's `git_notes`: what the door switched off, then what it refused; absent when empty. */
function withGitNotes(refused: string[], door: GitDoor | undefined): { git_notes?: string[] } {
  const notes = [...doorNotes(door), ...refused];
  return notes.length > 0 ? { git_notes: notes } : {};
}

/** The options with every limit filled in, and what an output schema adds to the requests. */
function setUp(input: AgentOptions) {
  const limits = resolveLimits(input.limits);
  const mode = input.profile.structuredOutput ?? 'tool';
  const structured = input.outputSchema ? new StructuredOutput(input.outputSchema, mode, limits.structuredOutputRetries) : undefined;
  // The answer's form is part of the task, so a resumed session gets it again with its new instructions.
  const task = structured && input.task?.trim() ? `${input.task}\n\n${structured.instructions()}` : input.task;
  const submit = structured?.toolSpec();
  const specs = toToolSpecs(input.tools);
  return { options: { ...input, task, limits }, structured, tools: submit ? [...specs, submit] : specs, responseFormat: structured?.responseFormat() };
}

function turnLimit(turns: number, maxTurns: number): Outcome | undefined {
  return turns >= maxTurns ? { status: 'limit', limit: 'max_turns', error: `stopped after ${turns} model requests (--max-turns ${maxTurns})` } : undefined;
}

function budgetLimit(reason: string | undefined): Outcome | undefined {
  return reason === undefined ? undefined : { status: 'limit', limit: 'max_cost', error: reason };
}
