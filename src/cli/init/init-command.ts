// \`sprout init\`: write a starter config (the project's, or with --user the user's) with its JSON
// Schema beside it, and for a project an AGENTS.md skeleton and a GitHub Actions workflow. Files
// that exist are left alone unless --force.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { configJsonSchema } from '../../config/json-schema.js';
import { userConfigPath } from '../../config/load.js';
import { EXIT } from '../exit-codes.js';
import { AGENTS_MD, PROJECT_CONFIG, USER_CONFIG, WORKFLOW } from './templates.js';

export interface InitIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  user: boolean;
  force: boolean;
}

export async function initCommand(io: InitIo): Promise<number> {
  const root = resolve(io.cwd);
  const schema = `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
  const files: Array<[string, string]> = io.user
    ? [
        [userConfigPath(io.env), USER_CONFIG],
        [join(dirname(userConfigPath(io.env)), 'config.schema.json'), schema],
      ]
    : [
        [join(root, '.sprout', 'config.json'), PROJECT_CONFIG],
        [join(root, '.sprout', 'config.schema.json'), schema],
        [join(root, 'AGENTS.md'), AGENTS_MD],
        [join(root, '.github', 'workflows', 'sprout.yml'), WORKFLOW],
      ];
  for (const [path, text] of files) {
    const shown = io.user ? path : relative(root, path);
    if (existsSync(path) && !io.force) {
      io.stdout.write(`kept    ${shown} (exists; --force overwrites it)\n`);
      continue;
    }
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
    io.stdout.write(`wrote   ${shown}\n`);
  }
  io.stdout.write(io.user ? 'next: export your API key (e.g. ARK_API_KEY), then `sprout doctor`\n' : 'next: fill in AGENTS.md, then `sprout doctor`\n');
  return EXIT.success;
}
