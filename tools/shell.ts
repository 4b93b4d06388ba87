// shell: run a bash command line in the working directory, in the sandbox, with a timeout.
import { z } from 'zod';
import { defineTool } from './define-tool.js';

export const shell = defineTool({
  name: 'shell',
  description:
    'Run a bash command; returns its exit code and output (long output is cut). Stdin is closed: ' +
    'pass --yes or CI=1. Background processes are killed when it returns.',
  parameters: z.object({
    command: z.string().min(1).describe('Bash command line'),
    cwd: z.string().min(1).optional().describe('Subdirectory to run in'),
    timeout_seconds: z.number().int().min(1).optional().describe('Time limit in seconds (default 120)'),
  }),
  // A command may read or write any file: it runs after the file tools the model called before it.
  footprint: () => ({ tree: true }),
  async execute(args, ctx) {
    const { shellTimeoutMs, shellMaxTimeoutMs, execOutputBytes } = ctx.limits;
    const timeoutMs = Math.min(args.timeout_seconds ? args.timeout_seconds * 1000 : shellTimeoutMs, shellMaxTimeoutMs);
    const result = await ctx.sandbox.exec(args.command, {
      ...(args.cwd === undefined ? {} : { cwd: args.cwd }),
      timeoutMs,
      signal: ctx.signal,
      maxOutputBytes: execOutputBytes,
    });
    let status: string;
    if (result.timedOut) status = `timed out after ${Math.round(timeoutMs / 1000)} s and was killed`;
    else if (result.aborted) status = 'was interrupted';
    else if (result.signal) status = `was killed by ${result.signal}`;
    else status = `exit code ${result.exitCode}`;
    const body = result.output.trimEnd();
    return {
      output: `${status}\n${body === '' ? '(no output)' : body}`,
      isError: result.exitCode !== 0,
      details: { exitCode: result.exitCode, timedOut: result.timedOut, totalBytes: result.totalBytes },
    };
  },
});
