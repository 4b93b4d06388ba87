// The `--output-format stream-json` renderer: sprout's events in the line shapes of Claude Code's
// stream-json, so scripts written for it work unchanged: `system`/`init` first, `assistant` messages
// with `text` and `tool_use` blocks, `user` messages with `tool_result` blocks, and a final `result`
// (subtype, is_error, result, num_turns, usage, cost). Other sprout events have no counterpart and
// are left out (`--output-format json` has them all).
import { randomUUID } from 'node:crypto';
import type { AgentEvent, RunResult } from '../agent/events.js';

type Line = Record<string, unknown>;

/** Writes events as Claude-style stream-json lines to `out`. */
export function createStreamJsonRenderer(out: NodeJS.WritableStream, sessionId: () => string = () => ''): (event: AgentEvent) => void {
  let model = '';
  return (event) => {
    if (event.type === 'session') model = event.model;
    const line = toStreamJson(event, model, sessionId());
    if (line) out.write(`${JSON.stringify({ ...line, session_id: sessionId(), uuid: randomUUID() })}\n`);
  };
}

function toStreamJson(event: AgentEvent, model: string, session: string): Line | undefined {
  switch (event.type) {
    case 'session':
      return {
        type: 'system', subtype: 'init', cwd: event.cwd, session_id: event.session_id, model: event.model,
        tools: event.tools ?? [], mcp_servers: [], permissionMode: 'bypassPermissions', sprout_version: event.version,
      };
    case 'assistant':
      return event.text === '' ? undefined : assistant(model, [{ type: 'text', text: event.text }]);
    case 'tool_call':
      return assistant(model, [{ type: 'tool_use', id: event.id, name: event.name, input: toolInput(event.arguments) }]);
    case 'tool_result':
      return {
        type: 'user', parent_tool_use_id: null,
        message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: event.id, content: event.output, is_error: !event.ok }] },
      };
    case 'result':
      return result(event, session);
    default:
      return undefined;
  }
}

function assistant(model: string, content: Line[]): Line {
  return {
    type: 'assistant', parent_tool_use_id: null,
    message: { id: `msg_${randomUUID()}`, type: 'message', role: 'assistant', model, content, stop_reason: null, stop_sequence: null },
  };
}

/** A tool_use `input` is an object; arguments that are not a JSON object are kept as their text. */
function toolInput(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value;
  } catch {
    // fall through: the model sent arguments that are not JSON
  }
  return { raw_arguments: text };
}

/** Claude's result subtype for how a sprout run ended. */
export function resultSubtype(result: RunResult): string {
  if (result.status === 'success') return 'success';
  if (result.limit === 'max_turns') return 'error_max_turns';
  if (result.limit === 'max_cost') return 'error_max_budget';
  if (result.structured_output_errors) return 'error_max_structured_output_retries';
  return 'error_during_execution';
}

function result(event: RunResult, session: string): Line {
  const { usage, cost } = event;
  return {
    type: 'result', subtype: resultSubtype(event), is_error: event.status !== 'success',
    duration_ms: event.duration_ms, num_turns: event.num_turns, result: event.final_message, session_id: event.session_id || session,
    // Claude's field is USD only; another currency is never converted with a made-up rate.
    ...(cost.currency === 'USD' ? { total_cost_usd: cost.amount } : {}),
    total_cost: cost.amount, currency: cost.currency,
    usage: {
      input_tokens: usage.prompt_tokens - usage.cached_tokens, cache_read_input_tokens: usage.cached_tokens,
      cache_creation_input_tokens: 0, output_tokens: usage.completion_tokens,
    },
    ...(event.error === undefined ? {} : { errors: [event.error] }),
    ...(event.structured_output === undefined ? {} : { structured_output: event.structured_output }),
    sprout_status: event.status,
  };
}
