// Reading a run report from a session file, priced with the session's provider and the user's
// profile changes from config.
import { loadConfig } from '../config/load.js';
import type { ProviderName } from '../config/providers.js';
import { findProfile } from '../model/profiles.js';
import { readRecords } from '../session/store.js';
import { buildReport, type RunReport } from './data.js';

/** The report of a session file, priced with the session's provider and the user's profile changes. */
export async function sessionReport(path: string, env: NodeJS.ProcessEnv, cwd: string): Promise<RunReport> {
  const records = readRecords(path);
  const header = records[0];
  if (header?.type !== 'header') throw new Error(`${path} is not a sprout session file`);
  const config = await loadConfig({ cwd, env, flags: {} }).catch(() => undefined);
  const profile = findProfile(header.model, header.provider as ProviderName, config?.models);
  return buildReport(records, profile);
}

