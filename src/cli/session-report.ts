// `sprout sessions show ID --format md|html|json`: the run report of a saved session, on stdout
// (redirect it to a file to open the HTML in a browser).
import { sessionReport } from '../report/session.js';
import { reportHtml } from '../report/html.js';
import { reportMarkdown } from '../report/markdown.js';
import { EXIT } from './exit-codes.js';
import type { ReportFormat } from './report-formats.js';
import { findSession } from './run-setup.js';

export async function sessionReportCommand(id: string, format: ReportFormat, io: { env: NodeJS.ProcessEnv; stdout: NodeJS.WritableStream }): Promise<number> {
  const session = findSession(io.env, id, process.cwd());
  const report = await sessionReport(session.path, io.env, process.cwd());
  if (format === 'json') io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout.write(format === 'html' ? reportHtml(report) : reportMarkdown(report));
  return EXIT.success;
}
