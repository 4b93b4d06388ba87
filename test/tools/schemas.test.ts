// Every tool's JSON schema is real (not empty) and says what its zod schema says.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { builtinTools, toToolSpecs, toolJsonSchema, visionTools } from '../../tools/registry.js';

describe('tool schemas', () => {
  for (const tool of [...builtinTools(), ...visionTools({ chromiumPath: '/usr/bin/chromium' })]) {
    it(`${tool.name}'s JSON schema has exactly the properties and required fields of its zod schema`, () => {
      const schema = toolJsonSchema(tool) as { type: string; properties: Record<string, { description?: string }>; required?: string[] };
      const shape = tool.parameters.shape as Record<string, z.ZodType>;
      expect(schema.type).toBe('object');
      expect(Object.keys(schema.properties).length).toBeGreaterThan(0);
      expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(shape).sort());
      const required = Object.entries(shape).filter(([, field]) => !field.safeParse(undefined).success).map(([key]) => key);
      expect((schema.required ?? []).sort()).toEqual(required.sort());
      for (const [key, property] of Object.entries(schema.properties)) {
        expect(property.description, `${tool.name}.${key} needs a description for the model`).toBeTruthy();
      }
      expect(tool.description.length).toBeGreaterThan(40);
    });
  }

  it('tool specs are sorted by name and serialise to the same bytes every time', () => {
    const first = JSON.stringify(toToolSpecs(builtinTools()));
    const second = JSON.stringify(toToolSpecs([...builtinTools()].reverse()));
    expect(second).toBe(first);
    const names = toToolSpecs(builtinTools()).map((s) => s.function.name);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['edit_file', 'read_file', 'shell', 'write_file']));
    expect(first).not.toContain('$schema');
  });

  it('two tools with one name are refused', () => {
    const [one] = builtinTools();
    expect(() => toToolSpecs([one!, one!])).toThrow(/two tools are named/);
  });
});
