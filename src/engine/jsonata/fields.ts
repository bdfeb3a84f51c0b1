// Reading one field of an object as jsonata's lookup does, with a reader of its own for each field name of the rule context.
import { hasOwn } from './sequences.js';

/** An object's own value of one field, undefined when it has none or is a function value (jsonata's fn.lookup on an object). */
export type FieldReader = (o: Record<string, unknown>) => unknown;

const OP = Object.prototype;

/**
 * The reader for any name: a closure literal shared by every name, so its loads see every object
 * every path reads and go megamorphic (a hash probe per load).
 */
function genericReader(name: string): FieldReader {
  return (o) => {
    const r = o[name];
    if (r === undefined || !hasOwn.call(o, name) || o._jsonata_function === true || o._jsonata_lambda === true) return undefined;
    return r;
  };
}

/**
 * A reader per field name of the rule context (docs/rules.md) and its points and state: each a
 * closure literal of its own, so V8 keeps its loads' type feedback apart from every other name's,
 * and reads a field of the few object shapes that have it (a summary's `last`, the context's
 * `metrics`) as a fixed offset instead of a megamorphic lookup. The same result as genericReader:
 * `r` is the own value unless it was inherited, and with Object.prototype as the object's prototype
 * and the name absent from it (V8 folds both tests for a known shape) it cannot have been; any other
 * object asks hasOwnProperty as before.
 */
