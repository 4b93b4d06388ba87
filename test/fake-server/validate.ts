// The checks the real server makes before the model sees a request: the bearer key, the
// pairing of tool calls with tool results, assistant messages that say nothing, and Ark's "not both
// max_tokens fields" rule.

import type { IncomingHttpHeaders } from 'node:http';
import { errorAnswer, type ErrorAnswer } from './errors.js';
import type { ChatRequestBody, FakeMessage } from './types.js';

/** A 401 unless the request carries `Authorization: Bearer <key>` (equal to `apiKey` when given). */
export function checkAuth(
  headers: IncomingHttpHeaders,
  apiKey: string | undefined,
  requestId: string,
): ErrorAnswer | undefined {
  const match = /^Bearer\s+(\S.*)$/i.exec(headers.authorization ?? '');
  let problem: string | undefined;
  if (!match) problem = 'The request is missing a bearer API key in the Authorization header.';
  else if (apiKey !== undefined && match[1] !== apiKey) problem = 'The API key in the request is invalid.';
  if (problem === undefined) return undefined;
  const answer = errorAnswer(401, requestId, { message: problem });
  // Ark's 401 body has no `param`.
  const { param: _param, ...error } = (answer.body as { error: Record<string, unknown> }).error;
  return { ...answer, body: { error } };
}

function badRequest(requestId: string, message: string, param: string | null = null): ErrorAnswer {
  return errorAnswer(400, requestId, { message, param });
}

/** A 400 for a chat body the real server would reject; undefined when it passes. */
export function checkChatBody(body: ChatRequestBody, requestId: string): ErrorAnswer | undefined {
  if (typeof body.model !== 'string' || body.model === '') {
    return badRequest(requestId, 'The parameter `model` must be a non-empty string.', 'model');
  }
  if (body.max_tokens != null && body.max_completion_tokens != null) {
    return badRequest(
      requestId,
      'The parameters `max_tokens` and `max_completion_tokens` cannot be set at the same time.',
      'max_completion_tokens',
    );
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return badRequest(requestId, 'The parameter `messages` must be a non-empty array.', 'messages');
  }
  const empty = checkAssistantContent(body.messages);
  if (empty) return badRequest(requestId, empty.problem, `messages[${empty.index}].content`);
  const shape = checkTools(body.tools) ?? checkResponseFormat(body.response_format);
  if (shape) return badRequest(requestId, shape.message, shape.param);
  const problem = checkToolPairing(body.messages);
  return problem === undefined ? undefined : badRequest(requestId, problem, 'messages');
}

const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every tool must be `{type: "function", function: {name, parameters: an object schema}}`. */
function checkTools(tools: unknown): { message: string; param: string } | undefined {
  if (tools === undefined) return undefined;
  if (!Array.isArray(tools)) return { message: 'The parameter `tools` must be an array.', param: 'tools' };
  for (const [i, tool] of tools.entries()) {
    const fn = isObject(tool) ? tool.function : undefined;
    if (!isObject(tool) || tool.type !== 'function' || !isObject(fn) || typeof fn.name !== 'string' || !FUNCTION_NAME.test(fn.name)) {
      return { message: `tools[${i}] must be {"type":"function","function":{"name":...}} with a name of letters, digits, _ or -.`, param: `tools[${i}]` };
    }
    if (fn.parameters !== undefined && (!isObject(fn.parameters) || fn.parameters.type !== 'object')) {
      return { message: `tools[${i}].function.parameters must be a JSON Schema of type object.`, param: `tools[${i}].function.parameters` };
    }
  }
  return undefined;
}

/** `response_format` is `{type: "text"|"json_object"}` or `{type: "json_schema", json_schema: {name, schema, strict?}}`. */
function checkResponseFormat(format: unknown): { message: string; param: string } | undefined {
  if (format === undefined) return undefined;
  const param = 'response_format';
  if (!isObject(format) || !['text', 'json_object', 'json_schema'].includes(String(format.type))) {
    return { message: 'response_format.type must be one of text, json_object, json_schema.', param };
  }
  if (format.type !== 'json_schema') return undefined;
  const spec = format.json_schema;
  if (!isObject(spec) || typeof spec.name !== 'string' || !FUNCTION_NAME.test(spec.name) || !isObject(spec.schema)) {
    return { message: 'response_format.json_schema must have a name (letters, digits, _ or -) and a schema object.', param };
  }
  if (spec.strict !== undefined && typeof spec.strict !== 'boolean') return { message: 'response_format.json_schema.strict must be a boolean.', param };
  return undefined;
}

/**
 * The real API refuses an assistant message whose `content` is null or missing unless it carries
 * tool calls, and an empty `tool_calls` list: such a message says nothing.
 */
export function checkAssistantContent(messages: readonly FakeMessage[]): { index: number; problem: string } | undefined {
  for (const [index, message] of messages.entries()) {
    if (message?.role !== 'assistant') continue;
    const calls = message.tool_calls;
    if (Array.isArray(calls) && calls.length === 0) {
      return { index, problem: `messages[${index}].tool_calls is an empty list; leave it out or give at least one call.` };
    }
    if (message.content == null && !Array.isArray(calls)) {
      return { index, problem: `messages[${index}] has role "assistant" and content null but no tool_calls; content must be a string.` };
    }
  }
  return undefined;
}

/**
 * Every tool call of an assistant message must be answered by a tool message before the next
 * non-tool message or the end; every tool message must answer an open call. Returns the problem.
 */
export function checkToolPairing(messages: readonly FakeMessage[]): string | undefined {
  const open = new Map<string, number>(); // tool_call_id -> index of the assistant message
  const answered = new Set<string>();
  const unanswered = (at: string): string => {
    const [id, index] = [...open.entries()][0]!;
    return `The tool_call_id ${id} of messages[${index}] was not answered by a tool message ${at}.`;
  };
  for (const [i, message] of messages.entries()) {
    if (typeof message !== 'object' || message === null || typeof message.role !== 'string') {
      return `messages[${i}] must be an object with a string \`role\`.`;
    }
    if (message.role === 'tool') {
      const id = message.tool_call_id;
      if (typeof id !== 'string') return `messages[${i}] has role "tool" but no string tool_call_id.`;
      if (open.delete(id)) {
        answered.add(id);
        continue;
      }
      return answered.has(id)
        ? `messages[${i}] answers tool_call_id ${id}, which was already answered.`
        : `messages[${i}] has tool_call_id ${id}, which matches no earlier tool call.`;
    }
    if (open.size > 0) return unanswered(`before messages[${i}] (role "${message.role}")`);
    if (message.role === 'assistant' && Array.isArray(message.tool_calls)) {
      for (const call of message.tool_calls) {
        if (typeof call?.id !== 'string') return `messages[${i}].tool_calls has a call without a string id.`;
        open.set(call.id, i);
      }
    }
  }
  return open.size > 0 ? unanswered('before the end of messages') : undefined;
}
