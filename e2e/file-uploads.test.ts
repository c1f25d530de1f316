// File uploads through SDK v5 (reference §11.3, §8.6, §6.3): single part, multi part (parts in any order),
// external URL import (notion-local fetches a local server), list with status filter and cursor; the bytes read
// back through the signed `file.url` (no token) equal what was sent, a changed or expired URL is refused; size
// limits at N and N+1; attachment to an image block, a `files` property and a page icon; a page create that fails
// leaves the uploads its icon and cover name unattached. Expiry of unattached uploads and of URLs runs on a platform
// with a hand-moved clock. The portal's JSON and pages as Markdown carry signed URLs too.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { APIResponseError, Client as ClientV5, LogLevel as LogLevelV5 } from 'notion-client-v5';
import { ManualClock, startPlatform, dropPostgresSchema, type Platform } from '@notion-local/server';
import { IDS, TOKENS, testSeed } from './support/fixtures.js';
import { PortalVisitor } from './support/portal-visitor.js';
import {
  newSchemaName,
  POSTGRES_URL,
  startTestPlatform,
  storeKinds,
  TEST_CONFIG,
  type StoreKind,
  type TestPlatform,
} from './support/test-platform.js';

const MIB = 1024 * 1024;

async function failure(call: Promise<unknown>): Promise<{ status: number; code: string; message: string }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof APIResponseError) return { status: error.status, code: error.code, message: error.message };
    throw error;
  }
  throw new Error('the call succeeded');
}

/** Deterministic bytes, different for each `seed`. */
function bytes(length: number, seed = 1): Buffer {
  const out = Buffer.allocUnsafe(length);
  let x = seed * 2654435761;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const blob = (data: Buffer, type = 'application/octet-stream') => new Blob([data], { type });

async function download(url: string): Promise<{ status: number; body: Buffer; type: string | null }> {
  const res = await fetch(url);
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()), type: res.headers.get('content-type') };
}

type Upload = Awaited<ReturnType<ClientV5['fileUploads']['create']>>;
type FileObject = { type: string; file: { url: string; expiry_time: string } };

