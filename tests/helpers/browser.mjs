// Headless Chromium for page tests: Debian's /usr/bin/chromium driven by playwright-core
// (`scripts/test` installs the package; nothing downloads a browser of its own). The flags keep
// Chromium off the network it cannot reach here (toolchain.md).

import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: scripts/test installs Debian's chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/** A page that fails the test on any script error or console error. */
export async function strictPage(browser, opts = {}) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 }, ...opts });
  const problems = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.problems = problems;
  return page;
}
