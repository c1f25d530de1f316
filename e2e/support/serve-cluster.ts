// One or more real `notion-local serve` processes for the full-size suites (bench/cross-tenant-probe.mjs,
// bench/fuzz.mjs): in-memory PGlite (one process), or PostgreSQL in a fresh schema shared by `processes`
// servers (as e2e/multi-process.test.ts runs them), dropped on close. Loopback only; rate limits off.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { dropPostgresSchema } from '@notion-local/server';
import { spawnServe, type Served } from './spawn-serve.js';

export interface Cluster {
  urls: string[];
  label: string;
  close(): Promise<void>;
}

export async function startCluster(options: {
  kind: 'pglite' | 'postgres';
  processes?: number;
  seed: unknown;
  postgresUrl?: string;
  config?: Record<string, unknown>;
}): Promise<Cluster> {
  const processes = options.kind === 'pglite' ? 1 : (options.processes ?? 1);
  const dir = mkdtempSync(join(tmpdir(), 'nl-cluster-'));
  writeFileSync(join(dir, 'seed.json'), JSON.stringify(options.seed));
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({ rate_limit: { enabled: false }, log_level: 'error', ...options.config }),
  );
  const common = ['--port', '0', '--host', '127.0.0.1', '--seed', join(dir, 'seed.json')];
  common.push('--config', join(dir, 'config.json'));
  let schema: string | null = null;
  let store: string[] = ['--in-memory'];
  const pgUrl = options.postgresUrl ?? '';
  if (options.kind === 'postgres') {
    schema = `nl_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.end();
    const sep = pgUrl.includes('?') ? '&' : '?';
    store = ['--database-url', `${pgUrl}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}`];
  }
  const servers: Served[] = [];
  const close = async () => {
    await Promise.all(servers.map((s) => s.stop()));
    if (schema) await dropPostgresSchema(pgUrl, schema);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // One at a time: the first seeds, the others find the data.
    for (let i = 0; i < processes; i++) servers.push(await spawnServe([...store, ...common], 60_000));
  } catch (error) {
    await close();
    throw error;
  }
  const label = options.kind === 'pglite' ? 'PGlite' : `PostgreSQL × ${processes} process${processes > 1 ? 'es' : ''}`;
  return { urls: servers.map((s) => s.url), label, close };
}
