// Holding the final answer to a JSON Schema (--output-schema). Two ways to reach the model: where the
// profile supports it, `response_format: {type: "json_schema"}` on every request and the answer is the
// last message's text; elsewhere a `submit_result` tool whose parameters are the schema. Either way
// the value is checked with ajv, and an invalid one goes back to the model with the errors, a bounded
// number of times.
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { InputError } from '../errors.js';
import type { ToolSpec } from '../model/types.js';

export const SUBMIT_TOOL = 'submit_result';
const SCHEMA_NAME = 'final_answer';
const MAX_ERRORS = 10; // validation errors listed in one feedback message

/** What a checked answer came to. */
export type Checked = { ok: true; value: unknown } | { ok: false; errors: string[] };

/** Compile a JSON Schema (draft 2020-12 when it says so, else draft-07); throws InputError when it is not one. */
export function compileSchema(schema: unknown, source = 'the output schema'): ValidateFunction {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw new InputError(`${source} must be a JSON object (a JSON Schema)`);
  }
  const dialect = String((schema as { $schema?: unknown }).$schema ?? '');
  // Unknown keywords and formats are allowed (schemas written for other validators), never logged.
  const options = { strict: false, allErrors: true, logger: false } as const;
  const ajv = dialect.includes('2020-12') ? new (ajvModule<typeof import('ajv/dist/2020.js')>('ajv/dist/2020.js').Ajv2020)(options) : new (ajvModule<typeof import('ajv')>('ajv').Ajv)(options);
  try {
    return ajv.compile(schema);
  } catch (error) {
    throw new InputError(`${source} is not a valid JSON Schema: ${(error as Error).message}`);
  }
}

/** ajv (CommonJS) loads with the first schema compiled: most runs have no output schema. */
function ajvModule<T>(id: string): T {
  return createRequire(import.meta.url)(id) as T;
}

/** The schema, the way the final answer is asked for, and the count of rejected answers. */
export class StructuredOutput {
  private readonly validate: ValidateFunction;
  /** Function parameters must be an object: any other schema is wrapped as `{ result }`. */
  private readonly wrapped: boolean;
  rejected = 0;
  lastErrors: string[] = [];
  accepted: { value: unknown } | undefined;

  constructor(
    readonly schema: Record<string, unknown>,
    readonly mode: 'json_schema' | 'tool',
    private readonly retries: number,
  ) {
    this.validate = compileSchema(schema);
    this.wrapped = schema.type !== 'object';
  }

  /** The request's `response_format`, in json_schema mode. */
  responseFormat(): Record<string, unknown> | undefined {
    if (this.mode !== 'json_schema') return undefined;
    return { type: 'json_schema', json_schema: { name: SCHEMA_NAME, schema: this.schema, strict: false } };
  }

  /** The submit_result tool, in tool mode. */
  toolSpec(): ToolSpec | undefined {
    if (this.mode !== 'tool') return undefined;
    const parameters = this.wrapped ? { type: 'object', properties: { result: this.schema }, required: ['result'] } : this.schema;
    return {
      type: 'function',
      function: {
        name: SUBMIT_TOOL,
        description: 'Submit your final answer as JSON valid against these parameters. Call it once, when the task is done; the run ends when the answer is valid.',
        parameters,
      },
    };
  }

  /** What the system prompt says about the answer. */
  instructions(): string {
    return this.mode === 'tool'
      ? `When you are done, call the ${SUBMIT_TOOL} tool with your final answer; its parameters are the required JSON Schema.`
      : 'When you are done, your final message must be only a JSON value valid against the required JSON Schema (no prose, no code fence).';
  }

  /** Check the text of a final message (json_schema mode) or the arguments of a submit_result call. */
  check(text: string, fromTool: boolean): Checked {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return this.reject([`the answer is not valid JSON: ${(error as Error).message}`]);
    }
    if (fromTool && this.wrapped) value = (value as { result?: unknown } | null)?.result;
    if (this.validate(value)) {
      this.accepted = { value };
      return { ok: true, value };
    }
    return this.reject(formatErrors(this.validate.errors ?? []));
  }

  /** True while a rejected answer may still be sent back. */
  get retriesLeft(): boolean {
    return this.rejected <= this.retries;
  }

  /** The message that sends a rejected answer back. */
  feedback(errors: string[]): string {
    const how = this.mode === 'tool' ? `Call ${SUBMIT_TOOL} again` : 'Answer again with only the JSON value';
    return `Your final answer does not match the required JSON Schema:\n${errors.map((e) => `- ${e}`).join('\n')}\n${how}, fixing these.`;
  }

  /** The message when the model stops without submitting, in tool mode. */
  missingSubmit(): string {
    this.reject([`no ${SUBMIT_TOOL} call`]);
    return `You stopped without calling ${SUBMIT_TOOL}. Call it now with your final answer.`;
  }

  private reject(errors: string[]): Checked {
    this.rejected++;
    this.lastErrors = errors;
    return { ok: false, errors };
  }
}

/** ajv's errors as short lines: where, and what is wrong. */
function formatErrors(errors: ErrorObject[]): string[] {
  const lines = errors.slice(0, MAX_ERRORS).map((e) => {
    const where = e.instancePath === '' ? '(root)' : e.instancePath;
    const extra = 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : '';
    return `${where} ${e.message ?? 'is invalid'}${extra}`;
  });
  if (errors.length > MAX_ERRORS) lines.push(`... and ${errors.length - MAX_ERRORS} more`);
  return lines;
}
