// Operators (jsonata's evaluateBinary, evaluateUnary): boolean, arithmetic, comparison, equality, `&`, `..`, `in`, unary minus.
//
// Numbers are the common case: arithmetic on two finite numbers and comparison of two numbers are
// done inline in the node's closure; anything else goes through jsonata's checks (numericSlow,
// comparisonSlow), whose errors are annotated with the operator and its position.
//
// Each arithmetic and comparison operator (and `and`, `or`) has a closure literal of its own, though
// they differ only in the operator: V8 keeps type feedback per closure literal, and one literal
// shared by the operators (switching on an operator index) measured 10–25% slower on numeric
// conditions in a micro-benchmark.
import type { AstNode, Ev } from './ast.js';
import { D_CONCAT, D_EVAL, D_FILTER } from './charges.js';
import { literal, type Compiler } from './compile.js';
import { compileArray, compileGroup } from './constructors.js';
import { isJsonataErr } from './errors.js';
import { edgescaleError, jsonataError, U_STRING_TOO_LONG } from './messages.js';
import { range } from './range.js';
import { MEMORY_COST } from './runtime.js';
import { M, RT } from './state.js';
import { boolize, deepEqual, isNumeric, toJsonataString } from './values.js';

const NUMERIC: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '%': (a, b) => a % b,
};

const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

export function compileBinary(c: Compiler, node: AstNode): Ev {
  const op: string = node.value;
  const lhs = c.compile(node.lhs);
  const rhs = c.compile(node.rhs);
  const position: number | undefined = node.position;
  const fail = (err: unknown): never => {
    if (isJsonataErr(err)) {
      err.position = position;
      err.token = op;
    }
    throw err;
  };
  switch (op) {
    case 'and':
      return (input, env) => {
        M.charge(1, D_EVAL);
        const l = lhs(input, env);
        try {
          return boolize(l) && boolize(rhs(input, env));
        } catch (err) {
          return fail(err);
        }
      };
    case 'or':
      return (input, env) => {
        M.charge(1, D_EVAL);
        const l = lhs(input, env);
        try {
          return boolize(l) || boolize(rhs(input, env));
        } catch (err) {
          return fail(err);
        }
      };
    case '+':
    case '-':
    case '*':
    case '/':
    case '%': {
      const f = NUMERIC[op]!;
      const slow = (l: unknown, r: unknown): unknown => {
        try {
          return numericSlow(l, r, f);
        } catch (err) {
          return fail(err);
        }
      };
      // One closure per operator, so the fast case does its arithmetic inline (see the top of the file).
      // Both finite numbers (x - x is 0 only for finite x): jsonata's checks all pass.
      const finite = (l: unknown, r: unknown): boolean => typeof l === 'number' && typeof r === 'number' && l - l === 0 && r - r === 0;
      switch (op) {
        case '+':
          return (input, env) => {
            M.charge(1, D_EVAL);
            const l = lhs(input, env);
            const r = rhs(input, env);
            return finite(l, r) ? (l as number) + (r as number) : slow(l, r);
          };
        case '-':
          return (input, env) => {
            M.charge(1, D_EVAL);
            const l = lhs(input, env);
            const r = rhs(input, env);
            return finite(l, r) ? (l as number) - (r as number) : slow(l, r);
          };
        case '*':
          return (input, env) => {
            M.charge(1, D_EVAL);
            const l = lhs(input, env);
            const r = rhs(input, env);
            return finite(l, r) ? (l as number) * (r as number) : slow(l, r);
          };
        case '/':
          return (input, env) => {
            M.charge(1, D_EVAL);
            const l = lhs(input, env);
            const r = rhs(input, env);
            return finite(l, r) ? (l as number) / (r as number) : slow(l, r);
          };
        default:
          return (input, env) => {
            M.charge(1, D_EVAL);
            const l = lhs(input, env);
            const r = rhs(input, env);
            return finite(l, r) ? (l as number) % (r as number) : slow(l, r);
          };
      }
    }
    case '=':
    case '!=': {
      const negate = op === '!=';
      return (input, env) => {
        M.charge(1, D_EVAL);
        const l = lhs(input, env);
        const r = rhs(input, env);
        if (l === undefined || r === undefined) return false;
        if (typeof l !== 'object' || typeof r !== 'object') return (l === r) !== negate;
        try {
          return deepEqual(l, r, M) !== negate;
        } catch (err) {
          return fail(err);
        }
      };
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const cmp = COMPARE[op]!;
      const general = (l: unknown, r: unknown): unknown => {
        const lt = typeof l;
        if (lt === typeof r && (lt === 'number' || lt === 'string')) return cmp(l as number, r as number);
        try {
          return comparisonSlow(l, r, cmp);
        } catch (err) {
          return fail(err);
        }
      };
      if (node.rhs.type === 'number' && typeof node.rhs.value === 'number' && node.rhs.predicate === undefined && node.rhs.group === undefined) {
        // A number literal on the right (`> 100`): its node's evaluation (one unit, then the number)
        // written out after the left side's, as the literal's closure would do it, without the call.
        const k: number = node.rhs.value;
        switch (op) {
          case '<':
            return (input, env) => {
              M.charge(1, D_EVAL);
              const l = lhs(input, env);
              M.charge(1, D_EVAL);
              return typeof l === 'number' ? l < k : general(l, k);
            };
          case '<=':
            return (input, env) => {
              M.charge(1, D_EVAL);
              const l = lhs(input, env);
              M.charge(1, D_EVAL);
              return typeof l === 'number' ? l <= k : general(l, k);
            };
          case '>':
            return (input, env) => {
              M.charge(1, D_EVAL);
              const l = lhs(input, env);
              M.charge(1, D_EVAL);
              return typeof l === 'number' ? l > k : general(l, k);
            };
          default:
            return (input, env) => {
              M.charge(1, D_EVAL);
              const l = lhs(input, env);
              M.charge(1, D_EVAL);
              return typeof l === 'number' ? l >= k : general(l, k);
            };
        }
      }
      // One closure per operator: two numbers are compared inline, anything else as above.
      switch (op) {
        case '<':
          return (input, env) => {
            M.charge(1, D_EVAL);
            const l = lhs(input, env);
            const r = rhs(input, env);
            return typeof l === 'number' && typeof r === 'number' ? l < r : general(l, r);
          };
        case '<=':
          return (input, env) => {
            M.charge(1, D_EVAL);
            const l = lhs(input, env);
            const r = rhs(input, env);
            return typeof l === 'number' && typeof r === 'number' ? l <= r : general(l, r);
          };
        case '>':
          return (input, env) => {
            M.charge(1, D_EVAL);
            const l = lhs(input, env);
            const r = rhs(input, env);
            return typeof l === 'number' && typeof r === 'number' ? l > r : general(l, r);
          };
        default:
          return (input, env) => {
            M.charge(1, D_EVAL);
            const l = lhs(input, env);
            const r = rhs(input, env);
            return typeof l === 'number' && typeof r === 'number' ? l >= r : general(l, r);
          };
      }
    }
    case '&':
    case '..': {
      const f = op === '&' ? concat : range;
      return (input, env) => {
        M.charge(1, D_EVAL);
        const l = lhs(input, env);
        const r = rhs(input, env);
        try {
          return f(l, r);
        } catch (err) {
          return fail(err);
        }
      };
    }
    case 'in':
      return (input, env) => {
        M.charge(1, D_EVAL);
        const l = lhs(input, env);
        const r = rhs(input, env);
        if (l === undefined || r === undefined) return false;
        const arr = Array.isArray(r) ? r : [r];
        M.charge(arr.length, D_FILTER);
        for (let i = 0; i < arr.length; i++) if (arr[i] === l) return true;
        return false;
      };
    default:
      return literal(undefined);
  }
}

