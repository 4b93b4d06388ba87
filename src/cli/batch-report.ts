// `sprout batch report DIR...`: merge the reports of several batch directories, typically the shards
// of a CI matrix, into one: markdown on stdout (JSONL with --json), both files with --out DIR.
// Exit 1 when any task failed, 3 when some never finished (budget), as a batch itself would.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';

/** Add `report` under the `batch` command. */
export function defineBatchReportCommand(batch: Command, setExit: (code: number) => void): void {
  batch
    .command('report')
    .description('merge the reports of batch directories (e.g. shards) into one table; a task id in two of them is an error')
    .argument('<dirs...>', 'batch directories (each with a report.jsonl)')
    .option('--out <dir>', 'also write the merged report.jsonl and report.md into this directory')
    .option('--json', 'write the merged rows as JSON Lines instead of markdown')
    .exitOverride()
    .action(async (dirs: string[], _opts: unknown, command: Command) => {
      const { mergeReports } = await import('../batch/merge.js');
      const { reportJsonl, reportMarkdown, summarizeRows } = await import('../batch/report.js');
      // Options may be parsed at the `batch` level too (commander's positional options); read both.
      const opts = command.optsWithGlobals<{ out?: string; json?: boolean }>();
      const rows = mergeReports(dirs);
      const jsonl = reportJsonl(rows);
      const markdown = reportMarkdown(rows, `sprout batch report (${dirs.length} ${dirs.length === 1 ? 'directory' : 'directories'})`);
      if (opts.out) {
        mkdirSync(opts.out, { recursive: true });
        writeFileSync(join(opts.out, 'report.jsonl'), jsonl);
        writeFileSync(join(opts.out, 'report.md'), markdown);
      }
      process.stdout.write(opts.json ? jsonl : markdown);
      setExit(summarizeRows(rows).exitCode);
    });
}
