// The project's lint rules (eslint-rules/index.js), each shown a case it must allow and one it must report.
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, it } from 'vitest';
import project from './index.js';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({
  languageOptions: { parser: tseslint.parser, ecmaVersion: 2023, sourceType: 'module' },
});

tester.run('explained-double-cast', project.rules['explained-double-cast'], {
  valid: [
    'const a = b as T;',
    '// the driver types rows loosely\nconst a = b as unknown as T;',
    'const a = b as unknown as T; // why: the driver types rows loosely',
    'const a = {\n  x: 1,\n  // a partial fixture: only x is read\n} as unknown as T;',
  ],
  invalid: [{ code: 'const a = b as unknown as T;', errors: [{ messageId: 'unexplained' }] }],
});

tester.run('no-sql-outside-store', project.rules['no-sql-outside-store'], {
  valid: ["const label = 'Select an option';", "const s = 'update the title';", 'const t = `with ${x}`;'],
  invalid: [
    { code: "db.query('SELECT id FROM blocks WHERE id = $1', [id]);", errors: [{ messageId: 'sql' }] },
    { code: 'db.query(`\n  UPDATE blocks SET title = $2 WHERE id = $1`);', errors: [{ messageId: 'sql' }] },
    { code: "const q = 'INSERT INTO shares (a, b) VALUES ($1, $2)';", errors: [{ messageId: 'sql' }] },
    { code: "const q = '/* fixed plan */ DELETE FROM shares WHERE a = $1';", errors: [{ messageId: 'sql' }] },
    { code: 'const q = `WITH RECURSIVE t AS (SELECT 1) SELECT * FROM t`;', errors: [{ messageId: 'sql' }] },
  ],
});

tester.run('no-store-kind-branch', project.rules['no-store-kind-branch'], {
  valid: ['if (store.exclusive) run();', "if (block.kind === 'page') run();"],
  invalid: [
    { code: "if (store.kind === 'pglite') run();", errors: [{ messageId: 'kind' }] },
    { code: "if (ctx.store.kind === 'postgres') run();", errors: [{ messageId: 'kind' }] },
  ],
});
