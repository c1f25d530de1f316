// Debian's Chromium, driven by playwright-core, for the portal's end-to-end tests and its screenshot and
// load-time scripts. Never downloads a browser: without /usr/bin/chromium the callers skip, saying why.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** The flags this machine needs: no sandbox as root, and no background traffic to hosts it cannot reach. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumMissing() {
  return existsSync(CHROMIUM_PATH)
    ? null
    : `browser tests skipped: no Chromium at ${CHROMIUM_PATH} (install it with: apt-get update && apt-get install -y chromium)`;
}

/** A fresh profile (its own --user-data-dir) per call; close() removes it. */
export async function launchChromium(options = {}) {
  const userDataDir = await mkdtemp(join(tmpdir(), 'notion-local-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: options.viewport ?? { width: 1280, height: 800 },
    deviceScaleFactor: options.deviceScaleFactor ?? 1,
  });
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
