// The routes of comment edits and custom emojis (reference §19.1–§19.3); http/routes.ts adds them to the route table.
// Editing and deleting a comment need insert_comments (the capability that writes comments; §19.2 names it for
// DELETE, and PATCH is taken to need the same). Custom emojis need read_content (the reference names none ⚠).
import * as comments from '../services/comments.js';
import { listCustomEmojis } from '../services/custom-emojis.js';
import { param, type ApiRoute } from './route-types.js';

export const EXTRA_ROUTES: readonly ApiRoute[] = [
  {
    method: 'PATCH',
    path: '/v1/comments/:comment_id',
    requirement: 'insert_comments',
    handle: (c, r) => comments.updateComment(c, param(r, 'comment_id'), r.body),
  },
  {
    method: 'DELETE',
    path: '/v1/comments/:comment_id',
    requirement: 'insert_comments',
    handle: (c, r) => comments.deleteComment(c, param(r, 'comment_id')),
  },
  {
    method: 'GET',
    path: '/v1/custom_emojis',
    requirement: 'read_content',
    handle: (c, r) => listCustomEmojis(c, r.query),
  },
];
