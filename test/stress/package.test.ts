// The package as npm users get it: `npm pack` once, then what ships, `npm publish --dry-run`, and a
// fresh project that installs the tarball, runs the `sprout` bin and type-checks and runs the README's
// library example against the fake model server. Slow (pack, two installs, tsc), so it is a stress suite.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { startFakeModelServer } from '../fake-server/index.js';
import { installConsumer, type Packed, packSprout, REPO_ROOT } from '../helpers/packed-install.js';
import { tempRepo } from '../helpers/temp-repo.js';

const run = promisify(execFile);
const TSC = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
const EXAMPLE = readFileSync(join(REPO_ROOT, 'examples/custom-tool.ts'), 'utf8');
const CONSUMER_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: false,
    types: ['node'], outDir: 'out', noUncheckedIndexedAccess: true,
  },
  include: ['*.ts'],
};

let packed: Packed;
beforeAll(() => {
  packed = packSprout();
});

/** Type-check (and build) the consumer's *.ts with its own tsconfig; returns tsc's output on failure. */
function typecheck(dir: string): string {
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(CONSUMER_TSCONFIG));
  try {
    execFileSync(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
    return '';
  } catch (error) {
    return String((error as { stdout?: string }).stdout);
  }
}

describe('the packed tarball', () => {
  it('is sprout-agent with the sprout bin, a LICENSE and the metadata npm shows', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({ name: 'sprout-agent', bin: { sprout: 'dist/src/cli/main.js' }, license: 'MIT' });
    for (const key of ['repository', 'homepage', 'bugs', 'keywords']) expect(manifest[key], key).toBeTruthy();
    expect(packed.files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/cli/main.js', 'schema/events.schema.json']));
  });

  it('ships no bench output and no source map whose sources are missing', () => {
    expect(packed.files.filter((f) => f.includes('bench'))).toEqual([]);
    expect(packed.files.filter((f) => /(^|\/)test\//.test(f))).toEqual([]);
    const maps = packed.files.filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    const shipped = new Set(packed.files);
    const orphans = maps.flatMap((map) => {
      const { sources } = JSON.parse(readFileSync(join(REPO_ROOT, map), 'utf8')) as { sources: string[] };
      return sources.map((s) => normalize(join(map, '..', s))).filter((s) => !shipped.has(s)).map((s) => `${map} -> ${s}`);
    });
    expect(orphans).toEqual([]);
  });

  it('passes npm publish --dry-run (against a local registry that does not know the name yet)', async () => {
    const registry = createServer((_req, res) => res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}'));
    await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(registry.address() as AddressInfo).port}/`;
    try {
      const { stdout, stderr } = await run('npm', ['publish', '--dry-run', '--ignore-scripts', '--registry', url], { cwd: REPO_ROOT });
      expect(`${stdout}${stderr}`).toContain('+ sprout-agent@');
    } finally {
      registry.close();
    }
  });
});

describe('a project that installs the tarball', () => {
  it('runs `npx sprout --version` and `npx sprout-agent --version`', () => {
    const dir = installConsumer(packed);
    const version = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version as string;
    for (const bin of ['sprout', 'sprout-agent']) {
      const out = execFileSync('npx', ['--no-install', bin, '--version'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      expect(out.trim()).toBe(version);
    }
    const schema = execFileSync('npx', ['--no-install', 'sprout', 'schema', 'events'], { cwd: dir, encoding: 'utf8' });
    expect(JSON.parse(schema)).toMatchObject({ $schema: expect.stringContaining('json-schema.org') });
  });

  it("type-checks the README's library example with skipLibCheck false and runs it against the fake server", async () => {
    const dir = installConsumer(packed);
    writeFileSync(join(dir, 'example.ts'), EXAMPLE);
    expect(typecheck(dir)).toBe('');
    const repo = tempRepo({ 'README.md': 'one\ntwo\nthree\n' });
    const server = await startFakeModelServer({
      apiKey: 'sk-consumer',
      script: [
        { toolCalls: [{ name: 'count_lines', arguments: { path: 'README.md' } }] },
        (req) => {
          const last = req.body.messages?.at(-1);
          expect(last).toMatchObject({ role: 'tool', content: '3 lines' });
          return { content: 'README.md has 3 lines.' };
        },
      ],
    });
    try {
      const env = { PATH: process.env.PATH, HOME: process.env.HOME, XDG_CONFIG_HOME: '/nonexistent-sprout-test-config', SPROUT_BASE_URL: server.url, SPROUT_API_KEY: 'sk-consumer' };
      const { stdout } = await run(process.execPath, [join(dir, 'out/example.js')], { cwd: repo, env });
      expect(stdout.trim()).toBe('success README.md has 3 lines.');
      server.assertDone();
    } finally {
      await server.close();
    }
  });

  it('type-checks for a project on zod 3, which gets sprout its own zod 4', () => {
    const dir = installConsumer(packed, { ownZod3: true });
    expect(JSON.parse(readFileSync(join(dir, 'node_modules/zod/package.json'), 'utf8')).version).toMatch(/^3\./);
    expect(existsSync(join(dir, 'node_modules/sprout-agent/node_modules/zod'))).toBe(true);
    writeFileSync(join(dir, 'example.ts'), EXAMPLE);
    writeFileSync(join(dir, 'own-zod.ts'), "import { z } from 'zod';\nexport const Name = z.string().min(1);\nexport type Name = z.infer<typeof Name>;\n");
    expect(typecheck(dir)).toBe('');
  });
});
