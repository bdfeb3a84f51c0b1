// jsonata's processed AST as the compiler reads it: node and closure types, and the walks over a tree.
import type { Frame } from './frame.js';

/** A node of jsonata's processed AST (parser.js processAST); its shape depends on `type`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AstNode = any;

/** A compiled node: jsonata's evaluate(expr, input, environment) for one fixed expr. */
export type Ev = (input: unknown, env: Frame) => unknown;

/** One item of a tuple stream: `@` is the context value, the other keys the focus/index/ancestor bindings. */
export type Tuple = Record<string, unknown>;


/** The child expressions of a node (for scope analysis and the depth check). */
export function astChildren(node: AstNode): AstNode[] {
  const out: AstNode[] = [];
  const add = (n: AstNode): void => {
    if (n !== null && typeof n === 'object' && typeof n.type === 'string') out.push(n);
  };
  switch (node.type) {
    case 'path':
      for (const s of node.steps) add(s);
      break;
    case 'binary':
    case 'bind':
    case 'apply':
      add(node.lhs);
      add(node.rhs);
      break;
    case 'unary':
      if (node.value === '{')
        for (const [k, v] of node.lhs) {
          add(k);
          add(v);
        }
      else if (node.value === '[') for (const e of node.expressions) add(e);
      else add(node.expression);
      break;
    case 'function':
    case 'partial':
      add(node.procedure);
      for (const a of node.arguments) add(a);
      break;
    case 'lambda':
      add(node.body);
      break;
    case 'condition':
      add(node.condition);
      add(node.then);
      add(node.else);
      break;
    case 'block':
      for (const e of node.expressions) add(e);
      break;
    case 'transform':
      add(node.pattern);
      add(node.update);
      add(node.delete);
      break;
    case 'sort':
      for (const t of node.terms) add(t.expression);
      break;
  }
  if (Array.isArray(node.predicate)) for (const p of node.predicate) add(p.expr);
  if (Array.isArray(node.stages)) for (const s of node.stages) if (s.type === 'filter') add(s.expr);
  if (node.group)
    for (const [k, v] of node.group.lhs) {
      add(k);
      add(v);
    }
  return out;
}

/**
 * Names bound by `:=` in the scope a node opens (its own frame): every bind below it that is not
 * inside a nested block or lambda (which open frames of their own). Tail-call thunks are transparent.
 */
export function collectBinds(node: AstNode, out: Set<string>, top: boolean): void {
  if (!top && (node.type === 'block' || (node.type === 'lambda' && node.thunk !== true))) return;
  if (node.type === 'bind') out.add(node.lhs.value);
  for (const child of astChildren(node)) collectBinds(child, out, false);
}

/** Names bound anywhere in the expression by `:=` or as lambda parameters. */
export function collectBoundNames(node: AstNode, out: Set<string>): void {
  if (node.type === 'bind') out.add(node.lhs.value);
  if (node.type === 'lambda' && Array.isArray(node.arguments)) for (const p of node.arguments) out.add(p.value);
  for (const child of astChildren(node)) collectBoundNames(child, out);
}

/** Names bound by focus (@$x) and index (#$i) bindings anywhere in the expression (tuple frames). */
export function collectTupleNames(node: AstNode, out: Set<string>): void {
  if (typeof node.focus === 'string') out.add(node.focus);
  if (typeof node.index === 'string') out.add(node.index);
  if (Array.isArray(node.stages)) for (const s of node.stages) if (s.type === 'index') out.add(s.value);
  for (const child of astChildren(node)) collectTupleNames(child, out);
}

/** Node types whose evaluation can return a sequence (the others skip evaluate()'s unwrapping). */
export function mayBeSequence(node: AstNode): boolean {
  switch (node.type) {
    case 'string':
    case 'number':
    case 'value':
    case 'lambda':
    case 'regex':
    case 'transform':
    case 'unary':
    case 'partial':
      return false;
    case 'binary':
      return node.value === '..';
    default:
      return true;
  }
}
