// What every toolkit command shares: the common flags (--base-url, --token/NOTION_TOKEN, --json,
// --rate, --budget-url, --notion-version), the SDK client (v4 or v5, by version) with the paced retrying
// fetch, colours only on a terminal, and turning API errors into one line with an exit code and a hint.
import type { Command } from 'commander';
import { APIErrorCode, isNotionClientError as isNotionError } from '@notion-local/toolkit';
import {
  CollectionError,
  DEFAULT_BASE_URL,
  DEFAULT_NOTION_VERSION,
  NOTION_VERSIONS,
  ImportSetupError,
  PostgresBudgetStore,
  RecordFormatError,
  RedisBudgetStore,
  createToolkitClient,
  errorReason,
  isNotionVersion,
  type BudgetStore,
  type NotionClient,
  type NotionVersion,
  type ToolkitClient,
} from '@notion-local/toolkit';
import { CliError } from '../cli-error.js';
import { EXIT_CODES_HELP, TOOLKIT_EXIT } from './exit-codes.js';

export interface CommonFlags {
  baseUrl: string;
  token?: string;
  json?: boolean;
  rate: string;
  burst?: string;
  budgetUrl?: string;
  notionVersion: string;
}

/** What the entry point read from the environment (only main.ts touches process.env). */
export interface ToolkitEnv {
  readonly token: string | undefined;
  readonly noColor: boolean;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}

export function addCommonOptions(command: Command): Command {
  return command
    .option('--base-url <url>', 'API base URL, without /v1', DEFAULT_BASE_URL)
    .option('--token <token>', 'integration token (default: $NOTION_TOKEN)')
    .option('--json', 'print exactly one JSON document on stdout')
    .option('--rate <n>', 'requests per second (Notion averages 3; 0 = no pacing)', '3')
    .option(
      '--burst <n>',
      "requests that may go back to back before pacing starts (default: one second's worth; 1 against a per-minute window)",
    )
    .option(
      '--budget-url <url>',
      'share the rate budget with other processes: postgres://…[?schema=S] or redis://…[?prefix=P]',
    )
    .option(
      '--notion-version <version>',
      `${NOTION_VERSIONS.join(' or ')}; under 2025-09-03 --database takes a database (with one data source) or a data source id`,
      DEFAULT_NOTION_VERSION,
    )
    .addHelpText('after', EXIT_CODES_HELP);
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function parseRate(raw: string): number {
  const rate = Number(raw);
  if (!Number.isFinite(rate) || rate < 0)
    throw new CliError(`--rate expects a number ≥ 0 (requests per second), got "${raw}"`, TOOLKIT_EXIT.usage);
  return rate;
}

export function resolveToken(flags: CommonFlags, env: ToolkitEnv): string {
  const token = flags.token ?? env.token;
  if (!token)
    throw new CliError("no token: set NOTION_TOKEN or pass --token (the integration's secret)", TOOLKIT_EXIT.auth);
  return token.trim();
}

export function parseNotionVersion(raw: string): NotionVersion {
  if (!isNotionVersion(raw))
    throw new CliError(`--notion-version must be ${NOTION_VERSIONS.join(' or ')}, got "${raw}"`, TOOLKIT_EXIT.usage);
  return raw;
}

export function parseBurst(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const burst = Number(raw);
  if (!Number.isInteger(burst) || burst < 1)
    throw new CliError(`--burst expects a whole number ≥ 1, got "${raw}"`, TOOLKIT_EXIT.usage);
  return burst;
}

/** Takes `name` out of a URL's query (the store's own option, not the driver's). */
function takeParam(url: string, name: string): { url: string; value: string | null } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`--budget-url is not a URL: "${url}"`, TOOLKIT_EXIT.usage);
  }
  const value = parsed.searchParams.get(name);
  parsed.searchParams.delete(name);
  return { url: parsed.toString(), value };
}

export function budgetStoreFor(url: string | undefined): BudgetStore | undefined {
  if (!url) return undefined;
  if (/^postgres(ql)?:\/\//.test(url)) {
    const { url: connectionString, value: schema } = takeParam(url, 'schema');
    return new PostgresBudgetStore({ connectionString, ...(schema ? { schema } : {}) });
  }
  if (/^rediss?:\/\//.test(url)) {
    const { url: redisUrl, value: keyPrefix } = takeParam(url, 'prefix');
    return new RedisBudgetStore({ url: redisUrl, ...(keyPrefix ? { keyPrefix } : {}) });
  }
  throw new CliError(`--budget-url must start with postgres:// or redis://, got "${url}"`, TOOLKIT_EXIT.usage);
}

