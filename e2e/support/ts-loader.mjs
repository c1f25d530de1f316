// Lets a plain `node bench/….mjs` command import the TypeScript modules of e2e/support (the probe and fuzz
// generators the tests use too): a module hook that transpiles `.ts` files with the repository's TypeScript
// (types are erased, nothing is checked: `tsc -p tsconfig.test.json` checks them) and resolves the `.js`
// specifiers TypeScript sources write to their `.ts` files. Node 20.6+ (`module.register`).
import { register } from 'node:module';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const HOOKS = `
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
let ts;
export async function initialize(data) {
  ts = (await import(data.typescriptUrl)).default;
}
export async function resolve(specifier, context, next) {
  const parent = context.parentURL ?? '';
  if (parent.startsWith('file:') && parent.endsWith('.ts') && specifier.startsWith('.') && specifier.endsWith('.js')) {
    const candidate = new URL(specifier.slice(0, -3) + '.ts', parent);
    if (existsSync(fileURLToPath(candidate))) return { url: candidate.href, shortCircuit: true };
  }
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  const source = readFileSync(fileURLToPath(url), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    fileName: fileURLToPath(url),
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
  });
  return { format: 'module', source: outputText, shortCircuit: true };
}
`;

let registered = false;

/** Imports a TypeScript module of the repository (path relative to the caller's `import.meta.url`). */
export async function importTs(specifier, baseUrl) {
  if (!registered) {
    const require = createRequire(import.meta.url);
    const typescriptUrl = pathToFileURL(require.resolve('typescript')).href;
    register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, { data: { typescriptUrl } });
    registered = true;
  }
  return import(new URL(specifier, baseUrl).href);
}
