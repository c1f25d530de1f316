// Migration 10: public integrations and their OAuth authorizations (reference §2).
//
// A public integration is an integrations row with an oauth_clients row: its client id, the SHA-256 hash and
// hint of its client secret, and its redirect URIs; it has no token of its own. Each authorization (a person
// allowing it on the consent screen) becomes a connection: an integrations row of its own in the person's
// workspace, pointing at the public integration (public_integration_id), with its own bot user, shares and
// tokens, so authentication, sharing, capabilities and rate limits work per connection as for any integration.
// Authorization codes and refresh tokens are kept as SHA-256 hashes only. The self-reference is deferrable so
// that a state file loads integrations in any order within its one transaction.
import type { Migration } from './migration-types.js';

export const OAUTH_MIGRATION: Migration = {
  version: 10,
  name: 'public integrations and OAuth',
  sql: `
ALTER TABLE integrations ADD COLUMN public_integration_id uuid REFERENCES integrations(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX integrations_public ON integrations (public_integration_id) WHERE public_integration_id IS NOT NULL;
CREATE TABLE oauth_clients (
  integration_id uuid PRIMARY KEY REFERENCES integrations(id) ON DELETE CASCADE,
  client_id text NOT NULL UNIQUE,
  secret_hash text NOT NULL,
  secret_hint text NOT NULL,
  secret_created_time timestamptz NOT NULL,
  redirect_uris text[] NOT NULL
);
CREATE TABLE oauth_codes (
  code_hash text PRIMARY KEY,
  public_integration_id uuid NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  redirect_uri text NOT NULL,
  page_ids uuid[] NOT NULL,
  created_time timestamptz NOT NULL,
  expires_time timestamptz NOT NULL,
  used_time timestamptz
);
CREATE INDEX oauth_codes_expires ON oauth_codes (expires_time);
CREATE TABLE oauth_refresh_tokens (
  token_hash text PRIMARY KEY,
  integration_id uuid NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
  access_token_hash text NOT NULL,
  created_time timestamptz NOT NULL,
  used_time timestamptz
);
CREATE INDEX oauth_refresh_tokens_integration ON oauth_refresh_tokens (integration_id)
`,
};
