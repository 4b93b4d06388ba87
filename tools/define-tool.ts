// defineTool: how every tool is declared. A tool is a name, a model-facing description, a zod
// object schema for its arguments and an execute function that reaches the world only via ctx.sandbox.
import type { z } from 'zod';
import type { GitDoor } from '../sandbox/git.js';
import type { Sandbox } from '../sandbox/types.js';
import type { FileHistory } from './file-history.js';

/** What a tool receives besides its arguments. */
export interface ToolContext {
  /** The only way to touch files and processes. */
  sandbox: Sandbox;
  /** Aborted when the run is stopped; pass it on to long operations. */
  signal: AbortSignal;
  /** The working directory's real path (same as sandbox.root). */
  cwd: string;
  /** Limits a tool may need, from config. */
  limits: ToolLimits;
  /** Snapshots of files before tool writes, for undo_edit (ctx.sandbox records into it). */
  history?: FileHistory;
  /** Author of commits the git tool makes (default `sprout <sprout@users.noreply.github.com>`). */
  gitAuthor?: { name: string; email: string };
  /** The run's host-side git door, opened when the run started (the git tool opens one if absent). */
  gitDoor?: GitDoor;
}

/** Config values tools read. */
export interface ToolLimits {
  /** Default timeout of a shell command, in ms. */
  shellTimeoutMs: number;
  /** Largest timeout the model may ask for, in ms. */
  shellMaxTimeoutMs: number;
  /** Bytes of process output kept in memory per call. */
  execOutputBytes: number;
  /** Pixels an image shown to the model may have (vision models); undefined when it takes none. */
  maxImagePixels?: number;
}

/** What a tool returns: `output` goes to the model, `details` only to renderers. */
export interface ToolOutput {
  output: string;
  /** Set when the call did not do what was asked (e.g. a non-zero exit); the model sees it as an error. */
  isError?: boolean;
  details?: Record<string, unknown>;
  /** Images for the model to look at (vision models): sent in a user message after the tool results. */
  images?: ToolImage[];
}

/** An image a tool shows the model, as a data URL. */
export interface ToolImage {
  url: string;
  /** What the image is, e.g. the file it came from. */
  label: string;
}

/** A declared tool. `Args` is the zod object schema of its arguments. */
export interface Tool<Args extends z.ZodObject = z.ZodObject> {
  name: string;
  description: string;
  parameters: Args;
  /**
   * The JSON schema sent to the model instead of the one derived from `parameters`, for tools whose
   * schema comes from elsewhere (MCP servers); `parameters` still validates the arguments.
   */
  inputSchema?: Record<string, unknown>;
  execute(args: z.output<Args>, ctx: ToolContext): Promise<ToolOutput | string>;
  /**
   * What a call touches, so that calls of one turn that conflict run in the model's order while the
   * rest run at the same time. Leave it out for calls that conflict with nothing they know of.
   */
  footprint?(args: z.output<Args>): CallFootprint;
}

/** The resources one call touches. */
export interface CallFootprint {
  /** Paths (as the model gave them) the call reads or writes; calls sharing a path run in order. */
  paths?: string[];
  /** Named resources used one call at a time, e.g. `git-write`. */
  locks?: string[];
  /**
   * True for a call that may read or write any file of the working tree (a command, a test run): it
   * runs after every earlier call that names a path or a lock, and before every later one. Two such
   * calls may still run side by side.
   */
  tree?: boolean;
}

/**
 * A mistake of the model's that a tool detected (text not found, file missing...). The runner turns
 * it into an error result whose text is the message, with no stack.
 */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolError';
  }
}

/** Declare a tool; the identity function, there for type inference of `execute`'s arguments. */
export function defineTool<Args extends z.ZodObject>(tool: Tool<Args>): Tool<Args> {
  return tool;
}
