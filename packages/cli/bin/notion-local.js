#!/usr/bin/env node
import('../dist/main.js')
  .then((m) => m.main(process.argv))
  .catch((error) => {
    process.stderr.write(`notion-local: ${error?.message ?? error}\n`);
    process.exit(1);
  });
