// `notion-local clone`'s server half: a clone bundle (API objects read by the toolkit's crawl) becomes a local
// workspace in an empty store — pages, blocks, databases, data sources, rows with their values, comments and users
// with their ids, parents, timestamps and authors — plus the cloning integration as a local integration with the
// capabilities the crawl observed, a new token (returned once) and the same shared roots. One write transaction,
// through commitWrite, recorded as workspace.created; the caller then exports the store as a state file.
import { generateToken, hashToken, tokenHint } from '../auth/tokens.js';
import { newId } from '../ids.js';
import { insertRestoredRows, storeHoldsWorkspaces } from '../store/restore-repo.js';
import { commitWrite } from './changes.js';
import { restoreBlocks, type ApiObject, type CloneBundleInput, type RestoredBlock } from './restore-rows.js';
import type { WorkspaceWriteDeps } from './workspace-pages.js';

export type { CloneBundleInput } from './restore-rows.js';

export class RestoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreError';
  }
}

export interface RestoreResult {
  workspaceId: string;
  integrationId: string;
  /** the local integration's token: shown once, stored only as a hash */
  token: string;
  capabilities: string[];
  /** the pages and databases shared with the integration (those whose parent the clone does not hold) */
  sharedRoots: string[];
  counts: { pages: number; databases: number; data_sources: number; blocks: number; comments: number; users: number };
}

type Json = Record<string, unknown>;

/** What the token could do, as far as reading shows: content always; comments and users as the crawl found. */
function capabilitiesOf(bundle: CloneBundleInput): string[] {
  const caps = ['read_content', 'update_content', 'insert_content'];
  const commentsRefused = bundle.unreadable.some((u) => u.kind === 'comments');
  if (bundle.read_comments && !commentsRefused) caps.push('read_comments', 'insert_comments');
  if (bundle.read_users) {
    const emails = bundle.users.some((u) => typeof (u.person as Json | undefined)?.email === 'string');
    caps.push(emails ? 'read_user_with_email' : 'read_user_without_email');
  }
  return caps;
}

/** The workspace's users in users.list order (their creation times keep it), the cloning bot among them. */
function userRows(bundle: CloneBundleInput, workspaceId: string, now: Date): Json[] {
  const listed = bundle.users.some((u) => u.id === bundle.me.id) ? bundle.users : [...bundle.users, bundle.me];
  return listed.map((user, i) => ({
    id: user.id,
    workspace_id: workspaceId,
    type: user.type === 'bot' ? 'bot' : 'person',
    name: typeof user.name === 'string' ? user.name : '',
    email: ((user.person as Json | undefined)?.email as string | undefined) ?? null,
    avatar_url: typeof user.avatar_url === 'string' ? user.avatar_url : null,
    role: user.type === 'bot' ? null : 'member',
    created_time: new Date(now.getTime() - (listed.length - i) * 1000),
  }));
}

function commentRows(bundle: CloneBundleInput, workspaceId: string, blocks: ReadonlySet<string>): Json[] {
  const rows: Json[] = [];
  const seen = new Set<string>();
  for (const comment of bundle.comments) {
    const parent = (comment.parent ?? {}) as Json;
    const parentType = parent.type === 'block_id' ? 'block_id' : 'page_id';
    const parentId = String(parent[parentType]);
    if (!blocks.has(parentId) || seen.has(comment.id)) continue;
    seen.add(comment.id);
    rows.push({
      id: comment.id,
      workspace_id: workspaceId,
      discussion_id: comment.discussion_id,
      parent_type: parentType,
      parent_id: parentId,
      rich_text: comment.rich_text ?? [],
      created_by: (comment.created_by as ApiObject | undefined)?.id ?? bundle.me.id,
      created_time: new Date(String(comment.created_time)),
      last_edited_time: new Date(String(comment.last_edited_time ?? comment.created_time)),
    });
  }
  return rows;
}

/** Each data source's "Default view", as creating it through the API makes one. */
function viewRows(blocks: readonly RestoredBlock[]): Json[] {
  const perDatabase = new Map<string, number>();
  return blocks
    .filter((row) => row.object === 'data_source')
    .map((source) => {
      const position = (perDatabase.get(source.parent_id!) ?? 0) + 1;
      perDatabase.set(source.parent_id!, position);
      return {
        id: newId(),
        workspace_id: source.workspace_id,
        database_id: source.parent_id,
        data_source_id: source.id,
        position,
        name: 'Default view',
        type: 'table',
        configuration: { type: 'table' },
        created_time: source.created_time,
        created_by: source.created_by,
        last_edited_time: source.created_time,
        last_edited_by: source.created_by,
      };
    });
}

/** Restores a clone bundle into an empty store, in one transaction; returns the new token (shown once). */
export async function restoreClone(
  deps: WorkspaceWriteDeps,
  bundle: CloneBundleInput,
  now: Date,
): Promise<RestoreResult> {
  const bot = (bundle.me.bot ?? {}) as Json;
  const workspaceId = typeof bot.workspace_id === 'string' ? bot.workspace_id : newId();
  const workspaceName = typeof bot.workspace_name === 'string' ? bot.workspace_name : 'Cloned workspace';
  const integrationId = bundle.me.id;
  const token = generateToken();
  const capabilities = capabilitiesOf(bundle);
  const { rows: blocks, uniqueIds, roots } = restoreBlocks(bundle, workspaceId);
  const ids = new Set(blocks.map((row) => row.id));
  const comments = commentRows(bundle, workspaceId, ids);
  const users = userRows(bundle, workspaceId, now);
  return commitWrite(deps.store, deps.changes, async ({ tx, record }) => {
    if (await storeHoldsWorkspaces(tx))
      throw new RestoreError('the store already holds workspaces: restore into an empty one');
    await insertRestoredRows(tx, 'workspaces', [{ id: workspaceId, name: workspaceName, created_time: now }]);
    await insertRestoredRows(tx, 'users', users);
    await insertRestoredRows(tx, 'integrations', [
      { id: integrationId, workspace_id: workspaceId, owner_user_id: null, capabilities, created_time: now },
    ]);
    await insertRestoredRows(tx, 'tokens', [
      { token_hash: hashToken(token), integration_id: integrationId, token_hint: tokenHint(token), created_time: now },
    ]);
    await insertRestoredRows(tx, 'blocks', blocks);
    await insertRestoredRows(
      tx,
      'shares',
      roots.map((id) => ({ integration_id: integrationId, block_id: id })),
    );
    await insertRestoredRows(tx, 'comments', comments);
    const counters = [...uniqueIds].flatMap(([source, byProperty]) =>
      Object.entries(byProperty).map(([property, last]) => ({
        database_id: source,
        property_id: property,
        last_value: last,
      })),
    );
    await insertRestoredRows(
      tx,
      'unique_id_counters',
      counters.filter((c) => ids.has(c.database_id)),
    );
    await insertRestoredRows(tx, 'views', viewRows(blocks));
    record({
      kind: 'workspace.created',
      workspaceId,
      entity: { type: 'workspace', id: workspaceId },
      actor: { type: 'system' },
      at: now,
      details: { name: workspaceName, cloned: true },
    });
    const count = (object: string) => blocks.filter((row) => row.object === object).length;
    return {
      workspaceId,
      integrationId,
      token,
      capabilities,
      sharedRoots: roots,
      counts: {
        pages: count('page'),
        databases: count('database'),
        data_sources: count('data_source'),
        blocks: count('block'),
        comments: comments.length,
        users: users.length,
      },
    };
  });
}
