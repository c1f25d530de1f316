#!/usr/bin/env node
// The `notion-local` command of the published package (package.json "bin"). The package carries its four
// workspaces' builds under packages/*/dist rather than as dependencies of their own (docs/testing.md says
// why), so the CLI's imports of @notion-local/server and @notion-local/toolkit are pointed at those folders
// when no node_modules provides them (an installed tarball); in the repository the workspace links do.
import { register } from 'node:module';

function resolvable(specifier) {
  try {
    import.meta.resolve(specifier);
    return true;
  } catch {
    return false;
  }
}

if (!resolvable('@notion-local/server') || !resolvable('@notion-local/toolkit')) {
  register('./workspace-packages.js', import.meta.url);
}

import('../packages/cli/dist/main.js')
  .then((m) => m.main(process.argv))
  .catch((error) => {
    process.stderr.write(`notion-local: ${error?.message ?? error}\n`);
    process.exit(1);
  });
