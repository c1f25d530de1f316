// The cross-tenant probe, short version (the full size is `node bench/cross-tenant-probe.mjs`): every
// id-taking parameter of every route, sent the id of a foreign-workspace object, of an unshared object of
// the caller's workspace and (where the trash must look missing) of a trashed one, answers exactly as for
// a missing id; and nothing in the other workspace or the unshared pages changed. Also: the generator
// covers every route of packages/server/src/http/routes.ts.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ID_CLASSES,
  PROBE_SLOTS,
  randomProbes,
  runProbes,
  summariseDifferences,
  systematicProbes,
  uncovered,
} from './support/probe-routes.js';
import { buildProbeWorld, fetchCall, probeSeed, snapshotOthers, type ProbeWorld } from './support/probe-world.js';
import { TOKENS } from './support/fixtures.js';
import { startTestPlatform, storeKinds, type TestPlatform } from './support/test-platform.js';

const SEED = 17;
const RANDOM_PROBES = 150;

describe('the probe generator', () => {
  it('covers every route and path parameter of routes.ts', () => {
    const table = ['routes', 'routes-markdown', 'routes-views', 'routes-extra', 'routes-file-uploads']
      .map((file) => readFileSync(new URL(`../packages/server/src/http/${file}.ts`, import.meta.url), 'utf8'))
      .join('\n');
    expect(uncovered(table)).toEqual([]);
    // A route added to the table without a slot is reported (the check itself works).
    expect(uncovered(`${table}\n{ method: 'GET', path: '/v1/things/:thing_id' }`)).toEqual([
      'GET /v1/things/:thing_id',
      'GET /v1/things/:thing_id path :thing_id',
    ]);
    expect(new Set(PROBE_SLOTS.map((s) => `${s.route} ${s.slot}`)).size).toBe(PROBE_SLOTS.length);
  });
});

describe.each(storeKinds())('cross-tenant probe on %s', (kind) => {
  let t: TestPlatform;
  let world: ProbeWorld;
  beforeAll(async () => {
    t = await startTestPlatform(kind, probeSeed());
    world = await buildProbeWorld(fetchCall([t.baseUrl]));
  }, 60_000);
  afterAll(async () => t?.close());

  it('foreign, unshared and trashed ids answer as missing ones, and nothing lands across a boundary', async () => {
    const call = fetchCall([t.baseUrl]);
    const before = await snapshotOthers(call, world);
    const probes = [...systematicProbes(world, SEED, 2), ...randomProbes(world, SEED, RANDOM_PROBES)];
    const report = await runProbes(call, world, probes, 4);
    const after = await snapshotOthers(call, world);
    console.log(
      `cross-tenant probe (${kind}): ${report.tried} probes over ${PROBE_SLOTS.length} slots × ` +
        `${ID_CLASSES.join('/')}, ${report.differences.length} differences`,
    );
    expect(report.tried).toBe(probes.length);
    expect(summariseDifferences(report)).toEqual([]);
    for (const key of Object.keys(before)) expect({ key, value: after[key] }).toEqual({ key, value: before[key] });
  }, 120_000);

  it('the snapshot sees a write in the other workspace (the check above can fail)', async () => {
    const call = fetchCall([t.baseUrl]);
    const before = await snapshotOthers(call, world);
    const edit = await call(TOKENS.otherBot, 'PATCH', `/v1/pages/${world.foreign.page}`, { icon: { emoji: '🧪' } });
    expect(edit.status).toBe(200);
    const source = await call(TOKENS.otherBot, 'PATCH', `/v1/data_sources/${world.foreign.ds}`, {
      properties: { Added: { checkbox: {} } },
    });
    expect(source.status).toBe(200);
    const after = await snapshotOthers(call, world);
    // The page itself (its child_page block in the parent's children may change too: times are to the minute).
    const changed = Object.keys(before).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    expect(changed).toContain(`${TOKENS.otherBot} page ${world.foreign.page}`);
    expect(changed).toContain(`${TOKENS.otherBot} data source ${world.foreign.ds}`);
    // Answers differ only by what changed: the request_id of each answer is not part of the snapshot.
    expect(changed).not.toContain(`${TOKENS.otherBot} users`);
  });
});
