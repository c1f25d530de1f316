// Errors of either SDK: v4 (2022-06-28) and v5 (2025-09-03) each recognise only their own error classes,
// which carry the same fields (code, status, message, body, headers) and the same code strings.
import { isNotionClientError as isV4Error, type NotionClientError } from '@notionhq/client';
import { isNotionClientError as isV5Error } from 'notion-client-v5';

/** An error of SDK v4 or v5 (typed as v4's: the fields are the same). */
export function isNotionClientError(error: unknown): error is NotionClientError {
  return isV4Error(error) || isV5Error(error);
}
