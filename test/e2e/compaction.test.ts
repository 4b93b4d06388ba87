// Long sessions: past the threshold the older turns are summarised once and the run keeps working;
// a context-length 400 from the provider leads to a compaction and a retry instead of a failure.
import { expect, it } from 'vitest';
import { type RecordedRequest } from '../fake-server/index.js';
import { isSummaryRequest } from '../helpers/summary-request.js';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir, tempRepo } from '../helpers/temp-repo.js';
import { userConfigEnv } from '../helpers/user-config.js';

const startServer = fakeServerPerTest();

const SUMMARY = 'Task: read the notes. What was tried: read notes 0-5. Files changed: none. Test status: n/a. Open steps: finish.';

/** A model that reads note files until it has read `reads` of them, answering summary requests when asked. */
function reader(reads: number, extra: (req: RecordedRequest, done: number) => object | undefined = () => undefined) {
  let done = 0;
  return (req: RecordedRequest) => {
    if (isSummaryRequest(req)) return { content: SUMMARY };
    const special = extra(req, done);
    if (special) return special;
    if (done >= reads) return { content: 'read them all' };
    return { toolCalls: [{ name: 'read_file', arguments: { path: `note${done++ % 3}.txt` } }] };
  };
}

const notes = { 'note0.txt': 'x'.repeat(2000), 'note1.txt': 'y'.repeat(2000), 'note2.txt': 'z'.repeat(2000) };

it('compacts once past the threshold, keeps working, and reports the summary request and its cost', async () => {
  const repo = tempRepo(notes);
  const server = await startServer({ script: [reader(12)], repeatLast: true });
  const env = { SPROUT_API_KEY: 'k', XDG_STATE_HOME: tempDir('sprout-state-'), ...userConfigEnv({ compactAtTokens: 9000 }) };
  const run = await runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'read the notes'], { env });
  expect(run.code, run.stderr).toBe(0);

  const compactions = run.events.filter((e) => e.type === 'compaction');
  expect(compactions).toHaveLength(1);
  const compaction = compactions[0]!;
  expect(compaction).toMatchObject({ reason: 'threshold' });
  expect(Number(compaction.tokens_after)).toBeLessThan(Number(compaction.tokens_before));
  const summaryIndex = server.requests.findIndex(isSummaryRequest);
  expect(server.requests.filter(isSummaryRequest)).toHaveLength(1);
  // The summary's usage is an event of its own and part of the run's cost.
  expect(run.events.find((e) => e.type === 'usage' && e.purpose === 'compaction')).toMatchObject({ cost: compaction.cost });
  expect(Number(compaction.cost)).toBeGreaterThan(0);
  // After it, the model sees the summary instead of the old turns, and still the task.
  const after = server.requests[summaryIndex + 1]!;
  const texts = (after.body.messages ?? []).map((m) => String(m.content));
  expect(texts[1]).toBe('read the notes');
  expect(texts.some((t) => t.includes(SUMMARY))).toBe(true);
  expect(after.rawBody.length).toBeLessThan(server.requests[summaryIndex - 1]!.rawBody.length);
  expect(run.events.at(-1)).toMatchObject({ status: 'success', final_message: 'read them all' });
  // The saved session holds the compacted conversation, so a resume starts from it.
  const saved = await runCli(['sessions', 'show', String(run.events[0]!.session_id), '--json'], { env });
  const messages = (saved.events[0]!.messages as Array<{ content: string }>).map((m) => String(m.content));
  expect(messages.some((t) => t.includes(SUMMARY))).toBe(true);
  expect(messages.length).toBe((server.requests.at(-1)!.body.messages ?? []).length + 1);
});

it('answers a context-length 400 by compacting and retrying the turn', async () => {
  const repo = tempRepo(notes);
  let overflowSent = false;
  const overflow = (_req: RecordedRequest, done: number) => {
    if (done === 5 && !overflowSent) {
      overflowSent = true;
      return {
        error: {
          status: 400,
          body: { error: { code: 'InvalidParameter', message: 'Total tokens of image and text exceed max message tokens', type: 'BadRequest' } },
        },
      };
    }
    return undefined;
  };
  const server = await startServer({ script: [reader(6, overflow)], repeatLast: true });
  const run = await runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'read the notes'], {
    env: { SPROUT_API_KEY: 'k' },
  });
  expect(run.code, run.stderr).toBe(0);
  expect(run.events.find((e) => e.type === 'compaction')).toMatchObject({ reason: 'context_length' });
  expect(server.requests.filter(isSummaryRequest)).toHaveLength(1);
  expect(run.events.at(-1)).toMatchObject({ status: 'success' });
});

it.each([
  ['doubao-seed-code', 'continues the cached conversation'],
  ['doubao-1.5-pro-32k', 'stays a transcript'],
])('for %s the summary request %s', async (model, _how) => {
  const repo = tempRepo(notes);
  // 16 reads: enough to cross 9,000 tokens for either model now that the tool schemas are small.
  const server = await startServer({ script: [reader(16)], repeatLast: true });
  const env = { SPROUT_API_KEY: 'k', ...userConfigEnv({ compactAtTokens: 9000 }) };
  const run = await runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '-C', repo, '-m', model, 'read the notes'], { env });
  expect(run.code, run.stderr).toBe(0);
  const index = server.requests.findIndex(isSummaryRequest);
  const summary = server.requests[index]!;
  const before = server.requests[index - 1]!;
  const usage = run.events.find((e) => e.type === 'usage' && e.purpose === 'compaction')!;
  if (model === 'doubao-seed-code') {
    expect(summary.body.tool_choice).toBe('none');
    expect(JSON.stringify(summary.body.tools)).toBe(JSON.stringify(before.body.tools));
    expect(JSON.stringify(summary.body.messages).startsWith(JSON.stringify(before.body.messages).slice(0, -1))).toBe(true);
    expect(Number(usage.prompt_tokens)).toBeGreaterThanOrEqual(before.usage!.prompt_tokens);
    expect(Number(usage.cached_tokens) / Number(usage.prompt_tokens)).toBeGreaterThanOrEqual(0.8);
  } else {
    expect(summary.body.tools).toBeUndefined();
    expect(String(summary.body.messages![0]!.content)).toContain('You summarise the work');
    expect(Number(usage.cached_tokens)).toBeLessThan(Number(usage.prompt_tokens) * 0.05);
  }
});
