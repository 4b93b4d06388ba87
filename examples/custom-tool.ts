// examples/custom-tool.ts: a custom tool next to the built-in ones, driven by the agent loop.
import {
  builtinTools, createBwrapSandbox, createOpenAIClient, defineTool, findProfile, loadConfig, lookupApiKey,
  PROVIDERS, runAgent, withRetries, z,
} from 'sprout-agent';

const countLines = defineTool({
  name: 'count_lines',
  description: 'Count the lines of a text file in the working directory.',
  parameters: z.object({ path: z.string().describe('File path, relative to the working directory') }),
  async execute({ path }, ctx) {
    const text = (await ctx.sandbox.readFile(path)).toString('utf8');
    return `${text.split('\n').length - 1} lines`;
  },
});

// The same config files and variables as the CLI: SPROUT_BASE_URL, SPROUT_API_KEY or ARK_API_KEY, ...
const config = await loadConfig({ cwd: process.cwd(), env: process.env });
const key = lookupApiKey(config.provider, process.env);
const model = withRetries(createOpenAIClient({
  baseUrl: config.baseUrl ?? PROVIDERS[config.provider].baseUrl, apiKey: key.value, keyEnvName: key.envName, model: config.model,
}));
const sandbox = await createBwrapSandbox({ root: process.cwd() });
for await (const event of runAgent({
  task: 'How long is README.md?', model, profile: findProfile(config.model, config.provider, config.models), sandbox,
  tools: [...builtinTools(), countLines],
  limits: { maxTurns: 20 }, // every other limit keeps its default (defaultLimits)
})) {
  if (event.type === 'result') console.log(event.status, event.final_message);
}
await sandbox.close();
