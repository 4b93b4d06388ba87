// Runs inside the sandbox (started by the screenshot tool with node): open one page in headless
// Chromium through playwright-core and print the PNG as base64 between markers on stdout. It runs
// in the same sandbox call as the page's dev server, so it reaches that server's private loopback.
import { chromium } from 'playwright-core';
import { BEGIN, END } from './markers.js';

// Flags for a headless Chromium with no network of its own to phone home to and no setuid sandbox
// (bwrap is the sandbox; as root, Chromium's own refuses to start).
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

async function main(): Promise<void> {
  const [url, width, height, fullPage, executablePath, timeoutMs] = process.argv.slice(2);
  const browser = await chromium.launch({ executablePath, args: ARGS, headless: true, timeout: Number(timeoutMs) });
  try {
    const page = await browser.newPage({ viewport: { width: Number(width), height: Number(height) } });
    await page.goto(url!, { waitUntil: 'load', timeout: Number(timeoutMs) });
    const png = await page.screenshot({ fullPage: fullPage === 'full', type: 'png' });
    process.stdout.write(`${BEGIN}\n${png.toString('base64')}\n${END}\n`);
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`screenshot failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
  process.exit(1);
});
