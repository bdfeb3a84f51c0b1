// Depth and size bounds on untrusted JSON-like values, checked without recursion before any recursive code sees them.
//
// Importers and metric readers walk their input recursively in places (yaml's toJS, JSON.stringify
// of a selector in a message, zod). A body of 1 MiB can nest 500,000 arrays deep, or an alias-
// expanded YAML value repeat one subtree millions of times; either would end in a RangeError (an
// exception, so a 500) or a long stall. This walk uses an explicit stack, stops at the first value
// over a bound, and names where it is.

export interface ValueBounds {
  /** Deepest nesting allowed; the top-level object or array is depth 1. */
  maxDepth: number;
  /** Most values (objects, arrays, scalars) visited; a value reachable twice counts twice. */
  maxNodes: number;
  /** Names of the bounds, for the message: e.g. "IMPORT_LIMITS.nestingDepth". */
  depthName: string;
  nodesName: string;
}

export interface BoundsProblem {
  /** Path of the value where a bound was passed, written like joinPath: `spec.metrics[0].selector`. */
  path: string;
  message: string;
}

interface Frame {
  value: unknown;
  depth: number;
  key: string | number | undefined;
  parent: Frame | undefined;
}

function pathOf(frame: Frame, base: string): string {
  const keys: Array<string | number> = [];
  for (let f: Frame | undefined = frame; f && f.key !== undefined; f = f.parent) keys.push(f.key);
  let out = base;
  for (const k of keys.reverse()) out = typeof k === 'number' ? `${out}[${k}]` : out === '' ? k : `${out}.${k}`;
  return out;
}

/** The first place `value` goes deeper or larger than `bounds`, or undefined when it stays inside them. */
export function checkValueBounds(value: unknown, bounds: ValueBounds, base = ''): BoundsProblem | undefined {
  const stack: Frame[] = [{ value, depth: 0, key: undefined, parent: undefined }];
  let nodes = 0;
  while (stack.length > 0) {
    const frame = stack.pop()!;
    nodes += 1;
    if (nodes > bounds.maxNodes) {
      return { path: pathOf(frame, base), message: `more than ${bounds.maxNodes} values in one document (${bounds.nodesName})` };
    }
    const v = frame.value;
    if (typeof v !== 'object' || v === null) continue;
    const depth = frame.depth + 1;
    if (depth > bounds.maxDepth) {
      return { path: pathOf(frame, base), message: `nested more than ${bounds.maxDepth} levels deep (${bounds.depthName})` };
    }
    // Counted before they are pushed, so a value with a million keys is refused without a million frames.
    const children = Array.isArray(v) ? v.length : Object.keys(v).length;
    if (nodes + stack.length + children > bounds.maxNodes) {
      return { path: pathOf(frame, base), message: `more than ${bounds.maxNodes} values in one document (${bounds.nodesName})` };
    }
    // Pushed in reverse, so the walk (and the first problem found) follows document order.
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], depth, key: i, parent: frame });
    } else {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) stack.push({ value: (v as Record<string, unknown>)[keys[i]!], depth, key: keys[i]!, parent: frame });
    }
  }
  return undefined;
}
