// Model profiles: context window, output limit and price tiers per (provider, model). Prices are per
// 1M tokens in the provider's currency; a tier applies when a request's prompt tokens are <= upTo.
import type { ProviderName } from '../config/providers.js';

/** One price tier: chosen by the request's prompt tokens; sets input, cache-hit and output prices. */
export interface PriceTier {
  /** Upper bound of prompt tokens for this tier (inclusive); Infinity for the last. */
  upTo: number;
  input: number;
  cachedInput: number;
  output: number;
}

/** What sprout knows of a model. */
export interface ModelProfile {
  id: string;
  contextWindow: number;
  maxOutputTokens: number;
  currency: 'CNY' | 'USD';
  tiers: PriceTier[];
  /** True when this profile was guessed for an unknown model id. */
  generic?: boolean;
}

const K = 1024;

// Ark's published seed-code prices (CNY per 1M): input 1.2/1.4/2.8, output 8/12/16, cache hit 0.24.
const SEED_CODE_ARK: PriceTier[] = [
  { upTo: 32 * K, input: 1.2, cachedInput: 0.24, output: 8 },
  { upTo: 128 * K, input: 1.4, cachedInput: 0.24, output: 12 },
  { upTo: Infinity, input: 2.8, cachedInput: 0.24, output: 16 },
];

const PROFILES: ModelProfile[] = [
  { id: 'doubao-seed-code', contextWindow: 256 * K, maxOutputTokens: 32 * K, currency: 'CNY', tiers: SEED_CODE_ARK },
  {
    id: 'doubao-1.5-pro-32k',
    contextWindow: 32 * K,
    maxOutputTokens: 12 * K,
    currency: 'CNY',
    tiers: [{ upTo: Infinity, input: 1, cachedInput: 1, output: 2.5 }],
  },
  {
    id: 'doubao-seed-2-0-code',
    contextWindow: 256 * K,
    maxOutputTokens: 128 * K,
    currency: 'USD',
    tiers: [{ upTo: Infinity, input: 1.49, cachedInput: 1.49, output: 6.99 }],
  },
  {
    id: 'doubao-seed-2-0-lite',
    contextWindow: 256 * K,
    maxOutputTokens: 128 * K,
    currency: 'USD',
    tiers: [{ upTo: Infinity, input: 0.39, cachedInput: 0.39, output: 1.99 }],
  },
  {
    id: 'doubao-seed-2-0-mini',
    contextWindow: 256 * K,
    maxOutputTokens: 128 * K,
    currency: 'USD',
    tiers: [{ upTo: Infinity, input: 0.14, cachedInput: 0.14, output: 0.69 }],
  },
];

/** All shipped profiles. */
export function knownProfiles(): readonly ModelProfile[] {
  return PROFILES;
}

/**
 * The profile for a model id. Served ids like `doubao-seed-code-preview-251028` match their family
 * by prefix; an unknown id gets a generic, price-less profile flagged `generic`.
 */
export function findProfile(modelId: string, _provider?: ProviderName): ModelProfile {
  const exact = PROFILES.find((p) => p.id === modelId);
  if (exact) return exact;
  const family = PROFILES.filter((p) => modelId.startsWith(`${p.id}-`)).sort((a, b) => b.id.length - a.id.length)[0];
  if (family) return { ...family, id: modelId };
  return {
    id: modelId,
    contextWindow: 128 * K,
    maxOutputTokens: 16 * K,
    currency: 'CNY',
    tiers: [{ upTo: Infinity, input: 0, cachedInput: 0, output: 0 }],
    generic: true,
  };
}
