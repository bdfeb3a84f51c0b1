// Rule expressions over the window's numbers, compiled once more into a small stack program that reads the series in the window directly.
//
// Most rule expressions are arithmetic, comparisons and `and`/`or` over a few numbers of the rule's
// window — `metrics.queue.last / capacity.current > 100`, `$count(metrics.queue.points) < 2 or
// $rate(metrics.queue.points) <= 0`, `$max([1, $ceilDiv(metrics.queue.last, 100)])`. The JSONata
// closures (src/engine/jsonata/) evaluate them as the language allows anything to be evaluated: a
// closure call per node, through call sites and property reads shared by every expression of every
// rule set in the isolate, which V8 can neither inline nor keep monomorphic. Measured with two rule
// sets' expressions warm in one process, that was ~240 ns per evaluation, three quarters of a
// queue-workers decision (BENCHMARKS.md).
//
// This file compiles that subset of an expression into instructions (an Int32Array) run by one loop
// over a Float64Array stack: `metrics.<metric>.<last|first|avg|min|max|sum|count>`, `capacity.<field>`,
// `nowMs`, number and boolean literals, `+ - * / %`, unary minus, comparisons, `= !=`, `and`/`or`,
// `? :`, parentheses, `$count` and `$rate` of `metrics.<metric>.points`, `$max`/`$min`/`$sum`/`$average`
// of `metrics.<metric>.points.v`, `$ceilDiv`, and `$max`/`$min` of an array of numbers. It reads the
// target's series in the rule's window itself (windowBounds, as the summaries find it; foldRange, the
// summaries' fold, for sum, avg, min and max; $rate and the values over the range without copying it), so
// a rule whose expressions all run here builds no summaries, metrics object or context at all.
//
// It computes what the JSONata closures compute and charges what they charge: each instruction carries
// the units its node charges there (compile.ts, paths.ts, operators.ts, constructors.ts, calls.ts),
// built-ins add what theirs charge (before their work, checked against the meter's room), and the total
// is charged at the end when it fits. Whatever leaves that path — a metric without data, a non-finite
// operand, `$rate` of fewer than two points, a division by zero in `$ceilDiv`, a total that does not
// fit — returns BAIL, having charged nothing, and the caller evaluates the expression with the JSONata
// closures from the start: errors, positions and budget exhaustion are then theirs.
// test/engine/expr-fast.test.ts checks value, work, memory and budget use against them on generated
// expressions, windows and budgets.
import type { AstNode } from './jsonata/ast.js';
import { MEMORY_COST } from './jsonata/runtime.js';
import { HELPER_FUNCTIONS, rateOfRange } from './expr-functions.js';
import { FOLD, foldRange, WINDOW, windowBounds, type Point } from './metrics.js';

/** What a run returns when it left the fast path (nothing was charged). */
export const BAIL: unique symbol = Symbol('fast path left');

/** A compiled expression: its instructions (with what each charges), its constants and the metrics it reads. */
export interface FastProgram {
  /**
   * Instructions of four numbers each: opcode, operand, the work units and the bytes it charges (one
   * array: the loop reads one base, measured faster than three).
   */
  readonly code: Int32Array;
  readonly constants: Float64Array;
  /** The metrics the program reads, by index. */
  readonly metrics: readonly string[];
  /** Per metric: whether the program reads its sum, avg, min or max (one pass over the window for all four). */
  readonly folds: readonly boolean[];
  /** Whether the value is a boolean (1 or 0 on the stack) rather than a number. */
  readonly boolean: boolean;
}

/**
 * Deepest stack a program may need: one fixed stack, whose base V8 can hold as a constant (measured
 * ~30 % faster than a stack grown on demand). A nesting this deep is far beyond a rule's condition;
 * a deeper expression is simply left to the JSONata closures.
 */
const MAX_STACK = 64;
/** Most metrics one program reads (their windows are kept in fixed arrays); more is left to the closures. */
const MAX_METRICS = 8;

