// The serve config file's `sign_in_throttle` key: read into PlatformConfig.signInThrottle, checked by the
// server's rule (names in the message are the file's), unknown keys refused by name; and `notion-local serve`
// with a low limit throttles the portal's password sign-in sooner than the default 5 per account.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServe } from '../../../e2e/support/spawn-serve.js';
import { CliError } from '../src/cli-error.js';
import { resolveServeConfig } from '../src/serve-config.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function configFile(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'nl-serve-config-'));
  dirs.push(dir);
  const path = join(dir, 'config.json');
  writeFileSync(path, JSON.stringify(content));
  return path;
}

/** The CliError resolveServeConfig throws for this config file: its exit code and message. */
function refusal(content: unknown): { exitCode: number; message: string } {
  try {
    resolveServeConfig({ inMemory: true, config: configFile(content) });
  } catch (error) {
    if (error instanceof CliError) return { exitCode: error.exitCode, message: error.message };
    throw error;
  }
  throw new Error('the config was accepted');
}

describe('serve config: sign_in_throttle', () => {
  it('maps the file’s keys onto PlatformConfig.signInThrottle, leaving out what the file leaves out', () => {
    const all = resolveServeConfig({
      inMemory: true,
      config: configFile({
        sign_in_throttle: { enabled: true, account_attempts: 2, address_attempts: 7, window_seconds: 90 },
      }),
    });
    expect(all.platform.signInThrottle).toEqual({
      enabled: true,
      accountAttempts: 2,
      addressAttempts: 7,
      windowSeconds: 90,
    });
    const some = resolveServeConfig({ inMemory: true, config: configFile({ sign_in_throttle: { enabled: false } }) });
    expect(some.platform.signInThrottle).toEqual({ enabled: false });
    expect(resolveServeConfig({ inMemory: true }).platform.signInThrottle).toEqual({});
  });

  it.each([
    [{ sign_in_throttle: { attempts: 3 } }, 'unknown key "sign_in_throttle.attempts"'],
    [{ sign_in_throttle: { account_attempts: '3' } }, '"sign_in_throttle.account_attempts" must be a number'],
    [{ sign_in_throttle: { enabled: 'no' } }, '"sign_in_throttle.enabled" must be a boolean'],
    [{ sign_in_throttle: 5 }, '"sign_in_throttle" must be an object'],
    [
      { sign_in_throttle: { account_attempts: 0 } },
      'config "sign_in_throttle": account_attempts must be an integer from 1 to 1000000, not 0',
    ],
    [
      { sign_in_throttle: { address_attempts: 2.5 } },
      'config "sign_in_throttle": address_attempts must be an integer from 1 to 1000000, not 2.5',
    ],
    [
      { sign_in_throttle: { window_seconds: 86_401 } },
      'config "sign_in_throttle": window_seconds must be an integer from 1 to 86400, not 86401',
    ],
  ])('refuses %j: exit code 2, "%s"', (content, message) => {
    const answer = refusal(content);
    expect(answer.exitCode).toBe(2);
    expect(answer.message).toContain(message);
  });

  it('names sign_in_throttle among the known keys when a top-level key is unknown', () => {
    expect(refusal({ sign_in_throtle: {} }).message).toMatch(
      /unknown key "sign_in_throtle" \(known keys: .*sign_in_throttle/,
    );
  });

  it('`serve` with account_attempts 2 answers 429 at the third failed sign-in for an account', async () => {
    const config = configFile({ sign_in_throttle: { account_attempts: 2, window_seconds: 120 } });
    const served = await spawnServe(['--in-memory', '--port', '0', '--config', config]);
    try {
      const signIn = () =>
        fetch(`${served.url}/portal/api/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': 'sign-in' },
          body: JSON.stringify({ email: 'someone@example.com', password: 'wrong' }),
        });
      expect((await signIn()).status).toBe(401);
      expect((await signIn()).status).toBe(401);
      const third = await signIn();
      expect(third.status).toBe(429);
      // The configured window (120 s, not the default 900), less the time the first two attempts took.
      const retryAfter = Number(third.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(100);
      expect(retryAfter).toBeLessThanOrEqual(120);
      expect(((await third.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    } finally {
      expect(await served.stop()).toBe(0);
    }
  }, 30_000);
});

describe('serve config: allowed_hosts', () => {
  it('maps the host names onto PlatformConfig.allowedHosts (none when absent)', () => {
    const config = resolveServeConfig({ inMemory: true, config: configFile({ allowed_hosts: ['notion.local'] }) });
    expect(config.platform.allowedHosts).toEqual(['notion.local']);
    expect(resolveServeConfig({ inMemory: true, config: configFile({}) }).platform.allowedHosts).toEqual([]);
  });

  it('refuses an entry that is not a host name', () => {
    expect(refusal({ allowed_hosts: ['ok.local', 3] })).toEqual({
      exitCode: 2,
      message: 'config "allowed_hosts": every entry must be a host name, not 3',
    });
  });
});
