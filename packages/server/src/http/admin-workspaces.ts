// `POST /__admin/workspaces`: one workspace in the seed format (design.md "Seed file") becomes a new workspace
// beside the others, through the one write path of seeds (validate and resolve in seed/, write in
// services/workspaces.ts applySeed, in one transaction). Ids and tokens the seed leaves out are generated, so
// the same seed applied twice gives two workspaces that share nothing: what a test suite asks for per test.
// The answer names what the caller needs and cannot read back later: every integration's token.
import { ApiError, errors } from '../errors.js';
import { resolveWorkspace, SeedError, validateSeed, type ResolvedPage } from '../seed/seed-loader.js';
import type { SeedWorkspace } from '../seed/seed-schema.js';
import type { ChangeFeed } from '../services/changes.js';
import { applySeed } from '../services/workspaces.js';
import type { Store } from '../store/sql-store.js';

export interface CreatedWorkspace {
  object: 'workspace';
  id: string;
  name: string;
  /** Integration name → its token (as the seed wrote it, or generated). */
  tokens: Record<string, string>;
  /** Integration name → its id (the bot user's id). */
  integrations: Record<string, string>;
  /** User name → id. */
  users: Record<string, string>;
  /** Page title → id, pages in seed order (a title used twice names its first page). */
  ids: Record<string, string>;
}

/** Title → id of every page of a resolved tree, depth first in seed order; the first page of a title wins. */
function pageIds(pages: readonly ResolvedPage[], into: Record<string, string> = {}): Record<string, string> {
  for (const page of pages) {
    if (!(page.title in into)) into[page.title] = page.id;
    pageIds(page.children, into);
  }
  return into;
}

/** The seed's own message, as the admin API's validation error (the seed file's paths say `workspace`). */
function seedProblem(error: unknown): ApiError | null {
  if (error instanceof SeedError) return errors.validation(error.message.replace(/\bseed\.workspaces\[0\]/g, 'body'));
  if (error instanceof ApiError) return errors.validation(`body failed validation: ${error.message}`);
  if ((error as { code?: string }).code === '23505')
    return errors.validation(
      'body failed validation: an id or token of this workspace is already used in the store; leave ids and tokens out to have them generated.',
    );
  return null;
}

/** Validates one seed workspace, writes it as a new workspace and says its ids and tokens. */
export async function createSeedWorkspace(
  deps: { store: Store; changes: ChangeFeed },
  input: unknown,
  now: Date,
): Promise<CreatedWorkspace> {
  try {
    const [ws] = validateSeed({ workspaces: [input] }).workspaces as [SeedWorkspace];
    const { resolved, issued } = await resolveWorkspace(ws);
    await applySeed(deps, [resolved], now);
    const given = new Map((ws.integrations ?? []).map((i) => [i.name, i.token]));
    const tokens: Record<string, string> = {};
    for (const integration of resolved.integrations) {
      const token = given.get(integration.name) ?? issued.find((t) => t.integrationId === integration.id)?.token;
      if (token) tokens[integration.name] = token;
    }
    return {
      object: 'workspace',
      id: resolved.id,
      name: resolved.name,
      tokens,
      integrations: Object.fromEntries(resolved.integrations.map((i) => [i.name, i.id])),
      users: Object.fromEntries(resolved.users.map((u) => [u.name, u.id])),
      ids: pageIds(resolved.pages),
    };
  } catch (error) {
    throw seedProblem(error) ?? error;
  }
}