// Opcodes. Leaves push; operators pop their operands and push the result. A const enum, so that each
// `case` is a literal: with module constants V8 compared the opcode with each case in turn (~3× slower).
const enum Op {
  NUM = 0, // push constants[arg]
  LAST = 1, // push that value of metric[arg]'s window (its last, first, …)
  FIRST = 2,
  AVG = 3,
  MIN = 4,
  MAX = 5,
  SUM = 6,
  COUNT = 7,
  CAP_CURRENT = 8, // push capacity.<field>
  CAP_MINIMUM = 9,
  CAP_MAXIMUM = 10,
  CAP_DEFAULT = 11,
  NOW_MS = 12,
  POINTS_COUNT = 13, // push $count(metrics.<arg>.points)
  POINTS_RATE = 14, // push $rate(metrics.<arg>.points)
  ADD = 15,
  SUB = 16,
  MUL = 17,
  DIV = 18,
  MOD = 19,
  NEG = 20,
  LT = 21,
  LE = 22,
  GT = 23,
  GE = 24,
  EQ = 25,
  NE = 26,
  AND = 27, // top 0: jump to arg (keeping it); else pop and go on
  OR = 28, // top 1: jump to arg (keeping it); else pop and go on
  JUMP_IF_FALSE = 29, // pop; 0: jump to arg
  JUMP = 30,
  CEIL_DIV = 31, // pop b, a; push $ceilDiv(a, b)
  MAX_OF = 32, // pop arg numbers; push their $max
  MIN_OF = 33,
  VALUES_MAX = 34, // push $max(metrics.<arg>.points.v)
  VALUES_MIN = 35,
  VALUES_SUM = 36,
  VALUES_AVERAGE = 37,
}

const SUMMARY_FIELDS: Readonly<Record<string, number>> = { last: Op.LAST, first: Op.FIRST, avg: Op.AVG, min: Op.MIN, max: Op.MAX, sum: Op.SUM, count: Op.COUNT };
const CAPACITY_FIELDS: Readonly<Record<string, number>> = { current: Op.CAP_CURRENT, minimum: Op.CAP_MINIMUM, maximum: Op.CAP_MAXIMUM, default: Op.CAP_DEFAULT };
const ARITHMETIC: Readonly<Record<string, number>> = { '+': Op.ADD, '-': Op.SUB, '*': Op.MUL, '/': Op.DIV, '%': Op.MOD };
const RELATIONAL: Readonly<Record<string, number>> = { '<': Op.LT, '<=': Op.LE, '>': Op.GT, '>=': Op.GE };

// What the JSONata closures charge for these nodes (one unit per node evaluated, see charges.ts):
/** A path of n plain names that ends in a number: n + 1 (paths.ts). */
const pathUnits = (steps: number) => steps + 1;
/** `metrics.<m>.points`, a plain array found by the third step: 4, then fromArray's 4·2 + 3, and an array of one per earlier step. */
const POINTS_PATH_UNITS = 4 + 4 * 2 + 3;
const POINTS_PATH_BYTES = 2 * (MEMORY_COST.arrayHeader + MEMORY_COST.arraySlot);
/** A call of a known built-in: the call, and the procedure's variable (calls.ts). */
const CALL_UNITS = 2;
/**
 * `metrics.<m>.points.v` (paths.ts, steps.ts): the path's 5, fromArray's 11 and 80 bytes for the
 * points array found by the third step; then per point n: the points produced (n units, an array of
 * n), the name step (1 + 2n units) and the values it produces (n units, an array of n); and the
 * aggregate's one unit per value (functions/aggregate.ts).
 */
const VALUES_PATH_UNITS = 5 + 11 + 1;
const VALUES_PATH_BYTES = 80 + 2 * MEMORY_COST.arrayHeader;
const VALUES_UNITS_PER_POINT = 1 + 2 + 1 + 1;
const VALUES_BYTES_PER_POINT = 2 * MEMORY_COST.arraySlot;
const VALUES_OPS: Readonly<Record<string, number>> = { max: Op.VALUES_MAX, min: Op.VALUES_MIN, sum: Op.VALUES_SUM, average: Op.VALUES_AVERAGE };

const helper = (name: string) => {
  const h = HELPER_FUNCTIONS.find((f) => f.name === name);
  if (!h) throw new Error(`helper $${name} is not registered`);
  return h.impl;
};
/** The registered helper itself, so the values are its own; its charges (none) are the program's. */
const ceilDivOf = helper('ceilDiv') as (ctx: unknown, a: number, b: number) => number | undefined;
/** What $ceilDiv is given as its context: it reads neither the clock nor the meter through it (the charges are the program's). */
const HELPER_CONTEXT = { now: 0, meter: { charge: () => undefined } };

/** No predicate, group-by, `[]`, stages, focus, index or tuple binding on the node. */
function plain(node: AstNode): boolean {
  return (
    node.predicate === undefined &&
    node.group === undefined &&
    node.keepArray !== true &&
    node.stages === undefined &&
    node.focus === undefined &&
    node.index === undefined &&
    node.tuple !== true &&
    node.ancestor === undefined
  );
}

