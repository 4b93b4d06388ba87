// `sprout batch report DIR...`: merge the reports of several batch directories (the shards of a CI
// matrix) into one. A task id found in two directories is an error: shards must not overlap, and a
// merged report that counted a task twice would misstate cost and outcome.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import type { ReportRow } from './report.js';

/** The rows of DIR/report.jsonl. */
export function readReport(dir: string): ReportRow[] {
  const file = join(dir, 'report.jsonl');
  if (!existsSync(file)) {
    throw new InputError(`${dir} has no report.jsonl; pass batch directories (--state) of batches that have run`);
  }
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      try {
        const row = JSON.parse(line) as ReportRow;
        if (typeof row.id !== 'string' || typeof row.status !== 'string') throw new Error('no id or status');
        return row;
      } catch (error) {
        throw new InputError(`${file} line ${i + 1} is not a report row (${(error as Error).message}); was it written by sprout batch?`);
      }
    });
}

/** All rows of all directories, in the order given; a repeated task id is refused. */
export function mergeReports(dirs: string[]): ReportRow[] {
  const seen = new Map<string, string>();
  const rows: ReportRow[] = [];
  for (const dir of dirs) {
    for (const row of readReport(dir)) {
      const other = seen.get(row.id);
      if (other !== undefined) {
        throw new InputError(`task "${row.id}" is in both ${other} and ${dir}; each task must be in one report only (did two jobs run the same --shard?)`);
      }
      seen.set(row.id, dir);
      rows.push(row);
    }
  }
  return rows;
}
