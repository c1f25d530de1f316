// A page as Markdown in the portal: `GET /pages/:id/markdown` answers the page's content as enhanced Markdown,
// exactly as `GET /v1/pages/{id}/markdown` renders it for an integration that can see the page (the same
// service renders both: services/workspace-markdown.ts). A person of the workspace reads every page of it;
// no sharing check. Read-only: Markdown edits go through the API (PATCH /v1/pages/{id}/markdown).
import { readWorkspacePageMarkdown } from '../services/workspace-markdown.js';
import { pathId, type PortalContext, type PortalRoute } from './portal-context.js';
import { portalErrors } from './portal-http.js';
import type { PortalPageMarkdown } from './portal-types.js';

async function getMarkdown(ctx: PortalContext): Promise<PortalPageMarkdown> {
  const id = pathId(ctx, 'id', 'This page');
  const answer = await readWorkspacePageMarkdown(ctx, ctx.session.workspace.id, id);
  if (answer === 'not_found') throw portalErrors.notFound('This page');
  if (answer === 'not_a_page')
    throw portalErrors.invalid('Only pages have Markdown; a database shows its data sources and views instead.');
  return answer;
}

export const MARKDOWN_ROUTES: readonly PortalRoute[] = [
  { method: 'GET', path: '/pages/:id/markdown', handle: getMarkdown },
];
