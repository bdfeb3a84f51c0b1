// $contains, $match, $replace, $split: ported from jsonata 2.2.2 src/functions.js (MIT, © IBM Corp.), synchronous, metered per find and per piece.

import { JsonataError, MEMORY_COST, createSequence, functionValueCaller, type Focus, type JsFunctionArg, type Sequence } from '../runtime.js';
import { takeRegexWork, type RegexMatch } from '../regex.js';
import { checkArrayLength, checkStringLength, isFunction, produceObject, produceString, readChars, work } from './util.js';

type Matcher = JsFunctionArg | ((...args: unknown[]) => unknown);

/** Charge the searches a matcher could not charge itself, plus one unit for the find. */
function chargeFind(focus: Focus): void {
  focus.rt.meter.charge(1 + takeRegexWork(), 'matching a regular expression');
}

/** Calls a matcher (regex or user function) and checks the shape of what it returns (T1010). */
function evaluateMatcher(focus: Focus, matcher: Matcher, str?: string): RegexMatch | undefined {
  let result: RegexMatch | undefined;
  if (typeof matcher === 'function') {
    result = (matcher as (...a: unknown[]) => unknown).apply(focus, [str]) as RegexMatch | undefined;
  } else if (functionValueCaller.call !== undefined && isFunction(matcher)) {
    // a function value found in data (a custom matcher's `next` lambda)
    result = functionValueCaller.call(matcher, [str]) as RegexMatch | undefined;
  } else if (typeof (matcher as { apply?: unknown } | null)?.apply === 'function') {
    result = (matcher as { apply(self: unknown, args: unknown[]): unknown }).apply(focus, [str]) as RegexMatch | undefined;
  } else {
    throw new JsonataError('T1006', 'Attempted to invoke a non-function');
  }
  chargeFind(focus);
  if (
    result &&
    !(
      typeof result.start === 'number' ||
      (result as { end?: unknown }).end === 'number' ||
      Array.isArray(result.groups) ||
      isFunction(result.next)
    )
  ) {
    throw new JsonataError('T1010', 'The matcher function argument passed to function does not return the correct object structure');
  }
  return result;
}

export function contains(this: Focus, str: string | undefined, token: string | Matcher | undefined): boolean | undefined {
  if (str === undefined || token === undefined) return undefined;
  takeRegexWork(); // discard anything left over from code that charged nobody
  if (typeof token === 'string') {
    readChars(this.rt, str.length + token.length, 'searching a string');
    return str.indexOf(token) !== -1;
  }
  return evaluateMatcher(this, token, str) !== undefined;
}

export function match(this: Focus, str: string | undefined, regex: Matcher, limit?: number): Sequence | undefined {
  if (str === undefined) return undefined;
  if (limit !== undefined && limit < 0) {
    throw new JsonataError('D3040', 'Third argument of match function must evaluate to a positive number', { value: limit, index: 3 });
  }
  takeRegexWork();
  const result = createSequence();
  if (limit === undefined || limit > 0) {
    let count = 0;
    let matches = evaluateMatcher(this, regex, str);
    while (matches !== undefined && (limit === undefined || count < limit)) {
      checkArrayLength(this.rt, result.length + 1, '$match');
      produceObject(this.rt, 3, '$match');
      const m = matches.match;
      if (typeof m === 'string') produceString(this.rt, m.length, '$match');
      const groups = matches.groups;
      if (Array.isArray(groups)) {
        let chars = 0;
        for (const g of groups) if (typeof g === 'string') chars += g.length;
        this.rt.meter.alloc(MEMORY_COST.arrayHeader + groups.length * MEMORY_COST.arraySlot + chars * MEMORY_COST.stringChar, 'building match groups in $match');
      }
      result.push({ match: m, index: matches.start, groups });
      this.rt.meter.alloc(MEMORY_COST.arraySlot, 'building an array in $match');
      matches = evaluateMatcher(this, matches.next as Matcher);
      count++;
    }
  }
  return result;
}

/** The replacement text for one match, expanding $0, $n and $$ as jsonata does. */
function substitute(replacement: string, regexMatch: RegexMatch): string {
  let out = '';
  let position = 0;
  let index = replacement.indexOf('$', position);
  while (index !== -1 && position < replacement.length) {
    out += replacement.substring(position, index);
    position = index + 1;
    const dollarVal = replacement.charAt(position);
    if (dollarVal === '$') {
      out += '$';
      position++;
    } else if (dollarVal === '0') {
      out += regexMatch.match;
      position++;
    } else {
      const maxDigits = regexMatch.groups.length === 0 ? 1 : Math.floor(Math.log(regexMatch.groups.length) * Math.LOG10E) + 1;
      index = parseInt(replacement.substring(position, position + maxDigits), 10);
      if (maxDigits > 1 && index > regexMatch.groups.length) {
        index = parseInt(replacement.substring(position, position + maxDigits - 1), 10);
      }
      if (!Number.isNaN(index)) {
        if (regexMatch.groups.length > 0) {
          const submatch = regexMatch.groups[index - 1];
          if (submatch !== undefined) out += submatch;
        }
        position += index.toString().length;
      } else {
        out += '$'; // not a capture group: a literal $
      }
    }
    index = replacement.indexOf('$', position);
  }
  out += replacement.substring(position);
  return out;
}

