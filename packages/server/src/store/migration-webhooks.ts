// Migration 8: webhook subscriptions, the outbox of their events and each delivery attempt (reference §11.4),
// a workspace's plan limits (design.md: a seed may put a workspace on the free plan), and the integration a
// query cursor belongs to (each integration keeps a bounded number; cursors alive at the upgrade are dropped:
// they cannot be told apart, and a client that uses one gets the answer of an expired cursor).
//
// An event is written in the transaction of the change that causes it (services/webhook-events.ts) and
// delivered after commit by whichever server process claims it first (services/webhook-dispatcher.ts):
// `claimed_until` is a lease, so a process that dies mid-delivery delays the event, never loses it.
import type { Migration } from './migration-types.js';

export const WEBHOOKS_MIGRATION: Migration = {
  version: 8,
  name: 'webhooks',
  sql: `
ALTER TABLE workspaces ADD COLUMN limits json;
DELETE FROM query_cursors;
ALTER TABLE query_cursors ADD COLUMN integration_id uuid NOT NULL;
CREATE INDEX query_cursors_integration ON query_cursors (integration_id, created_time DESC, id DESC);
CREATE TABLE webhook_subscriptions (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  integration_id uuid NOT NULL,
  url text NOT NULL,
  event_types text[],
  api_version text NOT NULL,
  state text NOT NULL CHECK (state IN ('active', 'pending_verification', 'paused')),
  verification_token text NOT NULL,
  created_time timestamptz NOT NULL,
  verified_time timestamptz
);
CREATE INDEX webhook_subscriptions_workspace ON webhook_subscriptions (workspace_id, created_time, id);
CREATE INDEX webhook_subscriptions_integration ON webhook_subscriptions (integration_id);
CREATE TABLE webhook_events (
  id uuid PRIMARY KEY,
  subscription_id uuid NOT NULL REFERENCES webhook_subscriptions(id) ON DELETE CASCADE,
  workspace_id uuid NOT NULL,
  type text NOT NULL,
  aggregate_key text,
  payload json NOT NULL,
  state text NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts int NOT NULL DEFAULT 0,
  next_attempt_time timestamptz NOT NULL,
  claimed_until timestamptz,
  created_time timestamptz NOT NULL,
  finished_time timestamptz
);
CREATE INDEX webhook_events_due ON webhook_events (next_attempt_time) WHERE state = 'pending';
CREATE INDEX webhook_events_aggregate ON webhook_events (subscription_id, aggregate_key)
  WHERE state = 'pending' AND attempts = 0;
CREATE INDEX webhook_events_list ON webhook_events (subscription_id, created_time DESC, id);
CREATE TABLE webhook_attempts (
  event_id uuid NOT NULL REFERENCES webhook_events(id) ON DELETE CASCADE,
  attempt_number int NOT NULL,
  started_time timestamptz NOT NULL,
  status int,
  error text,
  latency_ms int NOT NULL,
  PRIMARY KEY (event_id, attempt_number, started_time)
)
`,
};
