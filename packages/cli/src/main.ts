// The `notion-local` command line. Parses argv, runs one command, turns errors into one line + exit code.
import { Command, CommanderError } from 'commander';
import { CliError, EXIT } from './cli-error.js';
import type { ServeFlags } from './serve-config.js';

/** Builds the program; the toolkit commands are left out when only `serve` will run (faster start-up). */
export async function buildProgram(options: { toolkit?: boolean } = {}): Promise<Command> {
  const program = new Command('notion-local')
    .description('The Notion public API on one machine, and tools for integration authors.')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('serve')
    .description('Run the platform: the Notion API under /v1/ and the portal at /')
    .option('--port <n>', 'port to listen on (0 picks a free port)', '3000')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--data-dir <dir>', 'PGlite data directory (default ./.notion-local)')
    .option('--in-memory', 'keep everything in memory (gone on exit)')
    .option('--database-url <url>', 'use PostgreSQL instead of PGlite')
    .option('--seed <file>', 'seed file applied on first start (default: the demo workspace)')
    .option('--config <file>', 'JSON file with options that are not flags')
    .option('--import <file>', 'load a state file (notion-local export-state) into the empty store instead of a seed')
    .option('--export-on-exit <file>', 'write the state file when stopped (SIGTERM/SIGINT)')
    .action(async (flags: ServeFlags) => {
      const [{ serve }, { resolveServeConfig }] = await Promise.all([
        import('./commands/serve.js'),
        import('./serve-config.js'),
      ]);
      await serve(resolveServeConfig(flags));
    });

  program
    .command('export-state')
    .description('Write everything a store holds to a state file that `serve --import` loads')
    .option('--data-dir <dir>', 'PGlite data directory (default ./.notion-local)')
    .option('--database-url <url>', 'PostgreSQL instead of PGlite')
    .requiredOption('--out <file>', 'where to write the state file')
    .action(async (flags: { dataDir?: string; databaseUrl?: string; out: string }) => {
      const { exportStateCommand } = await import('./commands/export-state.js');
      await exportStateCommand(flags, process.stdout);
    });

  if (options.toolkit ?? true) (await import('./toolkit/register.js')).addToolkitCommands(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<void> {
  const program = await buildProgram({ toolkit: argv[2] !== 'serve' && argv[2] !== 'export-state' });
  try {
    await program.parseAsync([...argv]);
    process.exitCode = EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    if (error instanceof CliError) {
      process.stderr.write(`notion-local: ${error.message}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(`notion-local: unexpected error: ${(error as Error).message ?? String(error)}\n`);
    process.exitCode = EXIT.failure;
  }
}
