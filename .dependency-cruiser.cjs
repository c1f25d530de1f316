// The layer rules of docs/architecture.md, checked on every `npm test` (`npm run lint:deps`).
// A rule names the layer that may not import, and the layers it may not import; the architecture doc
// says why. Type-only imports count too, except where a rule says otherwise.
const SERVER = '^packages/server/src/';
const layer = (name) => `${SERVER}${name}/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'No module may reach itself through its imports.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'model-is-a-leaf',
      severity: 'error',
      comment: 'model/ holds the shapes of stored rows; it imports nothing of the server.',
      from: { path: layer('model') },
      to: { path: SERVER, pathNot: layer('model') },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'domain/ holds schema and value rules: pure functions over the data model. It never reaches the store, ' +
        'the query compiler, HTTP, auth, limits, observability, services, the portal or the seed.',
      from: { path: layer('domain') },
      to: {
        path: `${SERVER}(store|query|http|auth|limits|observability|services|portal|seed)/|${SERVER}platform\\.ts`,
      },
    },
    {
      name: 'query-compiles-only',
      severity: 'error',
      comment:
        'query/ compiles filters, sorts and formulas to SQL text; it uses domain rules and the model, and runs ' +
        'nothing itself (no store, services, HTTP, auth, portal, seed). The sharing rule in SQL is the one it ' +
        'shares with the store (store/visibility-sql.ts).',
      from: { path: layer('query') },
      to: {
        path: `${SERVER}(store|http|auth|limits|observability|services|portal|seed)/`,
        pathNot: `${SERVER}store/visibility-sql\\.ts$`,
      },
    },
    {
      name: 'store-is-the-bottom',
      severity: 'error',
      comment:
        'store/ holds every SQL statement and the drivers; it knows rows (model/), not what they mean: no domain, ' +
        'services, HTTP, auth, limits, observability, portal or seed. Compiled query fragments come in as SQL text.',
      from: { path: layer('store') },
      to: { path: `${SERVER}(domain|query|services|http|auth|limits|observability|portal|seed)/` },
    },
    {
      name: 'auth-below-limits',
      severity: 'error',
      comment: 'auth/ decides who a token is and what it may see; it reaches data through the store, never above it.',
      from: { path: layer('auth') },
      to: { path: `${SERVER}(limits|observability|services|http|portal|seed|query)/` },
    },
    {
      name: 'limits-and-observability-below-services',
      severity: 'error',
      comment: 'Rate limits, faults, the request log and metrics sit below services, HTTP and the portal.',
      from: { path: `${SERVER}(limits|observability)/` },
      to: { path: `${SERVER}(services|http|portal|seed)/` },
    },
    {
      name: 'services-below-the-edges',
      severity: 'error',
      comment: 'Services are called by the edges (HTTP, portal, seed); they never call them.',
      from: { path: layer('services') },
      to: { path: `${SERVER}(http|portal|seed)/|${SERVER}platform\\.ts` },
    },
    {
      name: 'edges-reach-data-through-services',
      severity: 'error',
      comment:
        'HTTP, the portal and the seed read and write through services: they import no SQL (store repositories, ' +
        'the query compiler). They may name the Store type, and HTTP may start a request in the store-backed ' +
        'limits and logs.',
      from: { path: `${SERVER}(http|portal|seed)/` },
      to: {
        path: `${SERVER}(store|query)/`,
        pathNot: `${SERVER}store/sql-store\\.ts$`,
      },
    },
    {
      name: 'edges-name-the-store-type-only',
      severity: 'error',
      comment: 'HTTP, the portal and the seed may name the Store interface, never call a driver.',
      from: { path: `${SERVER}(http|portal|seed)/` },
      to: { path: `${SERVER}store/sql-store\\.ts$`, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'portal-server-and-http-apart',
      severity: 'error',
      comment:
        'The portal and the Notion API are two edges over the same services; neither imports the other (the one error writer excepted).',
      from: { path: layer('portal') },
      to: { path: layer('http'), pathNot: `${SERVER}http/error-writer\\.ts$` },
    },
    {
      name: 'testing-drives-the-platform-from-outside',
      severity: 'error',
      comment:
        'testing/ (notion-local/testing) is an edge for test suites: it starts the platform through its entry ' +
        '(index.ts, platform.ts) and does everything else through the admin API over HTTP, so a server started ' +
        'elsewhere behaves the same. The demo seed is data it may name.',
      from: { path: layer('testing') },
      to: {
        path: SERVER,
        pathNot: `${SERVER}(testing/|index\\.ts$|platform\\.ts$|seed/demo-seed\\.ts$)`,
      },
    },
    {
      name: 'nothing-imports-testing',
      severity: 'error',
      comment: 'The platform never depends on its testing entry; only test suites do.',
      from: { path: SERVER, pathNot: layer('testing') },
      to: { path: layer('testing') },
    },
    {
      name: 'toolkit-never-imports-server',
      severity: 'error',
      comment: 'The toolkit works against real Notion; it knows nothing of the platform.',
      from: { path: '^packages/toolkit/' },
      to: { path: '^packages/(server|cli|portal)/|@notion-local/(server|cli|portal)' },
    },
    {
      name: 'portal-ui-imports-server-types-only',
      severity: 'error',
      comment: 'The web UI talks to the server over HTTP; it may import the portal API types, nothing that runs.',
      from: { path: '^packages/portal/src/' },
      to: { path: '^packages/server/|@notion-local/server', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'server-never-imports-cli-or-toolkit',
      severity: 'error',
      comment: 'The platform stands alone; the CLI assembles it with the toolkit.',
      from: { path: '^packages/server/' },
      to: { path: '^packages/(cli|toolkit|portal)/|@notion-local/(cli|toolkit|portal)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.depcruise.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
