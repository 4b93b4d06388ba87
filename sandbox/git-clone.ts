// Cloning a repository the user named (an eval task file's clone URL) into a folder of sprout's own.
// The source is the user's choice, so transports are allowed here, unlike in the git door; what the
// clone brings (its config, hooks) is not trusted afterwards: later git runs through the door.
import { execa } from 'execa';

/** Clone `source` into `dest` with no hooks, prompts, or system and global config. */
export async function cloneRepository(source: string, dest: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const result = await execa('git', ['-c', 'core.hooksPath=/dev/null', 'clone', '--quiet', '--no-recurse-submodules', '--', source, dest], {
    env: { PATH: env.PATH ?? '/usr/bin:/bin', HOME: env.HOME ?? '/nonexistent', LANG: 'C.UTF-8', GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
    extendEnv: false,
    stdin: 'ignore',
    reject: false,
  });
  if (result.exitCode !== 0) throw new Error(String(result.stderr || result.message).trim().split('\n')[0]);
}
