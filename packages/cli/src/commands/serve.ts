// `notion-local serve`: start the platform, print the ready line, stop cleanly on SIGTERM/SIGINT.
import pino from 'pino';
import {
  DataDirLockedError,
  LOG_SERIALIZERS,
  SeedError,
  StateFileError,
  StoreUnavailableError,
  demoSeed,
  readSeedFile,
  redactUrl,
  startPlatform,
  validateSeed,
} from '@notion-local/server';
import { CliError, EXIT } from '../cli-error.js';
import { readStateFile, writeStateFile } from './state-file.js';
import type { ServeConfig } from '../serve-config.js';

export async function serve(config: ServeConfig, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const stopSignal = waitForStopSignal();
  let seed: unknown;
  let state: string | undefined;
  try {
    if (config.importPath) state = await readStateFile(config.importPath);
    else seed = config.seedPath ? validateSeed(await readSeedFile(config.seedPath)) : demoSeed();
  } catch (error) {
    if (error instanceof SeedError || error instanceof StateFileError) throw new CliError(error.message, EXIT.usage);
    throw error;
  }
  // Requests are logged by path only (no query string: a one-time sign-in token travels there), never a header.
  const logger = pino(
    {
      level: config.logLevel,
      serializers: LOG_SERIALIZERS,
      redact: ['req.headers.authorization', 'headers.authorization', '*.token'],
    },
    pino.destination(2),
  );
  let platform;
  try {
    platform = await startPlatform({
      store: config.store,
      port: config.port,
      host: config.host,
      ...(state === undefined ? { seed } : { importState: state }),
      logger,
      config: config.platform,
    });
  } catch (error) {
    if (error instanceof DataDirLockedError || error instanceof SeedError) throw new CliError(error.message);
    if (error instanceof StateFileError) throw new CliError(`cannot import ${config.importPath}: ${error.message}`);
    if (error instanceof StoreUnavailableError) throw new CliError(error.message);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new CliError(`port ${config.port} on ${config.host} is already in use; pass --port 0 for a free one`);
    if (code === 'EACCES') throw new CliError(`not allowed to listen on ${config.host}:${config.port}`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new CliError(`cannot listen on host ${config.host}`);
    throw error;
  }
  const storeName =
    config.store.kind === 'postgres'
      ? `PostgreSQL ${redactUrl(config.store.url)}`
      : config.store.kind === 'pglite'
        ? `PGlite in ${config.store.dataDir}`
        : 'PGlite in memory';
  // One write, so a reader of the ready line has the rest of the start-up output with it.
  const lines = [
    `notion-local ready: API base URL ${platform.url} (routes under ${platform.url}/v1/, store: ${storeName})`,
    `Portal: ${platform.url}/${platform.signInUrl ? ` — one-time sign-in for the workspace owner: ${platform.signInUrl}` : ''}`,
    ...platform.issuedTokens.map((t) =>
      t.kind === 'client_secret'
        ? `Client secret for public integration "${t.integration}" in workspace "${t.workspace}" (client_id ${t.clientId ?? ''}; shown once, stored hashed): ${t.token}`
        : `Token for integration "${t.integration}" in workspace "${t.workspace}" (shown once, stored hashed): ${t.token}`,
    ),
    ...(platform.seeded || state !== undefined
      ? []
      : ['Existing data found: seed not applied; tokens were shown when it was first created.']),
    ...(state !== undefined
      ? [`State imported from ${config.importPath}: tokens are those of the exported store.`]
      : []),
  ];
  out.write(`${lines.join('\n')}\n`);

  await stopSignal;
  try {
    if (config.exportOnExit) {
      await writeStateFile(config.exportOnExit, await platform.exportState());
      out.write(`State written to ${config.exportOnExit}\n`);
    }
  } catch (error) {
    process.stderr.write(`notion-local: could not write the state file: ${(error as Error).message}\n`);
  }
  try {
    await platform.close();
  } catch (error) {
    process.stderr.write(`notion-local: error while stopping: ${(error as Error).message}\n`);
  }
}

/** Resolves on the first SIGTERM/SIGINT; installed before start-up so an early signal also stops cleanly. */
function waitForStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      process.on('SIGTERM', () => undefined); // a second signal while draining must not kill mid-write
      process.on('SIGINT', () => undefined);
      resolve(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