describe.each(storeKinds())('file uploads (%s)', (kind: StoreKind) => {
  let t: TestPlatform;
  let notion: ClientV5;
  let files: Server;
  let filesUrl: string;
  const served = bytes(300_000, 7);
  const v5 = (token: string) =>
    new ClientV5({ auth: token, baseUrl: t.baseUrl, logLevel: LogLevelV5.ERROR, retry: false });

  /** A single-part upload of `data`, sent and so `uploaded`. */
  async function uploaded(data: Buffer, filename = 'notes.txt', client = notion): Promise<Upload> {
    const created = await client.fileUploads.create({ filename, content_type: 'text/plain' });
    return client.fileUploads.send({ file_upload_id: created.id, file: { filename, data: blob(data) } });
  }

  beforeAll(async () => {
    t = await startTestPlatform(kind);
    notion = v5(TOKENS.full);
    files = createServer((req, res) => {
      if (req.url === '/missing.bin') return void res.writeHead(404).end('no');
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(served.length) }).end(served);
    });
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => files?.close(resolve));
    await t?.close();
  });
  beforeEach(async () => t.platform.reset());

  it('uploads a single part, and reads the bytes back through the signed URL without a token', async () => {
    const created = await notion.fileUploads.create({ filename: 'notes.txt', content_type: 'text/plain' });
    expect(created).toMatchObject({
      object: 'file_upload',
      status: 'pending',
      filename: 'notes.txt',
      content_type: 'text/plain',
      content_length: null,
      upload_url: `${t.baseUrl}/v1/file_uploads/${created.id}/send`,
      created_by: { id: IDS.full, type: 'bot' },
    });
    expect(created.complete_url).toBeUndefined();
    expect(Date.parse(created.expiry_time!) - Date.now()).toBeGreaterThan(59 * 60 * 1000);
    const data = bytes(1000, 1);
    const sent = await notion.fileUploads.send({ file_upload_id: created.id, file: { data: blob(data) } });
    expect(sent).toMatchObject({ status: 'uploaded', content_length: 1000, filename: 'notes.txt' });
    expect(sent.upload_url).toBeUndefined();
    expect(await notion.fileUploads.retrieve({ file_upload_id: created.id })).toMatchObject({ status: 'uploaded' });
    // Sending again is refused: the upload is no longer pending.
    expect(await failure(notion.fileUploads.send({ file_upload_id: created.id, file: { data: blob(data) } }))).toEqual({
      status: 400,
      code: 'validation_error',
      message: 'File upload has status `uploaded`: only a pending upload accepts content or completion.',
    });

    const page = await notion.pages.create({
      parent: { page_id: IDS.sharedRoot },
      properties: { title: { title: [{ text: { content: 'With a file' } }] } },
      children: [{ type: 'file', file: { type: 'file_upload', file_upload: { id: created.id } } }],
    });
    // The SDK types the answer as a union of partial and full objects; the test reads the full shape.
    const [block] = (await notion.blocks.children.list({ block_id: page.id })).results as unknown as {
      file: FileObject & { name: string };
    }[];
    expect(block!.file.type).toBe('file');
    expect(block!.file.name).toBe('notes.txt');
    expect(block!.file.file.url.startsWith(`${t.baseUrl}/files/${created.id}/notes.txt?`)).toBe(true);
    const got = await download(block!.file.file.url);
    expect(got.status).toBe(200);
    expect(got.type).toBe('text/plain');
    expect(got.body.equals(data)).toBe(true);
  });

  it('uploads multi part with the parts in reverse order, completes, and reads the whole file back', async () => {
    const parts = [bytes(5 * MIB, 1), bytes(5 * MIB, 2), bytes(1234, 3)];
    const created = await notion.fileUploads.create({
      mode: 'multi_part',
      filename: 'big.bin',
      number_of_parts: 3,
    });
    expect(created).toMatchObject({
      status: 'pending',
      number_of_parts: { total: 3, sent: 0 },
      complete_url: `${t.baseUrl}/v1/file_uploads/${created.id}/complete`,
    });
    // Completing early names what is missing.
    expect(await failure(notion.fileUploads.complete({ file_upload_id: created.id }))).toEqual({
      status: 400,
      code: 'validation_error',
      message: 'File upload expected 3 parts but received 0. Send every part before completing.',
    });
    for (const n of [3, 2, 1]) {
      const sent = await notion.fileUploads.send({
        file_upload_id: created.id,
        file: { filename: 'big.bin', data: blob(parts[n - 1]!) },
        part_number: String(n),
      });
      expect(sent.number_of_parts).toEqual({ total: 3, sent: 4 - n });
      expect(sent.status).toBe('pending');
    }
    const done = await notion.fileUploads.complete({ file_upload_id: created.id });
    expect(done).toMatchObject({ status: 'uploaded', content_length: 10 * MIB + 1234 });

    const page = await notion.pages.create({
      parent: { page_id: IDS.sharedRoot },
      properties: { title: { title: [{ text: { content: 'Big' } }] } },
      children: [{ type: 'image', image: { type: 'file_upload', file_upload: { id: created.id } } }],
    });
    // The SDK types the answer as a union of partial and full objects; the test reads the full shape.
    const [block] = (await notion.blocks.children.list({ block_id: page.id })).results as unknown as {
      image: FileObject;
    }[];
    const got = await download(block!.image.file.url);
    expect(got.body.equals(Buffer.concat(parts))).toBe(true);
  }, 60_000);

  it('refuses parts outside 5–20 MB (but the last), and a part number outside the upload', async () => {
    const created = await notion.fileUploads.create({ mode: 'multi_part', filename: 'x.bin', number_of_parts: 2 });
    const send = (data: Buffer, part: string) =>
      notion.fileUploads.send({ file_upload_id: created.id, file: { data: blob(data) }, part_number: part });
    expect(await failure(send(bytes(5 * MIB - 1), '1'))).toEqual({
      status: 400,
      code: 'validation_error',
      message: 'Part 1 is smaller than 5 MB (5242880 bytes): every part but the last must be 5–20 MB.',
    });
    expect(await failure(send(bytes(10), '3'))).toEqual({
      status: 400,
      code: 'validation_error',
      message: 'body failed validation: body.part_number should be an integer from 1 to 2, instead was `"3"`.',
    });
    expect((await send(bytes(5 * MIB), '1')).number_of_parts).toEqual({ total: 2, sent: 1 });
    expect((await send(bytes(1), '2')).number_of_parts).toEqual({ total: 2, sent: 2 });
  }, 60_000);

  it('takes a single part of exactly 20 MB and refuses one byte more', async () => {
    const limit = 20 * MIB;
    const ok = await uploaded(bytes(limit, 4), 'limit.bin');
    expect(ok).toMatchObject({ status: 'uploaded', content_length: limit });
    const created = await notion.fileUploads.create({ filename: 'over.bin' });
    const over = await failure(
      notion.fileUploads.send({ file_upload_id: created.id, file: { data: blob(bytes(limit + 1, 5)) } }),
    );
    expect(over).toEqual({
      status: 400,
      code: 'validation_error',
      message: `The file is larger than the ${limit} bytes allowed for this upload.`,
    });
    expect(await notion.fileUploads.retrieve({ file_upload_id: created.id })).toMatchObject({ status: 'pending' });
  }, 60_000);

  it('imports an external URL: pending, then uploaded with the bytes the URL served; a 404 fails', async () => {
    const created = await notion.fileUploads.create({ mode: 'external_url', external_url: `${filesUrl}/pic.png` });
    expect(created).toMatchObject({ status: 'pending', filename: 'pic.png', content_type: 'image/png' });
    expect(created.upload_url).toBeUndefined();
    const done = await settle(created.id);
    expect(done).toMatchObject({
      status: 'uploaded',
      content_length: served.length,
      file_import_result: { type: 'success', success: {} },
    });
    await notion.pages.update({
      page_id: IDS.sharedRoot,
      icon: { type: 'file_upload', file_upload: { id: created.id } },
    });
    // The SDK types the answer as a union of partial and full objects; the test reads the full shape.
    const page = (await notion.pages.retrieve({ page_id: IDS.sharedRoot })) as unknown as { icon: FileObject };
    expect(page.icon.type).toBe('file');
    expect((await download(page.icon.file.url)).body.equals(served)).toBe(true);

    const missing = await notion.fileUploads.create({
      mode: 'external_url',
      external_url: `${filesUrl}/missing.bin`,
      filename: 'missing.bin',
    });
    expect(await settle(missing.id)).toMatchObject({
      status: 'failed',
      file_import_result: {
        type: 'error',
        error: { type: 'download_error', code: 'http_error', parameter: 'external_url', status_code: 404 },
      },
    });
  });

  async function settle(id: string): Promise<Upload> {
    for (let i = 0; i < 200; i++) {
      const upload = await notion.fileUploads.retrieve({ file_upload_id: id });
      if (upload.status !== 'pending') return upload;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('the import did not finish');
  }

  it('lists the integration’s uploads newest first, by status, a page at a time', async () => {
    const a = await uploaded(bytes(10), 'a.txt');
    const b = await notion.fileUploads.create({ filename: 'b.txt' });
    const c = await uploaded(bytes(10), 'c.txt');
    await uploaded(bytes(10), 'other.txt', v5(TOKENS.otherBot)).catch(() => undefined);
    const all = await notion.fileUploads.list({});
    expect(all.results.map((u) => u.id)).toEqual([c.id, b.id, a.id]);
    expect(all).toMatchObject({ object: 'list', type: 'file_upload', file_upload: {}, has_more: false });
    const done = await notion.fileUploads.list({ status: 'uploaded' });
    expect(done.results.map((u) => u.id)).toEqual([c.id, a.id]);
    expect((await notion.fileUploads.list({ status: 'pending' })).results.map((u) => u.id)).toEqual([b.id]);
    const first = await notion.fileUploads.list({ page_size: 2 });
    expect(first.results.map((u) => u.id)).toEqual([c.id, b.id]);
    expect(first.has_more).toBe(true);
    const second = await notion.fileUploads.list({ page_size: 2, start_cursor: first.next_cursor! });
    expect(second.results.map((u) => u.id)).toEqual([a.id]);
    expect(second.has_more).toBe(false);
  });

  it('answers 404 for another integration’s upload, and refuses to attach one that is not uploaded', async () => {
    const mine = await notion.fileUploads.create({ filename: 'p.txt' });
    const readOnlyUpload = v5(TOKENS.otherBot);
    expect(await failure(readOnlyUpload.fileUploads.retrieve({ file_upload_id: mine.id }))).toEqual({
      status: 404,
      code: 'object_not_found',
      message: `Could not find file_upload with ID: ${mine.id}.`,
    });
    const attach = (id: string) =>
      notion.blocks.children.append({
        block_id: IDS.sharedRoot,
        children: [{ type: 'image', image: { type: 'file_upload', file_upload: { id } } }],
      });
    expect(await failure(attach(mine.id))).toEqual({
      status: 400,
      code: 'validation_error',
      message: `File upload with ID: ${mine.id} has status \`pending\` and cannot be attached. Only uploads with status \`uploaded\` can be attached.`,
    });
    expect(await failure(attach(IDS.missing))).toEqual({
      status: 400,
      code: 'validation_error',
      message: `Could not find file_upload with ID: ${IDS.missing}.`,
    });
  });

  it('attaches uploads to a files property and a page icon, and answers Notion-hosted files', async () => {
    const full = t.client(TOKENS.full);
    const db = (await full.databases.create({
      parent: { type: 'page_id', page_id: IDS.sharedRoot },
      title: [{ type: 'text', text: { content: 'Docs' } }],
      properties: { Name: { title: {} }, Attachments: { files: {} } },
    })) as { id: string };
    const one = await uploaded(bytes(100, 8), 'one.txt');
    const two = await uploaded(bytes(200, 9), 'two.txt');
    const icon = await uploaded(bytes(50, 10), 'icon.png');
    const row = (await full.pages.create({
      parent: { database_id: db.id },
      icon: { type: 'file_upload', file_upload: { id: icon.id } } as never,
      properties: {
        Name: { title: [{ text: { content: 'Row' } }] },
        Attachments: {
          files: [
            { type: 'file_upload', file_upload: { id: one.id } },
            { name: 'renamed.txt', type: 'file_upload', file_upload: { id: two.id } },
          ] as never,
        },
      },
      // The SDK types the answer as a union of partial and full objects; the test reads the full shape.
    })) as unknown as {
      id: string;
      icon: FileObject;
      properties: { Attachments: { files: (FileObject & { name: string })[] } };
    };
    expect(row.icon.type).toBe('file');
    const attachments = row.properties.Attachments.files;
    expect(attachments.map((f) => [f.name, f.type])).toEqual([
      ['one.txt', 'file'],
      ['renamed.txt', 'file'],
    ]);
    expect(Object.keys(attachments[0]!.file)).toEqual(['url', 'expiry_time']);
    expect((await download(attachments[1]!.file.url)).body.equals(bytes(200, 9))).toBe(true);
    expect((await download(row.icon.file.url)).body.equals(bytes(50, 10))).toBe(true);
    // Attached uploads no longer expire.
    expect((await notion.fileUploads.retrieve({ file_upload_id: one.id })).expiry_time).toBeNull();
  });

  it('refuses a changed URL with 403 and serves nothing without a valid signature', async () => {
    const up = await uploaded(bytes(64, 11), 'secret.txt');
    await notion.pages.update({ page_id: IDS.sharedRoot, icon: { type: 'file_upload', file_upload: { id: up.id } } });
    // The SDK types the answer as a union of partial and full objects; the test reads the full shape.
    const page = (await notion.pages.retrieve({ page_id: IDS.sharedRoot })) as unknown as { icon: FileObject };
    const url = new URL(page.icon.file.url);
    expect((await download(url.href)).status).toBe(200);
    const tampered = new URL(url.href);
    tampered.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 1000));
    const refused = await fetch(tampered);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({
      object: 'error',
      status: 403,
      code: 'restricted_resource',
      message: 'This file URL is not valid: its signature does not match.',
    });
    const renamed = url.href.replace('/secret.txt?', '/other.txt?');
    expect((await fetch(renamed)).status).toBe(403);
  });

  it('leaves the uploads of a page create that fails unattached, and attaches them when it succeeds', async () => {
    const icon = await uploaded(bytes(20, 12), 'icon.png');
    const cover = await uploaded(bytes(30, 13), 'cover.png');
    const files = {
      icon: { type: 'file_upload' as const, file_upload: { id: icon.id } },
      cover: { type: 'file_upload' as const, file_upload: { id: cover.id } },
    };
    const title = { title: { title: [{ text: { content: 'Pictured' } }] } };
    const unattached = async () => {
      for (const id of [icon.id, cover.id]) {
        const upload = await notion.fileUploads.retrieve({ file_upload_id: id });
        expect(upload.status).toBe('uploaded');
        expect(upload.expiry_time).not.toBeNull();
      }
    };
    // Under a page that does not exist: refused once the create's batch reads its parent.
    expect(
      await failure(notion.pages.create({ parent: { page_id: IDS.missing }, ...files, properties: title })),
    ).toEqual({
      status: 404,
      code: 'object_not_found',
      message: `Could not find page with ID: ${IDS.missing}. Make sure the relevant pages and databases are shared with your integration.`,
    });
    await unattached();
    // A batch where one create fails and one succeeds: only the one that succeeds attaches its upload.
    const other = await uploaded(bytes(40, 14), 'other.png');
    const [refused, made] = await Promise.allSettled([
      notion.pages.create({ parent: { page_id: IDS.missing }, ...files, properties: title }),
      notion.pages.create({
        parent: { page_id: IDS.sharedRoot },
        icon: { type: 'file_upload', file_upload: { id: other.id } },
        properties: title,
      }),
    ]);
    expect([refused.status, made.status]).toEqual(['rejected', 'fulfilled']);
    await unattached();
    expect((await notion.fileUploads.retrieve({ file_upload_id: other.id })).expiry_time).toBeNull();
    // In a database, with a value its schema refuses.
    const full = t.client(TOKENS.full);
    const db = (await full.databases.create({
      parent: { type: 'page_id', page_id: IDS.sharedRoot },
      title: [{ type: 'text', text: { content: 'Pictures' } }],
      properties: { Name: { title: {} } },
    })) as { id: string };
    const inDatabase = (properties: Record<string, unknown>) =>
      notion.pages.create({ parent: { database_id: db.id }, ...files, properties: properties as never });
    expect(await failure(inDatabase({ Name: title.title, Missing: { number: 1 } }))).toEqual({
      status: 400,
      code: 'validation_error',
      message: 'Missing is not a property that exists.',
    });
    await unattached();
    // The SDK types the answer as a union of partial and full objects; the test reads the full shape.
    const row = (await inDatabase({ Name: title.title })) as unknown as { icon: FileObject; cover: FileObject };
    expect((await download(row.cover.file.url)).body.equals(bytes(30, 13))).toBe(true);
    for (const id of [icon.id, cover.id])
      expect((await notion.fileUploads.retrieve({ file_upload_id: id })).expiry_time).toBeNull();
  });
});

