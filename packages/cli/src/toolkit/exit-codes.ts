// Exit codes of the toolkit commands (doctor, import, export, sync, query), documented in
// packages/toolkit/README.md and in every command's --help. 0–2 are the CLI's own (cli-error.ts).
import { EXIT } from '../cli-error.js';

export const TOOLKIT_EXIT = {
  ...EXIT,
  /** Some rows failed (import/sync); the rest were written. */
  partial: 3,
  /** No token, or the token was refused (401). */
  auth: 4,
  /** The page/database is not shared with the integration, or a capability is missing (404/403). */
  access: 5,
} as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  failure (a doctor check failed, a request failed, the server is unreachable or rate limited)
  2  bad usage (flags, unreadable or malformed input file)
  3  partial: some rows failed (import/sync); the summary lists them
  4  no token, or the token is invalid / was refreshed (401)
  5  not shared with the integration, or a capability is missing (404/403)`;
