// Notion ids as people paste them: dashed or not, or inside a Notion URL (`…/Title-<32 hex>`,
// `?p=<32 hex>`, `#<32 hex>`), like the SDK v5 helper `extractNotionId` (not in v4).
const DASHED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function dash(hex: string): string {
  const h = hex.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The dashed id in `input`, or null when it holds none. */
export function parseNotionId(input: string): string | null {
  const value = input.trim();
  if (DASHED.test(value)) return value.toLowerCase();
  if (/^[0-9a-f]{32}$/i.test(value)) return dash(value);
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  for (const param of ['p', 'page_id', 'database_id']) {
    const v = url.searchParams.get(param)?.replace(/-/g, '');
    if (v && /^[0-9a-f]{32}$/i.test(v)) return dash(v);
  }
  const hash = url.hash.replace(/^#(block-)?/, '').replace(/-/g, '');
  if (/^[0-9a-f]{32}$/i.test(hash)) return dash(hash);
  const segment = url.pathname.split('/').filter(Boolean).pop() ?? '';
  const plain = /([0-9a-f]{32})$/i.exec(segment);
  if (plain?.[1]) return dash(plain[1]);
  const dashed = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.exec(segment);
  return dashed?.[1] ? dashed[1].toLowerCase() : null;
}
