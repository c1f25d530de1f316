// The capability form as data: groups, labels and help, in the order Notion's integration settings use.
import type { PortalCapability } from '@notion-local/server';

export const CONTENT_CAPS: { cap: PortalCapability; label: string }[] = [
  { cap: 'read_content', label: 'Read content' },
  { cap: 'update_content', label: 'Update content' },
  { cap: 'insert_content', label: 'Insert content' },
];

export const COMMENT_CAPS: { cap: PortalCapability; label: string }[] = [
  { cap: 'read_comments', label: 'Read comments' },
  { cap: 'insert_comments', label: 'Insert comments' },
];

export type UserLevel = 'none' | 'read_user_without_email' | 'read_user_with_email';

export const USER_LEVELS: { level: UserLevel; label: string }[] = [
  { level: 'none', label: 'No user information' },
  { level: 'read_user_without_email', label: 'Read user information without email addresses' },
  { level: 'read_user_with_email', label: 'Read user information including email addresses' },
];

export function userLevel(caps: readonly PortalCapability[]): UserLevel {
  if (caps.includes('read_user_with_email')) return 'read_user_with_email';
  if (caps.includes('read_user_without_email')) return 'read_user_without_email';
  return 'none';
}

/** Replaces the user-information level in a capability list (at most one level is allowed). */
export function withUserLevel(caps: readonly PortalCapability[], level: UserLevel): PortalCapability[] {
  const rest = caps.filter((c) => c !== 'read_user_with_email' && c !== 'read_user_without_email');
  return level === 'none' ? rest : [...rest, level];
}

export function toggle(caps: readonly PortalCapability[], cap: PortalCapability, on: boolean): PortalCapability[] {
  const rest = caps.filter((c) => c !== cap);
  return on ? [...rest, cap] : rest;
}

export function sameCaps(a: readonly PortalCapability[], b: readonly PortalCapability[]): boolean {
  return a.length === b.length && a.every((c) => b.includes(c));
}

const SHORT: Record<PortalCapability, string> = {
  read_content: 'read',
  update_content: 'update',
  insert_content: 'insert',
  read_comments: 'read comments',
  insert_comments: 'insert comments',
  read_user_without_email: 'users',
  read_user_with_email: 'users + email',
};

/** Short names for the list view, in the form's order. */
export function chipLabels(caps: readonly PortalCapability[]): string[] {
  const order: PortalCapability[] = [...CONTENT_CAPS, ...COMMENT_CAPS]
    .map((c) => c.cap)
    .concat(['read_user_without_email', 'read_user_with_email']);
  return order.filter((c) => caps.includes(c)).map((c) => SHORT[c]);
}
