// The JSON Schema of a config file, from the same zod schema that validates it, with each setting's
// default filled in, so that editors can complete and check `config.json` (via its `$schema` key).
import { z } from 'zod';
import { ConfigLayerSchema, DEFAULTS } from './schema.js';

type JsonObject = Record<string, unknown>;

export function configJsonSchema(): JsonObject {
  const schema = z.toJSONSchema(ConfigLayerSchema, { target: 'draft-2020-12', unrepresentable: 'any' }) as JsonObject;
  const properties = (schema.properties ?? {}) as Record<string, JsonObject>;
  for (const [key, value] of Object.entries(DEFAULTS)) {
    if (properties[key]) properties[key] = { ...properties[key], default: value };
  }
  return {
    ...schema,
    title: 'sprout config file',
    description: 'sprout settings: ~/.config/sprout/config.json (user) or .sprout/config.json (project; may not set provider, baseUrl, sandbox, network, envAllow or sandbox mounts).',
    properties: { $schema: { type: 'string', description: 'the JSON Schema of this file, for editors' }, ...properties },
  };
}
