// Cost of a request from its reported usage and the profile's tiers. The tier is chosen by that
// request's prompt tokens and sets both input and output prices.
import type { ModelProfile, PriceTier } from './profiles.js';
import type { Usage } from './types.js';

/** The tier that prices a request with this many prompt tokens. */
export function tierFor(profile: ModelProfile, promptTokens: number): PriceTier {
  const tier = profile.tiers.find((t) => promptTokens <= t.upTo) ?? profile.tiers.at(-1);
  if (!tier) throw new Error(`profile ${profile.id} has no price tiers`);
  return tier;
}

/** Cost of one request in the profile's currency. Reasoning tokens are part of completion tokens. */
export function requestCost(profile: ModelProfile, usage: Usage): number {
  const tier = tierFor(profile, usage.promptTokens);
  const uncached = Math.max(0, usage.promptTokens - usage.cachedTokens);
  const perToken = 1 / 1_000_000;
  return (uncached * tier.input + usage.cachedTokens * tier.cachedInput + usage.completionTokens * tier.output) * perToken;
}

/** What the cache saved on one request: cached tokens at the input price minus at the cache price. */
export function cacheSavings(profile: ModelProfile, usage: Usage): number {
  const tier = tierFor(profile, usage.promptTokens);
  return (usage.cachedTokens * Math.max(0, tier.input - tier.cachedInput)) / 1_000_000;
}
