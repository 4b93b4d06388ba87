// Mapping --reasoning-effort onto each model's own switch: Ark's `thinking` object for seed-code,
// `reasoning_effort` for seed 2.0, nothing for models that cannot think.
import type { ModelProfile } from './profiles.js';

export const REASONING_EFFORTS = ['off', 'minimal', 'low', 'medium', 'high'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

/** Extra request fields for the chosen effort, and a warning when the model cannot honour it. */
export function thinkingParams(
  profile: ModelProfile,
  effort: ReasoningEffort | undefined,
): { body: Record<string, unknown>; warning?: string } {
  if (effort === undefined) return { body: {} }; // the provider's default
  switch (profile.thinking) {
    case 'ark-thinking':
      // seed-code thinks or not; there are no levels, so any effort above off turns it on.
      return { body: { thinking: { type: effort === 'off' ? 'disabled' : 'enabled' } } };
    case 'reasoning-effort':
      // Thinking is off by default on seed 2.0: 'off' is simply not asking for it.
      return { body: effort === 'off' ? {} : { reasoning_effort: effort } };
    case 'none':
      return effort === 'off'
        ? { body: {} }
        : { body: {}, warning: `model ${profile.id} has no thinking control; --reasoning-effort ${effort} is ignored` };
  }
}