export function compileUnary(c: Compiler, node: AstNode): Ev {
  switch (node.value) {
    case '-': {
      const expr = c.compile(node.expression);
      const position: number | undefined = node.position;
      return (input, env) => {
        M.charge(1, D_EVAL);
        const result = expr(input, env);
        if (result === undefined) return undefined;
        if (isNumeric(result)) return -result;
        throw jsonataError('D1002', { position, token: '-', value: result });
      };
    }
    case '[':
      return compileArray(c, node);
    case '{':
      return compileGroup(c, node);
    default:
      return literal(undefined);
  }
}

// evaluateNumericExpression, evaluateComparisonExpression, evaluateStringConcat

function numericSlow(lhs: unknown, rhs: unknown, f: (a: number, b: number) => number): number | undefined {
  if (lhs !== undefined && !isNumeric(lhs)) throw jsonataError('T2001', { value: lhs });
  if (rhs !== undefined && !isNumeric(rhs)) throw jsonataError('T2002', { value: rhs });
  if (lhs === undefined || rhs === undefined) return undefined;
  return f(lhs as number, rhs as number);
}

function comparisonSlow(lhs: unknown, rhs: unknown, cmp: (a: number, b: number) => boolean): boolean | undefined {
  const ltype = typeof lhs;
  const rtype = typeof rhs;
  const lcomparable = ltype === 'undefined' || ltype === 'string' || ltype === 'number';
  const rcomparable = rtype === 'undefined' || rtype === 'string' || rtype === 'number';
  if (!lcomparable || !rcomparable) {
    throw jsonataError('T2010', { value: !(ltype === 'string' || ltype === 'number') ? lhs : rhs });
  }
  if (ltype === 'undefined' || rtype === 'undefined') return undefined;
  if (ltype !== rtype) throw jsonataError('T2009', { value: lhs, value2: rhs });
  return cmp(lhs as number, rhs as number);
}

function concat(lhs: unknown, rhs: unknown): string {
  const lstr = lhs === undefined ? '' : toJsonataString(lhs)!;
  const rstr = rhs === undefined ? '' : toJsonataString(rhs)!;
  const length = lstr.length + rstr.length;
  if (length > RT.maxStringLength) {
    throw edgescaleError(U_STRING_TOO_LONG, `string of ${length} characters exceeds the limit of ${RT.maxStringLength}`, { value: length });
  }
  M.charge(length >>> 4, D_CONCAT);
  M.alloc(MEMORY_COST.stringHeader + length * MEMORY_COST.stringChar, D_CONCAT);
  return lstr + rstr;
}
