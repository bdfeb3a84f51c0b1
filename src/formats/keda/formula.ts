// KEDA scalingModifiers formulas (expr-lang) → JSONata, for the subset whose meaning is the same in both; the rest is refused with its position.
//
// KEDA compiles the formula with github.com/expr-lang/expr over the named non-cpu/memory triggers
// (apis/keda/v1alpha1/scaledobject_webhook.go validateScalingModifiersFormula) and wraps it in float()
// (castToFloatIfNecessary); pkg/scaling/modifiers/formula.go calculateScalingModifiersFormula runs it
// with each trigger's value. Operators and precedence: expr's Language Definition (expr-lang.org/docs/
// language-definition): `?:` lowest, then `??`, `||`/`or`, `&&`/`and`, `==` `!=` `<` `>` `<=` `>=`,
// `+` `-`, `*` `/` `%`, `**`/`^` (right-associative), unary `-` `+` `!` `not`. The output is fully
// parenthesised, so JSONata's own precedence never matters.
//
// Supported: numbers, trigger names, + - * / **, comparisons, and/or/not, the ternary, parentheses,
// min/max/abs/ceil/floor/float and int (truncation toward zero, Go's float→int). Refused: `??` (it needs
// fallback.behavior scalingModifiers), `%` (integers only in expr), round (half away from zero in Go, half
// to even in JSONata), strings, arrays, closures, builtins such as count/filter, member access.

export type FormulaResult = { ok: true; jsonata: string; triggers: string[] } | { ok: false; position: number; message: string };

/** Longest formula read: far beyond any formula in KEDA's docs and tests; bounds the parser's work and depth. */
const MAX_FORMULA_CHARS = 1_000;
/** Deepest nesting of parentheses, calls and operators: the parser is recursive. */
const MAX_FORMULA_DEPTH = 64;

interface Token {
  kind: 'num' | 'id' | 'op' | 'end';
  text: string;
  pos: number;
}

const OPERATORS = ['**', '==', '!=', '<=', '>=', '&&', '||', '??', '+', '-', '*', '/', '%', '^', '<', '>', '!', '?', ':', '(', ')', ','];

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = /^(\d[\d_]*\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?)/.exec(src.slice(i));
    if (num) {
      out.push({ kind: 'num', text: num[0].replace(/_/g, ''), pos: i });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(src.slice(i));
    if (id) {
      out.push({ kind: 'id', text: id[0], pos: i });
      i += id[0].length;
      continue;
    }
    // Anything else ([, {, #, quotes, …) is a token of its own, refused by the parser where it stands.
    const op = OPERATORS.find((o) => src.startsWith(o, i)) ?? c;
    out.push({ kind: 'op', text: op, pos: i });
    i += op.length;
  }
  out.push({ kind: 'end', text: '', pos: src.length });
  return out;
}

class Refused extends Error {
  constructor(
    readonly position: number,
    message: string,
  ) {
    super(message);
  }
}

/** Binary levels, loosest first: expr's precedence. `??` and `%` are recognised so they can be refused where they stand. */
const LEVELS: ReadonlyArray<Readonly<Record<string, string>>> = [
  { '??': '' },
  { '||': 'or', or: 'or' },
  { '&&': 'and', and: 'and' },
  { '==': '=', '!=': '!=', '<': '<', '>': '>', '<=': '<=', '>=': '>=' },
  { '+': '+', '-': '-' },
  { '*': '*', '/': '/', '%': '' },
];

const FUNCTIONS: Readonly<Record<string, (args: string[]) => string>> = {
  min: (a) => `$min([${a.join(', ')}])`,
  max: (a) => `$max([${a.join(', ')}])`,
  abs: (a) => `$abs(${a[0]})`,
  ceil: (a) => `$ceil(${a[0]})`,
  floor: (a) => `$floor(${a[0]})`,
  float: (a) => `(${a[0]})`,
  // Go's int(float64) truncates toward zero.
  int: (a) => `(${a[0]} < 0 ? $ceil(${a[0]}) : $floor(${a[0]}))`,
};
const ARITY: Readonly<Record<string, [number, number]>> = { min: [1, 64], max: [1, 64], abs: [1, 1], ceil: [1, 1], floor: [1, 1], float: [1, 1], int: [1, 1] };

/**
 * Translate a formula; `read(name)` gives the JSONata for a trigger's value (undefined: not a trigger
 * the formula may name, refused as expr's compiler refuses an unknown variable).
 */