/** The names of a path of plain field names, or undefined. */
function pathNames(node: AstNode): string[] | undefined {
  if (node.type !== 'path' || !plain(node) || node.keepSingletonArray === true) return undefined;
  const names: string[] = [];
  for (const step of node.steps as AstNode[]) {
    if (step.type !== 'name' || !plain(step) || typeof step.value !== 'string') return undefined;
    names.push(step.value);
  }
  return names;
}

/** Thrown while compiling when the expression is not in the subset. */
class Outside extends Error {}

class Assembler {
  readonly code: number[] = [];
  readonly constants: number[] = [];
  readonly metricNames: string[] = [];
  readonly folds: boolean[] = [];
  /** Units of nodes that began before the next instruction: charged by it (it always runs when they do). */
  private pending = 0;
  private depth = 0;
  maxDepth = 0;

  charge(units: number): void {
    this.pending += units;
  }
  emit(op: number, arg: number, pushes: number, units = 0, bytes = 0): number {
    const at = this.code.length / 4;
    this.code.push(op, arg, this.pending + units, bytes);
    this.pending = 0;
    this.depth += pushes;
    this.maxDepth = Math.max(this.maxDepth, this.depth);
    return at;
  }
  /** The instruction index the next emit() will have. */
  here(): number {
    return this.code.length / 4;
  }
  /** Point the jump at instruction `at` to instruction `target` (as the offset of its first number). */
  patch(at: number, target: number): void {
    this.code[at * 4 + 1] = target * 4;
  }
  constant(value: number): number {
    this.constants.push(value);
    return this.constants.length - 1;
  }
  /**
   * The index of a metric the program reads. A name Object.prototype has (`constructor`, `__proto__`)
   * is left to the closures: the window's metrics object, a plain object, answers for those itself.
   */
  metric(name: string, fold = false): number {
    if (name in Object.prototype) throw new Outside();
    let k = this.metricNames.indexOf(name);
    if (k < 0) {
      if (this.metricNames.length >= MAX_METRICS) throw new Outside();
      this.metricNames.push(name);
      this.folds.push(false);
      k = this.metricNames.length - 1;
    }
    if (fold) this.folds[k] = true;
    return k;
  }
  /** The depth as the program stands after a branch that was not taken (for the other branch). */
  setDepth(depth: number): void {
    this.depth = depth;
  }
  get currentDepth(): number {
    return this.depth;
  }
}

type Kind = 'number' | 'boolean';

/** Compile `node` for its value on the stack; its kind, or throws Outside. */
function compileNode(a: Assembler, node: AstNode): Kind {
  if (!plain(node)) throw new Outside();
  switch (node.type) {
    case 'number': {
      if (typeof node.value !== 'number' || !Number.isFinite(node.value)) throw new Outside();
      a.emit(Op.NUM, a.constant(node.value), 1, 1);
      return 'number';
    }
    case 'value':
      if (typeof node.value !== 'boolean') throw new Outside();
      a.emit(Op.NUM, a.constant(node.value ? 1 : 0), 1, 1);
      return 'boolean';
    case 'path':
      return compileLeaf(a, node);
    case 'block': {
      const exprs: AstNode[] = node.expressions;
      if (exprs.length !== 1 || exprs[0].type === 'bind') throw new Outside();
      a.charge(1);
      return compileNode(a, exprs[0]);
    }
    case 'unary': {
      if (node.value !== '-') throw new Outside();
      a.charge(1);
      if (compileNode(a, node.expression) !== 'number') throw new Outside();
      a.emit(Op.NEG, 0, 0);
      return 'number';
    }
    case 'binary':
      return compileBinary(a, node);
    case 'condition': {
      if (node.else === undefined) throw new Outside();
      a.charge(1);
      if (compileNode(a, node.condition) !== 'boolean') throw new Outside();
      const test = a.emit(Op.JUMP_IF_FALSE, 0, -1);
      const depth = a.currentDepth;
      const then = compileNode(a, node.then);
      const skip = a.emit(Op.JUMP, 0, 0);
      a.patch(test, a.here());
      a.setDepth(depth);
      const otherwise = compileNode(a, node.else);
      if (then !== otherwise) throw new Outside();
      a.patch(skip, a.here());
      return then;
    }
    case 'function':
      return compileCall(a, node);
    default:
      throw new Outside();
  }
}

