// The serve configuration: flags plus the --config JSON file, validated into one frozen object.
// Only this module and main.ts look at argv/env.
import { readFileSync } from 'node:fs';
import {
  DEFAULT_SERVER_LIMITS,
  DEFAULT_SIGN_IN_THROTTLE,
  DEFAULT_WEBHOOKS,
  queryCursorLimitProblem,
  serverLimitsProblem,
  signInThrottleProblem,
  validateFaultRules,
  webhookSettingsProblem,
  type PlatformConfig,
  type ServerLimits,
  type SignInThrottleConfig,
  type StoreOptions,
  type WebhookSettings,
} from '@notion-local/server';
import { CliError, EXIT } from './cli-error.js';

export interface ServeFlags {
  port?: string;
  host?: string;
  dataDir?: string;
  inMemory?: boolean;
  databaseUrl?: string;
  seed?: string;
  config?: string;
  import?: string;
  exportOnExit?: string;
}

export interface ServeConfig {
  readonly port: number;
  readonly host: string;
  readonly store: StoreOptions;
  readonly seedPath: string | null;
  /** A state file to load into the empty store instead of a seed (`--import`). */
  readonly importPath: string | null;
  /** Where to write the state file when stopped (`--export-on-exit`). */
  readonly exportOnExit: string | null;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
  readonly platform: PlatformConfig;
}

/** Every key the config file may hold; anything else is refused by name. */
const CONFIG_SHAPE: Record<
  string,
  Record<string, 'boolean' | 'string' | 'number' | 'array'> | 'string' | 'number' | 'array'
> = {
  rate_limit: {
    enabled: 'boolean',
    mode: 'string',
    requests_per_minute: 'number',
    workspace_requests_per_minute: 'number',
    requests_per_second: 'number',
    burst: 'number',
  },
  request_log: { enabled: 'boolean', max_entries: 'number' },
  query_cursors: { max_per_integration: 'number' },
  server: {
    headers_timeout_ms: 'number',
    request_timeout_ms: 'number',
    keep_alive_timeout_ms: 'number',
    idle_timeout_ms: 'number',
    max_connections: 'number',
  },
  sign_in_throttle: {
    enabled: 'boolean',
    account_attempts: 'number',
    address_attempts: 'number',
    window_seconds: 'number',
  },
  webhooks: { aggregation_window_ms: 'number', retry_delays_ms: 'array', delivery_timeout_ms: 'number' },
  faults: 'array',
  allowed_hosts: 'array',
  fault_seed: 'number',
  admin_token: 'string',
  log_level: 'string',
};

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'silent'] as const;

