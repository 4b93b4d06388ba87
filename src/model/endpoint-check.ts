// Can the endpoint be reached with this key? One cheap authenticated request (GET /models), with a
// short timeout, for `sprout doctor`. The answer says what happened, never the key.
import OpenAI from 'openai';
import { deepestMessage } from './api-errors.js';

export interface EndpointCheck {
  ok: boolean;
  /** One line for a person: reachable, key rejected, not reachable and why. */
  detail: string;
}

export async function checkEndpoint(baseUrl: string, apiKey: string, keyEnvName: string, timeoutMs = 10_000): Promise<EndpointCheck> {
  const sdk = new OpenAI({ baseURL: baseUrl, apiKey, maxRetries: 0, timeout: timeoutMs });
  try {
    const page = await sdk.models.list();
    return { ok: true, detail: `${baseUrl} answered (${page.data.length} models listed)` };
  } catch (error) {
    if (error instanceof OpenAI.APIError && error.status !== undefined) {
      if (error.status === 401 || error.status === 403) {
        return { ok: false, detail: `${baseUrl} rejected the key in ${keyEnvName} (HTTP ${error.status})` };
      }
      // Some providers do not list models; any other HTTP answer still proves the endpoint is there.
      return { ok: true, detail: `${baseUrl} is reachable (GET /models answered HTTP ${error.status})` };
    }
    return { ok: false, detail: `cannot reach ${baseUrl}: ${deepestMessage(error)}` };
  }
}
