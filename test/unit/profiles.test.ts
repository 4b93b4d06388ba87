// Model profiles: served ids find their family, prices follow the provider, users add and patch.
import { describe, expect, it } from 'vitest';
import { findProfile, knownProfiles } from '../../src/model/profiles.js';

describe('model profiles', () => {
  it('matches a served id to its family and prices seed 2.0 per provider', () => {
    expect(findProfile('doubao-seed-code-preview-251028')).toMatchObject({ id: 'doubao-seed-code-preview-251028', contextWindow: 262144, currency: 'CNY' });
    expect(findProfile('doubao-seed-code-preview-251028').generic).toBeUndefined();
    expect(findProfile('doubao-seed-2-0-lite', 'ark').tiers[1]).toMatchObject({ input: 0.9, output: 5.4, cachedInput: 0.12 });
    expect(findProfile('doubao-seed-2-0-lite', 'joapi')).toMatchObject({ currency: 'USD', tiers: [{ input: 0.39, output: 1.99 }] });
    expect(findProfile('mystery-model')).toMatchObject({ generic: true });
  });

  it("applies the user's patch to a shipped model and adds the user's own models", () => {
    const patches = {
      'doubao-seed-code': { tiers: [{ upTo: null, input: 1, cachedInput: 0.1, output: 5 }] },
      'my-local-model': { contextWindow: 65536, maxOutputTokens: 8192, currency: 'USD' as const, tiers: [{ upTo: null, input: 0.5, cachedInput: 0.5, output: 1 }] },
    };
    expect(findProfile('doubao-seed-code', 'ark', patches)).toMatchObject({ contextWindow: 262144, tiers: [{ upTo: Infinity, input: 1, output: 5 }] });
    const mine = findProfile('my-local-model', 'ark', patches);
    expect(mine).toMatchObject({ contextWindow: 65536, currency: 'USD', tiers: [{ input: 0.5 }] });
    expect(mine.generic).toBeUndefined();
    expect(knownProfiles('ark', patches).map((p) => p.id)).toEqual([
      'doubao-seed-code', 'doubao-1.5-pro-32k', 'doubao-seed-2-0-code', 'doubao-seed-2-0-lite', 'doubao-seed-2-0-mini', 'my-local-model',
    ]);
  });
});
