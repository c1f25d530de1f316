// Capabilities, as pure data and functions: what an integration may call and what it may see of users.
// Mirrors developers.notion.com/reference/capabilities (reference §3).

export const CONTENT_CAPABILITIES = ['read_content', 'update_content', 'insert_content'] as const;
export const COMMENT_CAPABILITIES = ['read_comments', 'insert_comments'] as const;
export const USER_CAPABILITIES = ['read_user_without_email', 'read_user_with_email'] as const;
export const ALL_CAPABILITIES = [...CONTENT_CAPABILITIES, ...COMMENT_CAPABILITIES, ...USER_CAPABILITIES] as const;

export type Capability = (typeof ALL_CAPABILITIES)[number];

/** What a route needs: one capability, any user-information level, or nothing beyond a valid token. */
export type Requirement = Capability | 'user_information' | 'none';

export type UserVisibility = 'none' | 'without_email' | 'with_email';

export function isCapability(value: string): value is Capability {
  return (ALL_CAPABILITIES as readonly string[]).includes(value);
}

export function userVisibility(caps: ReadonlySet<Capability>): UserVisibility {
  if (caps.has('read_user_with_email')) return 'with_email';
  if (caps.has('read_user_without_email')) return 'without_email';
  return 'none';
}

export function satisfies(caps: ReadonlySet<Capability>, requirement: Requirement): boolean {
  if (requirement === 'none') return true;
  if (requirement === 'user_information') return userVisibility(caps) !== 'none';
  return caps.has(requirement);
}
