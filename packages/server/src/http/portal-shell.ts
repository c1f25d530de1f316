// The portal's front door until the full developer portal lands (issue 6): the one-time sign-in link
// printed by `serve` becomes an HttpOnly, SameSite=Lax session cookie, and `/` says who is signed in.
// It shows no workspace data beyond the signed-in user's own name.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hashToken } from '../auth/tokens.js';
import type { Clock } from '../clock.js';
import type { Store } from '../store/sql-store.js';

const SESSION_COOKIE = 'nl_session';
const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

function cookie(request: FastifyRequest, name: string): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>notion-local</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#222}code{background:#f3f3f3;padding:0 .3em}</style>
</head><body><h1>notion-local</h1>${body}</body></html>`);
}

export function mountPortalShell(app: FastifyInstance, store: Store, clock: Clock): void {
  app.get('/', async (request, reply) => {
    const sid = cookie(request, SESSION_COOKIE);
    const rows = sid
      ? await store.query<{ name: string }>(
          `SELECT u.name FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1 AND s.kind = 'session' AND s.expires_time > $2`,
          [hashToken(sid), clock.now()],
        )
      : [];
    const who = rows[0]?.name;
    if (!who) return page(reply, 401, '<p>Sign in with the one-time link that <code>notion-local serve</code> printed.</p>');
    return page(reply, 200, `<p>Signed in as <strong>${escapeHtml(who)}</strong>.</p><p>The API is at <code>/v1/</code>. The full developer portal is not built yet.</p>`);
  });

  app.get('/sign-in', async (request, reply) => {
    const token = (request.query as Record<string, unknown>).token;
    if (typeof token !== 'string' || token === '') return page(reply, 400, '<p>This sign-in link is incomplete.</p>');
    const now = clock.now();
    const used = await store.query<{ user_id: string }>(
      `DELETE FROM sessions WHERE id = $1 AND kind = 'sign_in_link' AND expires_time > $2 RETURNING user_id`,
      [hashToken(token), now],
    );
    const userId = used[0]?.user_id;
    if (!userId) return page(reply, 401, '<p>This sign-in link was already used or has expired. Restart <code>notion-local serve</code> for a new one.</p>');
    const sid = randomBytes(32).toString('base64url');
    await store.query(
      `INSERT INTO sessions (id, user_id, kind, created_time, expires_time) VALUES ($1, $2, 'session', $3, $4)`,
      [hashToken(sid), userId, now, new Date(now.getTime() + SESSION_TTL_MS)],
    );
    return reply
      .header('set-cookie', `${SESSION_COOKIE}=${sid}; HttpOnly; SameSite=Lax; Path=/; Max-Age=${SESSION_TTL_MS / 1000}`)
      .redirect('/', 303);
  });
}