/** The test seed with passwords for the people who sign in to the portal. */
function portalSeed() {
  const seed = testSeed();
  Object.assign(seed.workspaces[0]!.users[0]!, { password: 'ada-password-1' });
  return seed;
}

/** The signed file URLs in a text (Markdown), `&amp;` read as `&`. */
const signedUrls = (text: string) =>
  [...text.matchAll(/(?:https?:\/\/[^\s/"()]+)?\/files\/[^\s"]*?sig=[\w-]+/g)].map((m) => m[0].replace(/&amp;/g, '&'));

describe.each(storeKinds())('uploaded files in the portal and in pages as Markdown (%s)', (kind: StoreKind) => {
  let t: TestPlatform;
  let ada: PortalVisitor;
  beforeAll(async () => {
    t = await startTestPlatform(kind, portalSeed());
    ada = await new PortalVisitor(t.baseUrl).signIn('ada@example.com', 'ada-password-1');
  });
  afterAll(async () => t?.close());

  it('answers signed URLs that download the bytes, never the stored placeholder', async () => {
    const notion = new ClientV5({ auth: TOKENS.full, baseUrl: t.baseUrl, logLevel: LogLevelV5.ERROR, retry: false });
    const send = async (data: Buffer, filename: string) => {
      const created = await notion.fileUploads.create({ filename });
      return notion.fileUploads.send({ file_upload_id: created.id, file: { filename, data: blob(data) } });
    };
    const picture = bytes(5000, 21);
    const document = bytes(700, 22);
    const image = await send(picture, 'pic (1).png');
    const file = await send(document, 'report.pdf');
    const icon = await send(bytes(90, 23), 'icon.png');
    const page = await notion.pages.create({
      parent: { page_id: IDS.sharedRoot },
      icon: { type: 'file_upload', file_upload: { id: icon.id } },
      properties: { title: { title: [{ text: { content: 'Pictures' } }] } },
      children: [
        { type: 'image', image: { type: 'file_upload', file_upload: { id: image.id } } },
        { type: 'file', file: { type: 'file_upload', file_upload: { id: file.id } } },
      ],
    });

    // The portal's page: blocks and icon carry URLs on the host the portal was called on.
    const shown = await ada.call<{ icon: FileObject; blocks: { id: string; content: FileObject }[] }>(
      'GET',
      `/portal/api/pages/${page.id}`,
    );
    expect(shown.status).toBe(200);
    expect(JSON.stringify(shown.body)).not.toContain('notion-local-file');
    const [imageBlock, fileBlock] = shown.body.blocks;
    expect(imageBlock!.content.file.url.startsWith(`${t.baseUrl}/files/${image.id}/pic%20(1).png?expires=`)).toBe(true);
    expect(Date.parse(imageBlock!.content.file.expiry_time)).toBeGreaterThan(Date.now() + 59 * 60 * 1000);
    expect((await download(imageBlock!.content.file.url)).body.equals(picture)).toBe(true);
    expect((await download(fileBlock!.content.file.url)).body.equals(document)).toBe(true);
    expect((await download(shown.body.icon.file.url)).body.equals(bytes(90, 23))).toBe(true);

    // GET /v1/pages/{id}/markdown: the image and the file by signed URLs.
    const read = await t.raw(`/v1/pages/${page.id}/markdown`, { version: '2025-09-03' });
    expect(read.status).toBe(200);
    const markdown = read.body.markdown as string;
    expect(markdown).not.toContain('notion-local-file');
    const [imageUrl, fileUrl] = signedUrls(markdown);
    expect(markdown).toContain(`![](${imageUrl})`);
    expect(imageUrl!.startsWith(`${t.baseUrl}/files/${image.id}/`)).toBe(true);
    expect((await download(imageUrl!)).body.equals(picture)).toBe(true);
    expect((await download(fileUrl!)).body.equals(document)).toBe(true);

    // The portal's Markdown tab: the same, root-relative (read on the platform's own host).
    const tab = await ada.call<{ markdown: string }>('GET', `/portal/api/pages/${page.id}/markdown`);
    const [relative] = signedUrls(tab.body.markdown);
    expect(relative!.startsWith(`/files/${image.id}/`)).toBe(true);
    expect((await download(`${t.baseUrl}${relative}`)).body.equals(picture)).toBe(true);

    // Markdown sent back as it was read keeps the uploaded blocks (their URLs are not written as external ones).
    const before = await notion.blocks.children.list({ block_id: page.id });
    const edited = await t.raw(`/v1/pages/${page.id}/markdown`, {
      method: 'PATCH',
      version: '2025-09-03',
      body: { type: 'replace_content', replace_content: { new_str: `${markdown}\nAfter.` } },
    });
    expect(edited.status).toBe(200);
    const after = await notion.blocks.children.list({ block_id: page.id });
    expect(after.results.slice(0, 2).map((b) => b.id)).toEqual(before.results.map((b) => b.id));
    expect(after.results).toHaveLength(3);
  });
});

describe.each(storeKinds())('file upload expiry (%s)', (kind: StoreKind) => {
  let platform: Platform;
  let notion: ClientV5;
  const clock = new ManualClock(Date.now());
  const schema = kind === 'postgres' ? newSchemaName() : null;
  beforeAll(async () => {
    platform = await startPlatform({
      store: kind === 'postgres' ? { kind: 'postgres', url: POSTGRES_URL, schema: schema! } : { kind: 'memory' },
      port: 0,
      seed: testSeed(),
      config: TEST_CONFIG,
      clock,
    });
    notion = new ClientV5({ auth: TOKENS.full, baseUrl: platform.url, logLevel: LogLevelV5.ERROR, retry: false });
  });
  afterAll(async () => {
    await platform?.close();
    if (schema) await dropPostgresSchema(POSTGRES_URL, schema);
  });

  it('expires unattached uploads after an hour, and file URLs an hour after they were answered', async () => {
    const pending = await notion.fileUploads.create({ filename: 'late.txt' });
    const kept = await notion.fileUploads.create({ filename: 'kept.txt' });
    await notion.fileUploads.send({ file_upload_id: kept.id, file: { data: new Blob(['kept']) } });
    await notion.pages.update({ page_id: IDS.sharedRoot, icon: { type: 'file_upload', file_upload: { id: kept.id } } });
    // The SDK types the answer as a union of partial and full objects; the test reads the full shape.
    const page = (await notion.pages.retrieve({ page_id: IDS.sharedRoot })) as unknown as { icon: FileObject };
    expect(Date.parse(page.icon.file.expiry_time)).toBe(clock.now().getTime() + 60 * 60 * 1000);
    clock.advance(60 * 60 * 1000 + 1);
    expect((await notion.fileUploads.retrieve({ file_upload_id: pending.id })).status).toBe('expired');
    expect((await notion.fileUploads.retrieve({ file_upload_id: kept.id })).status).toBe('uploaded');
    expect((await notion.fileUploads.list({ status: 'expired' })).results.map((u) => u.id)).toEqual([pending.id]);
    const late = await fetch(page.icon.file.url);
    expect(late.status).toBe(403);
    expect(((await late.json()) as { message: string }).message).toBe(
      'This file URL has expired. Retrieve the object that holds the file again for a new URL.',
    );
    // A fresh read signs a fresh URL, and the attached file is still there.
    // The SDK types the answer as a union of partial and full objects; the test reads the full shape.
    const again = (await notion.pages.retrieve({ page_id: IDS.sharedRoot })) as unknown as { icon: FileObject };
    expect(await (await fetch(again.icon.file.url)).text()).toBe('kept');
    expect(
      await failure(notion.fileUploads.send({ file_upload_id: pending.id, file: { data: new Blob(['x']) } })),
    ).toEqual({
      status: 400,
      code: 'validation_error',
      message: 'File upload has status `expired`: only a pending upload accepts content or completion.',
    });
  });
});

describe.each(storeKinds())('a free-plan workspace (%s)', (kind: StoreKind) => {
  let t: TestPlatform;
  beforeAll(async () => {
    const seed = JSON.parse(JSON.stringify(testSeed())) as { workspaces: Record<string, unknown>[] };
    seed.workspaces[0]!.limits = { max_file_upload_size_in_bytes: 5 * MIB };
    t = await startTestPlatform(kind, seed);
  });
  afterAll(async () => t?.close());

  it('reports its 5 MiB limit in users/me and refuses a file one byte larger', async () => {
    const notion = new ClientV5({ auth: TOKENS.full, baseUrl: t.baseUrl, logLevel: LogLevelV5.ERROR, retry: false });
    const me = (await notion.users.me({})) as { bot: { workspace_limits: unknown } };
    expect(me.bot.workspace_limits).toEqual({ max_file_upload_size_in_bytes: 5 * MIB });
    const other = new ClientV5({ auth: TOKENS.otherBot, baseUrl: t.baseUrl, logLevel: LogLevelV5.ERROR });
    const paid = (await other.users.me({})) as { bot: { workspace_limits: unknown } };
    expect(paid.bot.workspace_limits).toEqual({ max_file_upload_size_in_bytes: 5 * 1024 * MIB });
    const ok = await notion.fileUploads.create({ filename: 'five.bin' });
    const sent = await notion.fileUploads.send({ file_upload_id: ok.id, file: { data: blob(bytes(5 * MIB, 2)) } });
    expect(sent.status).toBe('uploaded');
    const big = await notion.fileUploads.create({ filename: 'six.bin' });
    expect(
      await failure(notion.fileUploads.send({ file_upload_id: big.id, file: { data: blob(bytes(5 * MIB + 1, 3)) } })),
    ).toEqual({
      status: 400,
      code: 'validation_error',
      message: `The file is larger than the ${5 * MIB} bytes allowed for this upload.`,
    });
  });
});
