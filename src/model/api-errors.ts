// Turning provider failures into ApiErrors whose messages say what happened and what to do,
// following the error table of shared/doubao.md.
import { APIError, APIUserAbortError } from 'openai';
import { ApiError } from '../errors.js';
import { HOST_NOT_FOUND, parseRetryAfter } from './retry-policy.js';

/** What the message needs to know about the request that failed. */
export interface ErrorContext {
  /** The variable the API key was read from, named on 401. */
  keyEnvName: string;
  baseUrl: string;
  model: string;
}

/** Map anything the SDK or the stream threw to an ApiError (an abort is passed through untouched). */
export function toApiError(error: unknown, ctx: ErrorContext): unknown {
  if (error instanceof APIUserAbortError || error instanceof ApiError) return error;
  if (error instanceof Error && error.name === 'AbortError') return error;
  if (!(error instanceof APIError)) {
    // fetch reports a connection dropped mid-body as a bare TypeError ("terminated") or a socket error.
    const reason = deepestMessage(error);
    return new ApiError(`the connection to ${ctx.baseUrl} broke mid-answer: ${reason}`, undefined, 'stream_broken', { cause: error });
  }
  const status = error.status;
  const code = error.code ?? undefined;
  const detail = cleanMessage(error.message);
  if (status === undefined) {
    const host = unresolvedHost(error);
    if (host !== undefined) {
      // NXDOMAIN: the name does not exist, so another try cannot help (unlike a refused connection).
      const message = `cannot resolve the host ${host} of ${ctx.baseUrl}: no such name; check --base-url (or --provider) and your DNS`;
      return new ApiError(message, undefined, HOST_NOT_FOUND, { cause: error });
    }
    return new ApiError(`cannot reach ${ctx.baseUrl}: ${deepestMessage(error)}; check the URL and your network`, undefined, code, {
      cause: error,
    });
  }
  const message = `${adviceFor(status, code, ctx)} (HTTP ${status}${code ? ` ${code}` : ''}: ${detail})`;
  return new ApiError(message, status, code, { cause: error, retryAfterMs: parseRetryAfter(error.headers) });
}

function adviceFor(status: number, code: string | undefined, ctx: ErrorContext): string {
  if (status === 401) return `the API key in ${ctx.keyEnvName} was rejected by ${ctx.baseUrl}; check the key and the provider`;
  if (status === 402 || code === 'AccountOverdueError') return 'the account balance is exhausted; top it up, then run again';
  if (code === 'ModelNotOpen') return `model ${ctx.model} is not activated for this account; enable it in the provider console`;
  if (status === 403) return 'the provider refused access; check the account and the model permissions';
  if (status === 404) return `model ${ctx.model} or the endpoint ${ctx.baseUrl} was not found; check --model and --base-url`;
  if (status === 429) return 'the provider is rate limiting or out of quota; wait and run again';
  if (status === 451) return 'the provider refused the content of this request';
  if (status === 400 && /exceed|context|too long/i.test(code ?? '')) return 'the conversation is longer than the model accepts';
  if (status === 400) return 'the provider rejected the request';
  if (status >= 500) return 'the provider failed upstream; try again later';
  return 'the provider answered with an error';
}

/** The SDK prefixes the status to the message; keep only the provider's words. */
function cleanMessage(message: string): string {
  return message.replace(/^\d{3}\s+/, '').trim() || 'no message';
}

/** The host name of a getaddrinfo ENOTFOUND anywhere in the cause chain. */
function unresolvedHost(error: unknown): string | undefined {
  let current = error;
  for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
    const { code, hostname } = current as NodeJS.ErrnoException & { hostname?: string };
    if (code === 'ENOTFOUND') return hostname ?? 'of the endpoint';
    current = current.cause;
  }
  return undefined;
}

/** The innermost cause's message: "connect ECONNREFUSED 127.0.0.1:9" rather than "fetch failed". */
export function deepestMessage(error: unknown): string {
  let current = error;
  for (let depth = 0; depth < 5 && current instanceof Error && current.cause instanceof Error; depth++) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}
