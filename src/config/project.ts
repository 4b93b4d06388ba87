// A repository's `.sprout/config.json` is untrusted (the model can even write it mid-run), so it may
// only tighten what the user chose: every limit it names takes the stricter of the two values, a few
// switches may only be turned towards safety, and everything else (endpoint, prices and model
// profiles, mounts, environment) is ignored with a reason the run reports as a warning.
import type { Config, ConfigLayer } from './schema.js';
import { PROJECT_LOWER_ONLY } from './schema.js';

/** A project setting sprout did not apply, and why. */
export interface IgnoredSetting {
  key: string;
  reason: string;
}

/** What a project file asked for and what of it took effect; recorded in the session header. */
export interface ProjectConfigReport {
  /** The project file that was read (it may not exist). */
  path: string;
  /** The file's settings as read when the session started; a resume re-applies these, not the file. */
  settings: ConfigLayer;
  /** Settings that took effect, with their values. */
  applied: Record<string, unknown>;
  ignored: IgnoredSetting[];
}

/** Switches a project may set only to the safer value. */
const SAFER_VALUE: Partial<Record<keyof Config, unknown>> = { sandbox: 'bwrap', network: false };

/** Why keys that are never the project's are ignored; the rest get a generic reason. */
const USER_ONLY_REASON: Partial<Record<keyof Config, string>> = {
  models: 'model profiles and prices come only from your user config',
  provider: 'a project may not choose where your API key is sent',
  baseUrl: 'a project may not choose where your API key is sent',
  model: 'a project may not choose the model (an unknown one has no prices, so --max-cost could not bind)',
  envAllow: 'a project may not pass more of your environment to tools',
  sandboxReadWrite: 'a project may not mount host paths into its own sandbox',
  sandboxReadOnly: 'a project may not mount host paths into its own sandbox',
  mcpServers: 'a project may not start programs on the host (MCP servers come from your user config or --mcp-config)',
  mcpProjectFiles: 'only your user config says which repositories may declare MCP servers',
  gitFilters: 'a project may not pick which filter programs host-side git runs',
  networkHostMap: 'a project may not point names at private addresses',
};

/** Apply a project layer to the user's resolved config; only ever tightens. */
export function tightenWithProject(user: Config, settings: ConfigLayer, path: string): { config: Config; report: ProjectConfigReport } {
  const config: Record<string, unknown> = { ...user };
  const applied: Record<string, unknown> = {};
  const ignored: IgnoredSetting[] = [];
  for (const [key, value] of Object.entries(settings)) {
    if (value === undefined) continue;
    if (key === 'allowedDomains') {
      // A project's domain list can only narrow yours: it keeps what both allow.
      const narrowed = user.allowedDomains.filter((domain) => (value as string[]).includes(domain));
      config[key] = narrowed;
      applied[key] = narrowed;
      continue;
    }
    const verdict = judge(key as keyof Config, value, user);
    if (verdict === true) {
      config[key] = value;
      applied[key] = value;
    } else {
      ignored.push({ key, reason: verdict });
    }
  }
  return { config: config as Config, report: { path, settings, applied, ignored } };
}

/** True when the project's value may apply, else the reason it is ignored. */
function judge(key: keyof Config, value: unknown, user: Config): true | string {
  if ((PROJECT_LOWER_ONLY as readonly string[]).includes(key)) {
    const mine = user[key] as number | undefined;
    if (mine === undefined || (value as number) <= mine) return true;
    return `${value} is looser than your ${mine}; a project file may only lower limits`;
  }
  if (key === 'network' && value === 'allowlist' && user.network !== false) return true; // narrower than all of it
  if (key in SAFER_VALUE) {
    if (value === SAFER_VALUE[key] || value === user[key]) return true;
    return `a project file may set it only to ${JSON.stringify(SAFER_VALUE[key])}`;
  }
  return USER_ONLY_REASON[key] ?? 'a project file may set only lower limits; set it in your user config, the environment or a flag';
}

/** What the `session` event states: the file, what applied, and the keys ignored. */
export function projectDetails(report: ProjectConfigReport): { path: string; applied: Record<string, unknown>; ignored: string[] } | undefined {
  if (Object.keys(report.settings).length === 0) return undefined;
  return { path: report.path, applied: report.applied, ignored: report.ignored.map((item) => item.key) };
}

/** One warning line per ignored setting, naming the file. */
export function ignoredWarnings(report: ProjectConfigReport): string[] {
  return report.ignored.map((item) => `ignored ${item.key} from ${report.path}: ${item.reason}`);
}
