// `sprout schema NAME`: print one of sprout's JSON Schemas. Each schema is one entry of SCHEMAS, so
// another (the config file's) is one more line.
import { Argument, type Command } from 'commander';
import { eventsJsonSchema } from '../render/event-schema.js';
import { EXIT } from './exit-codes.js';

/** The schemas `sprout schema` prints, by name. */
export const SCHEMAS: Record<string, () => Record<string, unknown>> = {
  events: eventsJsonSchema,
};

/** Add `schema` to the program; `setExit` receives the exit code. */
export function defineSchemaCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('schema')
    .description('print a JSON Schema: events (the --output-format json lines)')
    .addArgument(new Argument('<name>', 'which schema').choices(Object.keys(SCHEMAS)))
    .exitOverride()
    .action((name: string) => {
      process.stdout.write(`${JSON.stringify(SCHEMAS[name]!(), null, 2)}\n`);
      setExit(EXIT.success);
    });
}
