// What rich text mentions show (a user's name, a page's title and URL), as the writer may see them: an
// integration sees the pages shared with it; a person, or the platform, sees the whole workspace.
import type { Principal } from '../auth/access.js';
import { canSee } from '../auth/access.js';
import type { CustomEmojiLookup } from '../domain/block-types.js';
import type { FileUploadLookup } from '../domain/file-objects.js';
import type { MentionResolver } from '../domain/rich-text.js';
import { notionUrl } from '../domain/serialize.js';
import { undashed } from '../ids.js';
import type { BlockRow } from '../model/rows.js';
import { findBlock } from '../store/block-repo.js';
import type { SqlExecutor } from '../store/sql-store.js';
import { findUserName } from '../store/user-repo.js';
import { findCustomEmoji } from '../store/custom-emoji-repo.js';
import { fileUploadLookup } from './file-upload-lookup.js';

/** Mentions as an integration writes them: pages it cannot see show as untitled. */
export function mentionResolver(db: SqlExecutor, principal: Principal): MentionResolver {
  const sees = (row: BlockRow) => canSee(principal, { workspaceId: row.workspace_id, path: row.path });
  // An integration also attaches its own file uploads (domain/file-objects.ts).
  const withUploads: Resolver & { fileUpload: FileUploadLookup } = {
    ...resolver(db, principal.workspaceId, sees),
    fileUpload: fileUploadLookup(db, principal),
  };
  return withUploads;
}

/** Mentions as a person of the workspace (portal) or the platform (seed) writes them: any page of the workspace. */
export function workspaceMentionResolver(db: SqlExecutor, workspaceId: string): MentionResolver {
  return resolver(db, workspaceId, (row) => row.workspace_id === workspaceId);
}

/** Mentions, and the workspace's custom emojis for the icons of blocks (domain/block-types.ts blockIcon). */
type Resolver = MentionResolver & { customEmoji: CustomEmojiLookup };

function resolver(db: SqlExecutor, workspaceId: string, sees: (row: BlockRow) => boolean): Resolver {
  return {
    async customEmoji(id) {
      const row = await findCustomEmoji(db, workspaceId, id);
      return row ? { id: row.id, name: row.name, url: row.url } : null;
    },
    userName: (id) => findUserName(db, workspaceId, id),
    async pageInfo(id) {
      const row = await findBlock(db, id, 'none'); // title and url only: the flags are not needed
      if (!row || row.object === 'block' || !sees(row)) return null;
      return {
        title: row.title,
        url: row.object === 'database' ? `https://www.notion.so/${undashed(row.id)}` : notionUrl(row.id, row.title),
      };
    },
  };
}
