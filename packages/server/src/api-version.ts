// The Notion-Version of a request, resolved once at the edge (http/app.ts) and passed to services and
// serializers in the ServiceContext. Versions before 2022-06-28 keep the 2022-06-28 behaviour.

export const ACCEPTED_VERSIONS = [
  '2021-05-11',
  '2021-05-13',
  '2021-08-16',
  '2022-02-22',
  '2022-06-28',
  '2025-09-03',
  '2026-03-11',
] as const;

export type ApiVersion = (typeof ACCEPTED_VERSIONS)[number];

export function isApiVersion(value: string): value is ApiVersion {
  return (ACCEPTED_VERSIONS as readonly string[]).includes(value);
}

/** Databases are containers of data sources (reference §1.3): 2025-09-03 and later. */
export const hasDataSources = (version: ApiVersion): boolean => version >= '2025-09-03';

/** 2026-03-11 (reference §11.5): `position` replaces `after` on append; `archived` in requests is rejected. */
export const is2026 = (version: ApiVersion): boolean => version >= '2026-03-11';

/** The version the toolkit, the portal and the seed use when they call services directly. */
export const DEFAULT_VERSION: ApiVersion = '2022-06-28';
