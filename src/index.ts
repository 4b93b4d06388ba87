// sprout's library API: the agent loop, tool definition, the event contract, model clients and
// sandboxes. The CLI is built on exactly these exports.
export { runAgent } from './agent/run-agent.js';
export type { AgentOptions, RunLimits } from './agent/options.js';
export type { AgentEvent, RunResult, RunStatus, UsageTotals } from './agent/events.js';
export { buildSystemPrompt } from './agent/system-prompt.js';
export { createOpenAIClient, type ModelClient, type ModelRequest, type OpenAIClientOptions } from './model/client.js';
export type { AssistantTurn, ChatMessage, ToolCall, TurnDelta, Usage } from './model/types.js';
export { findProfile, knownProfiles, type ModelProfile, type PriceTier } from './model/profiles.js';
export { requestCost } from './model/cost.js';
export { loadConfig } from './config/load.js';
export { ConfigSchema, type Config } from './config/schema.js';
export { PROVIDERS, lookupApiKey, type ProviderName } from './config/providers.js';
export { SproutError, UsageError, ConfigError, InputError, ApiError } from './errors.js';
export { defineTool, ToolError, type Tool, type ToolContext, type ToolOutput, type ToolLimits } from '../tools/define-tool.js';
export { builtinTools, toToolSpecs, toolJsonSchema, type ToolSpec } from '../tools/registry.js';
export { runToolCall, type ToolCallOutcome } from '../tools/runner.js';
export { createHostSandbox } from '../sandbox/host.js';
export type { Sandbox, ExecOptions, ExecResult, SandboxKind } from '../sandbox/types.js';
export { PathOutsideError } from '../sandbox/types.js';
export { VERSION } from './version.js';