/** `metrics.<m>.<field>`, `capacity.<field>`, `nowMs`. */
function compileLeaf(a: Assembler, node: AstNode): Kind {
  const names = pathNames(node);
  if (names === undefined) throw new Outside();
  if (names.length === 3 && names[0] === 'metrics' && Object.hasOwn(SUMMARY_FIELDS, names[2]!)) {
    const op = SUMMARY_FIELDS[names[2]!]!;
    a.emit(op, a.metric(names[1]!, op === Op.AVG || op === Op.MIN || op === Op.MAX || op === Op.SUM), 1, pathUnits(3));
    return 'number';
  }
  if (names.length === 2 && names[0] === 'capacity' && Object.hasOwn(CAPACITY_FIELDS, names[1]!)) {
    a.emit(CAPACITY_FIELDS[names[1]!]!, 0, 1, pathUnits(2));
    return 'number';
  }
  if (names.length === 1 && names[0] === 'nowMs') {
    a.emit(Op.NOW_MS, 0, 1, pathUnits(1));
    return 'number';
  }
  throw new Outside();
}

function compileBinary(a: Assembler, node: AstNode): Kind {
  const op: string = node.value;
  a.charge(1);
  if (op === 'and' || op === 'or') {
    if (compileNode(a, node.lhs) !== 'boolean') throw new Outside();
    const jump = a.emit(op === 'and' ? Op.AND : Op.OR, 0, -1);
    if (compileNode(a, node.rhs) !== 'boolean') throw new Outside();
    a.patch(jump, a.here());
    return 'boolean';
  }
  const l = compileNode(a, node.lhs);
  const r = compileNode(a, node.rhs);
  if (op === '=' || op === '!=') {
    if (l !== r) throw new Outside();
    a.emit(op === '=' ? Op.EQ : Op.NE, 0, -1);
    return 'boolean';
  }
  if (l !== 'number' || r !== 'number') throw new Outside();
  if (Object.hasOwn(ARITHMETIC, op)) {
    a.emit(ARITHMETIC[op]!, 0, -1);
    return 'number';
  }
  if (Object.hasOwn(RELATIONAL, op)) {
    a.emit(RELATIONAL[op]!, 0, -1);
    return 'boolean';
  }
  throw new Outside();
}

/** `$count`/`$rate` of a metric's points, `$ceilDiv(a, b)`, `$max`/`$min` of an array constructor of numbers. */
function compileCall(a: Assembler, node: AstNode): Kind {
  const procedure: AstNode = node.procedure;
  if (procedure.type !== 'variable' || !plain(procedure)) throw new Outside();
  const args: AstNode[] = node.arguments;
  const name: unknown = procedure.value;
  a.charge(CALL_UNITS);
  if ((name === 'count' || name === 'rate') && args.length === 1) {
    const names = pathNames(args[0]);
    if (names === undefined || names.length !== 3 || names[0] !== 'metrics' || names[2] !== 'points') throw new Outside();
    a.emit(name === 'count' ? Op.POINTS_COUNT : Op.POINTS_RATE, a.metric(names[1]!), 1, POINTS_PATH_UNITS, POINTS_PATH_BYTES);
    return 'number';
  }
  if (name === 'ceilDiv' && args.length === 2) {
    if (compileNode(a, args[0]) !== 'number' || compileNode(a, args[1]) !== 'number') throw new Outside();
    a.emit(Op.CEIL_DIV, 0, -1);
    return 'number';
  }
  if (typeof name === 'string' && Object.hasOwn(VALUES_OPS, name) && args.length === 1) {
    const names = pathNames(args[0]);
    if (names !== undefined && names.length === 4 && names[0] === 'metrics' && names[2] === 'points' && names[3] === 'v') {
      a.emit(VALUES_OPS[name]!, a.metric(names[1]!), 1, VALUES_PATH_UNITS, VALUES_PATH_BYTES);
      return 'number';
    }
  }
  if ((name === 'max' || name === 'min') && args.length === 1) {
    const array = args[0];
    if (array.type !== 'unary' || array.value !== '[' || !plain(array) || array.consarray === true) throw new Outside();
    const items: AstNode[] = array.expressions;
    if (items.length === 0) throw new Outside();
    a.charge(1); // the constructor
    for (const item of items) if (compileNode(a, item) !== 'number') throw new Outside();
    // produced(n): n units and the array's bytes, then the built-in's one unit per item
    const n = items.length;
    a.emit(name === 'max' ? Op.MAX_OF : Op.MIN_OF, n, 1 - n, n + n, MEMORY_COST.arrayHeader + n * MEMORY_COST.arraySlot);
    return 'number';
  }
  throw new Outside();
}

