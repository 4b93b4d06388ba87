// Quoting for the command lines the search tools hand to `bash -c`: every argument that comes from
// the model (patterns, globs, paths) goes through shellQuote, so none of it is ever read as shell syntax.
import { ToolError } from '../define-tool.js';

/**
 * One argument as a single-quoted bash word. Inside single quotes nothing is special except the
 * quote itself, which is closed, escaped and reopened (`'\''`); that holds for any byte string,
 * newlines and `$(...)` included. NUL cannot be passed to a process at all, so it is refused.
 */
export function shellQuote(arg: string): string {
  if (arg.includes('\0')) throw new ToolError(`arguments cannot contain a NUL byte: ${JSON.stringify(arg)}`);
  return `'${arg.replaceAll("'", "'\\''")}'`;
}

/** A command line of quoted arguments. */
export function shellJoin(args: readonly string[]): string {
  return args.map(shellQuote).join(' ');
}
