// The one function that writes Notion's error shape (reference §5.1):
//   {object:"error", status, code, message, [additional_data], request_id}
// Key order is Notion's. Every error response also carries x-notion-request-id.
import type { FastifyReply } from 'fastify';
import { ApiError, ERROR_STATUS, MESSAGES } from '../errors.js';

export interface ErrorBody {
  object: 'error';
  status: number;
  code: string;
  message: string;
  additional_data?: Record<string, string | string[]>;
  request_id: string;
}

export function errorBody(error: ApiError, requestId: string): ErrorBody {
  return {
    object: 'error',
    status: error.status,
    code: error.code,
    message: error.message,
    ...(error.additionalData ? { additional_data: error.additionalData } : {}),
    request_id: requestId,
  };
}

/** Maps anything thrown below the edge to an ApiError; unexpected errors become 500 and are logged by the caller. */
export function toApiError(error: unknown): { apiError: ApiError; unexpected: boolean } {
  if (error instanceof ApiError) return { apiError: error, unexpected: false };
  const code = (error as { code?: string } | null)?.code;
  switch (code) {
    // PostgreSQL: a lock not granted in time, or a serialization failure/deadlock that outlived its retries.
    case '55P03':
    case '40001':
    case '40P01':
      return { apiError: new ApiError('conflict_error', MESSAGES.conflict), unexpected: false };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { apiError: new ApiError('validation_error', MESSAGES.bodyTooLarge), unexpected: false };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { apiError: new ApiError('invalid_json', MESSAGES.invalidJson), unexpected: false };
    default: {
      const status = (error as { statusCode?: number } | null)?.statusCode;
      if (typeof status === 'number' && status >= 400 && status < 500) {
        return {
          apiError: new ApiError('invalid_request', `Unsupported request: ${(error as Error).message}.`),
          unexpected: false,
        };
      }
      return { apiError: new ApiError('internal_server_error', MESSAGES.internal), unexpected: true };
    }
  }
}

/**
 * A 404 `object_not_found` of the Notion API names the calling integration (its bot id) in `additional_data`,
 * as Notion's do (reference §4, §5.1); the message stays as it was. Other errors are unchanged.
 */
export function withIntegrationId(error: ApiError, integrationId: string | null | undefined): ApiError {
  if (!integrationId || error.code !== 'object_not_found' || error.additionalData) return error;
  return new ApiError(error.code, error.message, { integration_id: integrationId }, error.headers);
}

/** Sends `error` in Notion's shape; `integrationId` (the caller of a /v1 request, when known) goes into 404s. */
export function sendError(
  reply: FastifyReply,
  error: ApiError,
  requestId: string,
  integrationId?: string | null,
): FastifyReply {
  if (ERROR_STATUS[error.code] !== error.status) throw new Error(`status mismatch for ${error.code}`);
  for (const [name, value] of Object.entries(error.headers ?? {})) void reply.header(name, value);
  return reply
    .code(error.status)
    .header('x-notion-request-id', requestId)
    .header('content-type', 'application/json; charset=utf-8')
    .send(JSON.stringify(errorBody(withIntegrationId(error, integrationId), requestId)));
}
