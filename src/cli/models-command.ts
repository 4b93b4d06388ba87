// `sprout models`: the model profiles (shipped, and the user's from config) as a table or JSON Lines,
// priced for a provider.
import type { ProviderName } from '../config/providers.js';
import { knownProfiles, type ModelProfile, type ProfilePatch } from '../model/profiles.js';
import { EXIT } from './exit-codes.js';

export interface ModelsIo {
  stdout: NodeJS.WritableStream;
  json: boolean;
  provider: ProviderName;
  /** Profiles the user added or changed in config. */
  patches: Record<string, ProfilePatch>;
}

export function modelsCommand(io: ModelsIo): number {
  const profiles = knownProfiles(io.provider, io.patches);
  if (io.json) {
    for (const p of profiles) io.stdout.write(`${JSON.stringify({ ...p, tiers: p.tiers.map((t) => ({ ...t, upTo: Number.isFinite(t.upTo) ? t.upTo : null })) })}\n`);
    return EXIT.success;
  }
  const rows = [
    ['model', 'context', 'max out', 'thinking', 'input / 1M', 'cached / 1M', 'output / 1M', 'tiers by prompt'],
    ...profiles.map(row),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) io.stdout.write(`${r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()}\n`);
  io.stdout.write(`\nprices for provider ${io.provider}, per 1M tokens; the tier is chosen by a request's prompt tokens and sets all three prices\n`);
  return EXIT.success;
}

function row(p: ModelProfile): string[] {
  const list = (pick: (t: ModelProfile['tiers'][number]) => number) => `${p.tiers.map(pick).join('/')} ${p.currency}`;
  const bounds = p.tiers.length === 1 ? 'one tier' : p.tiers.map((t) => (Number.isFinite(t.upTo) ? `<=${t.upTo / 1024}K` : 'more')).join(', ');
  return [p.id, `${p.contextWindow / 1024}K`, `${p.maxOutputTokens / 1024}K`, p.thinking, list((t) => t.input), list((t) => t.cachedInput), list((t) => t.output), bounds];
}
