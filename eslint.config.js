// Lint rules of the repository (run by `npm test` through `npm run lint`). Formatting is Prettier's
// (`.prettierrc.json`); these rules cover what a formatter cannot: function size, line length left over
// by long strings and comments, unexplained double casts, and where SQL may be written.
import tseslint from 'typescript-eslint';
import project from './eslint-rules/index.js';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'bench/results/**', 'packages/portal/public/**'] },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mjs', '**/*.js'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 2023, sourceType: 'module' },
    plugins: { '@typescript-eslint': tseslint.plugin, project },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'max-len': [
        'error',
        { code: 120, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true },
      ],
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true, IIFEs: true }],
      'project/explained-double-cast': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // Tests describe many cases in one `describe`; their size is the table's, not a function's.
    files: ['**/test/**', 'e2e/**', 'bench/**'],
    rules: { 'max-lines-per-function': 'off' },
  },
  {
    files: ['packages/server/src/**/*.ts'],
    ignores: ['packages/server/src/store/**', 'packages/server/src/query/**'],
    rules: { 'project/no-sql-outside-store': 'error', 'project/no-store-kind-branch': 'error' },
  },
);
