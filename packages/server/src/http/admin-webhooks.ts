// The admin API's webhook routes (`/__admin/webhooks…`): create, list, read, edit, verify, resend the
// handshake, delete, and read and replay deliveries — the same service functions the portal and the seed use.
// Every write records a change, and the dispatcher looks for due events after each one.
// Refusals answer in Notion's error shape: an unknown subscription or event 404, anything else 400.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseWith, zId } from '../domain/validation.js';
import { ApiError } from '../errors.js';
import type { Actor, ChangeFeed } from '../services/changes.js';
import { findIntegrationsNamed } from '../services/users.js';
import {
  createWebhook,
  deleteWebhook,
  findWebhook,
  listWebhookDeliveries,
  listWebhooks,
  redeliverWebhookEvent,
  resendWebhookVerification,
  summarizeWebhook,
  updateWebhook,
  verifyWebhook,
  webhookWorkspaceId,
  WebhookError,
} from '../services/webhooks.js';
import type { Store } from '../store/sql-store.js';
import type { Clock } from '../clock.js';

interface AdminWebhookDeps {
  store: Store;
  clock: Clock;
  changes: ChangeFeed;
}

const zCreate = z
  .object({
    integration_id: zId,
    url: z.string(),
    event_types: z.array(z.string()).nullable().optional(),
    api_version: z.string().optional(),
    verification_token: z.string().min(1).optional(),
  })
  .strict();

const zEdit = z
  .object({
    url: z.string().optional(),
    event_types: z.array(z.string()).nullable().optional(),
    api_version: z.string().optional(),
    paused: z.boolean().optional(),
  })
  .strict();

const ADMIN_ACTOR: Actor = { type: 'system' };

/** A WebhookError in Notion's shape; anything else unchanged. */
function asApiError(error: unknown): unknown {
  if (!(error instanceof WebhookError)) return error;
  const missing = error.reason === 'not_found' || error.reason === 'event_not_found';
  return new ApiError(missing ? 'object_not_found' : 'validation_error', error.message);
}

function routeKit(deps: AdminWebhookDeps) {
  const json = (reply: FastifyReply, value: unknown) =>
    reply.header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(value));
  const idOf = (request: FastifyRequest) => parseWith(z.object({ id: zId }), request.params, 'path').id;
  const target = async (request: FastifyRequest) => {
    const id = idOf(request);
    const workspaceId = await webhookWorkspaceId(deps.store, id, 'subscription');
    return { id, workspaceId, actor: ADMIN_ACTOR, now: deps.clock.now() };
  };
  const route = (handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>) => {
    return async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        return await handler(request, reply);
      } catch (error) {
        throw asApiError(error);
      }
    };
  };
  return { json, idOf, target, route };
}

export function mountAdminWebhookRoutes(
  admin: FastifyInstance,
  deps: AdminWebhookDeps,
  body: (request: FastifyRequest) => unknown,
): void {
  mountWebhookReads(admin, deps);
  mountWebhookWrites(admin, deps, body);
}

function mountWebhookReads(admin: FastifyInstance, deps: AdminWebhookDeps): void {
  const { json, idOf, target, route } = routeKit(deps);
  admin.get(
    '/__admin/webhooks',
    route(async (request, reply) => {
      const { workspace_id } = parseWith(z.object({ workspace_id: zId }).strict(), request.query, 'query');
      return json(reply, { results: await listWebhooks(deps.store, workspace_id) });
    }),
  );
  admin.get(
    '/__admin/webhooks/:id',
    route(async (request, reply) => {
      const { id, workspaceId } = await target(request);
      return json(reply, await findWebhook(deps.store, workspaceId, id));
    }),
  );
  admin.get(
    '/__admin/webhooks/:id/deliveries',
    route(async (request, reply) => {
      const { limit } = parseWith(
        z.object({ limit: z.coerce.number().int().min(1).max(1000).optional() }).strict(),
        request.query,
        'query',
      );
      const t = await target(request);
      return json(reply, { results: await listWebhookDeliveries(deps.store, t, limit ?? 100) });
    }),
  );
  admin.post(
    '/__admin/webhook_deliveries/:id/resend',
    route(async (request, reply) => {
      const eventId = idOf(request);
      const workspaceId = await webhookWorkspaceId(deps.store, eventId, 'event');
      await redeliverWebhookEvent(deps, { workspaceId, eventId, actor: ADMIN_ACTOR, now: deps.clock.now() });
      return json(reply, { id: eventId, requeued: true });
    }),
  );
}

function mountWebhookWrites(
  admin: FastifyInstance,
  deps: AdminWebhookDeps,
  body: (request: FastifyRequest) => unknown,
): void {
  const { json, target, route } = routeKit(deps);
  admin.post(
    '/__admin/webhooks',
    route(async (request, reply) => {
      const input = parseWith(zCreate, body(request));
      const [integration] = await findIntegrationsNamed(deps.store, input.integration_id, null);
      if (!integration) throw new WebhookError('integration_not_found');
      const created = await createWebhook(
        deps,
        integration.workspace_id,
        {
          integrationId: integration.id,
          url: input.url,
          eventTypes: input.event_types ?? null,
          ...(input.api_version !== undefined ? { apiVersion: input.api_version } : {}),
          verificationToken: input.verification_token ?? null,
        },
        ADMIN_ACTOR,
        deps.clock.now(),
      );
      return json(reply, summarizeWebhook(created));
    }),
  );
  admin.patch(
    '/__admin/webhooks/:id',
    route(async (request, reply) => {
      const input = parseWith(zEdit, body(request));
      const edit = {
        ...(input.url !== undefined ? { url: input.url } : {}),
        ...(input.event_types !== undefined ? { eventTypes: input.event_types } : {}),
        ...(input.api_version !== undefined ? { apiVersion: input.api_version } : {}),
        ...(input.paused !== undefined ? { paused: input.paused } : {}),
      };
      const updated = await updateWebhook(deps, await target(request), edit);
      return json(reply, summarizeWebhook(updated));
    }),
  );
  admin.delete(
    '/__admin/webhooks/:id',
    route(async (request, reply) => {
      const t = await target(request);
      await deleteWebhook(deps, t);
      return json(reply, { id: t.id, deleted: true });
    }),
  );
  admin.post(
    '/__admin/webhooks/:id/verify',
    route(async (request, reply) => {
      const { verification_token } = parseWith(z.object({ verification_token: z.string() }).strict(), body(request));
      const verified = await verifyWebhook(deps, await target(request), verification_token);
      return json(reply, summarizeWebhook(verified));
    }),
  );
  admin.post(
    '/__admin/webhooks/:id/resend_verification',
    route(async (request, reply) => {
      const row = await resendWebhookVerification(deps, await target(request));
      return json(reply, summarizeWebhook(row));
    }),
  );
}
