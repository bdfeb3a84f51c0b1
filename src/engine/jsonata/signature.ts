// Function signatures (`<s-nn?:s>`): parsing and argument validation, ported from jsonata 2.2.2 src/signature.js (MIT, © IBM Corp.).
//
// Same codes and the same argument fix-ups as jsonata: a missing `-` argument takes the context value
// (T0411 when its type does not fit), an `a` argument that is not an array is wrapped in one, `a<n>`
// checks every item (T0412), anything else that does not fit the pattern is T0410 with the index of
// the first argument that does not.

import { JsonataError, isFunctionValue, type SignatureValidator } from './runtime.js';

/** Plural type names for T0412's message, as jsonata's arraySignatureMapping. */
const ARRAY_SIGNATURE_MAPPING: Record<string, string> = {
  a: 'arrays',
  b: 'booleans',
  f: 'functions',
  n: 'numbers',
  o: 'objects',
  s: 'strings',
};

/** The argument pattern of each one-letter type, over getSymbol's letters (m: the argument is missing). */
const TYPE_PATTERNS: Record<string, string> = {
  s: '[sm]',
  n: '[nm]',
  b: '[bm]',
  l: '[lm]',
  o: '[om]',
  a: '[asnblfom]',
  f: 'f',
  j: '[asnblom]',
  x: '[asnblfom]',
};

interface Param {
  regex: string;
  type: string;
  array?: boolean;
  context?: boolean;
  contextRegex?: RegExp;
  subtype?: string;
}

/** The one-letter type of a value, as jsonata's getSymbol (m = missing). */
function getSymbol(value: unknown): string {
  if (isFunctionValue(value)) return 'f';
  switch (typeof value) {
    case 'string':
      return 's';
    case 'number':
      return 'n';
    case 'boolean':
      return 'b';
    case 'object':
      if (value === null) return 'l';
      return Array.isArray(value) ? 'a' : 'o';
    default:
      return 'm';
  }
}

function quote(value: unknown): string {
  try {
    const s = JSON.stringify(value);
    return s === undefined ? String(value) : s.length > 100 ? `${s.slice(0, 100)}…` : s;
  } catch {
    return String(value);
  }
}

function fnLabel(name: string | undefined): string {
  return name === undefined ? '' : ` ${JSON.stringify(name)}`;
}

/**
 * Parses a signature definition (with its angle brackets) into a validator. `name` (optional) only
 * goes into error messages, where jsonata puts the function's token. `fastPath: false` leaves out
 * the fast validator (validate() then always takes the general path), for checking one against the other.
 */
