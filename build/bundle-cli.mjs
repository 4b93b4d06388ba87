// Bundles the `sprout` command after tsc: dist/src/cli/main.js (tsc's output) becomes one file with
// the code every command needs, plus chunks under dist/src/cli/chunks/ for what loads on demand
// (each command's own code, MCP, the spinner). Loading ~700 small ES modules one by one was most of
// a run's start-up. Idempotent: a main.js that is already a bundle is left alone; a fresh tsc
// output is bundled again. sharp (native) and playwright-core (large, only for screenshots) stay
// ordinary imports of node_modules.
import { chmod, readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const CLI_DIR = fileURLToPath(new URL('../dist/src/cli/', import.meta.url));
const ENTRY = `${CLI_DIR}main.js`;
const MARK = '// sprout-agent CLI bundle';

const text = await readFile(ENTRY, 'utf8').catch(() => undefined);
if (text === undefined) {
  console.error(`bundle-cli: ${ENTRY} is missing; run tsc -p tsconfig.json first`);
  process.exit(1);
}
if (!text.includes(MARK)) {
  await rm(`${CLI_DIR}chunks`, { recursive: true, force: true });
  await build({
    input: { main: ENTRY },
    platform: 'node',
    external: ['sharp', 'playwright-core', /^playwright-core\//],
    // jsonc-parser's `main` is a UMD build a bundler cannot follow; its `module` build is plain ESM.
    resolve: { mainFields: ['module', 'main'] },
    logLevel: 'warn',
    // Source maps name every module a chunk holds: for stack traces (--enable-source-maps) and for the start-up test.
    output: { dir: CLI_DIR, format: 'esm', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js', banner: (chunk) => (chunk.isEntry ? MARK : '') },
  });
}
// The bin is run directly (a bin link, npx): tsc and rolldown write it 0644, and npx makes it
// executable only when it first links a clone, so a rebuild after that would leave `npx sprout` denied.
await chmod(ENTRY, 0o755);
