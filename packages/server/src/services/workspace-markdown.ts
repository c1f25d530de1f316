// A page's content as enhanced Markdown, as a person of the workspace reads it (the portal). A member sees
// every page of their workspace (sharing limits integrations, not members: reference §4), so the page is read
// through the API's own read path (services/page-markdown.ts retrievePageMarkdown) by a reader whose one
// shared root is the page itself: the same loading, truncation and renderer, so the Markdown is exactly what
// `GET /v1/pages/{id}/markdown` answers an integration that can see the page. Reads only.
import { DEFAULT_VERSION } from '../api-version.js';
import type { Principal } from '../auth/access.js';
import type { Clock } from '../clock.js';
import type { ChangeFeed } from './changes.js';
import { retrievePageMarkdown } from './page-markdown.js';
import { readWorkspacePage } from './workspace-pages.js';
import type { Store } from '../store/sql-store.js';

/** What `GET /v1/pages/{id}/markdown` answers (reference §17.2), less `object`. */
export interface WorkspacePageMarkdown {
  id: string;
  markdown: string;
  truncated: boolean;
  unknown_block_ids: string[];
}

export interface WorkspaceReadDeps {
  store: Store;
  clock: Clock;
  changes: ChangeFeed;
}

/** Why the Markdown of an object was not read: no such page of the workspace, or it is not a page. */
export type WorkspaceMarkdownRefusal = 'not_found' | 'not_a_page';

/** A reader of one page of the workspace and what is below it, for the API's read path; it writes nothing. */
function memberReader(workspaceId: string, pageId: string): Principal {
  return {
    integrationId: '',
    integrationName: '',
    workspaceId,
    workspaceName: '',
    ownerUserId: null,
    capabilities: new Set(['read_content']),
    sharedRootIds: new Set([pageId]),
  };
}

/** The Markdown of a page of the workspace (live or in the trash), or why not. */
export async function readWorkspacePageMarkdown(
  deps: WorkspaceReadDeps,
  workspaceId: string,
  id: string,
): Promise<WorkspacePageMarkdown | WorkspaceMarkdownRefusal> {
  const row = await readWorkspacePage(deps.store, workspaceId, id);
  if (!row) return 'not_found';
  if (row.object !== 'page') return 'not_a_page';
  const ctx = {
    store: deps.store,
    clock: deps.clock,
    changes: deps.changes,
    principal: memberReader(workspaceId, row.id),
    version: DEFAULT_VERSION,
  };
  const answer = (await retrievePageMarkdown(ctx, row.id, {})) as WorkspacePageMarkdown & { object: string };
  return {
    id: answer.id,
    markdown: answer.markdown,
    truncated: answer.truncated,
    unknown_block_ids: answer.unknown_block_ids,
  };
}
