// sprout's library API: the agent loop, tool definition, the event contract, model clients and
// sandboxes. The CLI is built on exactly these exports.
export { runAgent } from './agent/run-agent.js';
export type { AgentOptions, RunLimits } from './agent/options.js';
export { defaultLimits, defaultRetryPolicy } from './config/limits.js';
export type { AgentEvent, LimitKind, RunResult, RunStatus, UsageTotals } from './agent/events.js';
export { createJsonLinesRenderer } from './render/json-lines.js';
export { createStreamJsonRenderer } from './render/stream-json.js';
export { eventsJsonSchema } from './render/event-schema.js';
export { buildSystemPrompt } from './agent/system-prompt.js';
export { createOpenAIClient, type ModelClient, type ModelRequest, type OpenAIClientOptions } from './model/client.js';
export type { AssistantTurn, ChatMessage, ToolCall, TurnDelta, Usage } from './model/types.js';
export { findProfile, knownProfiles, type ModelProfile, type PriceTier } from './model/profiles.js';
export { requestCost } from './model/cost.js';
export { withRateLimit, withRetries } from './model/resilience.js';
export { RateLimiter } from './model/rate-limiter.js';
export type { RetryPolicy } from './model/retry-policy.js';
export { loadConfig, type LoadOptions } from './config/load.js';
export { ConfigSchema, type Config } from './config/schema.js';
export { PROVIDERS, lookupApiKey, type ProviderName } from './config/providers.js';
export { SproutError, UsageError, ConfigError, InputError, ApiError } from './errors.js';
export { defineTool, ToolError, type Tool, type ToolContext, type ToolOutput, type ToolLimits } from '../tools/define-tool.js';
export { builtinTools, toToolSpecs, toolJsonSchema, type ToolSpec } from '../tools/registry.js';
export { runToolCall, type ToolCallOutcome } from '../tools/runner.js';
export { createHostSandbox, type HostSandboxOptions } from '../sandbox/host.js';
export { createBwrapSandbox, type BwrapSandboxOptions } from '../sandbox/bwrap.js';
export type { Sandbox, ExecOptions, ExecResult, SandboxKind } from '../sandbox/types.js';
export { PathOutsideError } from '../sandbox/types.js';
export { VERSION } from './version.js';
/** The zod that defineTool's schemas are typed against: use it for tool parameters whatever zod your project has. */
export { z } from 'zod';
