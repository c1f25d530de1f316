// docs/errors.md lists every code we emit with its status; this keeps the two in step.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { APIErrorCode } from '@notionhq/client';
import { ERROR_STATUS } from '../src/errors.js';

const doc = readFileSync(fileURLToPath(new URL('../../../docs/errors.md', import.meta.url)), 'utf8');

describe('docs/errors.md', () => {
  it('lists exactly the codes of ERROR_STATUS with the same statuses', () => {
    const rows = [...doc.matchAll(/^\| (\d{3}) \| `([a-z_]+)` \|/gm)].map((m) => [m[2], Number(m[1])]);
    expect(Object.fromEntries(rows)).toEqual(ERROR_STATUS);
    expect(rows).toHaveLength(Object.keys(ERROR_STATUS).length);
  });

  it('uses every code the official SDK knows, with no invented ones beyond Notion’s documented extras', () => {
    const sdk = new Set<string>(Object.values(APIErrorCode));
    const extras = Object.keys(ERROR_STATUS).filter((c) => !sdk.has(c));
    expect(extras.sort()).toEqual(['bad_gateway', 'gateway_timeout', 'missing_version', 'service_overload']);
  });
});
