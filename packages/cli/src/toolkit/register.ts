// The toolkit commands (doctor, import, export, sync, query), registered on the program. Loaded only
// when one of them (or the full --help) is asked for, so `serve` starts without the toolkit's modules.
import type { Command } from 'commander';
import { doctor, type DoctorFlags } from '../commands/doctor.js';
import { importCommand, type ImportFlags } from '../commands/import.js';
import { exportCommand, type ExportFlags } from '../commands/export.js';
import { syncCommand, type SyncFlags } from '../commands/sync.js';
import { queryCommand, type QueryFlags } from '../commands/query.js';
import { webhooksListen, type ListenFlags } from '../commands/webhooks-listen.js';
import { cloneCommand, type CloneFlags } from '../commands/clone.js';
import { addCommonOptions, collect, runToolkitCommand, type CommonFlags, type ToolkitEnv } from './common.js';

/** The only place the toolkit commands' environment is read. */
export function toolkitEnv(): ToolkitEnv {
  return {
    token: process.env.NOTION_TOKEN || undefined,
    noColor: 'NO_COLOR' in process.env && process.env.NO_COLOR !== '',
    stdout: process.stdout,
    stderr: process.stderr,
  };
}

export function addToolkitCommands(program: Command, env: () => ToolkitEnv = toolkitEnv): void {
  const run = (flags: CommonFlags, command: (e: ToolkitEnv) => Promise<void>) => {
    const e = env();
    return runToolkitCommand(flags, e, () => command(e));
  };
  addCommonOptions(program.command('doctor'))
    .description(
      'Check base URL, token, capabilities, sharing, Notion-Version and rate limits, and say how to fix what fails',
    )
    .option('--page <id>', 'a page (id or URL) the integration should be able to read')
    .option('--database <id>', 'a database (id or URL) the integration should be able to read; prints its schema')
    .action((flags: DoctorFlags) => run(flags, (e) => doctor(flags, e)));

  addCommonOptions(program.command('import').argument('<file>', 'CSV, JSON (array of objects) or NDJSON file'))
    .description('Import rows as pages of a database (upsert by --key); resumable after a crash')
    .option('--database <id>', 'the database to import into')
    .option('--parent <id>', 'create a database under this page, with property types inferred from the file')
    .option(
      '--key <column>',
      'column holding an external key: existing pages with that key are updated, not duplicated',
    )
    .option('--format <format>', 'csv, json or ndjson (default: from the file extension)')
    .option('--map <col=Property>', 'feed column col into Property (repeatable)', collect, [])
    .option('--dry-run', 'validate and report what would change, write nothing')
    .option('--journal <file>', 'journal for resuming (default: FILE.import-journal.jsonl)')
    .option('--no-journal', 'do not keep a journal')
    .option('--concurrency <n>', 'requests in flight at once (the rate still applies)', '4')
    .action((file: string, flags: ImportFlags) => run(flags, (e) => importCommand(file, flags, e)));

  addCommonOptions(program.command('export'))
    .description('Export a database as CSV/JSON/NDJSON, or a page as Markdown')
    .option('--database <id>', 'the database to export')
    .option('--page <id>', 'the page to export (with --format markdown)')
    .option('--format <format>', 'csv, json or ndjson for a database; markdown for a page')
    .option('--out <file>', 'write to FILE instead of stdout')
    .action((flags: ExportFlags) => run(flags, (e) => exportCommand(flags, e)));

  addCommonOptions(program.command('sync').argument('<file>', 'CSV, JSON or NDJSON file'))
    .description(
      'One-way sync of a file into a database by key: create new, update changed, optionally archive missing',
    )
    .requiredOption('--database <id>', 'the database to sync into')
    .requiredOption('--key <column>', 'column holding the external key')
    .option('--format <format>', 'csv, json or ndjson (default: from the file extension)')
    .option('--map <col=Property>', 'feed column col into Property (repeatable)', collect, [])
    .option('--archive-missing', 'move pages whose key is not in the file to the trash')
    .option('--dry-run', 'report what would change, write nothing')
    .option('--concurrency <n>', 'requests in flight at once (the rate still applies)', '4')
    .action((file: string, flags: SyncFlags) => run(flags, (e) => syncCommand(file, flags, e)));

  addCommonOptions(program.command('query'))
    .description('Query a database and print a table (or JSON with --json)')
    .requiredOption('--database <id>', 'the database to query')
    .option('--filter <json>', 'a Notion filter object as JSON, or @FILE')
    .option('--sort <property[:desc]>', 'sort by a property (repeatable)', collect, [])
    .option('--limit <n>', 'stop after N pages')
    .action((flags: QueryFlags) => run(flags, (e) => queryCommand(flags, e)));

  addCloneCommand(program, run);

  program
    .command('webhooks')
    .description('Webhooks of a running notion-local')
    .command('listen')
    .description(
      'Subscribe an integration to a local receiver, verify each delivery and forward its exact bytes (needs the admin API)',
    )
    .requiredOption('--integration <id|name>', 'the integration whose webhooks to receive')
    .requiredOption('--forward-to <url>', 'where to POST each verified delivery, e.g. http://localhost:4000/webhooks')
    .option('--base-url <url>', 'the notion-local server', 'http://127.0.0.1:3000')
    .option('--admin-token <token>', "the server's admin_token (default: $NOTION_LOCAL_ADMIN_TOKEN)")
    .option('--events <types>', 'comma-separated event types (default: all of the API version)')
    .option('--api-version <version>', "the subscription's API version (default 2025-09-03)")
    .option('--port <n>', 'local port of the receiver (0 picks a free one)', '0')
    .action((flags: ListenFlags) =>
      webhooksListen(flags, {
        adminToken: process.env.NOTION_LOCAL_ADMIN_TOKEN || undefined,
        stdout: process.stdout,
        stderr: process.stderr,
      }),
    );
}

/** `clone`: what a token can see, copied into a state file for `serve --import`. */
function addCloneCommand(
  program: Command,
  run: (flags: CommonFlags, command: (e: ToolkitEnv) => Promise<void>) => Promise<void>,
): void {
  addCommonOptions(program.command('clone'))
    .description(
      'Copy what the token can see (pages, blocks, databases, rows, comments, users) into a state file for serve --import',
    )
    .requiredOption('--out <file>', 'the state file to write')
    .option(
      '--page <id>',
      'clone this page and what is under it instead of everything search finds (repeatable)',
      collect,
      [],
    )
    .option('--database <id>', 'clone this database and its rows (repeatable)', collect, [])
    .option('--max-pages <n>', 'stop reading pages (database rows included) after N')
    .option('--include-comments', "read the pages' comments too")
    .option('--redact', 'replace text, titles, URLs, emails and names with same-length fakes (keeps structure)')
    .option('--journal <file>', 'journal for resuming (default: OUT.clone-journal.jsonl)')
    .option('--no-journal', 'do not keep a journal')
    .action((flags: CloneFlags) => run(flags, (e) => cloneCommand(flags, e)));
}
