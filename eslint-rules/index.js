// Project rules for ESLint (eslint.config.js), each small enough to read in one sitting.

/**
 * `x as unknown as T` throws the type checker away; it is allowed where a comment says why, on the line where the
 * expression starts or where `as unknown` is written, or on the line above either.
 */
const explainedDoubleCast = {
  meta: {
    type: 'problem',
    docs: { description: 'require a comment saying why next to `as unknown as`' },
    messages: {
      unexplained: '`as unknown as` needs a comment on this line or the line above saying why the types cannot meet.',
    },
    schema: [],
  },
  create(context) {
    const source = context.sourceCode;
    return {
      TSAsExpression(node) {
        const inner = node.expression;
        if (inner.type !== 'TSAsExpression' || inner.typeAnnotation.type !== 'TSUnknownKeyword') return;
        const lines = new Set([node.loc.start.line, inner.typeAnnotation.loc.start.line]);
        const explained = source
          .getAllComments()
          .some((c) => lines.has(c.loc.end.line + 1) || lines.has(c.loc.start.line) || lines.has(c.loc.end.line));
        if (!explained) context.report({ node, messageId: 'unexplained' });
      },
    };
  },
};

const SQL =
  /^\s*(?:\/\*[^*]*\*\/\s*)?(?:SELECT\s|INSERT\s+INTO\s|UPDATE\s+\w+\s+(?:AS\s+\w+\s+)?SET\s|DELETE\s+FROM\s|WITH\s+(?:RECURSIVE\s+)?\w+|TRUNCATE\s|CREATE\s+(?:TABLE|INDEX|SCHEMA)|ALTER\s+TABLE|DROP\s+(?:TABLE|SCHEMA))/;

/** SQL text lives in the store (repositories) and the query compiler only (docs/architecture.md). */
const noSqlOutsideStore = {
  meta: {
    type: 'problem',
    docs: { description: 'forbid SQL statements outside store/ and query/' },
    messages: { sql: 'SQL belongs in a store repository (packages/server/src/store/); call one from here.' },
    schema: [],
  },
  create(context) {
    const check = (node, text) => {
      if (SQL.test(text)) context.report({ node, messageId: 'sql' });
    };
    return {
      Literal(node) {
        if (typeof node.value === 'string') check(node, node.value);
      },
      TemplateLiteral(node) {
        check(node, node.quasis[0]?.value.cooked ?? '');
      },
    };
  },
};

/** Which driver runs the store is the store's business: branches on it live in store/. */
const noStoreKindBranch = {
  meta: {
    type: 'problem',
    docs: { description: 'forbid reading Store.kind outside store/' },
    messages: { kind: 'Branching on the store driver belongs in store/: ask the store for the behaviour instead.' },
    schema: [],
  },
  create(context) {
    return {
      MemberExpression(node) {
        if (
          node.property.type === 'Identifier' &&
          node.property.name === 'kind' &&
          /store$/i.test(source(node.object))
        ) {
          context.report({ node, messageId: 'kind' });
        }
      },
    };
    function source(n) {
      return context.sourceCode.getText(n);
    }
  },
};

export default {
  rules: {
    'explained-double-cast': explainedDoubleCast,
    'no-sql-outside-store': noSqlOutsideStore,
    'no-store-kind-branch': noStoreKindBranch,
  },
};
