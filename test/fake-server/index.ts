// Entry point of the fake OpenAI-compatible model server for tests.

export { startFakeModelServer } from './server.js';
export { toolResults, lastUserMessage, contentText } from './helpers.js';
export { serialisePrompt, countTokens, byteLength, commonPrefixBytes, cachedTokens, computeUsage } from './tokenizer.js';
export { checkToolPairing } from './validate.js';
export { splitText } from './answer.js';
export type {
  ChatRequestBody,
  FakeMessage,
  FakeModelServer,
  FakeServerOptions,
  FinishReason,
  RecordedRequest,
  ReportedUsage,
  ScriptedError,
  ScriptedToolCall,
  ScriptedTurn,
  ScriptStep,
  UsageOverride,
} from './types.js';
