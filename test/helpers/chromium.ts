// Headless Chromium (Debian's /usr/bin/chromium) through playwright-core, with a fresh profile and
// nothing of its own on the network: for opening a page sprout wrote and taking a screenshot.
import { type BrowserContext, chromium } from 'playwright-core';
import { tempDir } from './temp-repo.js';

export const CHROMIUM = '/usr/bin/chromium';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** A browser with a new user-data-dir; close it when done. */
export function openChromium(): Promise<BrowserContext> {
  return chromium.launchPersistentContext(tempDir('sprout-chromium-'), { executablePath: CHROMIUM, headless: true, args: FLAGS });
}
