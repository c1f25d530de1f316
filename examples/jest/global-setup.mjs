// Starts notion-local once for the whole jest run; the workers find it through the environment.
import { startNotionLocal } from 'notion-local/testing';

export default async function globalSetup() {
  const nl = await startNotionLocal({ seed: null });
  Object.assign(process.env, nl.env); // NOTION_LOCAL_URL, NOTION_LOCAL_ADMIN_TOKEN
  globalThis.notionLocal = nl;
}