export interface Session {
  readonly toolkit: ToolkitClient<NotionClient>;
  close(): Promise<void>;
}

export function openSession(flags: CommonFlags, env: ToolkitEnv): Session {
  const token = resolveToken(flags, env);
  const requestsPerSecond = parseRate(flags.rate);
  const burst = parseBurst(flags.burst);
  const notionVersion = parseNotionVersion(flags.notionVersion);
  const budgetStore = budgetStoreFor(flags.budgetUrl);
  const toolkit = createToolkitClient({
    token,
    baseUrl: flags.baseUrl,
    notionVersion,
    requestsPerSecond,
    ...(burst !== undefined ? { burst } : {}),
    ...(budgetStore ? { budgetStore } : {}),
  });
  return { toolkit, close: async () => budgetStore?.close() };
}

const COLORS = { red: 31, green: 32, yellow: 33, gray: 90, bold: 1 } as const;

/** Colours only on a terminal, and never with NO_COLOR set. */
export function painter(
  stream: NodeJS.WriteStream,
  env: ToolkitEnv,
): (color: keyof typeof COLORS, text: string) => string {
  const enabled = Boolean(stream.isTTY) && !env.noColor;
  return (color, text) => (enabled ? `\u001b[${COLORS[color]}m${text}\u001b[0m` : text);
}

const printedJson = new WeakSet<ToolkitEnv>();

export function printJson(env: ToolkitEnv, value: unknown): void {
  printedJson.add(env);
  env.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Runs a toolkit command so that `--json` always yields exactly one JSON document on stdout: a
 * command that fails before printing its own prints `{"error": {"message", "exit_code"}}`.
 */
export async function runToolkitCommand(
  flags: { json?: boolean; baseUrl: string },
  env: ToolkitEnv,
  command: () => Promise<void>,
): Promise<void> {
  try {
    await command();
  } catch (error) {
    const failure = toCliError(error, flags.baseUrl);
    if (flags.json && !printedJson.has(env))
      printJson(env, { error: { message: failure.message, exit_code: failure.exitCode } });
    throw failure;
  }
}

/** One line and an exit code for anything a toolkit command can fail with. */
export function toCliError(error: unknown, baseUrl: string): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof ImportSetupError || error instanceof RecordFormatError || error instanceof CollectionError)
    return new CliError(error.message, TOOLKIT_EXIT.usage);
  if (isNotionError(error)) {
    const status = (error as { status?: number }).status;
    if (error.code === APIErrorCode.Unauthorized) {
      return new CliError(
        `the token is invalid, or it was refreshed after you copied it — copy the current secret from the integration's settings (on notion-local: the portal at ${baseUrl}/); run \`notion-local doctor\` for details`,
        TOOLKIT_EXIT.auth,
      );
    }
    if (error.code === APIErrorCode.ObjectNotFound) {
      return new CliError(
        `${error.message} Share it with the integration: in Notion, ••• → Connections → add the integration.`,
        TOOLKIT_EXIT.access,
      );
    }
    if (error.code === APIErrorCode.RestrictedResource) {
      return new CliError(
        `${error.message} Turn on the missing capability in the integration's settings; \`notion-local doctor\` lists them.`,
        TOOLKIT_EXIT.access,
      );
    }
    if (error.code === APIErrorCode.InvalidRequestURL)
      return new CliError(`${baseUrl} does not serve this endpoint (400 invalid_request_url)`, TOOLKIT_EXIT.failure);
    return new CliError(`${status ? `${status} ` : ''}${errorReason(error)}`, TOOLKIT_EXIT.failure);
  }
  const code = (error as { cause?: { code?: string }; code?: string }).cause?.code ?? (error as { code?: string }).code;
  if (code === 'ENOENT') return new CliError((error as Error).message, TOOLKIT_EXIT.usage);
  if (code && /^(ECONN|ENOTFOUND|EAI_|UND_ERR)/.test(code))
    return new CliError(`cannot reach ${baseUrl} (${code}); check --base-url`, TOOLKIT_EXIT.failure);
  return new CliError(error instanceof Error ? error.message : String(error), TOOLKIT_EXIT.failure);
}
