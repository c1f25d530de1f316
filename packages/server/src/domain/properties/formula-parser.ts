// Notion formula expressions (`prop("Price") * 2`, `if(prop("Done"), "yes", "no")`, `prop("Name").length()`)
// parsed into a small tree. Typing and SQL generation live in formula-sql.ts.

export type FormulaNode =
  | { k: 'num'; v: number }
  | { k: 'str'; v: string }
  | { k: 'bool'; v: boolean }
  | { k: 'prop'; name: string }
  | { k: 'call'; fn: string; args: FormulaNode[] }
  | { k: 'bin'; op: string; l: FormulaNode; r: FormulaNode }
  | { k: 'un'; op: '-' | 'not'; e: FormulaNode }
  | { k: 'cond'; c: FormulaNode; a: FormulaNode; b: FormulaNode };

export class FormulaError extends Error {}

type Token = { t: 'num'; v: number } | { t: 'str'; v: string } | { t: 'id'; v: string } | { t: 'op'; v: string };

const OPERATORS = [
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '!',
  '(',
  ')',
  ',',
  '?',
  ':',
  '.',
];

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(src.slice(i));
      if (!m) throw new FormulaError(`unexpected "${c}"`);
      out.push({ t: 'num', v: Number(m[0]) });
      i += m[0].length;
    } else if (c === '"' || c === "'" || c === '“') {
      const close = c === '“' ? '”' : c;
      let s = '';
      i++;
      while (i < src.length && src[i] !== close) {
        if (src[i] === '\\' && i + 1 < src.length) {
          const n = src[i + 1] as string;
          s += n === 'n' ? '\n' : n === 't' ? '\t' : n;
          i += 2;
        } else s += src[i++];
      }
      if (i >= src.length) throw new FormulaError('unterminated string');
      i++;
      out.push({ t: 'str', v: s });
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i)) as RegExpExecArray;
      out.push({ t: 'id', v: m[0] });
      i += m[0].length;
    } else {
      const op = OPERATORS.find((o) => src.startsWith(o, i));
      if (!op) throw new FormulaError(`unexpected "${c}"`);
      out.push({ t: 'op', v: op });
      i += op.length;
    }
  }
  return out;
}

const KEYWORD_OPS: Record<string, string> = { and: '&&', or: '||', not: '!' };

export function parseFormula(src: string): FormulaNode {
  const tokens = tokenize(src).map((t) =>
    t.t === 'id' && KEYWORD_OPS[t.v] ? { t: 'op' as const, v: KEYWORD_OPS[t.v] as string } : t,
  );
  let pos = 0;
  const peek = () => tokens[pos];
  const isOp = (v: string) => {
    const t = peek();
    return t !== undefined && t.t === 'op' && t.v === v;
  };
  const expect = (v: string) => {
    if (!isOp(v)) throw new FormulaError(`expected "${v}"`);
    pos++;
  };

  const binary = (next: () => FormulaNode, ops: readonly string[]) => (): FormulaNode => {
    let l = next();
    for (;;) {
      const t = peek();
      if (!t || t.t !== 'op' || !ops.includes(t.v)) return l;
      pos++;
      l = { k: 'bin', op: t.v, l, r: next() };
    }
  };

  const primary = (): FormulaNode => {
    const t = tokens[pos++];
    if (!t) throw new FormulaError('unexpected end of formula');
    if (t.t === 'num') return { k: 'num', v: t.v };
    if (t.t === 'str') return { k: 'str', v: t.v };
    if (t.t === 'op' && t.v === '(') {
      const e = expr();
      expect(')');
      return e;
    }
    if (t.t === 'id') {
      if (t.v === 'true' || t.v === 'false') return { k: 'bool', v: t.v === 'true' };
      if (t.v === 'e' && !isOp('(')) return { k: 'num', v: Math.E };
      if (t.v === 'pi' && !isOp('(')) return { k: 'num', v: Math.PI };
      if (!isOp('(')) throw new FormulaError(`unknown name "${t.v}"`);
      pos++;
      const args: FormulaNode[] = [];
      if (!isOp(')')) {
        do args.push(expr());
        while (isOp(',') && ++pos);
      }
      expect(')');
      if (t.v === 'prop') {
        const [arg] = args;
        if (args.length !== 1 || arg?.k !== 'str') throw new FormulaError('prop() takes the name of a property');
        return { k: 'prop', name: arg.v };
      }
      return { k: 'call', fn: t.v, args };
    }
    throw new FormulaError(`unexpected "${t.v}"`);
  };

  // Method calls: `prop("Name").length()` is `length(prop("Name"))`.
  const postfix = (): FormulaNode => {
    let e = primary();
    while (isOp('.')) {
      pos++;
      const name = tokens[pos++];
      if (!name || name.t !== 'id') throw new FormulaError('expected a function name after "."');
      expect('(');
      const args: FormulaNode[] = [e];
      if (!isOp(')')) {
        do args.push(expr());
        while (isOp(',') && ++pos);
      }
      expect(')');
      e = { k: 'call', fn: name.v, args };
    }
    return e;
  };
  const unary = (): FormulaNode => {
    if (isOp('-')) {
      pos++;
      return { k: 'un', op: '-', e: unary() };
    }
    if (isOp('!')) {
      pos++;
      return { k: 'un', op: 'not', e: unary() };
    }
    return postfix();
  };
  const power = (): FormulaNode => {
    const base = unary();
    if (!isOp('^')) return base;
    pos++;
    return { k: 'bin', op: '^', l: base, r: power() };
  };
  const mul = binary(power, ['*', '/', '%']);
  const add = binary(mul, ['+', '-']);
  const cmp = binary(add, ['<', '<=', '>', '>=']);
  const eq = binary(cmp, ['==', '!=']);
  const and = binary(eq, ['&&']);
  const or = binary(and, ['||']);
  function expr(): FormulaNode {
    const c = or();
    if (!isOp('?')) return c;
    pos++;
    const a = expr();
    expect(':');
    return { k: 'cond', c, a, b: expr() };
  }

  if (tokens.length === 0) throw new FormulaError('the formula is empty');
  const tree = expr();
  if (pos < tokens.length) throw new FormulaError(`unexpected "${String(tokens[pos]?.v)}"`);
  return tree;
}

/** Names of the properties a formula reads. */
export function referencedProps(node: FormulaNode): string[] {
  switch (node.k) {
    case 'prop':
      return [node.name];
    case 'call':
      return node.args.flatMap(referencedProps);
    case 'bin':
      return [...referencedProps(node.l), ...referencedProps(node.r)];
    case 'un':
      return referencedProps(node.e);
    case 'cond':
      return [...referencedProps(node.c), ...referencedProps(node.a), ...referencedProps(node.b)];
    default:
      return [];
  }
}

/** Rewrites `prop("old")` to `prop("new")` when a property is renamed (Notion keeps formulas working). */
export function renameInFormula(expression: string, from: string, to: string): string {
  const quoted = from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/"/g, '\\\\"');
  return expression.replace(new RegExp(`prop\\(\\s*"${quoted}"\\s*\\)`, 'g'), `prop(${JSON.stringify(to)})`);
}
