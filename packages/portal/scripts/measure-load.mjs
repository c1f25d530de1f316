// How long the portal's first load takes: bundle size (raw and gzip, as served) and time to interactive
// on loopback in headless Chromium, cold cache and warm cache, signed in on the demo workspace. "Interactive"
// is the portal's own `portal-interactive` mark: session and page tree loaded, first screen rendered and
// handlers attached. A static file from the same server is loaded in the same run as the baseline.
// Run after `npm run build`: node packages/portal/scripts/measure-load.mjs [runs]
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { demoSeed, startPlatform } from '@notion-local/server';
import { chromiumMissing, launchChromium } from './chromium.mjs';

const RUNS = Number(process.argv[2] ?? 15);
const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const missing = chromiumMissing();
if (missing) {
  console.log(missing);
  process.exit(0);
}

const files = [];
for (const dir of ['', 'assets']) {
  for (const name of await readdir(join(DIST, dir))) {
    if (!/\.(js|css|html)$/.test(name)) continue;
    const body = await readFile(join(DIST, dir, name));
    files.push({ name: `${dir ? `${dir}/` : ''}${name}`, raw: body.length, gzip: gzipSync(body, { level: 9 }).length });
  }
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { median: at(0.5), p90: at(0.9), min: s[0] };
};

const platform = await startPlatform({
  store: { kind: 'memory' },
  port: 0,
  seed: demoSeed(),
  config: { rateLimit: { enabled: false } },
});
const browser = await launchChromium();
try {
  const signIn = await browser.context.newPage();
  await signIn.goto(platform.signInUrl);
  await signIn.waitForFunction(() => document.documentElement.dataset.ready === 'true');
  await signIn.close();

  const measure = async (cacheDisabled) => {
    const page = await browser.context.newPage();
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Network.enable'); // setCacheDisabled has no effect before this
    await cdp.send('Network.setCacheDisabled', { cacheDisabled });
    await page.goto(`${platform.url}/`, { waitUntil: 'commit' });
    await page.waitForFunction(() => document.documentElement.dataset.ready === 'true');
    const m = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const res = performance.getEntriesByType('resource');
      return {
        interactive: performance.getEntriesByName('portal-interactive')[0]?.startTime ?? NaN,
        domContentLoaded: nav?.domContentLoadedEventEnd ?? NaN,
        transferred: (nav?.transferSize ?? 0) + res.reduce((n, r) => n + r.transferSize, 0),
      };
    });
    await page.close();
    return m;
  };
  const baseline = async () => {
    const page = await browser.context.newPage();
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await page.goto(`${platform.url}/favicon.svg`, { waitUntil: 'load' });
    const t = await page.evaluate(() => performance.getEntriesByType('navigation')[0]?.loadEventEnd ?? NaN);
    await page.close();
    return t;
  };

  await measure(true); // warm-up: JIT, PGlite caches
  const cold = [];
  const warm = [];
  const base = [];
  for (let i = 0; i < RUNS; i++) {
    cold.push(await measure(true));
    warm.push(await measure(false));
    base.push(await baseline());
  }
  const coldI = stats(cold.map((c) => c.interactive));
  const warmI = stats(warm.map((c) => c.interactive));
  const baseS = stats(base);
  const round = (n) => Math.round(n * 10) / 10;
  console.log('Bundle (as served; gzip level 9 like the server):');
  for (const f of files)
    console.log(
      `  ${f.name.padEnd(34)} ${(f.raw / 1024).toFixed(1).padStart(7)} KiB raw ${(f.gzip / 1024).toFixed(1).padStart(6)} KiB gzip`,
    );
  const total = files.reduce((a, f) => ({ raw: a.raw + f.raw, gzip: a.gzip + f.gzip }), { raw: 0, gzip: 0 });
  console.log(
    `  ${'total'.padEnd(34)} ${(total.raw / 1024).toFixed(1).padStart(7)} KiB raw ${(total.gzip / 1024).toFixed(1).padStart(6)} KiB gzip`,
  );
  console.log(
    `Transferred on a cold load: ${(cold[0].transferred / 1024).toFixed(1)} KiB (HTML, JS, CSS, favicon, JSON)`,
  );
  console.log(`Time to interactive, signed in, loopback, ${RUNS} runs each (ms since navigation start):`);
  console.log(
    `  cold cache: median ${round(coldI.median)}  p90 ${round(coldI.p90)}  min ${round(coldI.min)}  (DOMContentLoaded median ${round(stats(cold.map((c) => c.domContentLoaded)).median)})`,
  );
  console.log(`  warm cache: median ${round(warmI.median)}  p90 ${round(warmI.p90)}  min ${round(warmI.min)}`);
  console.log(
    `  baseline (one static file, cold): median ${round(baseS.median)}  → cold TTI is ${round(coldI.median / baseS.median)}x the baseline`,
  );
} finally {
  await browser.close();
  await platform.close();
}
