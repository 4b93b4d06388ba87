// `sprout eval report --merge DIR...`: pool the eval reports of shard directories into one (an
// instance in two of them is an error), markdown on stdout (JSON with --json), files with --out.
// `sprout eval report A B`: compare two runs instance by instance.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InputError, UsageError } from '../errors.js';
import type { EvalReport } from '../eval/report.js';

export function defineEvalReportCommand(evalCommand: Command, setExit: (code: number) => void): void {
  evalCommand
    .command('report')
    .description('compare two eval runs instance by instance (A B), or merge shard reports into one (--merge DIR...)')
    .argument('<dirs...>', 'eval directories (each with an eval-report.json)')
    .option('--merge', 'pool the instances of all directories into one report')
    .option('--out <dir>', 'also write eval-report.json, .md and .html into this directory')
    .option('--json', 'write the merged report as JSON instead of markdown')
    .exitOverride()
    .action(async (dirs: string[], _opts: unknown, command: Command) => {
      const opts = command.optsWithGlobals<{ merge?: boolean; out?: string; json?: boolean }>();
      // The report code loads only when a report is asked for.
      const [{ mergeEvalReports, reportMarkdown }, { reportHtml }, { compareReports, comparisonMarkdown }] = await Promise.all([
        import('../eval/report.js'), import('../eval/report-html.js'), import('../eval/compare.js'),
      ]);
      if (!opts.merge) {
        if (dirs.length !== 2) throw new UsageError('sprout eval report compares two eval directories (A B), or pools any number with --merge');
        const [a, b] = readReports(dirs, false);
        const comparison = compareReports(a!, b!);
        process.stdout.write(opts.json ? `${JSON.stringify(comparison)}\n` : comparisonMarkdown(comparison, [dirs[0]!, dirs[1]!]));
        return setExit(0);
      }
      const merged = mergeEvalReports(readReports(dirs));
      const markdown = reportMarkdown(merged, `sprout eval report (${dirs.length} ${dirs.length === 1 ? 'directory' : 'directories'})`);
      const json = `${JSON.stringify(merged, null, 2)}\n`;
      if (opts.out) {
        mkdirSync(opts.out, { recursive: true });
        writeFileSync(join(opts.out, 'eval-report.json'), json);
        writeFileSync(join(opts.out, 'eval-report.md'), markdown);
        writeFileSync(join(opts.out, 'eval-report.html'), reportHtml(merged, 'sprout eval report'));
      }
      // --json on stdout is one line, for jq and JSON Lines readers; the file is indented.
      process.stdout.write(opts.json ? `${JSON.stringify(merged)}\n` : markdown);
      setExit(0);
    });
}

/** Each directory's report; with `disjoint`, an instance in two of them is an error (shards must not overlap). */
function readReports(dirs: string[], disjoint = true): EvalReport[] {
  const seen = new Map<string, string>();
  return dirs.map((dir) => {
    const file = join(dir, 'eval-report.json');
    if (!existsSync(file)) throw new InputError(`${dir} has no eval-report.json; pass eval directories (--state) of evals that have run`);
    let report: EvalReport;
    try {
      report = JSON.parse(readFileSync(file, 'utf8')) as EvalReport;
      if (!Array.isArray(report.instances)) throw new Error('no instances');
    } catch (error) {
      throw new InputError(`${file} is not an eval report (${(error as Error).message}); was it written by sprout eval?`);
    }
    for (const row of report.instances) {
      const other = seen.get(row.instance_id);
      if (disjoint && other !== undefined) throw new InputError(`instance "${row.instance_id}" is in both ${other} and ${dir}; each instance must be in one shard only`);
      seen.set(row.instance_id, dir);
    }
    return report;
  });
}
