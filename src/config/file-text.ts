// The text of a config file: JSON with comments and trailing commas allowed (so a starter file can
// explain itself), and a `$schema` key for editors, which is not a setting and is dropped here.
import { type ParseError, parse, printParseErrorCode } from 'jsonc-parser';
import { ConfigError } from '../errors.js';

/** Parse a config file's text; a syntax error names the file, line and column. */
export function parseConfigText(text: string, path: string): unknown {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first) {
    const before = text.slice(0, first.offset).split('\n');
    const where = `line ${before.length}, column ${before.at(-1)!.length + 1}`;
    throw new ConfigError(`config file ${path} is not valid JSON (${printParseErrorCode(first.error)} at ${where}); fix it or delete it`);
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && '$schema' in value) {
    const { $schema: _schema, ...settings } = value as Record<string, unknown>;
    return settings;
  }
  return value;
}