export function parseSignature(signature: string, name?: string, fastPath = true): SignatureValidator {
  let position = 1;
  const params: Param[] = [];
  let param = Object.create(null) as Param;
  let prevParam = param;

  const next = () => {
    params.push(param);
    prevParam = param;
    param = Object.create(null) as Param;
  };

  const findClosingBracket = (str: string, start: number, openSymbol: string, closeSymbol: string): number => {
    let depth = 1;
    let pos = start;
    while (pos < str.length) {
      pos++;
      const symbol = str.charAt(pos);
      if (symbol === closeSymbol) {
        depth--;
        if (depth === 0) break;
      } else if (symbol === openSymbol) {
        depth++;
      }
    }
    return pos;
  };

  while (position < signature.length) {
    const symbol = signature.charAt(position);
    if (symbol === ':') break; // the return type is not checked (as jsonata)
    switch (symbol) {
      case 's':
      case 'n':
      case 'b':
      case 'l':
      case 'o':
      case 'a':
      case 'f':
      case 'j':
      case 'x':
        param.regex = TYPE_PATTERNS[symbol]!;
        param.type = symbol;
        // `a`: any value is treated as a singleton array
        if (symbol === 'a') param.array = true;
        next();
        break;
      case '-':
        prevParam.context = true;
        prevParam.contextRegex = new RegExp(prevParam.regex);
        prevParam.regex += '?';
        break;
      case '?':
      case '+':
        prevParam.regex += symbol;
        break;
      case '(': {
        const endParen = findClosingBracket(signature, position, '(', ')');
        const choice = signature.substring(position + 1, endParen);
        if (choice.indexOf('<') === -1) {
          param.regex = '[' + choice + 'm]';
        } else {
          throw new JsonataError('S0402', 'Choice groups containing parameterized types are not supported', {
            value: choice,
            position,
          });
        }
        param.type = '(' + choice + ')';
        position = endParen;
        next();
        break;
      }
      case '<':
        if (prevParam.type === 'a' || prevParam.type === 'f') {
          const endPos = findClosingBracket(signature, position, '<', '>');
          prevParam.subtype = signature.substring(position + 1, endPos);
          position = endPos;
        } else {
          throw new JsonataError('S0401', 'Type parameters can only be applied to functions and arrays', {
            value: prevParam.type,
            position,
          });
        }
        break;
    }
    position++;
  }

  const regex = new RegExp('^' + params.map((p) => '(' + p.regex + ')').join('') + '$');

  const t0410 = (value: unknown, index: number): JsonataError =>
    new JsonataError('T0410', `Argument ${index} of function${fnLabel(name)} does not match function signature`, { value, index });

  const throwValidationError = (badArgs: unknown[], badSig: string): never => {
    // apply each component of the pattern in turn until one fails to match
    let partialPattern = '^';
    let goodTo = 0;
    for (const p of params) {
      partialPattern += p.regex;
      const match = badSig.match(partialPattern);
      if (match === null) throw t0410(badArgs[goodTo], goodTo + 1);
      goodTo = match[0].length;
    }
    // extraneous arguments
    throw t0410(badArgs[goodTo], goodTo + 1);
  };

  const fast = fastPath ? fastValidator(params) : undefined;

  return {
    definition: signature,
    fast,
    validate(args: unknown[], context: unknown): unknown[] {
      if (fast !== undefined) {
        const validated = fast(args);
        if (validated !== undefined) return validated;
      }
      let suppliedSig = '';
      for (const arg of args) suppliedSig += getSymbol(arg);
      const isValid = regex.exec(suppliedSig);
      if (!isValid) return throwValidationError(args, suppliedSig);
      const validatedArgs: unknown[] = [];
      let argIndex = 0;
      params.forEach((p, index) => {
        let arg = args[argIndex];
        const match = isValid[index + 1]!;
        if (match === '') {
          if (p.context && p.contextRegex) {
            // substitute the context value for the missing argument, if its type fits
            const contextType = getSymbol(context);
            if (p.contextRegex.test(contextType)) {
              validatedArgs.push(context);
            } else {
              throw new JsonataError('T0411', `Context value is not a compatible type with argument ${argIndex + 1} of function${fnLabel(name)}`, {
                value: context,
                index: argIndex + 1,
              });
            }
          } else {
            validatedArgs.push(arg);
            argIndex++;
          }
        } else {
          // may have matched several arguments (a trailing '+'): one symbol each
          for (const single of match) {
            arg = args[argIndex];
            if (p.type === 'a') {
              if (single === 'm') {
                arg = undefined;
              } else {
                let arrayOK = true;
                if (p.subtype !== undefined) {
                  if (single !== 'a' && match !== p.subtype) {
                    arrayOK = false;
                  } else if (single === 'a') {
                    const items = arg as unknown[];
                    if (items.length > 0) {
                      const itemType = getSymbol(items[0]);
                      if (itemType !== p.subtype.charAt(0)) {
                        arrayOK = false;
                      } else {
                        arrayOK = items.every((val) => getSymbol(val) === itemType);
                      }
                    }
                  }
                }
                if (!arrayOK) {
                  const type = ARRAY_SIGNATURE_MAPPING[p.subtype!];
                  const err = new JsonataError('T0412', `Argument ${argIndex + 1} of function${fnLabel(name)} must be an array of ${type ?? quote(p.subtype)}`, {
                    value: arg,
                    index: argIndex + 1,
                  });
                  throw Object.assign(err, { type });
                }
                // the function expects an array: make it one
                if (single !== 'a') arg = [arg];
              }
              validatedArgs.push(arg);
              argIndex++;
            } else {
              validatedArgs.push(arg);
              argIndex++;
            }
          }
        }
      });
      return validatedArgs;
    },
  };
}

/**
 * The common case of validate() without its regex: a signature of single parameters (no `-`, `?`, `+`
 * or choice) and exactly one argument per parameter, each of a type the parameter takes. Returns the
 * arguments validate() would return (an `a` parameter wraps a non-array in an array and passes
 * undefined for a missing value), or undefined when validate() itself must decide, e.g. to throw.
 */
