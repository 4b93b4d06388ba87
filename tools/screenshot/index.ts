// screenshot: render a local HTML file, or a page on 127.0.0.1 served by a command started for the
// duration of the call, in headless Chromium, and show the PNG to a vision model. Everything runs in
// one sandbox call (server, browser, capture script), so the page sees only the sandbox.
import { z } from 'zod';
import { defineTool, type Tool, ToolError } from '../define-tool.js';
import { ImageError, prepareImage } from '../image/prepare.js';
import { shellQuote } from '../search/shell-quote.js';
import { BEGIN, END } from './markers.js';
import { packageFile } from '../../sandbox/package-root.js';

/** The capture script, built next to this tool's own output. */
const captureScript = (): string => packageFile('dist', 'tools', 'screenshot', 'capture.js');
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

const parameters = z.object({
  target: z.string().min(1).describe('HTML file, or http://127.0.0.1:PORT/... URL'),
  server_command: z.string().min(1).optional().describe('Command that serves the URL'),
  width: z.number().int().min(200).max(3840).optional().describe('Viewport width (default 1280)'),
  height: z.number().int().min(200).max(2160).optional().describe('Viewport height (default 800)'),
  full_page: z.boolean().optional().describe('Whole page'),
});

/** The screenshot tool, driving the Chromium at `chromiumPath` (found on the host by the caller). */
export function screenshotTool(chromiumPath: string): Tool {
  return defineTool({
    name: 'screenshot',
    description: 'Render an HTML file or local dev-server page in headless Chromium and look at it.',
    parameters,
    async execute(args, ctx) {
      const maxPixels = ctx.limits.maxImagePixels;
      if (!maxPixels) throw new ToolError('this model does not take images');
      const url = await targetUrl(args.target, (p) => ctx.sandbox.resolvePath(p));
      const timeoutMs = ctx.limits.shellTimeoutMs;
      const capture = [process.execPath, captureScript(), url, args.width ?? 1280, args.height ?? 800, args.full_page ? 'full' : 'viewport', chromiumPath, timeoutMs];
      const script = pageScript(capture.map((part) => shellQuote(String(part))).join(' '), url, args.server_command, timeoutMs);
      const result = await ctx.sandbox.exec(script, { timeoutMs: timeoutMs + 5000, signal: ctx.signal, maxOutputBytes: Math.max(ctx.limits.execOutputBytes, 32 * 1024 * 1024) });
      const png = between(result.output, BEGIN, END);
      if (!png) throw new ToolError(`no screenshot: ${result.timedOut ? 'timed out' : `exit code ${result.exitCode}`}\n${result.output.trim().slice(-2000)}`);
      try {
        const image = await prepareImage(Buffer.from(png, 'base64'), url, maxPixels);
        return { output: `screenshot of ${url}: ${image.width}x${image.height}, shown in the next message`, images: [{ url: image.url, label: `screenshot of ${url}` }] };
      } catch (error) {
        if (error instanceof ImageError) throw new ToolError(error.message);
        throw error;
      }
    },
  }) as unknown as Tool;
}

/** A file:// URL for a file inside the working directory, or a checked loopback http URL. */
async function targetUrl(target: string, resolvePath: (p: string) => Promise<string>): Promise<string> {
  if (!/^[a-z]+:\/\//i.test(target)) return `file://${await resolvePath(target)}`;
  const url = new URL(target);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ToolError(`target must be an HTML file or an http URL, got ${url.protocol}`);
  if (!LOOPBACK.has(url.hostname)) throw new ToolError(`only pages on 127.0.0.1 or localhost can be captured, not ${url.hostname}`);
  return url.toString();
}

/** Bash: start the server in the background, wait for its port, capture, stop the server. */
function pageScript(captureCommand: string, url: string, serverCommand: string | undefined, timeoutMs: number): string {
  if (!serverCommand) return captureCommand;
  const { hostname, port, protocol } = new URL(url);
  const host = hostname === 'localhost' ? '127.0.0.1' : hostname.replace(/^\[|\]$/g, '');
  const tries = Math.ceil(timeoutMs / 200);
  return [
    `( ${serverCommand} ) >/tmp/sprout-server.log 2>&1 &`,
    'server=$!',
    `for _ in $(seq ${tries}); do (exec 3<>/dev/tcp/${host}/${port || (protocol === 'https:' ? 443 : 80)}) 2>/dev/null && break; kill -0 $server 2>/dev/null || break; sleep 0.2; done`,
    `${captureCommand}; status=$?`,
    'if [ $status -ne 0 ]; then echo "--- server output:"; tail -c 2000 /tmp/sprout-server.log; fi',
    'kill $server 2>/dev/null; pkill -P $server 2>/dev/null',
    'exit $status',
  ].join('\n');
}

function between(text: string, begin: string, end: string): string | undefined {
  const start = text.indexOf(begin);
  const stop = text.indexOf(end, start + begin.length);
  if (start < 0 || stop < 0) return undefined;
  return text.slice(start + begin.length, stop).replace(/\s+/g, '');
}
