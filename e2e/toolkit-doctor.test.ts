// `notion-local doctor` against the real platform on port 0: the real binary, the fixtures'
// integrations (Full, ReadOnly, InsertOnly, Unshared) and pages.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS, TOKENS } from './support/fixtures.js';
import { runCli } from './support/spawn-serve.js';
import { startTestPlatform, type TestPlatform } from './support/test-platform.js';

/** A port nothing listens on: bound, then released. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Check {
  id: string;
  status: string;
  detail: string;
  hint?: string;
}

describe('doctor', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await startTestPlatform();
  });
  afterAll(async () => {
    await t?.close();
  });

  const doctor = async (token: string | null, ...args: string[]) => {
    const res = await runCli([
      'doctor',
      '--base-url',
      t.baseUrl,
      '--rate',
      '0',
      ...(token === null ? [] : ['--token', token]),
      ...args,
    ]);
    return res;
  };
  const doctorJson = async (token: string | null, ...args: string[]) => {
    const res = await doctor(token, '--json', ...args);
    const report = JSON.parse(res.stdout) as { ok: boolean; checks: Check[] };
    const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
    return { ...res, report, byId };
  };

  it('a good token and a shared page: every check passes, exit 0', async () => {
    const { code, report, byId, stderr } = await doctorJson(TOKENS.full, '--page', IDS.sharedRoot);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.id)).toEqual([
      'base-url',
      'token-shape',
      'token-valid',
      'capabilities',
      'page-access',
      'notion-version',
      'rate-limit',
    ]);
    expect(byId['token-valid']?.detail).toContain('"Full" in workspace "Acme"');
    expect(byId['page-access']?.detail).toContain('"Shared Root"');
    expect(byId.capabilities?.detail).toContain('user information with email');
  });

  it('plain output: one line per check, no colours when not a terminal', async () => {
    const { code, stdout } = await doctor(TOKENS.full);
    expect(code).toBe(0);
    expect(stdout).not.toMatch(/\u001b\[/);
    expect(stdout).toMatch(/^✔ Base URL reachable: /m);
    expect(stdout).toMatch(/All checks passed\.\n$/);
  });

  it('a bad token: says it is invalid or was refreshed and where to copy a new one, exit 4', async () => {
    const { code, byId, stderr } = await doctorJson('ntn_thisTokenWasRotatedLongAgo000000000000000000');
    expect(code).toBe(4);
    expect(byId['token-valid']?.status).toBe('fail');
    expect(byId['token-valid']?.detail).toBe('the token is invalid, or it was refreshed (rotated) after you copied it');
    expect(byId['token-valid']?.hint).toContain(`${t.baseUrl}/ → Integrations`);
    expect(byId.capabilities?.status).toBe('skip');
    expect(stderr.trim().split('\n')).toEqual(['notion-local: doctor: 1 check failed (Token valid)']);
  });

  it('a page that is not shared: names the integration and how to share it, exit 5', async () => {
    const { code, byId } = await doctorJson(TOKENS.full, '--page', IDS.privatePage);
    expect(code).toBe(5);
    expect(byId['page-access']).toMatchObject({
      status: 'fail',
      detail: `page ${IDS.privatePage} is not shared with "Full" (or does not exist)`,
      hint: 'In Notion, open the page, click ••• (top right) → Connections → add "Full". Sharing a parent page shares everything under it.',
    });
  });

  it('an integration nothing was shared with gets the same answer for a page that exists', async () => {
    const { code, byId } = await doctorJson(TOKENS.unshared, '--page', IDS.sharedRoot.replace(/-/g, ''));
    expect(code).toBe(5);
    expect(byId['page-access']?.detail).toBe(
      `page ${IDS.sharedRoot} is not shared with "Unshared" (or does not exist)`,
    );
  });

  it('missing capabilities are listed with the endpoints that will answer 403 (a warning on its own)', async () => {
    const { code, byId } = await doctorJson(TOKENS.readOnly);
    expect(code).toBe(0);
    expect(byId.capabilities?.status).toBe('warn');
    expect(byId.capabilities?.detail).toMatch(
      /^has: read content; missing: update content \(PATCH pages, blocks, databases; DELETE blocks answer 403\); insert content/,
    );
    expect(byId.capabilities?.detail).toContain('user information (GET users, users/{id} answer 403)');
  });

  it('a capability the page check needs is missing: exit 5', async () => {
    const { code, byId } = await doctorJson(TOKENS.insertOnly, '--page', IDS.sharedRoot);
    expect(code).toBe(5);
    expect(byId.capabilities?.status).toBe('fail');
    expect(byId['page-access']?.detail).toBe('reading the page needs the "Read content" capability');
  });

  it('token shape only warns (tokens are opaque), and whitespace around it is forgiven', async () => {
    const { code, byId } = await doctorJson(` ${TOKENS.full}\n`);
    expect(code).toBe(0);
    expect(byId['token-shape']?.status).toBe('warn');
    expect(byId['token-valid']?.status).toBe('pass');
    const odd = await doctorJson('my-custom-token');
    expect(odd.byId['token-shape']?.detail).toContain('does not start with ntn_ or secret_');
    expect(odd.byId['token-valid']?.status).toBe('fail');
  });

  it('no token, or an unreachable base URL: one line, non-zero', async () => {
    const none = await runCli(['doctor', '--base-url', t.baseUrl, '--json'], 20_000);
    expect(none.code).toBe(4);
    expect(JSON.parse(none.stdout).checks[1]).toMatchObject({
      id: 'token-shape',
      status: 'fail',
      detail: 'no token given',
    });
    const port = await freePort();
    const down = await runCli(['doctor', '--base-url', `http://127.0.0.1:${port}`, '--token', TOKENS.full]);
    expect(down.code).toBe(1);
    expect(down.stdout).toContain(`✘ Base URL reachable: cannot reach http://127.0.0.1:${port} (ECONNREFUSED)`);
  });

  it('rate limited now: says so with Retry-After instead of misreading the probes (exit 1)', async () => {
    // 4 requests per 60 s window: doctor's ~10 authenticated requests meet 429s in any one or two windows.
    const limited = await startTestPlatform('pglite', undefined, {
      rateLimit: { enabled: true, mode: 'window', requestsPerMinute: 4 },
    });
    try {
      const res = await runCli([
        'doctor',
        '--base-url',
        limited.baseUrl,
        '--rate',
        '0',
        '--token',
        TOKENS.full,
        '--json',
      ]);
      expect(res.code).toBe(1);
      const checks = JSON.parse(res.stdout).checks as Check[];
      const rate = checks.find((c) => c.id === 'rate-limit')!;
      expect(rate.status).toBe('fail');
      expect(rate.detail).toMatch(
        /^rate limited now \(\d+ of \d+ requests answered 429, public_api_request_rate_limit\); retry after \d+ s$/,
      );
      expect(checks.find((c) => c.id === 'capabilities')?.detail ?? '').not.toMatch(/missing/);
    } finally {
      await limited.close();
    }
  });

  it('--database: access and a schema summary (every property, its type, option counts)', async () => {
    const client = t.client(TOKENS.full);
    const db = await client.databases.create({
      parent: { page_id: IDS.child },
      title: [{ text: { content: 'Inventory' } }],
      properties: {
        Name: { title: {} },
        Price: { number: { format: 'euro' } },
        Kind: { select: { options: [{ name: 'A' }, { name: 'B' }] } },
        Stage: { status: {} },
        Double: { formula: { expression: 'prop("Price") * 2' } },
      } as never,
    });
    const url = `https://www.notion.so/acme/Inventory-${db.id.replace(/-/g, '')}?v=0123`;
    const { code, report, byId, stderr } = await doctorJson(TOKENS.full, '--database', url);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(report.checks.map((c) => c.id)).toEqual([
      'base-url',
      'token-shape',
      'token-valid',
      'capabilities',
      'database-access',
      'notion-version',
      'rate-limit',
      'database-schema',
    ]);
    expect(byId['database-access']).toMatchObject({
      status: 'pass',
      detail: `database "Inventory" (${db.id}) is shared with "Full"`,
    });
    expect(byId['database-schema']?.status).toBe('pass');
    const detail = byId['database-schema']!.detail;
    expect(detail).toMatch(/^5 properties: /);
    for (const part of [
      'Name (title)',
      'Price (number)',
      'Kind (select, 2 options)',
      'Stage (status, 3 options)',
      'Double (formula)',
    ])
      expect(detail).toContain(part);

    const plain = await doctor(TOKENS.full, '--database', db.id);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/^✔ Database schema: 5 properties: .*Kind \(select, 2 options\)/m);

    // not shared with the integration: the same advice as for pages, no schema
    const unshared = await doctorJson(TOKENS.unshared, '--database', db.id);
    expect(unshared.code).toBe(5);
    expect(unshared.byId['database-access']).toMatchObject({
      status: 'fail',
      detail: `database ${db.id} is not shared with "Unshared" (or does not exist)`,
      hint: 'In Notion, open the database, click ••• (top right) → Connections → add "Unshared". Sharing a parent page shares everything under it.',
    });
    expect(unshared.byId['database-schema']).toMatchObject({ status: 'skip', detail: 'database not readable' });

    // a page id given as a database
    const wrong = await doctorJson(TOKENS.full, '--database', IDS.sharedRoot);
    expect(wrong.code).not.toBe(0);
    expect(wrong.byId['database-access']).toMatchObject({ status: 'fail', hint: 'Use --page for this id.' });
    expect(wrong.byId['database-access']?.detail).toContain('is a page, not a database');
    expect(wrong.byId['database-schema']?.status).toBe('skip');
  });

  it('--help documents the exit codes', async () => {
    const { code, stdout } = await runCli(['doctor', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--page <id>');
    expect(stdout).toContain('5  not shared with the integration');
  });
});
