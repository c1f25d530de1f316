// The Notion SDK a test talks through is the caller's own `@notionhq/client` (v4 or v5), never one shipped
// with notion-local: it is looked up from the working directory (the project running its tests), or given.
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** What a `Client` class of @notionhq/client is, for any version: `new Client({ auth, baseUrl, … })`. */
export type NotionClientClass<C = unknown> = new (options: Record<string, unknown>) => C;

let found: NotionClientClass | undefined;

/** `@notionhq/client`'s Client as the project in the working directory resolves it (loaded once). */
export function callerClientClass(): NotionClientClass {
  if (found) return found;
  const requireFromProject = createRequire(join(process.cwd(), 'package.json'));
  let sdk: { Client?: NotionClientClass };
  try {
    sdk = requireFromProject('@notionhq/client') as { Client?: NotionClientClass };
  } catch (error) {
    throw new Error(
      `notion-local/testing: cannot load @notionhq/client from ${process.cwd()} ` +
        `(${(error as Error).message.split('\n')[0]}); install it (v4 or v5) or pass { Client } to client().`,
    );
  }
  if (typeof sdk.Client !== 'function') throw new Error('notion-local/testing: @notionhq/client exports no Client');
  found = sdk.Client;
  return found;
}
