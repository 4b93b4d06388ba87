// Runs a composite action's steps the way a runner does, closely enough for tests: `${{ }}` in env
// and `if:` (==, !=, &&, always(), literals, inputs/steps/runner/github values), a step's outputs
// from $GITHUB_OUTPUT (name=value and heredocs), later steps skipped after a failure unless their
// condition says always(). `uses:` steps and the steps named in `skip` do not run.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CompositeStep {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  'working-directory'?: string;
}

export interface StepRun {
  id: string;
  ran: boolean;
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

/** Parse $GITHUB_OUTPUT text. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([\w-]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      out[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
  }
  return out;
}

export async function runComposite(
  steps: CompositeStep[],
  options: { context: Record<string, string>; env: NodeJS.ProcessEnv; cwd: string; temp: string; skip: string[] },
): Promise<StepRun[]> {
  const results: StepRun[] = [];
  const value = (ref: string): string => {
    const step = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(ref);
    if (step) return results.find((r) => r.id === step[1])?.outputs[step[2]!] ?? '';
    if (!(ref in options.context)) throw new Error(`the test runner cannot evaluate ${ref}`);
    return options.context[ref]!;
  };
  const expand = (text: string): string => text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, ref: string) => value(ref));
  let failed = false;
  for (const [index, step] of steps.entries()) {
    const id = step.id ?? `step${index}`;
    const condition = step.if ?? 'success()';
    const always = condition.includes('always()');
    const skipped = step.uses !== undefined || options.skip.includes(id) || (failed && !always) || !evaluate(condition, value, failed);
    if (skipped) {
      results.push({ id, ran: false, code: null, stdout: '', stderr: '', outputs: {} });
      continue;
    }
    const output = join(options.temp, `output-${index}`);
    writeFileSync(output, '');
    const env = { ...options.env, ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v)])), GITHUB_OUTPUT: output };
    const run = await runBash(step.run!, step['working-directory'] ? expand(step['working-directory']) : options.cwd, env, options.temp, index);
    const outputs = parseOutputs(readFileSync(output, 'utf8'));
    results.push({ id, ran: true, ...run, outputs });
    if (run.code !== 0) failed = true;
  }
  return results;
}

function evaluate(condition: string, value: (ref: string) => string, failed: boolean): boolean {
  return condition.split('&&').every((part) => {
    const term = part.trim();
    if (term === 'always()') return true;
    if (term === 'success()') return !failed;
    const cmp = /^(.+?)\s*(==|!=)\s*(.+)$/.exec(term);
    if (!cmp) throw new Error(`the test runner cannot evaluate the condition ${term}`);
    const side = (s: string): string => (/^'.*'$/.test(s.trim()) ? s.trim().slice(1, -1) : value(s.trim()));
    return (side(cmp[1]!) === side(cmp[3]!)) === (cmp[2] === '==');
  });
}

function runBash(script: string, cwd: string, env: NodeJS.ProcessEnv, temp: string, index: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const file = join(temp, `step-${index}.sh`);
  writeFileSync(file, script);
  return new Promise((resolve) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
