// The published package as a user gets it (docs/testing.md): `npm pack` at the root, then in a fresh project
// `npm install ./notion-local-x.y.z.tgz` (dependencies from the registry, through npm's cache) and
// `npx notion-local serve` with the portal, no build step; then the jest example (examples/jest) in that
// project, starting notion-local in jest's globalSetup and connecting from the workers. Bounded: every command
// has a timeout. When npm cannot reach the packages (offline, no cache), the install tests are skipped with
// the reason. The build must exist (`npm test` builds first).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NPM_TIMEOUT_MS = 5 * 60_000;
const OFFLINE = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTCACHED|ENETUNREACH|network/i;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function run(command: string, args: string[], cwd: string, timeoutMs: number, env: NodeJS.ProcessEnv = {}) {
  return new Promise<Run>((resolve) => {
    const started = performance.now();
    const proc = spawn(command, args, { cwd, env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => (stdout += d));
    proc.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    proc.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>;

describe('package.json of the published package', () => {
  it('depends on every runtime dependency of the server, CLI and toolkit, with their ranges', () => {
    const root = readJson(join(ROOT, 'package.json'));
    const needed: Record<string, string> = {};
    for (const name of ['server', 'cli', 'toolkit']) {
      const deps = readJson(join(ROOT, 'packages', name, 'package.json')).dependencies ?? {};
      for (const [dep, range] of Object.entries(deps as Record<string, string>))
        if (!dep.startsWith('@notion-local/')) needed[dep] = range;
    }
    expect(root.dependencies).toEqual(needed);
    expect(root.private).toBeUndefined();
    expect(root.exports['./testing'].default).toBe('./packages/server/dist/testing/index.js');
  });
});

describe('npm pack → npm install → npx notion-local serve', () => {
  let dir = '';
  let skipReason: string | null = null;
  let tarball = { filename: '', size: 0, unpackedSize: 0, entryCount: 0 };
  let installMs = 0;

  beforeAll(async () => {
    for (const built of ['packages/server/dist/testing/index.js', 'packages/cli/dist/main.js', 'packages/portal/dist'])
      if (!existsSync(join(ROOT, built))) throw new Error(`${built} is missing: run npm run build first`);
    dir = await mkdtemp(join(tmpdir(), 'notion-local-install-'));
    // The build is npm test's; --ignore-scripts keeps pack from rebuilding under the other suites' feet.
    const pack = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT, 120_000);
    if (pack.code !== 0) throw new Error(`npm pack failed (${pack.code}): ${pack.stderr.slice(-2000)}`);
    tarball = (JSON.parse(pack.stdout) as (typeof tarball)[])[0]!;
    await cp(join(ROOT, 'examples', 'jest'), dir, { recursive: true });
    const project = readJson(join(dir, 'package.json'));
    delete project.devDependencies['notion-local'];
    await writeFile(join(dir, 'package.json'), JSON.stringify(project, null, 2));
    const install = await run(
      'npm',
      ['install', `./${tarball.filename}`, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel', 'error'],
      dir,
      NPM_TIMEOUT_MS,
    );
    installMs = install.ms;
    if (install.code !== 0) {
      const why = install.stderr.slice(-1500);
      if (install.code === null || OFFLINE.test(why)) skipReason = `npm install could not reach packages: ${why}`;
      else throw new Error(`npm install failed (${install.code}): ${why}`);
    }
    console.log(
      `[package] ${tarball.filename}: ${(tarball.size / 1024).toFixed(0)} KB packed, ` +
        `${(tarball.unpackedSize / 1024).toFixed(0)} KB unpacked, ${tarball.entryCount} files; ` +
        `npm install (with jest and @notionhq/client) ${(installMs / 1000).toFixed(1)} s` +
        (skipReason ? ` — SKIPPED: ${skipReason}` : ''),
    );
  }, NPM_TIMEOUT_MS + 150_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('holds the builds, the portal and the testing entry, not the sources', async () => {
    expect(tarball.size).toBeLessThan(5 * 1024 * 1024);
    const installed = join(dir, 'node_modules', 'notion-local');
    if (skipReason) return; // the tarball's figures above still count
    expect(existsSync(join(installed, 'packages/server/dist/testing/index.d.ts'))).toBe(true);
    expect(existsSync(join(installed, 'packages/portal/dist/index.html'))).toBe(true);
    expect(existsSync(join(installed, 'packages/server/src'))).toBe(false);
    expect((await readdir(join(installed, 'packages'))).sort()).toEqual(['cli', 'portal', 'server', 'toolkit']);
  });

  it('serves the API and the portal with `npx notion-local serve`', async (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    const started = performance.now();
    const proc = spawn('npx', ['--no-install', 'notion-local', 'serve', '--in-memory', '--port', '0'], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let out = '';
    let err = '';
    proc.stderr.on('data', (d) => (err += d));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`serve not ready in 60 s: ${err}`)), 60_000);
        proc.stdout.on('data', (d) => {
          out += d;
          if (out.includes('Demo Integration')) {
            clearTimeout(timer);
            resolve();
          }
        });
        proc.on('close', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
      });
      const url = /API base URL (http:\/\/[^\s]+) /.exec(out)![1]!;
      const token = /Token for integration "Demo Integration"[^:]*: (\S+)/.exec(out)![1]!;
      const me = await fetch(`${url}/v1/users/me`, {
        headers: { authorization: `Bearer ${token}`, 'notion-version': '2022-06-28' },
      });
      const answered = performance.now() - started;
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ object: 'user', type: 'bot', name: 'Demo Integration' });
      const portal = await fetch(`${url}/`);
      expect(portal.status).toBe(200);
      expect(portal.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await portal.text()).toContain('<div id="root">');
      console.log(
        `[package] npx notion-local serve: GET /v1/users/me answered 200 ${answered.toFixed(0)} ms after spawn; ` +
          `portal ${url}/ answered ${portal.status}`,
      );
    } finally {
      proc.kill('SIGTERM');
    }
  }, 90_000);

  it('runs the jest example against it (examples/jest: globalSetup + workers)', async (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    const jest = await run(
      process.execPath,
      ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js'],
      dir,
      120_000,
    );
    const summary = /Tests:.*$/m.exec(jest.stderr)?.[0] ?? '(no summary)';
    console.log(`[package] jest example: ${summary} in ${(jest.ms / 1000).toFixed(1)} s`);
    expect(jest.code, jest.stderr.slice(-3000)).toBe(0);
    expect(summary).toBe('Tests:       2 passed, 2 total');
  }, 150_000);
});
