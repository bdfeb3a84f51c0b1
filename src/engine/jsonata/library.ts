// The built-in function library: every function jsonata 2.2.2 registers (jsonata.js), with its signature, except the refused ones.

import type { Builtin } from './runtime.js';
import { parseSignature } from './signature.js';
import { average, count, max, min, sum } from './functions/aggregate.js';
import { append, distinct, reverse, sort, zip } from './functions/arrays.js';
import { assert, boolean, error, exists, not, type } from './functions/boolean.js';
import { fromMillis, millis, now, toMillis } from './functions/datetime.js';
import { base64decode, base64encode, decodeUrl, decodeUrlComponent, encodeUrl, encodeUrlComponent } from './functions/encoding.js';
import { formatNumber } from './functions/format-number.js';
import { formatInteger, parseInteger } from './functions/integer-format.js';
import { each, filter, foldLeft, map, sift, single } from './functions/higher-order.js';
import { abs, ceil, floor, formatBase, number, power, round, sqrt } from './functions/numbers.js';
import { clone, keys, lookup, merge, spread } from './functions/objects.js';
import { contains, match, replace, split } from './functions/regex-functions.js';
import { join, length, lowercase, pad, string, substring, substringAfter, substringBefore, trim, uppercase } from './functions/strings.js';

type Impl = Builtin['implementation'];

/**
 * Name (without `$`), implementation, signature: jsonata's staticFrame.bind(...) calls in order, plus
 * $now and $millis (bound per expression in jsonata, reading the evaluation's timestamp).
 */
const DEFINITIONS: ReadonlyArray<readonly [string, Impl, string]> = [
  ['sum', sum as Impl, '<a<n>:n>'],
  ['count', count as Impl, '<a:n>'],
  ['max', max as Impl, '<a<n>:n>'],
  ['min', min as Impl, '<a<n>:n>'],
  ['average', average as Impl, '<a<n>:n>'],
  ['string', string as Impl, '<x-b?:s>'],
  ['substring', substring as Impl, '<s-nn?:s>'],
  ['substringBefore', substringBefore as Impl, '<s-s:s>'],
  ['substringAfter', substringAfter as Impl, '<s-s:s>'],
  ['lowercase', lowercase as Impl, '<s-:s>'],
  ['uppercase', uppercase as Impl, '<s-:s>'],
  ['length', length as Impl, '<s-:n>'],
  ['trim', trim as Impl, '<s-:s>'],
  ['pad', pad as Impl, '<s-ns?:s>'],
  ['match', match as Impl, '<s-f<s:o>n?:a<o>>'],
  ['contains', contains as Impl, '<s-(sf):b>'],
  ['replace', replace as Impl, '<s-(sf)(sf)n?:s>'],
  ['split', split as Impl, '<s-(sf)n?:a<s>>'],
  ['join', join as Impl, '<a<s>s?:s>'],
  ['formatNumber', formatNumber as Impl, '<n-so?:s>'],
  ['formatBase', formatBase as Impl, '<n-n?:s>'],
  ['formatInteger', formatInteger as Impl, '<n-s:s>'],
  ['parseInteger', parseInteger as Impl, '<s-s:n>'],
  ['number', number as Impl, '<(nsb)-:n>'],
  ['floor', floor as Impl, '<n-:n>'],
  ['ceil', ceil as Impl, '<n-:n>'],
  ['round', round as Impl, '<n-n?:n>'],
  ['abs', abs as Impl, '<n-:n>'],
  ['sqrt', sqrt as Impl, '<n-:n>'],
  ['power', power as Impl, '<n-n:n>'],
  ['boolean', boolean as Impl, '<x-:b>'],
  ['not', not as Impl, '<x-:b>'],
  ['map', map as Impl, '<af>'],
  ['zip', zip as Impl, '<a+>'],
  ['filter', filter as Impl, '<af>'],
  ['single', single as Impl, '<af?>'],
  ['reduce', foldLeft as Impl, '<afj?:j>'],
  ['sift', sift as Impl, '<o-f?:o>'],
  ['keys', keys as Impl, '<x-:a<s>>'],
  ['lookup', lookup as Impl, '<x-s:x>'],
  ['append', append as Impl, '<xx:a>'],
  ['exists', exists as Impl, '<x:b>'],
  ['spread', spread as Impl, '<x-:a<o>>'],
  ['merge', merge as Impl, '<a<o>:o>'],
  ['reverse', reverse as Impl, '<a:a>'],
  ['each', each as Impl, '<o-f:a>'],
  ['error', error as Impl, '<s?:x>'],
  ['assert', assert as Impl, '<bs?:x>'],
  ['type', type as Impl, '<x:s>'],
  ['sort', sort as Impl, '<af?:a>'],
  ['distinct', distinct as Impl, '<x:x>'],
  ['base64encode', base64encode as Impl, '<s-:s>'],
  ['base64decode', base64decode as Impl, '<s-:s>'],
  ['encodeUrlComponent', encodeUrlComponent as Impl, '<s-:s>'],
  ['encodeUrl', encodeUrl as Impl, '<s-:s>'],
  ['decodeUrlComponent', decodeUrlComponent as Impl, '<s-:s>'],
  ['decodeUrl', decodeUrl as Impl, '<s-:s>'],
  ['toMillis', toMillis as Impl, '<s-s?:n>'],
  ['fromMillis', fromMillis as Impl, '<n-s?s?:s>'],
  ['clone', clone as Impl, '<(oa)-:o>'],
  ['now', now as Impl, '<s?s?:s>'],
  ['millis', millis as Impl, '<:n>'],
];

function define(name: string, implementation: Impl, signature: string): Builtin {
  return Object.freeze({
    _jsonata_function: true as const,
    name,
    signature,
    validator: parseSignature(signature, name),
    implementation,
  });
}

/** Every built-in, by name without `$`. */
export const BUILTINS: ReadonlyMap<string, Builtin> = new Map(DEFINITIONS.map(([name, impl, sig]) => [name, define(name, impl, sig)]));

/** jsonata built-ins edgescale does not provide, with the reason (one sentence each). */
export const REFUSED_FUNCTIONS: ReadonlyMap<string, string> = new Map([
  ['random', '$random is not deterministic: the same request must always give the same decision and decision id.'],
  ['shuffle', '$shuffle is not deterministic: the same request must always give the same decision and decision id.'],
  ['eval', '$eval evaluates text built at run time, but an expression must be fully visible when it is compiled.'],
]);
