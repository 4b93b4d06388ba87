// The --output-format choices, known to the command line before any renderer loads.

/** What `sprout run` writes on stdout: nothing but the final answer, sprout's events, or Claude's stream-json. */
export type OutputFormat = 'text' | 'json' | 'stream-json';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'stream-json'];
