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

/** Binary operators by precedence, loosest first; each level is left-associative. */
const BINARY_LEVELS: readonly (readonly string[])[] = [
  ['||'],
  ['&&'],
  ['==', '!='],
  ['<', '<=', '>', '>='],
  ['+', '-'],
  ['*', '/', '%'],
];

/** A recursive-descent parser over the tokens of one formula. */
class FormulaParser {
  private pos = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  parse(): FormulaNode {
    if (this.tokens.length === 0) throw new FormulaError('the formula is empty');
    const tree = this.expression();
    if (this.pos < this.tokens.length) throw new FormulaError(`unexpected "${String(this.tokens[this.pos]?.v)}"`);
    return tree;
  }

  private isOp(v: string): boolean {
    const t = this.tokens[this.pos];
    return t !== undefined && t.t === 'op' && t.v === v;
  }

  private expect(v: string): void {
    if (!this.isOp(v)) throw new FormulaError(`expected "${v}"`);
    this.pos++;
  }

  /** `c ? a : b` (right-associative) over the binary operators. */
  private expression(): FormulaNode {
    const condition = this.binary(0);
    if (!this.isOp('?')) return condition;
    this.pos++;
    const whenTrue = this.expression();
    this.expect(':');
    return { k: 'cond', c: condition, a: whenTrue, b: this.expression() };
  }

  private binary(level: number): FormulaNode {
    const ops = BINARY_LEVELS[level];
    if (!ops) return this.power();
    let left = this.binary(level + 1);
    for (;;) {
      const t = this.tokens[this.pos];
      if (!t || t.t !== 'op' || !ops.includes(t.v)) return left;
      this.pos++;
      left = { k: 'bin', op: t.v, l: left, r: this.binary(level + 1) };
    }
  }

  /** `^` binds tighter than the others and is right-associative. */
  private power(): FormulaNode {
    const base = this.unary();
    if (!this.isOp('^')) return base;
    this.pos++;
    return { k: 'bin', op: '^', l: base, r: this.power() };
  }

  private unary(): FormulaNode {
    if (this.isOp('-')) {
      this.pos++;
      return { k: 'un', op: '-', e: this.unary() };
    }
    if (this.isOp('!')) {
      this.pos++;
      return { k: 'un', op: 'not', e: this.unary() };
    }
    return this.postfix();
  }

  /** Method calls: `prop("Name").length()` is `length(prop("Name"))`. */
  private postfix(): FormulaNode {
    let node = this.primary();
    while (this.isOp('.')) {
      this.pos++;
      const name = this.tokens[this.pos++];
      if (!name || name.t !== 'id') throw new FormulaError('expected a function name after "."');
      this.expect('(');
      node = { k: 'call', fn: name.v, args: [node, ...this.argumentsUntilClose()] };
    }
    return node;
  }

  /** The arguments of a call whose "(" was read, up to and including its ")". */
  private argumentsUntilClose(): FormulaNode[] {
    const args: FormulaNode[] = [];
    if (!this.isOp(')')) {
      do args.push(this.expression());
      while (this.isOp(',') && ++this.pos);
    }
    this.expect(')');
    return args;
  }

  private primary(): FormulaNode {
    const t = this.tokens[this.pos++];
    if (!t) throw new FormulaError('unexpected end of formula');
    if (t.t === 'num') return { k: 'num', v: t.v };
    if (t.t === 'str') return { k: 'str', v: t.v };
    if (t.t === 'op' && t.v === '(') {
      const inner = this.expression();
      this.expect(')');
      return inner;
    }
    if (t.t === 'id') return this.name(t.v);
    throw new FormulaError(`unexpected "${t.v}"`);
  }

  /** A name: a constant (true, false, e, pi), `prop("…")` or a function call. */
  private name(name: string): FormulaNode {
    if (name === 'true' || name === 'false') return { k: 'bool', v: name === 'true' };
    if (name === 'e' && !this.isOp('(')) return { k: 'num', v: Math.E };
    if (name === 'pi' && !this.isOp('(')) return { k: 'num', v: Math.PI };
    if (!this.isOp('(')) throw new FormulaError(`unknown name "${name}"`);
    this.pos++;
    const args = this.argumentsUntilClose();
    if (name !== 'prop') return { k: 'call', fn: name, args };
    const [arg] = args;
    if (args.length !== 1 || arg?.k !== 'str') throw new FormulaError('prop() takes the name of a property');
    return { k: 'prop', name: arg.v };
  }
}

export function parseFormula(src: string): FormulaNode {
  const tokens = tokenize(src).map((t) =>
    t.t === 'id' && KEYWORD_OPS[t.v] ? { t: 'op' as const, v: KEYWORD_OPS[t.v] as string } : t,
  );
  return new FormulaParser(tokens).parse();
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
