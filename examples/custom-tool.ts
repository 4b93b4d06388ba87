// examples/custom-tool.ts: a custom tool next to the built-in ones, driven by the agent loop.
import { z } from 'zod';
import { builtinTools, createHostSandbox, createOpenAIClient, defineTool, findProfile, runAgent } from 'sprout';

const countLines = defineTool({
  name: 'count_lines',
  description: 'Count the lines of a text file in the working directory.',
  parameters: z.object({ path: z.string().describe('File path, relative to the working directory') }),
  async execute({ path }, ctx) {
    const text = (await ctx.sandbox.readFile(path)).toString('utf8');
    return `${text.split('\n').length - 1} lines`;
  },
});

const sandbox = await createHostSandbox({ root: process.cwd() });
const model = createOpenAIClient({
  baseUrl: 'https://ark.cn-beijing.volces.com/api/v3', apiKey: process.env.ARK_API_KEY!,
  keyEnvName: 'ARK_API_KEY', model: 'doubao-seed-code',
});
for await (const event of runAgent({
  task: 'How long is README.md?', model, profile: findProfile('doubao-seed-code'), sandbox,
  tools: [...builtinTools(), countLines],
  limits: { maxTurns: 20, maxOutputTokens: 8192, maxContinuations: 2, toolOutputBytes: 16384, toolConcurrency: 4,
    agentsMdBytes: 16384, maxRepeatedCalls: 4, shellTimeoutMs: 120_000, shellMaxTimeoutMs: 600_000,
    execOutputBytes: 1 << 20 },
})) {
  if (event.type === 'result') console.log(event.status, event.final_message);
}
await sandbox.close();
