// --output-schema FILE end to end: the final answer must validate, an invalid one goes back to the
// model with the errors (bounded), and the value becomes result.structured_output and part of the
// summary. Both ways of asking are driven through the real CLI and SDK: response_format json_schema
// (a seed 2.0 profile) and the submit_result tool (doubao-seed-code); the fake server checks the shape.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastUserMessage, type RecordedRequest, toolResults } from '../fake-server/index.js';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir, tempRepo } from '../helpers/temp-repo.js';

const startServer = fakeServerPerTest();

const SCHEMA = {
  type: 'object',
  properties: { fixed: { type: 'boolean' }, files: { type: 'array', items: { type: 'string' } }, risk: { enum: ['low', 'medium', 'high'] } },
  required: ['fixed', 'files', 'risk'],
  additionalProperties: false,
};
const VERDICT = { fixed: true, files: ['math.js'], risk: 'low' };
const WRONG_TYPE = { fixed: 'yes', files: [], risk: 'low' };

function schemaFile(schema: object = SCHEMA): string {
  const file = join(tempDir('sprout-schema-'), 'verdict.schema.json');
  writeFileSync(file, JSON.stringify(schema));
  return file;
}

function run(url: string, model: string, extra: string[] = []) {
  const repo = tempRepo({ 'a.txt': 'a\n' });
  return runCli(['run', '--json', '--sandbox', 'none', '--base-url', url, '-m', model, '--output-schema', schemaFile(), '-C', repo, ...extra, 'Give the verdict'], { env: { SPROUT_API_KEY: 'k' } });
}

const toolNames = (req: RecordedRequest) => (req.body.tools as Array<{ function: { name: string } }>).map((t) => t.function.name);

describe('--output-schema with response_format json_schema', () => {
  it('sends invalid JSON and a schema violation back, then accepts the valid object', async () => {
    const summary = join(tempDir('sprout-summary-'), 'summary.md');
    const server = await startServer({
      script: [
        (req) => {
          expect(req.body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'final_answer', schema: SCHEMA, strict: false } });
          expect(toolNames(req)).not.toContain('submit_result');
          return { content: 'Here is my verdict: {fixed' };
        },
        (req) => {
          expect(lastUserMessage(req)).toContain('not valid JSON');
          return { content: JSON.stringify(WRONG_TYPE) };
        },
        (req) => {
          expect(lastUserMessage(req)).toContain('/fixed must be boolean');
          return { content: JSON.stringify(VERDICT) };
        },
      ],
    });
    const result = await run(server.url, 'doubao-seed-2-0-code', ['--summary-out', summary]);
    expect(result.code, result.stderr).toBe(0);
    server.assertDone();
    expect(result.events.at(-1)).toMatchObject({ type: 'result', status: 'success', num_turns: 3, structured_output: VERDICT });
    expect(server.requests.every((r) => (r.body.response_format as { type?: string } | undefined)?.type === 'json_schema')).toBe(true);
    expect(readFileSync(summary, 'utf8')).toContain(JSON.stringify(VERDICT, null, 2));
  });

  it('ends in error with the last validation errors when the answer never validates', async () => {
    const server = await startServer({ script: [{ content: JSON.stringify({ fixed: true }) }], repeatLast: true });
    const result = await run(server.url, 'doubao-seed-2-0-code');
    expect(result.code).toBe(1);
    expect(server.requests).toHaveLength(4); // the first answer and 3 retries (defaultLimits.structuredOutputRetries)
    const last = result.events.at(-1)!;
    expect(last).toMatchObject({ status: 'error', structured_output_errors: ["(root) must have required property 'files'", "(root) must have required property 'risk'"] });
    expect(last.structured_output).toBeUndefined();
    expect(String(last.error)).toContain('did not match the output schema after 4 attempts');
  });
});

describe('--output-schema with the submit_result tool', () => {
  it('answers bad submissions with the errors, then ends the run on the valid one', async () => {
    const server = await startServer({
      script: [
        (req) => {
          expect(req.body.response_format).toBeUndefined();
          const submit = (req.body.tools as Array<{ function: { name: string; parameters: unknown } }>).find((t) => t.function.name === 'submit_result');
          expect(submit?.function.parameters).toEqual(SCHEMA);
          return { toolCalls: [{ name: 'submit_result', arguments: '{"fixed": tru' }] };
        },
        (req) => {
          expect(toolResults(req)[0]?.content).toContain('not valid JSON');
          return { toolCalls: [{ name: 'submit_result', arguments: WRONG_TYPE }] };
        },
        (req) => {
          expect(toolResults(req)[0]?.content).toContain('/fixed must be boolean');
          return { toolCalls: [{ name: 'submit_result', arguments: VERDICT }] };
        },
      ],
    });
    const result = await run(server.url, 'doubao-seed-code');
    expect(result.code, result.stderr).toBe(0);
    server.assertDone();
    expect(result.events.at(-1)).toMatchObject({ status: 'success', num_turns: 3, structured_output: VERDICT });
    expect(result.events.filter((e) => e.type === 'tool_result').map((e) => e.ok)).toEqual([false, false, true]);
  });

  it('ends in error when the model keeps submitting invalid answers or stops without submitting', async () => {
    const server = await startServer({
      script: [{ content: 'I am done.' }, { toolCalls: [{ name: 'submit_result', arguments: { ...VERDICT, risk: 'none' } }] }],
      repeatLast: true,
    });
    const result = await run(server.url, 'doubao-seed-code');
    expect(result.code).toBe(1);
    expect(server.requests).toHaveLength(4);
    expect(lastUserMessage(server.requests[1]!)).toContain('without calling submit_result');
    expect(result.events.at(-1)).toMatchObject({ status: 'error', structured_output_errors: ['/risk must be equal to one of the allowed values'] });
  });

  it('without --json, prints the structured answer on stdout as one line of JSON', async () => {
    const server = await startServer({ script: [{ content: 'Submitting.', toolCalls: [{ name: 'submit_result', arguments: VERDICT }] }] });
    const repo = tempRepo({ 'a.txt': 'a\n' });
    const out = await runCli(['run', '--sandbox', 'none', '--base-url', server.url, '--output-schema', schemaFile(), '-C', repo, 'verdict'], { env: { SPROUT_API_KEY: 'k' } });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toBe(`${JSON.stringify(VERDICT)}\n`);
  });

  it('rejects an unreadable or invalid schema file before any request, exit 2', async () => {
    const server = await startServer({ script: [] });
    const repo = tempRepo({ 'a.txt': 'a\n' });
    const bad = schemaFile({ type: 'object', properties: { a: { type: 'no-such-type' } } });
    for (const [file, message] of [[join(repo, 'missing.json'), 'cannot read the output schema'], [bad, 'is not a valid JSON Schema']] as const) {
      const out = await runCli(['run', '--sandbox', 'none', '--base-url', server.url, '--output-schema', file, '-C', repo, 'x'], { env: { SPROUT_API_KEY: 'k' } });
      expect(out.code).toBe(2);
      expect(out.stderr).toContain(message);
      expect(out.stderr).not.toContain('    at ');
    }
    expect(server.requests).toHaveLength(0);
  });
});
