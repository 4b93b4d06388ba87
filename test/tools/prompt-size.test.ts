// The fixed prompt — system prompt plus every tool's schema — is paid on every request, so it has a
// budget: 2,500 tokens with the full tool set, counted as the fake server counts (bytes / 4).
import { describe, expect, it } from 'vitest';
import { buildSystemPrompt } from '../../src/agent/system-prompt.js';
import { builtinTools, toToolSpecs, visionTools } from '../../tools/registry.js';

const FIXED_PROMPT_TOKENS = 2500;

describe('fixed prompt size', () => {
  it('system prompt + all tool schemas stay within 2,500 tokens', () => {
    const tools = [...builtinTools(), ...visionTools({ chromiumPath: '/usr/bin/chromium' })];
    const system = buildSystemPrompt({ cwd: '/home/user/project', toolNames: tools.map((t) => t.name), sandboxNote: 'a bubblewrap sandbox without network access' });
    const bytes = Buffer.byteLength(system) + Buffer.byteLength(JSON.stringify(toToolSpecs(tools)));
    expect(Math.ceil(bytes / 4)).toBeLessThanOrEqual(FIXED_PROMPT_TOKENS);
  });

  it('no tool schema carries the meaningless 2^53-1 bound of an unbounded integer', () => {
    expect(JSON.stringify(toToolSpecs(builtinTools()))).not.toContain(String(Number.MAX_SAFE_INTEGER));
  });
});
