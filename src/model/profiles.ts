// Model profiles: context window, output limit, thinking style and prices. Prices belong to a
// (provider, model) pair (shared/doubao.md): a model has a default price table and per-provider ones.
// Prices are per 1M tokens; a tier applies when a request's prompt tokens are <= upTo.
import type { ProviderName } from '../config/providers.js';

/** One price tier: chosen by the request's prompt tokens; sets input, cache-hit and output prices. */
export interface PriceTier {
  /** Upper bound of prompt tokens for this tier (inclusive); Infinity for the last. */
  upTo: number;
  input: number;
  cachedInput: number;
  output: number;
}

/** A price list in one currency. */
export interface PriceTable {
  currency: 'CNY' | 'USD';
  tiers: PriceTier[];
}

/**
 * How a model's thinking is switched: Ark's `thinking: {type}` (seed-code), the `reasoning_effort`
 * parameter (seed 2.0), or not at all.
 */
export type ThinkingStyle = 'ark-thinking' | 'reasoning-effort' | 'none';

/** What sprout knows of a model, with the prices that apply for one provider. */
export interface ModelProfile extends PriceTable {
  id: string;
  contextWindow: number;
  maxOutputTokens: number;
  thinking: ThinkingStyle;
  /** Images are sent as image_url parts, shrunk to at most this many pixels; undefined: text only. */
  maxImagePixels?: number;
  /** Send a turn's reasoning_content back on its assistant message when it carries tool calls. */
  echoReasoning?: boolean;
  /**
   * How a final answer is held to an output schema: `json_schema` sends `response_format`, `tool`
   * (the default) offers a `submit_result` tool whose parameters are the schema.
   */
  structuredOutput?: 'json_schema' | 'tool';
  /** True when this profile was guessed for an unknown model id. */
  generic?: boolean;
}

/** A model as shipped: its default prices and the providers that price it differently. */
interface ModelEntry extends Omit<ModelProfile, 'currency' | 'tiers' | 'generic'> {
  prices: PriceTable;
  byProvider?: Partial<Record<ProviderName, PriceTable>>;
}

const K = 1024;
// Ark's default image_pixel_limit.max_pixels for its vision models (2048 x 1960); larger images are
// shrunk by the server anyway, so sprout shrinks them first and sends fewer bytes.
const ARK_MAX_IMAGE_PIXELS = 4_014_080;
const tiers3 = (input: number[], output: number[], cached: number): PriceTier[] => [
  { upTo: 32 * K, input: input[0]!, cachedInput: cached, output: output[0]! },
  { upTo: 128 * K, input: input[1]!, cachedInput: cached, output: output[1]! },
  { upTo: Infinity, input: input[2]!, cachedInput: cached, output: output[2]! },
];
const flat = (input: number, output: number, cached = input): PriceTier[] => [{ upTo: Infinity, input, cachedInput: cached, output }];
// Ark-coding is a subscription with a quota, not billed per token.
const SUBSCRIPTION: PriceTable = { currency: 'CNY', tiers: flat(0, 0) };

const MODELS: ModelEntry[] = [
  {
    id: 'doubao-seed-code',
    contextWindow: 256 * K,
    maxOutputTokens: 32 * K,
    thinking: 'ark-thinking',
    maxImagePixels: ARK_MAX_IMAGE_PIXELS,
    // Ark's published list, CNY per 1M: input 1.2/1.4/2.8, output 8/12/16, cache hit 0.24.
    prices: { currency: 'CNY', tiers: tiers3([1.2, 1.4, 2.8], [8, 12, 16], 0.24) },
    byProvider: { 'ark-coding': SUBSCRIPTION },
  },
  {
    id: 'doubao-1.5-pro-32k',
    contextWindow: 32 * K,
    maxOutputTokens: 12 * K,
    thinking: 'none',
    prices: { currency: 'CNY', tiers: flat(1, 2.5) },
  },
  seed2('doubao-seed-2-0-code', [3.2, 4.8, 9.6], [16, 24, 48], 0.64, [1.49, 6.99]),
  seed2('doubao-seed-2-0-lite', [0.6, 0.9, 1.8], [3.6, 5.4, 10.8], 0.12, [0.39, 1.99]),
  seed2('doubao-seed-2-0-mini', [0.2, 0.4, 0.8], [2, 4, 8], 0.04, [0.14, 0.69]),
];

