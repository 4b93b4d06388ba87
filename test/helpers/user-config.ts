// A throwaway user config directory (XDG_CONFIG_HOME) holding sprout settings for one CLI run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './temp-repo.js';

/** Env entries that make the CLI read `settings` as its user config file. */
export function userConfigEnv(settings: Record<string, unknown>): { XDG_CONFIG_HOME: string } {
  const dir = tempDir('sprout-xdg-');
  mkdirSync(join(dir, 'sprout'));
  writeFileSync(join(dir, 'sprout', 'config.json'), JSON.stringify(settings));
  return { XDG_CONFIG_HOME: dir };
}
