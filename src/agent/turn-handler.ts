// What follows a completed turn: run its tool calls (watching for a model stuck repeating itself),
// ask the model to continue after a length stop, or end the run, through the verification gate.
import type { Tool, ToolContext } from '../../tools/define-tool.js';
import { FileHistory } from '../../tools/file-history.js';
import type { FileChange } from '../../sandbox/file-changes.js';
import type { AssistantTurn } from '../model/types.js';
import type { Conversation } from './conversation.js';
import type { AgentEvent } from './events.js';
import type { Outcome } from './model-turn.js';
import type { RunOptions } from './options.js';
import { RepeatGuard, repeatWarning } from './repeat-guard.js';
import type { StructuredOutput } from './structured-output.js';
import { answerSubmits, checkFinal, splitSubmits, type StructuredVerdict } from './structured-step.js';
import type { StopWatch } from './run-state.js';
import { type BatchOptions, runTools } from './tool-batch.js';
import { Prover } from './prove.js';
import { Verifier } from './verify.js';

const CONTINUE_PROMPT =
  'Your last answer was cut off by the output limit. Continue where you stopped; keep each tool ' +
  "call's arguments short (split a big file into several edits).";
const CONTINUE_SILENT_PROMPT =
  'Your last answer was cut off by the output limit before you wrote any text or tool call. Think ' +
  'less before acting: take one small step now (keep tool call arguments short).';

/** What follows a completed turn: run its tools, ask to continue, or end the run. */
export class TurnHandler {
  private readonly repeats: RepeatGuard;
  private readonly batch: BatchOptions;
  private readonly verifier: Verifier | undefined;
  private readonly prover: Prover | undefined;
  private continuations = 0;
  /** max_tokens of the next request: raised after a length stop, up to the model's maximum. */
  maxTokens: number;

  constructor(
    private readonly options: RunOptions,
    clock: StopWatch,
    private readonly conversation: Conversation,
    private readonly fileChanges?: { step(): Promise<FileChange[]> },
    private readonly structured?: StructuredOutput,
  ) {
    const { limits, sandbox, tools } = options;
    this.maxTokens = limits.maxOutputTokens;
    this.repeats = new RepeatGuard(limits.maxRepeatedCalls);
    const history = new FileHistory(sandbox);
    this.batch = {
      tools: new Map<string, Tool>(tools.map((t) => [t.name, t])),
      ctx: { sandbox: history.recording(), history, signal: clock.signal, cwd: sandbox.root, limits, gitAuthor: options.gitAuthor, gitDoor: options.gitDoor } satisfies ToolContext,
      concurrency: limits.toolConcurrency,
      output: { outputLimitBytes: limits.toolOutputBytes, spill: options.spill },
    };
    this.prover = options.prove ? new Prover(options.prove, this.batch.ctx, this.batch.output) : undefined;
    this.verifier = options.verify && !this.prover ? new Verifier(options.verify, this.batch.ctx, this.batch.output) : undefined;
  }

