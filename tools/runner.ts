// The tool runner: everything that happens around a tool call in one place — argument parsing and
// validation, timing, error wrapping and output truncation — so that tools hold only their own logic.
// Whatever goes wrong here is the model's to fix, so it comes back as an error result, never a throw.
import type { z } from 'zod';
import { InvalidPathError } from '../sandbox/paths.js';
import { PathChangedError, PathOutsideError, UnsupportedFileError } from '../sandbox/types.js';
import type { Tool, ToolContext, ToolImage, ToolOutput } from './define-tool.js';
import { ToolError } from './define-tool.js';
import { toolJsonSchema } from './registry.js';
import { stripAnsi } from './text/ansi.js';
import { cutNotice, truncateMiddle } from './truncate.js';

/** A call as the model made it. */
export interface ToolCallRequest {
  id: string;
  name: string;
  /** The raw JSON text of the arguments. */
  arguments: string;
}

/** What a call produced, ready for the model (`output`) and for renderers. */
export interface ToolCallOutcome {
  ok: boolean;
  output: string;
  durationMs: number;
  details?: Record<string, unknown>;
  images?: ToolImage[];
}

const ECHO_CHARS = 500; // how much of bad arguments is echoed back to the model

/** How results are sized for the model. */
export interface OutputOptions {
  /** Bytes of a result the model sees; the middle of longer ones is cut. */
  outputLimitBytes: number;
  /** Keep a cut result whole somewhere read_file can page through it; returns that path. */
  spill?: (text: string) => Promise<string | undefined>;
}

/** Run one tool call; never throws. */
export async function runToolCall(
  tools: ReadonlyMap<string, Tool>,
  call: ToolCallRequest,
  ctx: ToolContext,
  output: OutputOptions,
): Promise<ToolCallOutcome> {
  const started = performance.now();
  const finish = async (ok: boolean, text: string, details?: Record<string, unknown>): Promise<ToolCallOutcome> => {
    const produced = typeof details?.totalBytes === 'number' ? details.totalBytes : undefined;
    // Colour codes are stripped here, once for every tool: processes keep the user's colour settings.
    const shown = await fitOutput(stripAnsi(text), output, produced);
    return { ok, output: ok ? shown : `Error: ${shown}`, durationMs: Math.round(performance.now() - started), details };
  };
  const tool = tools.get(call.name);
  if (!tool) {
    const names = [...tools.keys()].sort().join(', ');
    return finish(false, `there is no tool named ${JSON.stringify(call.name)}. Available tools: ${names}.`);
  }
  const parsed = parseArguments(tool, call.arguments);
  if (!parsed.ok) return finish(false, parsed.message);
  if (ctx.signal.aborted) return finish(false, 'the run was interrupted before this call started');
  try {
    const result: ToolOutput | string = await tool.execute(parsed.args as z.output<z.ZodObject>, ctx);
    const out = typeof result === 'string' ? { output: result } : result;
    const outcome = await finish(!out.isError, out.output, out.details);
    return out.images?.length ? { ...outcome, images: out.images } : outcome;
  } catch (error) {
    return finish(false, describeFailure(tool.name, error));
  }
}

type Parsed = { ok: true; args: unknown } | { ok: false; message: string };

/** Parse and validate a call's raw JSON arguments; the message says what was wrong and what is expected. */
export function parseArguments(tool: Tool, raw: string): Parsed {
  // Built only for an error: converting the schema on every call would be wasted work.
  const expected = (): string => `Expected arguments matching this JSON schema: ${JSON.stringify(toolJsonSchema(tool))}`;
  let value: unknown;
  try {
    value = raw.trim() === '' ? {} : JSON.parse(raw);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `the arguments of ${tool.name} are not valid JSON (${reason}). Received: ${echo(raw)}. ${expected()}` };
  }
  const result = (tool.parameters as z.ZodObject).safeParse(value);
  if (result.success) return { ok: true, args: result.data };
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.join('.') : '(arguments)';
    return `- ${field}: ${issue.message}`;
  });
  return {
    ok: false,
    message: `invalid arguments for ${tool.name}:\n${problems.join('\n')}\nReceived: ${echo(raw)}. ${expected()}`,
  };
}

/** Cut an over-long result in one place for every tool: its first line says so, and where the whole is kept. */
async function fitOutput(text: string, options: OutputOptions, producedBytes?: number): Promise<string> {
  const limit = options.outputLimitBytes;
  if (Buffer.byteLength(text, 'utf8') <= limit) return text;
  const saved = await options.spill?.(text).catch(() => undefined);
  // The notice counts against the limit too; the cut's size (digits) is not known yet, so allow for it.
  const noticeBytes = Buffer.byteLength(cutNotice(text, 0, saved, producedBytes), 'utf8') + 16;
  const cut = truncateMiddle(text, Math.max(limit - noticeBytes, Math.floor(limit / 2)));
  return `${cutNotice(text, cut.omittedBytes, saved, producedBytes)}\n${cut.text}`;
}

function echo(raw: string): string {
  return raw.length > ECHO_CHARS ? `${raw.slice(0, ECHO_CHARS)}… (${raw.length} chars)` : raw;
}

/** Turn a tool's exception into a message for the model: its own words, no stack. */
function describeFailure(toolName: string, error: unknown): string {
  if (error instanceof ToolError || error instanceof PathOutsideError || error instanceof InvalidPathError) return error.message;
  if (error instanceof PathChangedError || error instanceof UnsupportedFileError) return error.message;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const path = (error as NodeJS.ErrnoException | undefined)?.path;
  if (code === 'ENOENT') return `no such file or directory${path ? `: ${path}` : ''}`;
  if (code === 'EISDIR') return `that path is a directory, not a file${path ? `: ${path}` : ''}`;
  if (code === 'EROFS') return (error as Error).message; // says which path is read-only and why
  if (code === 'EACCES' || code === 'EPERM') {
    return `permission denied${path ? `: ${path}` : ''}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `${toolName} failed: ${message}`;
}
