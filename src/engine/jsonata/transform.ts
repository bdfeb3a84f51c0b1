// Transform (jsonata's evaluateTransformExpression): `|pattern|update, delete|`, a function that edits a clone of its argument.
import type { AstNode, Ev } from './ast.js';
import { apply } from './apply.js';
import { D_EVAL, D_OBJECT } from './charges.js';
import type { Compiler } from './compile.js';
import { parsedSignature } from './globals.js';
import { jsonataError } from './messages.js';
import { MEMORY_COST, type Builtin, type Focus, type SignatureValidator } from './runtime.js';
import { M } from './state.js';
import { isArrayOfStrings, isFunc } from './values.js';

let transformSignature: SignatureValidator | undefined;
/** '<(oa):o>', parsed once, on the first transform evaluated. */
function getTransformSignature(): SignatureValidator {
  transformSignature ??= parsedSignature('<(oa):o>');
  return transformSignature;
}

export function compileTransform(c: Compiler, node: AstNode): Ev {
  const pattern = c.compile(node.pattern);
  const update = c.compile(node.update);
  const del = node.delete !== undefined ? c.compile(node.delete) : undefined;
  const position: number | undefined = node.position;
  const updatePosition: number | undefined = node.update.position;
  const deletePosition: number | undefined = node.delete?.position;
  return (_input, env) => {
    M.charge(1, D_EVAL);
    M.alloc(MEMORY_COST.closure, D_EVAL);
    const transformer = function (this: Focus, obj: unknown): unknown {
      if (obj === undefined) return undefined;
      const cloneFunction = env.lookup('clone');
      if (!isFunc(cloneFunction)) throw jsonataError('T2013', { position });
      // the library's $clone is metered (and so is the fallback below, if the library had none)
      const result = apply(cloneFunction, [obj], null, env, undefined, undefined);
      let matches = pattern(result, env);
      if (matches !== undefined) {
        if (!Array.isArray(matches)) matches = [matches];
        const list = matches as unknown[];
        M.charge(list.length, D_EVAL);
        for (let ii = 0; ii < list.length; ii++) {
          const match = list[ii] as Record<string, unknown>;
          const upd = update(match, env);
          if (upd !== undefined) {
            if (typeof upd !== 'object' || upd === null || Array.isArray(upd)) {
              throw jsonataError('T2011', { position: updatePosition, value: upd });
            }
            const props = Object.keys(upd);
            M.charge(props.length, D_OBJECT);
            M.alloc(props.length * MEMORY_COST.objectProperty, D_OBJECT);
            if (typeof match === 'object' && match !== null) {
              for (const prop of props) match[prop] = (upd as Record<string, unknown>)[prop];
            }
          }
          if (del !== undefined) {
            let deletions = del(match, env);
            if (deletions !== undefined) {
              const val = deletions;
              if (!Array.isArray(deletions)) deletions = [deletions];
              if (!isArrayOfStrings(deletions)) throw jsonataError('T2012', { position: deletePosition, value: val });
              const names = deletions as string[];
              M.charge(names.length, D_OBJECT);
              for (let jj = 0; jj < names.length; jj++) {
                if (typeof match === 'object' && match !== null) delete match[names[jj]!];
              }
            }
          }
        }
      }
      return result;
    };
    const fn: Builtin = {
      _jsonata_function: true,
      name: 'transform',
      signature: '<(oa):o>',
      validator: getTransformSignature(),
      implementation: transformer,
    };
    return fn;
  };
}
