// Serves the built portal (packages/portal/dist) from memory: a few small files, read once at start-up,
// gzipped once, with ETags. Hashed assets are cached for a year; index.html never is, and every path the
// SPA routes (`/pages/…`, `/integrations`, …) answers index.html — a static shell with no workspace data.
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Where `npm run build` puts the portal, relative to this file in packages/server/dist/portal. */
export const DEFAULT_PORTAL_DIR = fileURLToPath(new URL('../../../portal/dist/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt', '.map']);
const MIN_GZIP_BYTES = 1024;

/**
 * The HTML shell's policy: scripts and styles from this origin only, images from anywhere (image blocks
 * point at external URLs), no framing (clickjacking), and no Referer (the sign-in link carries a secret).
 */
export const HTML_SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src * data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

interface StaticFile {
  body: Buffer;
  /** Compressed on first use, not at start-up (level 9 over the bundle costs start-up time). */
  readonly gzip: Buffer | null;
  type: string;
  etag: string;
  immutable: boolean;
}

export interface PortalFiles {
  readonly built: boolean;
  find(urlPath: string): StaticFile | undefined;
  index(): StaticFile;
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

function toFile(body: Buffer, ext: string, immutable: boolean): StaticFile {
  const compressible = COMPRESSIBLE.has(ext) && body.length >= MIN_GZIP_BYTES;
  let gzip: Buffer | null | undefined;
  return {
    body,
    get gzip() {
      if (gzip === undefined) gzip = compressible ? gzipSync(body, { level: 9 }) : null;
      return gzip;
    },
    type: TYPES[ext] ?? 'application/octet-stream',
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
    immutable,
  };
}

const NOT_BUILT = toFile(
  Buffer.from(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>notion-local portal</title></head>
<body style="font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem">
<h1>The portal has not been built</h1><p>Run <code>npm run build</code> (or <code>npm start</code>, which builds it) and reload.
The API under <code>/v1/</code> works without it.</p></body></html>`),
  '.html',
  false,
);

export async function loadPortalFiles(dir: string = DEFAULT_PORTAL_DIR): Promise<PortalFiles> {
  const files = new Map<string, StaticFile>();
  const exists = await stat(join(dir, 'index.html')).then(
    (s) => s.isFile(),
    () => false,
  );
  if (exists) {
    for (const full of await walk(dir)) {
      const urlPath = `/${relative(dir, full).split(sep).join('/')}`;
      files.set(urlPath, toFile(await readFile(full), extname(full), urlPath.startsWith('/assets/')));
    }
  }
  const index = files.get('/index.html') ?? NOT_BUILT;
  return { built: exists, find: (p) => (p === '/index.html' ? undefined : files.get(p)), index: () => index };
}

export function sendStatic(request: FastifyRequest, reply: FastifyReply, file: StaticFile, status = 200): FastifyReply {
  void reply
    .header('content-type', file.type)
    .header('etag', file.etag)
    .header('vary', 'accept-encoding')
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  if (file.type.startsWith('text/html'))
    for (const [k, v] of Object.entries(HTML_SECURITY_HEADERS)) void reply.header(k, v);
  if (status === 200 && request.headers['if-none-match'] === file.etag) return reply.code(304).send();
  const acceptsGzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  if (file.gzip && acceptsGzip) return reply.code(status).header('content-encoding', 'gzip').send(file.gzip);
  return reply.code(status).send(file.body);
}