export function replace(
  this: Focus,
  str: string | undefined,
  pattern: string | Matcher,
  replacement: string | Matcher,
  limit?: number,
): string | undefined {
  if (str === undefined) return undefined;
  if (pattern === '') {
    throw new JsonataError('D3010', 'Second argument of replace function cannot be an empty string', { value: pattern, index: 2 });
  }
  if (limit !== undefined && limit < 0) {
    throw new JsonataError('D3011', 'Fourth argument of replace function must evaluate to a positive number', { value: limit, index: 4 });
  }
  takeRegexWork();
  const rt = this.rt;
  const parts: string[] = [];
  let total = 0;
  const emit = (s: string) => {
    total += s.length;
    checkStringLength(rt, total, '$replace');
    parts.push(s);
  };
  const finish = () => {
    produceString(rt, total, '$replace');
    return parts.join('');
  };

  if (!(limit === undefined || limit > 0)) return str;
  let count = 0;
  let position = 0;
  if (typeof pattern === 'string') {
    if (typeof replacement !== 'string') {
      // jsonata would concatenate the function's source text; we have none to give
      throw new JsonataError('D3012', 'Attempted to replace a matched string with a non-string value', { value: replacement });
    }
    readChars(rt, str.length, 'searching a string');
    let index = str.indexOf(pattern, position);
    while (index !== -1 && (limit === undefined || count < limit)) {
      work(rt, 1, 'replacing a substring');
      emit(str.substring(position, index));
      emit(replacement);
      position = index + pattern.length;
      count++;
      index = str.indexOf(pattern, position);
    }
    emit(str.substring(position));
    return finish();
  }

  const replacer =
    typeof replacement === 'string'
      ? (m: RegexMatch) => {
          readChars(rt, replacement.length, 'expanding a replacement');
          return substitute(replacement, m);
        }
      : (m: RegexMatch) => (replacement as (...a: unknown[]) => unknown).apply(this, [m]);

  let matches = evaluateMatcher(this, pattern, str);
  if (matches === undefined) return str;
  while (matches !== undefined && (limit === undefined || count < limit)) {
    emit(str.substring(position, matches.start));
    const replacedWith = replacer(matches);
    if (typeof replacedWith === 'string') {
      emit(replacedWith);
    } else {
      throw new JsonataError('D3012', 'Attempted to replace a matched string with a non-string value', { value: replacedWith });
    }
    position = matches.start + matches.match.length;
    count++;
    matches = evaluateMatcher(this, matches.next as Matcher);
  }
  emit(str.substring(position));
  return finish();
}

export function split(this: Focus, str: string | undefined, separator: string | Matcher, limit?: number): string[] | undefined {
  if (str === undefined) return undefined;
  if (limit !== undefined && limit < 0) {
    throw new JsonataError('D3020', 'Third argument of split function must evaluate to a positive number', { value: limit, index: 3 });
  }
  takeRegexWork();
  const rt = this.rt;
  let result: string[] = [];
  if (!(limit === undefined || limit > 0)) return result;
  if (typeof separator === 'string') {
    // size the result before String.prototype.split builds it
    readChars(rt, str.length, 'splitting a string');
    const cap = limit === undefined ? Infinity : limit >>> 0;
    let pieces: number;
    if (separator === '') {
      pieces = Math.min(str.length, cap);
    } else {
      pieces = 1;
      for (let i = str.indexOf(separator); i !== -1 && pieces < cap + 1; i = str.indexOf(separator, i + separator.length)) pieces++;
      pieces = Math.min(pieces, cap);
    }
    checkArrayLength(rt, pieces, '$split');
    result = str.split(separator, limit);
    work(rt, result.length, 'splitting a string');
    rt.meter.alloc(
      MEMORY_COST.arrayHeader + result.length * (MEMORY_COST.arraySlot + MEMORY_COST.stringHeader) + str.length * MEMORY_COST.stringChar,
      'building an array in $split',
    );
    return result;
  }
  let count = 0;
  let matches = evaluateMatcher(this, separator, str);
  if (matches === undefined) {
    result.push(str);
    return result;
  }
  let start = 0;
  const piece = (s: string) => {
    checkArrayLength(rt, result.length + 1, '$split');
    produceString(rt, s.length, '$split');
    rt.meter.alloc(MEMORY_COST.arraySlot, 'building an array in $split');
    result.push(s);
  };
  while (matches !== undefined && (limit === undefined || count < limit)) {
    piece(str.substring(start, matches.start));
    start = matches.end;
    matches = evaluateMatcher(this, matches.next as Matcher);
    count++;
  }
  if (limit === undefined || count < limit) piece(str.substring(start));
  return result;
}
