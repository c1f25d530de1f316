// Module resolution hook (node:module register) of the published package: the workspace packages' names
// resolve to their builds inside this package (bin/notion-local.js registers it when nothing else resolves
// them). Every other specifier resolves as usual.
const PACKAGES = new Map([
  ['@notion-local/server', '../packages/server/dist/index.js'],
  ['@notion-local/toolkit', '../packages/toolkit/dist/index.js'],
]);

export async function resolve(specifier, context, nextResolve) {
  const target = PACKAGES.get(specifier);
  if (target) return { url: new URL(target, import.meta.url).href, format: 'module', shortCircuit: true };
  return nextResolve(specifier, context);
}
