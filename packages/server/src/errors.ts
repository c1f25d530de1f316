// The error catalogue: every code we emit and its fixed messages. Codes come from the official SDK's
// APIErrorCode list plus the few Notion emits that the SDK does not know (missing_version, …).
// Domain code throws ApiError; exactly one function (http/error-writer.ts) puts it on the wire.
import { ACCEPTED_VERSIONS } from './api-version.js';

export { ACCEPTED_VERSIONS };

export const ERROR_STATUS = {
  invalid_json: 400,
  invalid_request_url: 400,
  invalid_request: 400,
  validation_error: 400,
  missing_version: 400,
  unauthorized: 401,
  restricted_resource: 403,
  object_not_found: 404,
  conflict_error: 409,
  rate_limited: 429,
  internal_server_error: 500,
  bad_gateway: 502,
  service_unavailable: 503,
  gateway_timeout: 504,
  service_overload: 529,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const MESSAGES = {
  invalidJson: 'Error parsing JSON body.',
  invalidRequestUrl: 'Invalid request URL.',
  unauthorized: 'API token is invalid.',
  restricted: 'Insufficient permissions for this endpoint.',
  conflict: 'Conflict occurred while saving. Please try again.',
  rateLimited: 'You have been rate limited. Please try again in a few minutes.',
  internal: 'Unexpected error occurred.',
  /** The 503 `service_unavailable`: fault injection, and a connection over the cap (`server.max_connections`). */
  unavailable: 'Notion is unavailable, please try again later.',
  missingVersion:
    'Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.',
  bodyTooLarge: 'Request body too large.',
  blockArchived: "Can't edit block that is archived. You must unarchive the block before editing.",
  pageArchived: "Can't update a page that is archived. You must unarchive the page before updating.",
  ancestorArchived:
    "Can't edit page on block with an archived ancestor. You must unarchive the ancestor before editing page.",
} as const;

export function invalidVersionMessage(value: string): string {
  const quoted = ACCEPTED_VERSIONS.map((v) => `"${v}"`);
  const list = `${quoted.slice(0, -1).join(', ')}, or ${quoted[quoted.length - 1]}`;
  return `Notion-Version header failed validation: Notion-Version header should be ${list}, instead was \`${JSON.stringify(value)}\`.`;
}

export type ObjectKind = 'page' | 'block' | 'database' | 'data_source' | 'user' | 'comment' | 'discussion';

export function notFoundMessage(kind: ObjectKind, id: string): string {
  return `Could not find ${kind} with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`;
}

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly additionalData?: Record<string, string | string[]>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = ERROR_STATUS[code];
  }
}

export const errors = {
  notFound: (kind: ObjectKind, id: string) => new ApiError('object_not_found', notFoundMessage(kind, id)),
  validation: (message: string) => new ApiError('validation_error', message),
  restricted: () => new ApiError('restricted_resource', MESSAGES.restricted),
  unauthorized: () => new ApiError('unauthorized', MESSAGES.unauthorized),
  invalidUrl: () => new ApiError('invalid_request_url', MESSAGES.invalidRequestUrl),
  invalidJson: () => new ApiError('invalid_json', MESSAGES.invalidJson),
  conflict: () => new ApiError('conflict_error', MESSAGES.conflict),
  /** A database with several data sources, asked for under a version before 2025-09-03 (reference §1.3). */
  multipleDataSources: (databaseId: string, dataSourceIds: readonly string[]) =>
    new ApiError('validation_error', 'Databases with multiple data sources are not supported in this API version.', {
      error_type: 'multiple_data_sources_for_database',
      database_id: databaseId,
      child_data_source_ids: [...dataSourceIds],
      minimum_api_version: '2025-09-03',
    }),
};
