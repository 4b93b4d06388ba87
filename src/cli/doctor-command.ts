// `sprout doctor`: check what a run needs — Node, git, ripgrep, the sandbox (a real bwrap probe),
// config files, the API key, the endpoint and that it lists the model — and say what to fix. Exit 0
// when all pass.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { loadConfigWithProject } from '../config/load.js';
import { lookupApiKey, PROVIDERS } from '../config/providers.js';
import type { ConfigLayer } from '../config/schema.js';
import { checkEndpoint, checkListedModel } from '../model/endpoint-check.js';
import { probeBwrap } from '../../sandbox/bwrap-probe.js';
import { egressDoctorCheck } from './egress-setup.js';
import { checkContainment } from '../../sandbox/containment.js';
import { describeToolchains, hostToolchains } from '../../sandbox/toolchain-mounts.js';
import { EXIT } from './exit-codes.js';
import { mcpDoctorChecks } from './mcp-setup.js';
import { findChromium } from './sandbox-choice.js';

const run = promisify(execFile);

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface DoctorIo {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: NodeJS.WritableStream;
  json: boolean;
  flags: ConfigLayer;
  /** Skip the network request to the endpoint. */
  offline: boolean;
}

export async function doctorCommand(io: DoctorIo): Promise<number> {
  const checks: Check[] = [nodeCheck(), await versionCheck('git', ['--version'], 'install git'), await versionCheck('rg', ['--version'], 'install ripgrep: `apt-get install ripgrep`')];
  let config;
  try {
    const loaded = await loadConfigWithProject({ cwd: io.cwd, env: io.env, flags: io.flags });
    config = loaded.config;
    const ignored = loaded.project.ignored.map((item) => item.key);
    const project = ignored.length > 0 ? `; ignored from ${loaded.project.path}: ${ignored.join(', ')} (a project file may only tighten)` : '';
    checks.push({ name: 'config', ok: true, detail: `provider ${config.provider}, model ${config.model}, sandbox ${config.sandbox}${project}` });
  } catch (error) {
    checks.push({ name: 'config', ok: false, detail: (error as Error).message });
  }
  if (config?.sandbox === 'none') {
    checks.push({ name: 'sandbox', ok: true, detail: 'none: tools run directly on the host, unconfined' });
  } else {
    const probe = await probeBwrap({ searchPath: io.env.PATH ?? '' });
    checks.push(probe.ok ? { name: 'sandbox', ok: true, detail: `bwrap ${probe.version} confines commands here (${probe.path})` } : { name: 'sandbox', ok: false, detail: `${probe.cause}; fixes: ${probe.fixes.join(' | ')}` });
    if (probe.ok) checks.push({ name: 'containment', ...(await checkContainment(io.env.PATH ?? '')) });
    const toolchains = describeToolchains(await hostToolchains(io.env.PATH ?? '', io.env.HOME));
    checks.push({ name: 'toolchains', ok: true, detail: toolchains.length > 0 ? toolchains.join('; ') : 'nothing on PATH lives in a place the sandbox hides' });
  }
  if (config) {
    const baseUrl = config.baseUrl ?? PROVIDERS[config.provider].baseUrl;
    try {
      const key = lookupApiKey(config.provider, io.env);
      checks.push({ name: 'api key', ok: true, detail: `read from ${key.envName}` });
      if (!io.offline) {
        const { models, ...endpoint } = await checkEndpoint(baseUrl, key.value, key.envName);
        checks.push({ name: 'endpoint', ...endpoint });
        const listed = models ? checkListedModel(config.model, models, baseUrl) : undefined;
        if (listed) checks.push({ name: 'model', ...listed });
      }
    } catch (error) {
      checks.push({ name: 'api key', ok: false, detail: (error as Error).message });
    }
  }
  const chromium = await findChromium(io.env);
  checks.push({ name: 'chromium', ok: true, detail: chromium ? `${chromium}: the screenshot tool is offered to vision models` : 'not found: the screenshot tool is not offered (apt-get install chromium adds it)' });
  if (config) checks.push(...(await mcpDoctorChecks(config, io.cwd, io.env)));
  if (config?.network === 'allowlist' && config.sandbox !== 'none') checks.push(await egressDoctorCheck(config, io.cwd, io.env));
  for (const check of checks) {
    io.stdout.write(io.json ? `${JSON.stringify(check)}\n` : `${check.ok ? '✓' : '✗'} ${check.name}: ${check.detail}\n`);
  }
  return checks.every((c) => c.ok) ? EXIT.success : EXIT.error;
}

function nodeCheck(): Check {
  const major = Number(process.versions.node.split('.')[0]);
  return { name: 'node', ok: major >= 20, detail: major >= 20 ? `v${process.versions.node}` : `v${process.versions.node}: sprout needs Node 20 or newer` };
}

async function versionCheck(command: string, args: string[], fix: string): Promise<Check> {
  try {
    const { stdout } = await run(command, args, { timeout: 5000 });
    return { name: command, ok: true, detail: stdout.split('\n')[0]!.trim() };
  } catch {
    return { name: command, ok: false, detail: `not found on PATH; ${fix}` };
  }
}
