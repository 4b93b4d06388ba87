// shell: run a bash command line in the working directory, in the sandbox, with a timeout.
import { z } from 'zod';
import { defineTool } from './define-tool.js';

export const shell = defineTool({
  name: 'shell',
  description:
    'Run a bash command in the working directory and return its exit code and combined stdout/stderr. ' +
    'Use it to run tests, builds and scripts. Stdin is closed, so interactive commands fail: pass ' +
    'flags like --yes or CI=1. Long output is cut in the middle. Processes left in the background are ' +
    'killed when the command returns.',
  parameters: z.object({
    command: z.string().min(1).describe('The bash command line to run'),
    cwd: z.string().min(1).optional().describe('Subdirectory to run in, relative to the working directory (default: the working directory)'),
    timeout_seconds: z.number().int().min(1).optional().describe('Kill the command after this many seconds (default 120)'),
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