function fastValidator(params: readonly Param[]): ((args: unknown[]) => unknown[] | undefined) | undefined {
  const SIMPLE: Record<string, string> = { s: '[sm]', n: '[nm]', b: '[bm]', l: '[lm]', o: '[om]', a: '[asnblfom]', f: 'f', j: '[asnblom]', x: '[asnblfom]' };
  for (const p of params) if (p.context || SIMPLE[p.type] !== p.regex) return undefined;
  const types = params.map((p) => p.type);
  const subtypes = params.map((p) => p.subtype);
  const count = params.length;
  const special = count === 1 && types[0] === 'a' ? oneArrayValidator(subtypes[0]) : count === 2 && types[0] === 'n' && types[1] === 'n' ? twoNumbersValidator : undefined;
  if (special !== undefined) return special;
  return (args) => {
    if (args.length !== count) return undefined;
    let out: unknown[] | undefined;
    for (let i = 0; i < count; i++) {
      const arg = args[i];
      const type = types[i]!;
      switch (type) {
        case 'a': {
          if (arg === undefined) break;
          const subtype = subtypes[i];
          if (Array.isArray(arg)) {
            if (subtype !== undefined && arg.length > 0) {
              if (subtype === 'n') {
                for (let k = 0; k < arg.length; k++) if (typeof arg[k] !== 'number') return undefined;
              } else if (subtype === 'o') {
                // getSymbol(x) === 'o', written out: an object, not null, not an array, not a function value
                for (let k = 0; k < arg.length; k++) {
                  const x = arg[k] as { _jsonata_function?: unknown; _jsonata_lambda?: unknown } | null;
                  if (typeof x !== 'object' || x === null || Array.isArray(x) || x._jsonata_function === true || x._jsonata_lambda === true) return undefined;
                }
              } else {
                const first = subtype.charAt(0);
                for (let k = 0; k < arg.length; k++) if (getSymbol(arg[k]) !== first) return undefined;
              }
            }
          } else {
            // a single value must be the subtype itself to be wrapped
            if (subtype !== undefined && getSymbol(arg) !== subtype) return undefined;
            (out ??= args.slice())[i] = [arg];
          }
          break;
        }
        case 'x':
          break;
        // getSymbol gives 'n', 's' and 'b' by typeof alone (a function value is never one of these)
        case 'n':
          if (arg !== undefined && typeof arg !== 'number') return undefined;
          break;
        case 's':
          if (arg !== undefined && typeof arg !== 'string') return undefined;
          break;
        case 'b':
          if (arg !== undefined && typeof arg !== 'boolean') return undefined;
          break;
        case 'j':
        case 'f':
          if ((getSymbol(arg) === 'f') !== (type === 'f')) return undefined;
          break;
        default:
          if (arg !== undefined && getSymbol(arg) !== type) return undefined;
      }
    }
    // validate() returns a new list; its callers only spread it into the call, so the same list will do
    return out ?? args;
  };
}

/**
 * The general fast validator below for one array parameter (`a`, `a<o>`, `a<n>`: $count, $rate, $max,
 * …), the same checks in the same order, each its own closure literal so that its loads keep type
 * feedback of their own; undefined for other subtypes.
 */
function oneArrayValidator(subtype: string | undefined): ((args: unknown[]) => unknown[] | undefined) | undefined {
  switch (subtype) {
    case undefined:
      return (args) => {
        if (args.length !== 1) return undefined;
        const arg = args[0];
        return arg === undefined || Array.isArray(arg) ? args : [[arg]];
      };
    case 'o':
      return (args) => {
        if (args.length !== 1) return undefined;
        const arg = args[0];
        if (arg === undefined) return args;
        if (!Array.isArray(arg)) return getSymbol(arg) === 'o' ? [[arg]] : undefined;
        // getSymbol(x) === 'o', written out: an object, not null, not an array, not a function value
        for (let k = 0; k < arg.length; k++) {
          const x = arg[k] as { _jsonata_function?: unknown; _jsonata_lambda?: unknown } | null;
          if (typeof x !== 'object' || x === null || Array.isArray(x) || x._jsonata_function === true || x._jsonata_lambda === true) return undefined;
        }
        return args;
      };
    case 'n':
      return (args) => {
        if (args.length !== 1) return undefined;
        const arg = args[0];
        if (arg === undefined) return args;
        if (!Array.isArray(arg)) return typeof arg === 'number' ? [[arg]] : undefined;
        for (let k = 0; k < arg.length; k++) if (typeof arg[k] !== 'number') return undefined;
        return args;
      };
    default:
      return undefined;
  }
}

/** The general fast validator for two number parameters (`nn`: $ceilDiv, $power, …). */
function twoNumbersValidator(args: unknown[]): unknown[] | undefined {
  if (args.length !== 2) return undefined;
  const a = args[0];
  const b = args[1];
  if (a !== undefined && typeof a !== 'number') return undefined;
  if (b !== undefined && typeof b !== 'number') return undefined;
  return args;
}
