// The `--output-format json` line format as a schema: one strict object per event type, each with the
// `ts` and `session_id` every line carries. `sprout schema events` prints it as JSON Schema and the
// package ships it (schema/events.schema.json); tests validate real runs against it, so a field added
// to an event without being added here fails them.
import { z } from 'zod';

const int = z.number().int().min(0);
const common = {
  ts: z.iso.datetime().describe('when the line was written (ISO 8601, UTC)'),
  session_id: z.string().describe('the run\'s session id, the same on every line'),
};
const usageTotals = { prompt_tokens: int, cached_tokens: int, completion_tokens: int, reasoning_tokens: int };
const status = z.enum(['success', 'error', 'limit', 'interrupted']);

const verification = {
  command: z.string(),
  exit_code: z.number().int().nullable(),
  passed: int.optional(),
  failed: int.optional(),
  no_tests_ran: z.boolean().optional(),
  retries: int,
  output: z.string(),
};

const event = <T extends string, S extends z.ZodRawShape>(type: T, shape: S, description: string) =>
  z.strictObject({ type: z.literal(type), ...common, ...shape }).describe(description);

const events = [
  event('session', {
    model: z.string(), cwd: z.string(), sandbox: z.string(), version: z.string(),
    network: z.boolean().optional(), read_write: z.array(z.string()).optional(), read_only: z.array(z.string()).optional(),
    tools: z.array(z.string()).optional(),
    instructions: z.array(z.string()).optional().describe('project instruction files in the system prompt, root first'),
    allowed_domains: z.array(z.string()).optional().describe('with network "allowlist": what the proxy lets through'),
    toolchains: z.array(z.string()).optional().describe('PATH toolchains mounted read-only from hidden places'),
    project_config: z.strictObject({ path: z.string(), applied: z.record(z.string(), z.unknown()), ignored: z.array(z.string()) }).optional(),
  }, 'the first line: the run and where it works'),
  event('assistant', { text: z.string(), reasoning: z.string().optional() }, "the model's text of one turn"),
  event('tool_call', { id: z.string(), name: z.string(), arguments: z.string().describe('the raw JSON text the model sent') }, 'a tool call the model made'),
  event('tool_result', {
    id: z.string(), name: z.string(), ok: z.boolean(), output: z.string(), duration_ms: int,
    exit_code: z.number().int().nullable().optional().describe('commands only (shell, run_tests); null when killed'),
    timed_out: z.boolean().optional().describe('commands only'),
  }, 'what a tool call returned, as the model saw it'),
  event('file_change', {
    path: z.string(), kind: z.enum(['added', 'modified', 'deleted', 'moved']), from: z.string().optional(),
    added: int.nullable().describe('lines added; null when unknown'), removed: int.nullable().describe('lines removed; null when unknown'),
  }, "a file changed by one step's tool calls"),
  event('usage', {
    ...usageTotals, cost: z.number().min(0), purpose: z.literal('compaction').optional(),
    model: z.string().optional().describe('the model id the provider says served the request'),
    request_id: z.string().optional().describe('the X-Client-Request-Id sprout sent'),
  }, 'tokens and cost of one request'),
  event('network', {
    host: z.string(), port: int, verdict: z.enum(['allowed', 'denied']), bytes: int, reason: z.string().optional(),
  }, 'a connection the egress proxy allowed or refused (network "allowlist")'),
  event('compaction', {
    reason: z.enum(['threshold', 'context_length']), tokens_before: int, tokens_after: int, summarized_messages: int, cost: z.number().min(0),
  }, 'the conversation was summarized to fit the context'),
  event('retry', {
    attempt: int, status: z.number().int().nullable(), wait_ms: int, message: z.string(),
    discarded_chars: int.optional().describe('streamed text of the failed attempt, now void'),
  }, 'a failed request about to be retried'),
  event('verification', { ok: z.boolean(), attempt: int, ...verification }, 'the check run when the model stopped'),
  event('proof', {
    ok: z.boolean(), attempt: int, base_commit: z.string(), reproduction: z.array(z.string()), broken: z.array(z.string()),
    still_failing: z.array(z.string()), reason: z.string().optional(),
  }, 'the fail-to-pass proof of the fix (--prove)'),
  event('warning', { message: z.string() }, 'something the user should know'),
  event('error', { message: z.string() }, 'what ended the run, also in the result'),
  event('result', {
    status, finish_reason: z.string().nullable(), num_turns: int, duration_ms: int,
    usage: z.strictObject(usageTotals),
    cost: z.strictObject({ amount: z.number().min(0), currency: z.string(), saved_by_cache: z.number().optional() }),
    sandbox: z.string(), changed_files: z.array(z.string()), final_message: z.string(),
    error: z.string().optional(),
    limit: z.enum(['max_turns', 'max_cost', 'timeout', 'repeated_calls']).optional(),
    structured_output: z.unknown().optional().describe('with --output-schema: the valid final answer'),
    structured_output_errors: z.array(z.string()).optional(),
    verification: z.strictObject(verification).optional(),
    patch_file: z.string().optional(), branch: z.string().optional(), commit: z.string().optional(), summary_file: z.string().optional(),
    served_model: z.string().optional().describe('the model id the provider last reported serving'),
    denied_hosts: z.array(z.string()).optional().describe('hosts the egress proxy refused'),
    git_notes: z.array(z.string()).optional().describe('what host-side git refused or switched off'),
    evidence: z.record(z.string(), z.unknown()).optional().describe('the fail-to-pass proof (--prove), as in --evidence-out'),
    evidence_file: z.string().optional(),
  }, 'the last line, on every exit path'),
] as const;

/** One line of `--output-format json`. */
export const EventLineSchema = z.discriminatedUnion('type', events);

/** The JSON Schema that `sprout schema events` prints and the package ships. */
export function eventsJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(EventLineSchema, { target: 'draft-2020-12' });
  return { $schema: schema.$schema, $id: 'https://github.com/sprout-agent/sprout/schema/events.schema.json', title: 'sprout --output-format json event line', ...schema };
}
