// Can the endpoint be reached with this key? One cheap authenticated request (GET /models), with a
// short timeout, for `sprout doctor`. The answer says what happened, never the key.
import OpenAI from 'openai';
import { deepestMessage } from './api-errors.js';

export interface EndpointCheck {
  ok: boolean;
  /** One line for a person: reachable, key rejected, not reachable and why. */
  detail: string;
  /** The model ids GET /models listed, when it answered with a list. */
  models?: string[];
}

/**
 * Whether the endpoint serves `model`, judged by its list: the id itself, or a dated id of its
 * family (`doubao-seed-code` served as `doubao-seed-code-preview-251028`). Ark endpoint ids (`ep-...`)
 * belong to one account and are not in the public list, so they are not judged.
 */
export function checkListedModel(model: string, listed: readonly string[], baseUrl: string): EndpointCheck | undefined {
  if (listed.length === 0 || model.startsWith('ep-')) return undefined;
  if (listed.some((id) => id === model || id.startsWith(`${model}-`))) return { ok: true, detail: `${model} is listed by ${baseUrl}` };
  const shown = listed.slice(0, 8).join(', ') + (listed.length > 8 ? `, and ${listed.length - 8} more` : '');
  return {
    ok: false,
    detail: `${model} is not among the models ${baseUrl} lists (${shown}); pass a listed id with --model or set "model" in the config`,
  };
}

export async function checkEndpoint(baseUrl: string, apiKey: string, keyEnvName: string, timeoutMs = 10_000): Promise<EndpointCheck> {
  const sdk = new OpenAI({ baseURL: baseUrl, apiKey, maxRetries: 0, timeout: timeoutMs });
  try {
    const page = await sdk.models.list();
    return { ok: true, detail: `${baseUrl} answered (${page.data.length} model${page.data.length === 1 ? '' : 's'} listed)`, models: page.data.map((m) => m.id) };
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
