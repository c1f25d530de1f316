// docs/errors.md carries every fixed sentence of MESSAGES (errors.ts), so a new message cannot go undocumented.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../src/errors.js';

const doc = readFileSync(fileURLToPath(new URL('../../../docs/errors.md', import.meta.url)), 'utf8');

describe('docs/errors.md messages', () => {
  it.each(Object.entries(MESSAGES))('documents MESSAGES.%s', (_key, message) => {
    expect(doc).toContain(message);
  });
});
