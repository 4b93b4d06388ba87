// A fake OpenAI-compatible model server on loopback for tests: it checks requests the way Ark
// does, answers chat requests from a script (JSON or real SSE), reports usage from a fake
// tokenizer with a transparent prefix cache, and records everything it was sent.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildChunks, buildCompletion, resolveTurn, type AnswerMeta } from './answer.js';
import { errorAnswer, type ErrorAnswer } from './errors.js';
import { createScriptCursor, runStep, type StepPick } from './script.js';
import { computeUsage, serialisePrompt } from './tokenizer.js';
import { checkAuth, checkChatBody } from './validate.js';
import type { ChatRequestBody, FakeModelServer, FakeServerOptions, RecordedRequest, ScriptedTurn } from './types.js';

const DEFAULT_MODELS = ['doubao-seed-code', 'doubao-1.5-pro-32k', 'doubao-seed-2-0-code'];

/** Starts the server on 127.0.0.1 with a random port. */
export async function startFakeModelServer(options: FakeServerOptions = {}): Promise<FakeModelServer> {
  const requests: RecordedRequest[] = [];
  const unexpected: string[] = [];
  const answeredPrompts: string[] = []; // the prefix cache: prompts the "model" has processed
  const cursor = createScriptCursor(options.script ?? [], options.repeatLast ?? false);
  let requestCount = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = `fake-${++requestCount}`;
    res.setHeader('x-request-id', requestId);
    const rawBody = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname.replace(/\/+$/, '');
    if (req.method === 'POST' && path === '/v1/chat/completions') {
      return handleChat(req, res, rawBody, requestId);
    }
    if (req.method === 'GET' && path === '/v1/models') {
      const rejection = checkAuth(req.headers, options.apiKey, requestId);
      if (rejection) return sendError(res, rejection);
      const data = (options.models ?? DEFAULT_MODELS).map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake' }));
      return sendJson(res, 200, { object: 'list', data });
    }
    unexpected.push(`${req.method} ${req.url}: no such endpoint (answered 404)`);
    sendError(res, errorAnswer(404, requestId, { message: `No endpoint ${req.method} ${path}.` }));
  }

  async function handleChat(req: IncomingMessage, res: ServerResponse, rawBody: string, requestId: string): Promise<void> {
    const body = parseBody(rawBody);
    const record: RecordedRequest = {
      body: body ?? {},
      rawBody,
      headers: req.headers,
      prompt: serialisePrompt(body ?? {}),
      usage: undefined,
      stepIndex: undefined,
      status: 0,
    };
    requests.push(record);
    const number = requests.length;
    const answerError = (answer: ErrorAnswer): void => {
      record.status = answer.status;
      sendError(res, answer);
    };

    const rejection =
      checkAuth(req.headers, options.apiKey, requestId) ??
      (body === undefined
        ? errorAnswer(400, requestId, { message: 'The request body is not a JSON object.' })
        : checkChatBody(body, requestId));
    if (rejection) return answerError(rejection);

    const pick = cursor.take();
    let turn: ScriptedTurn;
    try {
      if (pick) {
        record.stepIndex = pick.index;
        turn = await runStep(pick.step, record);
      } else if (options.onExhausted !== undefined && options.onExhausted !== 'error') {
        turn = await runStep(options.onExhausted, record);
      } else {
        const message = `chat request #${number} arrived after all ${cursor.length} script steps were used`;
        unexpected.push(`${message}; its last message: ${describeLastMessage(record.body)}`);
        return answerError(errorAnswer(500, requestId, { code: 'ScriptExhausted', message: `Fake model server: ${message}.` }));
      }
    } catch (error) {
      const message = `script step ${pick?.index ?? '(onExhausted)'} threw on chat request #${number}: ${String(error)}`;
      unexpected.push(message);
      return answerError(errorAnswer(500, requestId, { code: 'ScriptStepFailed', message }));
    }

    if (turn.delayMs) await new Promise((resolve) => setTimeout(resolve, turn.delayMs));
    if (turn.error) {
      const { status, body: errorBody, headers } = turn.error;
      const answer = errorAnswer(status, requestId);
      return answerError({ status, body: errorBody ?? answer.body, headers });
    }

    const answer = resolveTurn(turn, (i, given) => toolCallId(number, i, given, pick));
    record.usage = computeUsage(record.prompt, answeredPrompts, answer, turn.usage);
    answeredPrompts.push(record.prompt);
    record.status = 200;
    const meta: AnswerMeta = {
      id: `chatcmpl-${requestId}`,
      created: Math.floor(Date.now() / 1000),
      model: options.servedModel ?? body!.model!,
    };
    if (body!.stream === true) {
      const usage = body!.stream_options?.include_usage === true ? record.usage : undefined;
      return streamChunks(res, buildChunks(meta, answer, usage, { repeatToolName: turn.repeatToolName }), turn.disconnectAfterChunks);
    }
    sendJson(res, 200, buildCompletion(meta, answer, record.usage));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      unexpected.push(`fake server crashed on ${req.method} ${req.url}: ${String(error)}`);
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'FakeServerError', message: String(error) } });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    unexpected,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
    assertDone() {
      const problems = [
        ...cursor.unused().map((i) => `script step ${i} was never used`),
        ...unexpected,
      ];
      if (problems.length > 0) {
        throw new Error(`Fake model server: ${problems.length} problem(s):\n- ${problems.join('\n- ')}`);
      }
    },
  };
}

/** Given ids are kept, except on replays, which must not repeat an id the client already saw. */
function toolCallId(requestNumber: number, i: number, given: string | undefined, pick: StepPick | undefined): string {
  if (given === undefined) return `call_${requestNumber}_${i}`;
  return pick?.replay ? `${given}_${requestNumber}` : given;
}

function parseBody(rawBody: string): ChatRequestBody | undefined {
  try {
    const parsed: unknown = JSON.parse(rawBody);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as ChatRequestBody) : undefined;
  } catch {
    return undefined;
  }
}

function describeLastMessage(body: ChatRequestBody): string {
  const last = body.messages?.at(-1);
  return last === undefined ? '(none)' : JSON.stringify(last).slice(0, 300);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, answer: ErrorAnswer): void {
  sendJson(res, answer.status, answer.body, answer.headers);
}

/** Writes one SSE event per chunk, yielding between writes so the client sees them apart. */
async function streamChunks(res: ServerResponse, chunks: object[], disconnectAfter: number | undefined): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const [i, chunk] of chunks.entries()) {
    if (res.destroyed) return;
    if (disconnectAfter !== undefined && i >= disconnectAfter) break;
    res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (disconnectAfter !== undefined) res.socket?.destroy();
  else res.end('data: [DONE]\n\n');
}
