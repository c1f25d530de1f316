// `notion-local serve` as design.md fixes it: flags, ready line, one-line errors, the data-dir lock,
// persistence across restarts, and a clean exit on SIGTERM.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, spawnServe } from './support/spawn-serve.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'nl-cli-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const api = (url: string, path: string, token: string) =>
  fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}`, 'notion-version': '2022-06-28' } });

function expectOneLineError(
  result: { code: number | null; stderr: string; stdout: string },
  code: number,
  pattern: RegExp,
) {
  expect(result.code).toBe(code);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^notion-local: /);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

describe('notion-local serve', () => {
  it('in memory on port 0: prints the URL, the portal line and the token once; serves the demo; exits 0 on SIGTERM', async () => {
    const served = await spawnServe(['--in-memory', '--port', '0']);
    try {
      const out = served.stdout();
      const lines = out.trim().split('\n');
      expect(lines[0]).toMatch(/^notion-local ready: API base URL http:\/\/127\.0\.0\.1:\d+ /);
      expect(out).toMatch(/Portal: http:\/\/127\.0\.0\.1:\d+\/ .*sign-in\?token=/);
      const token = /Token for integration "Demo Integration"[^:]*: (ntn_\S+)/.exec(out)?.[1];
      expect(token).toBeDefined();
      const me = await api(served.url, '/v1/users/me', token!);
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ type: 'bot', name: 'Demo Integration', bot: { workspace_name: 'Acme' } });
      const search = await fetch(`${served.url}/v1/search`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'notion-version': '2022-06-28',
          'content-type': 'application/json',
        },
        body: JSON.stringify({ query: 'Getting Started' }),
      });
      const found = (await search.json()) as { results: { id: string }[] };
      expect(found.results).toHaveLength(1);
      const page = await api(served.url, `/v1/blocks/${found.results[0]!.id}/children`, token!);
      expect(page.status).toBe(200);
    } finally {
      expect(await served.stop('SIGTERM')).toBe(0);
    }
  });

  it('keeps data in --data-dir, locks it against a second process, and reuses it after restart', async () => {
    const dir = tempDir();
    const first = await spawnServe(['--data-dir', dir, '--port', '0']);
    const token = /: (ntn_\S+)/.exec(first.stdout())?.[1];
    expect(token).toBeDefined();
    const second = await runCli(['serve', '--data-dir', dir, '--port', '0']);
    expectOneLineError(second, 1, /is in use by another notion-local process \(pid \d+\)/);
    expect(await first.stop('SIGINT')).toBe(0);

    const again = await spawnServe(['--data-dir', dir, '--port', '0']);
    try {
      expect(again.stdout()).not.toMatch(/ntn_/);
      expect((await api(again.url, '/v1/users/me', token!)).status).toBe(200);
    } finally {
      expect(await again.stop()).toBe(0);
    }
  });

  it('uses a seed file with its own tokens', async () => {
    const dir = tempDir();
    const seed = join(dir, 'seed.json');
    writeFileSync(
      seed,
      JSON.stringify({
        workspaces: [
          {
            name: 'Seeded',
            users: [{ name: 'Ada', role: 'owner' }],
            integrations: [{ name: 'Importer', token: 'secret_seeded_token_1234', capabilities: ['read_content'] }],
          },
        ],
      }),
    );
    const served = await spawnServe(['--in-memory', '--port', '0', '--seed', seed]);
    try {
      expect(served.stdout()).not.toContain('secret_seeded_token_1234');
      const me = await api(served.url, '/v1/users/me', 'secret_seeded_token_1234');
      expect(await me.json()).toMatchObject({ name: 'Importer', bot: { workspace_name: 'Seeded' } });
    } finally {
      await served.stop();
    }
  });

  const dir = () => tempDir();
  const errorCases: [string, () => string[], number, RegExp][] = [
    ['bad port', () => ['serve', '--port', 'abc'], 2, /--port must be an integer from 0 to 65535, not "abc"/],
    [
      'two stores at once',
      () => ['serve', '--in-memory', '--database-url', 'postgres://x@127.0.0.1/y'],
      2,
      /--in-memory and --database-url cannot be used together/,
    ],
    [
      'unreadable seed',
      () => ['serve', '--in-memory', '--seed', '/nonexistent/seed.json'],
      2,
      /cannot read seed file \/nonexistent\/seed.json: ENOENT/,
    ],
    [
      'seed that is not JSON',
      () => {
        const d = dir();
        writeFileSync(join(d, 's.json'), '{nope');
        return ['serve', '--in-memory', '--seed', join(d, 's.json')];
      },
      2,
      /is not valid JSON/,
    ],
    [
      'seed with a bad value',
      () => {
        const d = dir();
        writeFileSync(
          join(d, 's.json'),
          JSON.stringify({ workspaces: [{ name: 'A', integrations: [{ name: 'I', capabilities: ['fly'] }] }] }),
        );
        return ['serve', '--in-memory', '--seed', join(d, 's.json')];
      },
      2,
      /seed\.workspaces\[0\]\.integrations\[0\]\.capabilities\[0\] should be/,
    ],
    [
      'unknown config key',
      () => {
        const d = dir();
        writeFileSync(join(d, 'c.json'), JSON.stringify({ rate_limits: {} }));
        return ['serve', '--in-memory', '--config', join(d, 'c.json')];
      },
      2,
      /unknown key "rate_limits"/,
    ],
    [
      'unknown nested config key',
      () => {
        const d = dir();
        writeFileSync(join(d, 'c.json'), JSON.stringify({ rate_limit: { enabled: false, bursts: 3 } }));
        return ['serve', '--in-memory', '--config', join(d, 'c.json')];
      },
      2,
      /unknown key "rate_limit.bursts"/,
    ],
    [
      'server timeout out of range',
      () => {
        const d = dir();
        writeFileSync(join(d, 'c.json'), JSON.stringify({ server: { keep_alive_timeout_ms: 0 } }));
        return ['serve', '--in-memory', '--config', join(d, 'c.json')];
      },
      2,
      /config "server": keep_alive_timeout_ms must be an integer from 1 to 2147483647, not 0/,
    ],
    [
      'headers timeout longer than the request timeout',
      () => {
        const d = dir();
        writeFileSync(
          join(d, 'c.json'),
          JSON.stringify({ server: { headers_timeout_ms: 5000, request_timeout_ms: 1000 } }),
        );
        return ['serve', '--in-memory', '--config', join(d, 'c.json')];
      },
      2,
      /config "server": headers_timeout_ms \(5000\) must not exceed request_timeout_ms \(1000\)/,
    ],
    [
      'unknown server key',
      () => {
        const d = dir();
        writeFileSync(join(d, 'c.json'), JSON.stringify({ server: { timeout_ms: 5 } }));
        return ['serve', '--in-memory', '--config', join(d, 'c.json')];
      },
      2,
      /unknown key "server.timeout_ms"/,
    ],
    [
      'unreachable database',
      () => ['serve', '--database-url', 'postgres://postgres@127.0.0.1:1/nowhere', '--port', '0'],
      1,
      /cannot reach PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/nowhere/,
    ],
  ];
  it.each(errorCases)('%s → one line and a non-zero exit', async (_name, args, code, pattern) => {
    expectOneLineError(await runCli(args()), code, pattern);
  });

  it('logs requests as structured JSON on stderr without ever writing a token', async () => {
    const d = tempDir();
    writeFileSync(join(d, 'c.json'), JSON.stringify({ log_level: 'info' }));
    const served = await spawnServe(['--in-memory', '--port', '0', '--config', join(d, 'c.json')]);
    const token = /: (ntn_\S+)/.exec(served.stdout())![1]!;
    await (await api(served.url, '/v1/users/me', token)).arrayBuffer();
    await (await api(served.url, '/v1/users/me', 'ntn_not_a_real_token')).arrayBuffer();
    expect(await served.stop()).toBe(0);
    const lines = served
      .stderr()
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(served.stderr()).toContain('/v1/users/me');
    expect(served.stderr()).not.toContain(token);
    expect(served.stderr()).not.toContain('ntn_not_a_real_token');
  });

  it('logs the sign-in link and API requests by path only: no one-time token, no query string', async () => {
    const d = tempDir();
    writeFileSync(join(d, 'c.json'), JSON.stringify({ log_level: 'info' }));
    const served = await spawnServe(['--in-memory', '--port', '0', '--config', join(d, 'c.json')]);
    const signIn = /(http:\/\/\S+\/sign-in\?token=(\S+))/.exec(served.stdout())!;
    const token = /: (ntn_\S+)/.exec(served.stdout())![1]!;
    const secret = signIn[2]!;
    await (await fetch(signIn[1]!, { redirect: 'manual' })).arrayBuffer();
    await (await api(served.url, '/v1/users?page_size=5&start_cursor=secret_cursor_value', token)).arrayBuffer();
    expect(await served.stop()).toBe(0);
    const log = served.stderr();
    const urls = log
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => (JSON.parse(l) as { req?: { url?: string } }).req?.url)
      .filter(Boolean);
    expect(urls).toEqual(['/sign-in', '/v1/users']);
    expect(log).not.toContain(secret);
    expect(log).not.toContain('token=');
    expect(log).not.toContain('?');
    expect(log).not.toContain('secret_cursor_value');
    expect(log).not.toContain(token);
  });

  it('accepts {"rate_limit":{"enabled":false}} as config', async () => {
    const d = tempDir();
    writeFileSync(join(d, 'c.json'), JSON.stringify({ rate_limit: { enabled: false } }));
    const served = await spawnServe(['--in-memory', '--port', '0', '--config', join(d, 'c.json')]);
    expect(await served.stop()).toBe(0);
  });
});