  /** Returns the run's outcome when this turn ends it. */
  async *handle(turn: AssistantTurn): AsyncGenerator<AgentEvent, Outcome | undefined> {
    // A turn cut off by the length limit may hold half-written tool calls: never run those.
    const calls = turn.finishReason === 'length' ? [] : turn.toolCalls;
    const echoed = this.options.profile.echoReasoning && calls.length > 0 ? turn.reasoning : undefined;
    yield* this.conversation.appendAssistant(turn.content, calls, echoed);
    if (turn.finishReason !== 'length') this.continuations = 0;
    if (calls.length > 0) {
      const verdict = this.repeats.check(calls);
      if (verdict === 'stop') {
        yield* this.conversation.append(...calls.map((c) => ({ role: 'tool' as const, tool_call_id: c.id, content: 'Error: not run; the run was stopped because this call kept repeating.' })));
        return { status: 'limit', limit: 'repeated_calls', error: `stopped: the model repeated the same tool calls ${this.repeats.repeats} times in a row` };
      }
      const [submits, others] = splitSubmits(calls, this.structured);
      const results = others.length > 0 ? yield* runTools(others, this.batch) : { messages: [] };
      for (const change of (await this.fileChanges?.step().catch(() => [])) ?? []) yield { type: 'file_change', ...change };
      const submitted = submits.length > 0 ? yield* answerSubmits(submits, this.structured!) : undefined;
      const messages = [...results.messages, ...(submitted?.messages ?? [])];
      if (verdict === 'warn') messages.at(-1)!.content += repeatWarning(this.repeats.repeats);
      // Images tools returned follow all of the turn's tool messages.
      yield* this.conversation.append(...messages, ...(results.images ? [results.images] : []));
      return submitted ? yield* this.afterStructured(submitted.verdict) : undefined;
    }
    if (turn.finishReason === 'length') {
      if (this.continuations++ >= this.options.limits.maxContinuations) {
        return { status: 'error', error: `the model hit the output limit ${this.continuations} times in a row` };
      }
      this.maxTokens = Math.min(this.maxTokens * 2, Math.max(this.options.profile.maxOutputTokens, this.maxTokens));
      const silent = turn.content === '' && turn.toolCalls.length === 0;
      yield* this.conversation.append({ role: 'user', content: silent ? CONTINUE_SILENT_PROMPT : CONTINUE_PROMPT });
      return undefined;
    }
    if (turn.finishReason === 'content_filter') return { status: 'error', error: 'the provider stopped the answer with its content filter' };
    if (this.structured) return yield* this.afterStructured(checkFinal(turn.content, this.structured));
    return yield* this.finish();
  }

  /** Act on an output-schema check: send it back, end in error, or finish with the value. */
  private async *afterStructured(verdict: StructuredVerdict): AsyncGenerator<AgentEvent, Outcome | undefined> {
    if (verdict.next === 'end') return verdict.outcome;
    if (verdict.next === 'continue') {
      if (verdict.messages.length > 0) yield* this.conversation.append(...verdict.messages);
      return undefined;
    }
    const outcome = yield* this.finish();
    return outcome?.status === 'success' ? { ...outcome, structured_output: this.structured!.accepted!.value } : outcome;
  }

  /** The model says it is done: check the work if asked, and send a failure back while retries last. */
  private async *finish(): AsyncGenerator<AgentEvent, Outcome | undefined> {
    if (this.prover) return yield* this.prove(this.prover);
    if (!this.verifier) return { status: 'success' };
    const verdict = yield* this.verifier.check();
    if (verdict.kind === 'skipped') return { status: 'success' };
    if (verdict.kind === 'passed') return { status: 'success', verification: verdict.verification };
    if (!this.verifier.retriesLeft) {
      return { status: 'error', error: `the check \`${verdict.verification.command}\` ${verdict.verification.no_tests_ran ? 'ran no test' : 'still failed'} after ${this.verifier.retriesUsed} retries`, verification: verdict.verification };
    }
    yield* this.conversation.append({ role: 'user', content: verdict.feedback });
    return undefined;
  }

  /** The proof gate: like the check, but the fix must be shown by tests that fail on the base. */
  private async *prove(prover: Prover): AsyncGenerator<AgentEvent, Outcome | undefined> {
    const verdict = yield* prover.check();
    if (verdict.kind === 'skipped') return { status: 'success' };
    if (verdict.kind === 'proven') return { status: 'success', verification: verdict.verification, proof: verdict.proof };
    if (!prover.retriesLeft) {
      const failedCheck = verdict.verification.exit_code !== 0 ? `the check \`${verdict.verification.command}\` still failed after ${prover.retriesUsed} retries; ` : '';
      const error = failedCheck ? `${failedCheck}the fix is not proven: ${verdict.reason}` : `the fix is not proven after ${prover.retriesUsed} retries: ${verdict.reason}`;
      return { status: 'error', error, verification: verdict.verification, ...(verdict.proof ? { proof: verdict.proof } : {}) };
    }
    yield* this.conversation.append({ role: 'user', content: verdict.feedback });
    return undefined;
  }
}
