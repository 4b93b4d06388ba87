// Provider presets (see shared/doubao.md) and the API key lookup order of the CLI contract.
import { ConfigError } from '../errors.js';

export const PROVIDER_NAMES = ['ark', 'ark-coding', 'wcode', 'joapi', 'openai'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** An endpoint preset. */
export interface ProviderPreset {
  name: ProviderName;
  baseUrl: string;
  /** The provider's own key variable, read after SPROUT_API_KEY. */
  keyEnv: string;
  currency: 'CNY' | 'USD';
  /** The provider's published request rate, enforced client-side unless config overrides it. */
  rateLimit?: { requests: number; windowSeconds: number };
}

export const PROVIDERS: Record<ProviderName, ProviderPreset> = {
  ark: { name: 'ark', baseUrl: 'https://ark.cn-beijing.volces.com/api/v3', keyEnv: 'ARK_API_KEY', currency: 'CNY' },
  'ark-coding': {
    name: 'ark-coding',
    baseUrl: 'https://ark.cn-beijing.volces.com/api/coding/v3',
    keyEnv: 'ARK_API_KEY',
    currency: 'CNY',
  },
  wcode: { name: 'wcode', baseUrl: 'https://wcode.net/api/gpt/v1', keyEnv: 'WCODE_API_KEY', currency: 'CNY' },
  joapi: {
    name: 'joapi',
    baseUrl: 'https://www.joapiai.xin/v1',
    keyEnv: 'JOAPI_API_KEY',
    currency: 'USD',
    rateLimit: { requests: 1, windowSeconds: 10 },
  },
  openai: { name: 'openai', baseUrl: 'https://api.openai.com/v1', keyEnv: 'OPENAI_API_KEY', currency: 'USD' },
};

/** Where a key was found, so error messages can name the variable. */
export interface ApiKey {
  value: string;
  envName: string;
}

/** The variables read for a provider's key, in order. */
export function keyEnvNames(provider: ProviderName): string[] {
  return [...new Set(['SPROUT_API_KEY', PROVIDERS[provider].keyEnv, 'OPENAI_API_KEY'])];
}

/** Find the API key: SPROUT_API_KEY, else the provider's variable, else OPENAI_API_KEY. */
export function lookupApiKey(provider: ProviderName, env: NodeJS.ProcessEnv): ApiKey {
  for (const name of keyEnvNames(provider)) {
    const value = env[name]?.trim();
    if (value) return { value, envName: name };
  }
  const names = keyEnvNames(provider);
  throw new ConfigError(
    `no API key: set ${PROVIDERS[provider].keyEnv} (or SPROUT_API_KEY) for provider ${provider}; ` +
      `read ${names.join(', ')}`,
  );
}