export function translateFormula(src: string, read: (name: string) => string | undefined): FormulaResult {
  if (src.length > MAX_FORMULA_CHARS) return { ok: false, position: MAX_FORMULA_CHARS, message: `the formula is longer than ${MAX_FORMULA_CHARS} characters (MAX_FORMULA_CHARS)` };
  const tokens = tokenize(src);
  let at = 0;
  const used = new Set<string>();
  const peek = () => tokens[at]!;
  const isOp = (t: Token, text: string) => (t.kind === 'op' || t.kind === 'id') && t.text === text;
  const expect = (text: string) => {
    const t = peek();
    if (!isOp(t, text)) throw new Refused(t.pos, `expected "${text}"${t.kind === 'end' ? ' before the end' : `, found "${t.text}"`}`);
    at++;
  };

  const ternary = (depth: number): string => {
    if (depth > MAX_FORMULA_DEPTH) throw new Refused(peek().pos, `nested more than ${MAX_FORMULA_DEPTH} levels deep (MAX_FORMULA_DEPTH)`);
    const cond = binary(0, depth + 1);
    if (!isOp(peek(), '?')) return cond;
    at++;
    const a = ternary(depth + 1);
    expect(':');
    const b = ternary(depth + 1);
    return `(${cond} ? ${a} : ${b})`;
  };

  const binary = (level: number, depth: number): string => {
    if (level === LEVELS.length) return power(depth);
    let left = binary(level + 1, depth);
    for (;;) {
      const t = peek();
      const mapped = (t.kind === 'op' || t.kind === 'id') && Object.hasOwn(LEVELS[level]!, t.text) ? LEVELS[level]![t.text]! : undefined;
      if (mapped === undefined) return left;
      if (mapped === '') {
        throw new Refused(
          t.pos,
          t.text === '??' ? '"??" needs fallback.behavior scalingModifiers, which the import does not support' : '"%" is integer-only in expr and is not translated',
        );
      }
      at++;
      const right = binary(level + 1, depth);
      left = `(${left} ${mapped} ${right})`;
    }
  };

  const power = (depth: number): string => {
    const base = unary(depth);
    const t = peek();
    if (isOp(t, '**') || isOp(t, '^')) {
      at++;
      return `$power(${base}, ${power(depth + 1)})`;
    }
    return base;
  };

  const unary = (depth: number): string => {
    if (depth > MAX_FORMULA_DEPTH) throw new Refused(peek().pos, `nested more than ${MAX_FORMULA_DEPTH} levels deep (MAX_FORMULA_DEPTH)`);
    const t = peek();
    if (isOp(t, '-')) {
      at++;
      return `(-${unary(depth + 1)})`;
    }
    if (isOp(t, '+')) {
      at++;
      return unary(depth + 1);
    }
    if (isOp(t, '!') || isOp(t, 'not')) {
      at++;
      return `$not(${unary(depth + 1)})`;
    }
    return primary(depth);
  };

  const primary = (depth: number): string => {
    const t = peek();
    if (t.kind === 'num') {
      at++;
      const n = Number(t.text);
      if (!Number.isFinite(n)) throw new Refused(t.pos, `${t.text} is not a finite number`);
      return String(n);
    }
    if (isOp(t, '(')) {
      at++;
      const inner = ternary(depth + 1);
      expect(')');
      return `(${inner})`;
    }
    if (t.kind === 'id') {
      at++;
      if (t.text === 'true' || t.text === 'false') return t.text;
      if (isOp(peek(), '(')) {
        const fn = Object.hasOwn(FUNCTIONS, t.text) ? FUNCTIONS[t.text]! : undefined;
        if (!fn) throw new Refused(t.pos, `the function ${t.text}() is not translated (supported: ${Object.keys(FUNCTIONS).join(', ')})`);
        at++;
        const args: string[] = [];
        if (!isOp(peek(), ')')) {
          args.push(ternary(depth + 1));
          while (isOp(peek(), ',')) {
            at++;
            args.push(ternary(depth + 1));
          }
        }
        expect(')');
        const [lo, hi] = ARITY[t.text]!;
        if (args.length < lo || args.length > hi)
          throw new Refused(t.pos, `${t.text}() takes ${lo === hi ? lo : `${lo} to ${hi}`} argument${hi === 1 ? '' : 's'}, got ${args.length}`);
        return fn(args);
      }
      const value = read(t.text);
      if (value === undefined) throw new Refused(t.pos, `unknown name "${t.text}": a formula reads the named triggers other than cpu and memory`);
      used.add(t.text);
      return value;
    }
    throw new Refused(t.pos, t.kind === 'end' ? 'the formula ends too early' : `"${t.text}" is not expected here`);
  };

  try {
    const out = ternary(0);
    const t = peek();
    if (t.kind !== 'end') throw new Refused(t.pos, `"${t.text}" is not expected here`);
    return { ok: true, jsonata: out, triggers: [...used] };
  } catch (e) {
    if (e instanceof Refused) return { ok: false, position: e.position, message: e.message };
    throw e;
  }
}