/** A seed 2.0 model: Ark's three CNY tiers, and joapi's flat USD prices [input, output]. */
function seed2(id: string, input: number[], output: number[], cached: number, joapi: [number, number]): ModelEntry {
  return {
    id,
    contextWindow: 256 * K,
    maxOutputTokens: 128 * K,
    thinking: 'reasoning-effort',
    // Seed 2.0 keeps its chain of thought across a tool loop when the assistant message that made the
    // calls carries its reasoning_content again (shared/doubao.md, "Reasoning in tool loops"; the
    // BytePlus/Ark chat-completions reference lists reasoning_content as an assistant-message field).
    // seed-code and 1.5-pro are not documented to use it, so they are sent nothing extra.
    echoReasoning: true,
    maxImagePixels: ARK_MAX_IMAGE_PIXELS,
    // Ark: chat `response_format` json_schema (beta) on models from 250615 on (volcengine.com/docs/82379/1568221, /1958523).
    structuredOutput: 'json_schema',
    prices: { currency: 'CNY', tiers: tiers3(input, output, cached) },
    byProvider: { joapi: { currency: 'USD', tiers: flat(joapi[0], joapi[1]) } },
  };
}

/** Every shipped model priced for `provider`, then the user's own models, all with the user's patches. */
export function knownProfiles(provider?: ProviderName, patches: Record<string, ProfilePatch> = {}): ModelProfile[] {
  const ids = [...MODELS.map((m) => m.id), ...Object.keys(patches).filter((id) => !MODELS.some((m) => m.id === id))];
  return ids.map((id) => findProfile(id, provider, patches));
}

/** A user's changes to a profile: any field; tiers with `upTo: null` for the last. */
export interface ProfilePatch {
  contextWindow?: number;
  maxOutputTokens?: number;
  thinking?: ThinkingStyle;
  echoReasoning?: boolean;
  maxImagePixels?: number;
  structuredOutput?: 'json_schema' | 'tool';
  currency?: 'CNY' | 'USD';
  tiers?: Array<{ upTo: number | null; input: number; cachedInput: number; output: number }>;
}

/**
 * The profile for a model id, with the user's patch for that id applied. Served ids like
 * `doubao-seed-code-preview-251028` match their family by prefix; an unknown id without a patch
 * gets a generic, price-less profile flagged `generic`.
 */
export function findProfile(modelId: string, provider?: ProviderName, patches: Record<string, ProfilePatch> = {}): ModelProfile {
  const patch = patches[modelId];
  const base = shippedProfile(modelId, provider);
  if (!patch) return base;
  const { tiers, ...rest } = patch;
  const { generic: _generic, ...known } = base;
  return {
    ...known,
    ...rest,
    ...(tiers ? { tiers: tiers.map((t) => ({ ...t, upTo: t.upTo ?? Infinity })) } : {}),
  };
}

function shippedProfile(modelId: string, provider: ProviderName | undefined): ModelProfile {
  const entry =
    MODELS.find((m) => m.id === modelId) ??
    MODELS.filter((m) => modelId.startsWith(`${m.id}-`)).sort((a, b) => b.id.length - a.id.length)[0];
  if (entry) return priced(entry, modelId, provider);
  return {
    id: modelId,
    contextWindow: 128 * K,
    maxOutputTokens: 16 * K,
    thinking: 'none',
    currency: 'CNY',
    tiers: flat(0, 0),
    generic: true,
  };
}

function priced(entry: ModelEntry, id: string, provider: ProviderName | undefined): ModelProfile {
  const { prices, byProvider, ...rest } = entry;
  const table = (provider && byProvider?.[provider]) || prices;
  return { ...rest, id, currency: table.currency, tiers: table.tiers };
}
