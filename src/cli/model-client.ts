// Building the model client a run uses from config: the SDK client for the provider, wrapped in the
// client-side rate limit (per preset or config) and retries.
import type { ApiKey } from '../config/providers.js';
import { PROVIDERS } from '../config/providers.js';
import type { Config } from '../config/schema.js';
import { createOpenAIClient, type ModelClient } from '../model/client.js';
import { RateLimiter } from '../model/rate-limiter.js';
import { withRateLimit, withRetries } from '../model/resilience.js';

export function createModelClient(config: Config, key: ApiKey, extraBody: Record<string, unknown> = {}): ModelClient {
  const preset = PROVIDERS[config.provider];
  let client = createOpenAIClient({
    baseUrl: config.baseUrl ?? preset.baseUrl,
    apiKey: key.value,
    keyEnvName: key.envName,
    model: config.model,
    idleTimeoutMs: config.streamIdleTimeoutSeconds * 1000,
    extraBody,
  });
  const requests = config.rateLimitRequests ?? preset.rateLimit?.requests;
  const windowSeconds = config.rateLimitWindowSeconds ?? preset.rateLimit?.windowSeconds;
  if (requests !== undefined && windowSeconds !== undefined) {
    client = withRateLimit(client, new RateLimiter(requests, windowSeconds * 1000));
  }
  return withRetries(client, {
    maxRetries: config.maxRetries,
    baseDelayMs: config.retryBaseDelayMs,
    maxTotalWaitMs: config.retryMaxWaitSeconds * 1000,
  });
}