/** The fast program of an expression's parse tree, or undefined when it is not in the subset. */
export function compileFast(ast: unknown): FastProgram | undefined {
  const a = new Assembler();
  let kind: Kind;
  try {
    kind = compileNode(a, ast as AstNode);
  } catch (err) {
    if (err instanceof Outside) return undefined;
    throw err;
  }
  if (a.maxDepth > MAX_STACK) return undefined;
  return {
    code: Int32Array.from(a.code),
    constants: Float64Array.from(a.constants),
    metrics: a.metricNames,
    folds: a.folds,
    boolean: kind === 'boolean',
  };
}

/** What a run charged (read after a run that did not bail). */
export let fastWork = 0;
export let fastMemory = 0;

const STACK = new Float64Array(MAX_STACK);
// Each metric's window in the running program: its series and the bounds of the window in it, and
// for a metric whose sum, avg, min or max is read, those (summaryOf's arithmetic, in its order).
const SERIES: Array<readonly Point[]> = [];
const STARTS = new Int32Array(MAX_METRICS);
const ENDS = new Int32Array(MAX_METRICS);
const SUMS = new Float64Array(MAX_METRICS);
const MINS = new Float64Array(MAX_METRICS);
const MAXS = new Float64Array(MAX_METRICS);

/**
 * Run `p` over the target's series (sorted by `t`, as RuleInputs holds them) in the window
 * (now − windowMs, now], with the bounded capacity. `room` is the work the meter can still take: a
 * built-in's charge past it leaves the run before its work; `maxArrayLength` is the evaluation's. Returns the number (for a boolean program
 * 1 or 0), with fastWork and fastMemory set, or BAIL — also when a metric has no point in the window,
 * which the closures' path reports as missing data.
 */