export const DEFAULT_DATA_DIR = '.notion-local';

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(
      `cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      EXIT.usage,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError(`config file ${path} is not valid JSON: ${(error as Error).message}`, EXIT.usage);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new CliError(`config file ${path} must hold a JSON object`, EXIT.usage);
  const config = value as Record<string, unknown>;
  for (const [key, v] of Object.entries(config)) {
    const shape = CONFIG_SHAPE[key];
    if (!shape)
      throw new CliError(
        `config file ${path}: unknown key "${key}" (known keys: ${Object.keys(CONFIG_SHAPE).join(', ')})`,
        EXIT.usage,
      );
    if (shape === 'array') {
      if (!Array.isArray(v)) throw new CliError(`config file ${path}: "${key}" must be an array`, EXIT.usage);
      continue;
    }
    if (shape === 'string' || shape === 'number') {
      if (typeof v !== shape) throw new CliError(`config file ${path}: "${key}" must be a ${shape}`, EXIT.usage);
      continue;
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v))
      throw new CliError(`config file ${path}: "${key}" must be an object`, EXIT.usage);
    for (const [sub, sv] of Object.entries(v)) {
      const type = shape[sub];
      if (!type) throw new CliError(`config file ${path}: unknown key "${key}.${sub}"`, EXIT.usage);
      if (type === 'array' ? !Array.isArray(sv) : typeof sv !== type)
        throw new CliError(
          `config file ${path}: "${key}.${sub}" must be a${type === 'array' ? 'n' : ''} ${type}`,
          EXIT.usage,
        );
    }
  }
  return config;
}

/** The `allowed_hosts` key: host names served besides IP literals and localhost (DNS rebinding defence). */
function allowedHosts(file: Record<string, unknown>): string[] {
  const hosts = (file.allowed_hosts as unknown[] | undefined) ?? [];
  const bad = hosts.find((host) => typeof host !== 'string' || host === '');
  if (bad !== undefined)
    throw new CliError(
      `config "allowed_hosts": every entry must be a host name, not ${JSON.stringify(bad)}`,
      EXIT.usage,
    );
  return hosts as string[];
}

/** The `server` key: timeouts for slow and idle clients and the connection cap, checked by the server's rule. */
function serverLimits(file: Record<string, unknown>): Partial<ServerLimits> {
  const server = (file.server as Record<string, number | undefined> | undefined) ?? {};
  const limits: Partial<ServerLimits> = Object.fromEntries(
    Object.entries({
      headersTimeoutMs: server.headers_timeout_ms,
      requestTimeoutMs: server.request_timeout_ms,
      keepAliveTimeoutMs: server.keep_alive_timeout_ms,
      idleTimeoutMs: server.idle_timeout_ms,
      maxConnections: server.max_connections,
    }).filter(([, v]) => v !== undefined),
  );
  const problem = serverLimitsProblem({ ...DEFAULT_SERVER_LIMITS, ...limits });
  if (problem) throw new CliError(`config "server": ${problem}`, EXIT.usage);
  return limits;
}

/** The `webhooks` key: aggregation window, retry schedule and delivery timeout, checked by the server's rule. */
function webhooks(file: Record<string, unknown>): Partial<WebhookSettings> {
  const given = (file.webhooks as Record<string, unknown> | undefined) ?? {};
  const settings: Partial<WebhookSettings> = Object.fromEntries(
    Object.entries({
      aggregationWindowMs: given.aggregation_window_ms,
      retryDelaysMs: given.retry_delays_ms,
      deliveryTimeoutMs: given.delivery_timeout_ms,
    }).filter(([, v]) => v !== undefined),
  );
  const problem = webhookSettingsProblem({ ...DEFAULT_WEBHOOKS, ...settings });
  if (problem) throw new CliError(`config "webhooks": ${problem}`, EXIT.usage);
  return settings;
}

/** The `query_cursors` key: live database-query cursors kept per integration, checked by the server's rule. */
function queryCursors(file: Record<string, unknown>): NonNullable<PlatformConfig['queryCursors']> {
  const given = (file.query_cursors as Record<string, number | undefined> | undefined) ?? {};
  if (given.max_per_integration === undefined) return {};
  const problem = queryCursorLimitProblem(given.max_per_integration);
  if (problem) throw new CliError(`config "query_cursors": ${problem}`, EXIT.usage);
  return { maxPerIntegration: given.max_per_integration };
}

/** The `sign_in_throttle` key: the portal's limits on failed sign-ins, checked by the server's rule. */
function signInThrottle(file: Record<string, unknown>): Partial<SignInThrottleConfig> {
  const throttle = (file.sign_in_throttle as Record<string, number | boolean | undefined> | undefined) ?? {};
  const config: Partial<SignInThrottleConfig> = Object.fromEntries(
    Object.entries({
      enabled: throttle.enabled,
      accountAttempts: throttle.account_attempts,
      addressAttempts: throttle.address_attempts,
      windowSeconds: throttle.window_seconds,
    }).filter(([, v]) => v !== undefined),
  );
  const problem = signInThrottleProblem({ ...DEFAULT_SIGN_IN_THROTTLE, ...config });
  if (problem) throw new CliError(`config "sign_in_throttle": ${problem}`, EXIT.usage);
  return config;
}

export function resolveServeConfig(flags: ServeFlags): ServeConfig {
  const port = flags.port === undefined ? 3000 : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliError(`--port must be an integer from 0 to 65535, not "${flags.port}"`, EXIT.usage);
  const chosen = [
    flags.dataDir && '--data-dir',
    flags.inMemory && '--in-memory',
    flags.databaseUrl && '--database-url',
  ].filter(Boolean);
  if (chosen.length > 1)
    throw new CliError(`${chosen.join(' and ')} cannot be used together: pick one store`, EXIT.usage);
  const store: StoreOptions = flags.databaseUrl
    ? { kind: 'postgres', url: flags.databaseUrl }
    : flags.inMemory
      ? { kind: 'memory' }
      : { kind: 'pglite', dataDir: flags.dataDir ?? DEFAULT_DATA_DIR };
  if (flags.import && flags.seed)
    throw new CliError(
      '--import and --seed cannot be used together: a state file already holds its workspaces',
      EXIT.usage,
    );
  const file = flags.config ? readConfigFile(flags.config) : {};
  const logLevel = (file.log_level as string | undefined) ?? 'warn';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new CliError(`config "log_level" must be one of ${LOG_LEVELS.join(', ')}, not "${logLevel}"`, EXIT.usage);
  }
  const rate = (file.rate_limit as Record<string, number | boolean | string | undefined> | undefined) ?? {};
  if (rate.mode !== undefined && rate.mode !== 'window' && rate.mode !== 'classic') {
    throw new CliError(
      `config "rate_limit.mode" must be "window" or "classic", not "${String(rate.mode)}"`,
      EXIT.usage,
    );
  }
  let faults: PlatformConfig['faults'] = [];
  try {
    faults = validateFaultRules(file.faults ?? []);
  } catch (error) {
    throw new CliError(`config "faults": ${(error as Error).message}`, EXIT.usage);
  }
  const log = (file.request_log as Record<string, number | boolean | undefined> | undefined) ?? {};
  const defined = <T extends object>(o: T) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
  const platform: PlatformConfig = {
    rateLimit: defined({
      enabled: rate.enabled as boolean | undefined,
      mode: rate.mode as 'window' | 'classic' | undefined,
      requestsPerMinute: rate.requests_per_minute as number | undefined,
      workspaceRequestsPerMinute: rate.workspace_requests_per_minute as number | undefined,
      requestsPerSecond: rate.requests_per_second as number | undefined,
      burst: rate.burst as number | undefined,
    }),
    requestLog: defined({
      enabled: log.enabled as boolean | undefined,
      maxEntries: log.max_entries as number | undefined,
    }),
    faults,
    faultSeed: (file.fault_seed as number | undefined) ?? 1,
    adminToken: (file.admin_token as string | undefined) ?? null,
    server: serverLimits(file),
    allowedHosts: allowedHosts(file),
    signInThrottle: signInThrottle(file),
    queryCursors: queryCursors(file),
    webhooks: webhooks(file),
  };
  return Object.freeze({
    port,
    host: flags.host ?? '127.0.0.1',
    store,
    seedPath: flags.seed ?? null,
    importPath: flags.import ?? null,
    exportOnExit: flags.exportOnExit ?? null,
    logLevel: logLevel as ServeConfig['logLevel'],
    platform,
  });
}