const CONTEXT_READERS: Readonly<Record<string, FieldReader>> = {
  now: (o) => {
    const r = o.now;
    return r === undefined || ((Object.getPrototypeOf(o) !== OP || 'now' in OP) && !hasOwn.call(o, 'now')) || o._jsonata_function === true || o._jsonata_lambda === true
      ? undefined
      : r;
  },
  nowMs: (o) => {
    const r = o.nowMs;
    return r === undefined || ((Object.getPrototypeOf(o) !== OP || 'nowMs' in OP) && !hasOwn.call(o, 'nowMs')) || o._jsonata_function === true || o._jsonata_lambda === true
      ? undefined
      : r;
  },
  window: (o) => {
    const r = o.window;
    return r === undefined || ((Object.getPrototypeOf(o) !== OP || 'window' in OP) && !hasOwn.call(o, 'window')) || o._jsonata_function === true || o._jsonata_lambda === true
      ? undefined
      : r;
  },
  target: (o) => {
    const r = o.target;
    return r === undefined || ((Object.getPrototypeOf(o) !== OP || 'target' in OP) && !hasOwn.call(o, 'target')) || o._jsonata_function === true || o._jsonata_lambda === true
      ? undefined
      : r;
  },
  id: (o) => {
    const r = o.id;
    return r === undefined || ((Object.getPrototypeOf(o) !== OP || 'id' in OP) && !hasOwn.call(o, 'id')) || o._jsonata_function === true || o._jsonata_lambda === true
      ? undefined
      : r;
  },
  labels: (o) => {
    const r = o.labels;
    return r === undefined || ((Object.getPrototypeOf(o) !== OP || 'labels' in OP) && !hasOwn.call(o, 'labels')) || o._jsonata_function === true || o._jsonata_lambda === true
      ? undefined
      : r;
  },
  capacity: (o) => {
    const r = o.capacity;
    return r === undefined || ((Object.getPrototypeOf(o) !== OP || 'capacity' in OP) && !hasOwn.call(o, 'capacity')) || o._jsonata_function === true || o._jsonata_lambda === true
      ? undefined
      : r;
  },
  current: (o) => {
    const r = o.current;
    return r === undefined || ((Object.getPrototypeOf(o) !== OP || 'current' in OP) && !hasOwn.call(o, 'current')) || o._jsonata_function === true || o._jsonata_lambda === true
      ? undefined
      : r;
  },
  minimum: (o) => {
    const r = o.minimum;
    return r === undefined || ((Object.getPrototypeOf(o) !== OP || 'minimum' in OP) && !hasOwn.call(o, 'minimum')) || o._jsonata_function === true || o._jsonata_lambda === true
      ? undefined
      : r;
  },
  maximum: (o) => {
    const r = o.maximum;
    return r === undefined || ((Object.getPrototypeOf(o) !== OP || 'maximum' in OP) && !hasOwn.call(o, 'maximum')) || o._jsonata_function === true || o._jsonata_lambda === true
      ? undefined
      : r;
  },
  default: (o) => {
    const r = o.default;
    return r === undefined || ((Object.getPrototypeOf(o) !== OP || 'default' in OP) && !hasOwn.call(o, 'default')) || o._jsonata_function === true || o._jsonata_lambda === true
      ? undefined
      : r;
  },
  metrics: (o) => {
    const r = o.metrics;
    return r === undefined || ((Object.getPrototypeOf(o) !== OP || 'metrics' in OP) && !hasOwn.call(o, 'metrics')) || o._jsonata_function === true || o._jsonata_lambda === true
      ? undefined
      : r;
  },
  last: (o) => {
    const r = o.last;
    return r === undefined || ((Object.getPrototypeOf(o) !== OP || 'last' in OP) && !hasOwn.call(o, 'last')) || o._jsonata_function === true || o._jsonata_lambda === true
      ? undefined
      : r;
  },
  first: (o) => {
    const r = o.first;
    return r === undefined || ((Object.getPrototypeOf(o) !== OP || 'first' in OP) && !hasOwn.call(o, 'first')) || o._jsonata_function === true || o._jsonata_lambda === true
      ? undefined
      : r;
  },
  avg: (o) => {
    const r = o.avg;
    return r === undefined || ((Object.getPrototypeOf(o) !== OP || 'avg' in OP) && !hasOwn.call(o, 'avg')) || o._jsonata_function === true || o._jsonata_lambda === true
      ? undefined
      : r;
  },
  min: (o) => {
    const r = o.min;
    return r === undefined || ((Object.getPrototypeOf(o) !== OP || 'min' in OP) && !hasOwn.call(o, 'min')) || o._jsonata_function === true || o._jsonata_lambda === true
      ? undefined
      : r;
  },
  max: (o) => {
    const r = o.max;
    return r === undefined || ((Object.getPrototypeOf(o) !== OP || 'max' in OP) && !hasOwn.call(o, 'max')) || o._jsonata_function === true || o._jsonata_lambda === true
      ? undefined
      : r;
  },
  sum: (o) => {
    const r = o.sum;
    return r === undefined || ((Object.getPrototypeOf(o) !== OP || 'sum' in OP) && !hasOwn.call(o, 'sum')) || o._jsonata_function === true || o._jsonata_lambda === true
      ? undefined
      : r;
  },
  count: (o) => {
    const r = o.count;
    return r === undefined || ((Object.getPrototypeOf(o) !== OP || 'count' in OP) && !hasOwn.call(o, 'count')) || o._jsonata_function === true || o._jsonata_lambda === true
      ? undefined
      : r;
  },
  points: (o) => {
    const r = o.points;
    return r === undefined || ((Object.getPrototypeOf(o) !== OP || 'points' in OP) && !hasOwn.call(o, 'points')) || o._jsonata_function === true || o._jsonata_lambda === true
      ? undefined
      : r;
  },
  t: (o) => {
    const r = o.t;
    return r === undefined || ((Object.getPrototypeOf(o) !== OP || 't' in OP) && !hasOwn.call(o, 't')) || o._jsonata_function === true || o._jsonata_lambda === true
      ? undefined
      : r;
  },
  v: (o) => {
    const r = o.v;
    return r === undefined || ((Object.getPrototypeOf(o) !== OP || 'v' in OP) && !hasOwn.call(o, 'v')) || o._jsonata_function === true || o._jsonata_lambda === true
      ? undefined
      : r;
  },
  instance: (o) => {
    const r = o.instance;
    return r === undefined || ((Object.getPrototypeOf(o) !== OP || 'instance' in OP) && !hasOwn.call(o, 'instance')) || o._jsonata_function === true || o._jsonata_lambda === true
      ? undefined
      : r;
  },
  rule: (o) => {
    const r = o.rule;
    return r === undefined || ((Object.getPrototypeOf(o) !== OP || 'rule' in OP) && !hasOwn.call(o, 'rule')) || o._jsonata_function === true || o._jsonata_lambda === true
      ? undefined
      : r;
  },
  direction: (o) => {
    const r = o.direction;
    return r === undefined || ((Object.getPrototypeOf(o) !== OP || 'direction' in OP) && !hasOwn.call(o, 'direction')) || o._jsonata_function === true || o._jsonata_lambda === true
      ? undefined
      : r;
  },
  state: (o) => {
    const r = o.state;
    return r === undefined || ((Object.getPrototypeOf(o) !== OP || 'state' in OP) && !hasOwn.call(o, 'state')) || o._jsonata_function === true || o._jsonata_lambda === true
      ? undefined
      : r;
  },
  lastScale: (o) => {
    const r = o.lastScale;
    return r === undefined || ((Object.getPrototypeOf(o) !== OP || 'lastScale' in OP) && !hasOwn.call(o, 'lastScale')) || o._jsonata_function === true || o._jsonata_lambda === true
      ? undefined
      : r;
  },
  cooldownUntil: (o) => {
    const r = o.cooldownUntil;
    return r === undefined ||
      ((Object.getPrototypeOf(o) !== OP || 'cooldownUntil' in OP) && !hasOwn.call(o, 'cooldownUntil')) ||
      o._jsonata_function === true ||
      o._jsonata_lambda === true
      ? undefined
      : r;
  },
  version: (o) => {
    const r = o.version;
    return r === undefined || ((Object.getPrototypeOf(o) !== OP || 'version' in OP) && !hasOwn.call(o, 'version')) || o._jsonata_function === true || o._jsonata_lambda === true
      ? undefined
      : r;
  },
  at: (o) => {
    const r = o.at;
    return r === undefined || ((Object.getPrototypeOf(o) !== OP || 'at' in OP) && !hasOwn.call(o, 'at')) || o._jsonata_function === true || o._jsonata_lambda === true
      ? undefined
      : r;
  },
  from: (o) => {
    const r = o.from;
    return r === undefined || ((Object.getPrototypeOf(o) !== OP || 'from' in OP) && !hasOwn.call(o, 'from')) || o._jsonata_function === true || o._jsonata_lambda === true
      ? undefined
      : r;
  },
  to: (o) => {
    const r = o.to;
    return r === undefined || ((Object.getPrototypeOf(o) !== OP || 'to' in OP) && !hasOwn.call(o, 'to')) || o._jsonata_function === true || o._jsonata_lambda === true
      ? undefined
      : r;
  },
  out: (o) => {
    const r = o.out;
    return r === undefined || ((Object.getPrototypeOf(o) !== OP || 'out' in OP) && !hasOwn.call(o, 'out')) || o._jsonata_function === true || o._jsonata_lambda === true
      ? undefined
      : r;
  },
  in: (o) => {
    const r = o.in;
    return r === undefined || ((Object.getPrototypeOf(o) !== OP || 'in' in OP) && !hasOwn.call(o, 'in')) || o._jsonata_function === true || o._jsonata_lambda === true
      ? undefined
      : r;
  },
};

/** The reader of `name`: its own for the context's names, the generic one for any other. */
export function fieldReader(name: string): FieldReader {
  return hasOwn.call(CONTEXT_READERS, name) ? CONTEXT_READERS[name]! : genericReader(name);
}