export function runFast(
  p: FastProgram,
  series: ReadonlyMap<string, readonly Point[]>,
  now: number,
  windowMs: number,
  capacity: { current: number; minimum: number; maximum: number; default: number },
  room: number,
  maxArrayLength: number,
): number | typeof BAIL {
  const names = p.metrics;
  for (let k = 0; k < names.length; k++) {
    const points = series.get(names[k]!);
    if (points === undefined || !windowBounds(points, now, windowMs)) return BAIL;
    const start = WINDOW.start;
    const end = WINDOW.end;
    SERIES[k] = points;
    STARTS[k] = start;
    ENDS[k] = end;
    if (p.folds[k]) {
      // the summaries' own fold, so the same numbers
      foldRange(points, start, end);
      SUMS[k] = FOLD.sum;
      MINS[k] = FOLD.min;
      MAXS[k] = FOLD.max;
    }
  }
  const st = STACK;
  const code = p.code;
  const constants = p.constants;
  const end = code.length;
  let sp = 0;
  let work = 0;
  let memory = 0;
  let pc = 0;
  while (pc < end) {
    const op = code[pc]!;
    const arg = code[pc + 1]!;
    work += code[pc + 2]!;
    memory += code[pc + 3]!;
    pc += 4;
    switch (op) {
      case Op.NUM:
        st[sp++] = constants[arg]!;
        break;
      case Op.LAST:
        st[sp++] = SERIES[arg]![ENDS[arg]! - 1]!.v;
        break;
      case Op.FIRST:
        st[sp++] = SERIES[arg]![STARTS[arg]!]!.v;
        break;
      case Op.AVG:
        st[sp++] = SUMS[arg]! / (ENDS[arg]! - STARTS[arg]!);
        break;
      case Op.MIN:
        st[sp++] = MINS[arg]!;
        break;
      case Op.MAX:
        st[sp++] = MAXS[arg]!;
        break;
      case Op.SUM:
        st[sp++] = SUMS[arg]!;
        break;
      case Op.COUNT:
        st[sp++] = ENDS[arg]! - STARTS[arg]!;
        break;
      case Op.CAP_CURRENT:
        st[sp++] = capacity.current;
        break;
      case Op.CAP_MINIMUM:
        st[sp++] = capacity.minimum;
        break;
      case Op.CAP_MAXIMUM:
        st[sp++] = capacity.maximum;
        break;
      case Op.CAP_DEFAULT:
        st[sp++] = capacity.default;
        break;
      case Op.NOW_MS:
        st[sp++] = now;
        break;
      case Op.POINTS_COUNT: {
        // count's work(n): one unit per item of the window's points
        const n = ENDS[arg]! - STARTS[arg]!;
        work += n;
        st[sp++] = n;
        break;
      }
      case Op.POINTS_RATE: {
        const n = ENDS[arg]! - STARTS[arg]!;
        // $rate of fewer than two points is undefined: the JSONata closures say what that makes
        if (n < 2) return BAIL;
        // chargePoints: one unit per point (epoch-ms times), before the helper reads them
        work += n;
        if (work > room) return BAIL;
        const r = rateOfRange(SERIES[arg]!, STARTS[arg]!, ENDS[arg]!);
        if (r === undefined) return BAIL;
        st[sp++] = r;
        break;
      }
      case Op.ADD:
      case Op.SUB:
      case Op.MUL:
      case Op.DIV:
      case Op.MOD: {
        const r = st[--sp]!;
        const l = st[sp - 1]!;
        // both finite, as the JSONata closures' fast case; anything else is theirs to report
        if (l - l !== 0 || r - r !== 0) return BAIL;
        st[sp - 1] = op === Op.ADD ? l + r : op === Op.SUB ? l - r : op === Op.MUL ? l * r : op === Op.DIV ? l / r : l % r;
        break;
      }
      case Op.NEG: {
        const x = st[sp - 1]!;
        if (x - x !== 0) return BAIL;
        st[sp - 1] = -x;
        break;
      }
      case Op.LT:
      case Op.LE:
      case Op.GT:
      case Op.GE:
      case Op.EQ:
      case Op.NE: {
        const r = st[--sp]!;
        const l = st[sp - 1]!;
        const v = op === Op.LT ? l < r : op === Op.LE ? l <= r : op === Op.GT ? l > r : op === Op.GE ? l >= r : op === Op.EQ ? l === r : l !== r;
        st[sp - 1] = v ? 1 : 0;
        break;
      }
      case Op.AND:
        if (st[sp - 1] === 0) pc = arg;
        else sp--;
        break;
      case Op.OR:
        if (st[sp - 1] !== 0) pc = arg;
        else sp--;
        break;
      case Op.JUMP_IF_FALSE:
        if (st[--sp] === 0) pc = arg;
        break;
      case Op.JUMP:
        pc = arg;
        break;
      case Op.CEIL_DIV: {
        const b = st[--sp]!;
        const a = st[sp - 1]!;
        // the helper throws for a division by zero: that error is the JSONata closures' to report
        if (b === 0) return BAIL;
        const q = ceilDivOf(HELPER_CONTEXT, a, b);
        if (q === undefined) return BAIL;
        st[sp - 1] = q;
        break;
      }
      case Op.MAX_OF:
      case Op.MIN_OF: {
        // jsonata's $max/$min: Math.max/min folded over the items from ±Infinity
        let m = op === Op.MAX_OF ? -Infinity : Infinity;
        const from = sp - arg;
        for (let i = from; i < sp; i++) m = op === Op.MAX_OF ? Math.max(m, st[i]!) : Math.min(m, st[i]!);
        sp = from;
        st[sp++] = m;
        break;
      }
      case Op.VALUES_MAX:
      case Op.VALUES_MIN:
      case Op.VALUES_SUM:
      case Op.VALUES_AVERAGE: {
        const points = SERIES[arg]!;
        const from = STARTS[arg]!;
        const to = ENDS[arg]!;
        const n = to - from;
        // the arrays the path produces, refused past the array limit as produced() refuses them
        if (n > maxArrayLength) return BAIL;
        work += VALUES_UNITS_PER_POINT * n;
        memory += VALUES_BYTES_PER_POINT * n;
        if (work > room) return BAIL;
        // jsonata's $max/$min (Math.max/min from ±Infinity), $sum (from 0), $average (the sum ÷ n), in point order
        let r: number;
        if (op === Op.VALUES_MAX) {
          r = -Infinity;
          for (let i = from; i < to; i++) r = Math.max(r, points[i]!.v);
        } else if (op === Op.VALUES_MIN) {
          r = Infinity;
          for (let i = from; i < to; i++) r = Math.min(r, points[i]!.v);
        } else {
          r = 0;
          for (let i = from; i < to; i++) r += points[i]!.v;
          if (op === Op.VALUES_AVERAGE) r /= n;
        }
        st[sp++] = r;
        break;
      }
      default:
        return BAIL;
    }
  }
  const value = st[0]!;
  // a number the rule cannot use (the JSONata closures' result would be refused with its own error)
  if (!p.boolean && value - value !== 0) return BAIL;
  fastWork = work;
  fastMemory = memory;
  return value;
}
