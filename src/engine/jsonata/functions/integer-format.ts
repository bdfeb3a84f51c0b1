// $formatInteger and $parseInteger (XPath fn:format-integer: decimal, roman, letters, words): ported from jsonata 2.2.2 src/datetime.js (MIT, © IBM Corp.).
//
// Differences from jsonata, all about cost: pictures longer than MAX_PICTURE_LENGTH are refused
// (U3013); a result that would exceed rt.maxStringLength is refused before it is built (U3011: roman
// numerals of huge numbers, zero padding from widths such as [Y,1000000]); the roman numeral
// recursion is a loop.

import { JsonataError, type Focus, type Runtime } from '../runtime.js';
import { checkPicture } from './format-number.js';
import { checkStringLength, keysOf, produceString, stringToArray } from './util.js';

/**
 * Fixed units per call of $formatInteger, $parseInteger, $fromMillis, $now and $toMillis: each
 * analyses a picture into objects and works with Date values (3–18 µs measured per call), at the
 * budgets' ≤ 100 ns per unit.
 */
export const DATETIME_CALL_UNITS = 100;

const few = ['Zero', 'One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven', 'Eight', 'Nine', 'Ten',
  'Eleven', 'Twelve', 'Thirteen', 'Fourteen', 'Fifteen', 'Sixteen', 'Seventeen', 'Eighteen', 'Nineteen'];
const ordinals = ['Zeroth', 'First', 'Second', 'Third', 'Fourth', 'Fifth', 'Sixth', 'Seventh', 'Eighth', 'Ninth', 'Tenth',
  'Eleventh', 'Twelfth', 'Thirteenth', 'Fourteenth', 'Fifteenth', 'Sixteenth', 'Seventeenth', 'Eighteenth', 'Nineteenth'];
const decades = ['Twenty', 'Thirty', 'Forty', 'Fifty', 'Sixty', 'Seventy', 'Eighty', 'Ninety', 'Hundred'];
const magnitudes = ['Thousand', 'Million', 'Billion', 'Trillion'];

/** English words for a number (bounded: magnitudes above trillion repeat "Trillion", a few dozen levels for 1e308). */
function numberToWords(value: number, ordinal: boolean): string {
  const lookup = (num: number, prev: boolean, ord: boolean): string => {
    let words: string;
    if (num <= 19) {
      words = (prev ? ' and ' : '') + (ord ? ordinals[num] : few[num]);
    } else if (num < 100) {
      const tens = Math.floor(num / 10);
      const remainder = num % 10;
      words = (prev ? ' and ' : '') + decades[tens - 2];
      if (remainder > 0) words += '-' + lookup(remainder, false, ord);
      else if (ord) words = words.substring(0, words.length - 1) + 'ieth';
    } else if (num < 1000) {
      const hundreds = Math.floor(num / 100);
      const remainder = num % 100;
      words = (prev ? ', ' : '') + few[hundreds] + ' Hundred';
      if (remainder > 0) words += lookup(remainder, true, ord);
      else if (ord) words += 'th';
    } else {
      let mag = Math.floor(Math.log10(num) / 3);
      if (mag > magnitudes.length) mag = magnitudes.length;
      const factor = Math.pow(10, mag * 3);
      const mant = Math.floor(num / factor);
      const remainder = num - mant * factor;
      words = (prev ? ', ' : '') + lookup(mant, false, false) + ' ' + magnitudes[mag - 1];
      if (remainder > 0) words += lookup(remainder, true, ord);
      else if (ord) words += 'th';
    }
    return words;
  };
  return lookup(value, false, ordinal);
}

const wordValues: Record<string, number> = Object.create(null);
few.forEach((word, index) => {
  wordValues[word.toLowerCase()] = index;
});
ordinals.forEach((word, index) => {
  wordValues[word.toLowerCase()] = index;
});
decades.forEach((word, index) => {
  const lword = word.toLowerCase();
  wordValues[lword] = (index + 2) * 10;
  wordValues[lword.substring(0, word.length - 1) + 'ieth'] = wordValues[lword]!;
});
wordValues.hundredth = 100;
magnitudes.forEach((word, index) => {
  const lword = word.toLowerCase();
  const val = Math.pow(10, (index + 1) * 3);
  wordValues[lword] = val;
  wordValues[lword + 'th'] = val;
});

function wordsToNumber(text: string): number {
  const parts = text.split(/,\s|\sand\s|[\s\\-]/);
  const values = parts.map((part) => wordValues[part]);
  const segs: number[] = [0];
  values.forEach((value) => {
    if ((value as number) < 100) {
      let top = segs.pop()!;
      if (top >= 1000) {
        segs.push(top);
        top = 0;
      }
      segs.push(top + (value as number));
    } else {
      segs.push(segs.pop()! * (value as number));
    }
  });
  return segs.reduce((a, b) => a + b, 0);
}

const romanNumerals: Array<[number, string]> = [
  [1000, 'm'], [900, 'cm'], [500, 'd'], [400, 'cd'], [100, 'c'], [90, 'xc'], [50, 'l'],
  [40, 'xl'], [10, 'x'], [9, 'ix'], [5, 'v'], [4, 'iv'], [1, 'i'],
];
const romanValues: Record<string, number> = { M: 1000, D: 500, C: 100, L: 50, X: 10, V: 5, I: 1 };

/** Roman numerals (jsonata's recursion written as a loop; the caller bounds the length first). */
function decimalToRoman(value: number): string {
  let out = '';
  for (const [n, numeral] of romanNumerals) {
    if (value >= n) {
      const times = Math.floor(value / n);
      out += numeral.repeat(times);
      value -= times * n;
    }
  }
  return out;
}

function romanToDecimal(roman: string): number {
  let decimal = 0;
  let max = 1;
  for (let i = roman.length - 1; i >= 0; i--) {
    const value = romanValues[roman[i]!]!;
    if (value < max) {
      decimal -= value;
    } else {
      max = value;
      decimal += value;
    }
  }
  return decimal;
}

function decimalToLetters(value: number, aChar: string): string {
  const letters: string[] = [];
  const aCode = aChar.charCodeAt(0);
  while (value > 0) {
    letters.unshift(String.fromCharCode(((value - 1) % 26) + aCode));
    value = Math.floor((value - 1) / 26);
  }
  return letters.join('');
}

function lettersToDecimal(letters: string, aChar: string): number {
  const aCode = aChar.charCodeAt(0);
  let decimal = 0;
  for (let i = 0; i < letters.length; i++) {
    decimal += (letters.charCodeAt(letters.length - i - 1) - aCode + 1) * Math.pow(26, i);
  }
  return decimal;
}

const formats = { DECIMAL: 'decimal', LETTERS: 'letters', ROMAN: 'roman', WORDS: 'words', SEQUENCE: 'sequence' } as const;
export const tcase = { UPPER: 'upper', LOWER: 'lower', TITLE: 'title' } as const;

export interface Separator {
  position: number;
  character: string;
}

export interface IntegerFormat {
  type: 'integer';
  primary: string;
  case: string;
  ordinal: boolean;
  zeroCode?: number;
  mandatoryDigits?: number;
  optionalDigits?: number;
  regular?: boolean;
  groupingSeparators?: Separator | Separator[];
  token?: string;
  parseWidth?: number;
}

export function err(code: string, message: string, value?: unknown): JsonataError {
  return new JsonataError(code, message, value === undefined ? {} : { value });
}

/** Longest roman numeral for `value` (thousands are written as repeated "m"). */
function romanLength(value: number): number {
  return Math.floor(value / 1000) + 15;
}

export function _formatInteger(rt: Runtime, value: number, format: IntegerFormat): string {
  let formattedInteger = '';
  const negative = value < 0;
  value = Math.abs(value);
  switch (format.primary) {
    case formats.LETTERS:
      formattedInteger = decimalToLetters(value, format.case === tcase.UPPER ? 'A' : 'a');
      break;
    case formats.ROMAN:
      checkStringLength(rt, romanLength(value), '$formatInteger');
      formattedInteger = decimalToRoman(value);
      if (format.case === tcase.UPPER) formattedInteger = formattedInteger.toUpperCase();
      break;
    case formats.WORDS:
      formattedInteger = numberToWords(value, format.ordinal);
      if (format.case === tcase.UPPER) formattedInteger = formattedInteger.toUpperCase();
      else if (format.case === tcase.LOWER) formattedInteger = formattedInteger.toLowerCase();
      break;
    case formats.DECIMAL: {
      formattedInteger = '' + value;
      const padLength = format.mandatoryDigits! - formattedInteger.length;
      if (padLength > 0) {
        checkStringLength(rt, format.mandatoryDigits!, '$formatInteger');
        formattedInteger = '0'.repeat(padLength) + formattedInteger;
      }
      if (format.zeroCode !== 0x30) {
        formattedInteger = stringToArray(formattedInteger)
          .map((code) => String.fromCodePoint(code.codePointAt(0)! + format.zeroCode! - 0x30))
          .join('');
      }
      if (format.regular) {
        const seps = format.groupingSeparators as Separator;
        const n = Math.floor((formattedInteger.length - 1) / seps.position);
        for (let ii = n; ii > 0; ii--) {
          const pos = formattedInteger.length - ii * seps.position;
          formattedInteger = formattedInteger.substr(0, pos) + seps.character + formattedInteger.substr(pos);
        }
      } else {
        (format.groupingSeparators as Separator[]).reverse().forEach((separator) => {
          const pos = formattedInteger.length - separator.position;
          formattedInteger = formattedInteger.substr(0, pos) + separator.character + formattedInteger.substr(pos);
        });
      }
      if (format.ordinal) {
        const suffix123: Record<string, string> = { '1': 'st', '2': 'nd', '3': 'rd' };
        const lastDigit = formattedInteger[formattedInteger.length - 1]!;
        let suffix = suffix123[lastDigit];
        if (!suffix || (formattedInteger.length > 1 && formattedInteger[formattedInteger.length - 2] === '1')) suffix = 'th';
        formattedInteger = formattedInteger + suffix;
      }
      break;
    }
    case formats.SEQUENCE:
      throw err('D3130', `Formatting or parsing an integer as a sequence starting with ${JSON.stringify(format.token)} is not supported by this implementation`, format.token);
  }
  if (negative) formattedInteger = '-' + formattedInteger;
  return formattedInteger;
}

const decimalGroups = [0x30, 0x0660, 0x06f0, 0x07c0, 0x0966, 0x09e6, 0x0a66, 0x0ae6, 0x0b66, 0x0be6, 0x0c66, 0x0ce6, 0x0d66,
  0x0de6, 0x0e50, 0x0ed0, 0x0f20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90, 0x1b50, 0x1bb0, 0x1c40,
  0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10];

export function analyseIntegerPicture(picture: string): IntegerFormat {
  const format: IntegerFormat = { type: 'integer', primary: formats.DECIMAL, case: tcase.LOWER, ordinal: false };
  let primaryFormat: string;
  let formatModifier: string;
  const semicolon = picture.lastIndexOf(';');
  if (semicolon === -1) {
    primaryFormat = picture;
  } else {
    primaryFormat = picture.substring(0, semicolon);
    formatModifier = picture.substring(semicolon + 1);
    if (formatModifier[0] === 'o') format.ordinal = true;
  }
  switch (primaryFormat) {
    case 'A':
    case 'a':
      if (primaryFormat === 'A') format.case = tcase.UPPER;
      format.primary = formats.LETTERS;
      break;
    case 'I':
    case 'i':
      if (primaryFormat === 'I') format.case = tcase.UPPER;
      format.primary = formats.ROMAN;
      break;
    case 'W':
      format.case = tcase.UPPER;
      format.primary = formats.WORDS;
      break;
    case 'Ww':
      format.case = tcase.TITLE;
      format.primary = formats.WORDS;
      break;
    case 'w':
      format.primary = formats.WORDS;
      break;
    default: {
      let zeroCode: number | null = null;
      let mandatoryDigits = 0;
      let optionalDigits = 0;
      const groupingSeparators: Separator[] = [];
      let separatorPosition = 0;
      const formatCodepoints = stringToArray(primaryFormat)
        .map((c) => c.codePointAt(0)!)
        .reverse();
      formatCodepoints.forEach((codePoint) => {
        let digit = false;
        for (const group of decimalGroups) {
          if (codePoint >= group && codePoint <= group + 9) {
            digit = true;
            mandatoryDigits++;
            separatorPosition++;
            if (zeroCode === null) zeroCode = group;
            else if (group !== zeroCode) throw err('D3131', 'In a decimal digit pattern, all digits must be from the same decimal group');
            break;
          }
        }
        if (!digit) {
          if (codePoint === 0x23) {
            separatorPosition++;
            optionalDigits++;
          } else {
            groupingSeparators.push({ position: separatorPosition, character: String.fromCodePoint(codePoint) });
          }
        }
      });
      if (mandatoryDigits > 0) {
        format.primary = formats.DECIMAL;
        format.zeroCode = zeroCode!;
        format.mandatoryDigits = mandatoryDigits;
        format.optionalDigits = optionalDigits;
        const regularRepeat = (separators: Separator[]) => {
          if (separators.length === 0) return 0;
          const sepChar = separators[0]!.character;
          for (let ii = 1; ii < separators.length; ii++) if (separators[ii]!.character !== sepChar) return 0;
          const indexes = separators.map((separator) => separator.position);
          const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
          const factor = indexes.reduce(gcd);
          for (let index = 1; index <= indexes.length; index++) if (indexes.indexOf(index * factor) === -1) return 0;
          return factor;
        };
        const regular = regularRepeat(groupingSeparators);
        if (regular > 0) {
          format.regular = true;
          format.groupingSeparators = { position: regular, character: groupingSeparators[0]!.character };
        } else {
          format.regular = false;
          format.groupingSeparators = groupingSeparators;
        }
      } else {
        format.primary = formats.SEQUENCE;
        format.token = primaryFormat;
      }
    }
  }
  return format;
}

export function formatInteger(this: Focus, value: number | undefined, picture: string): string | undefined {
  if (value === undefined) return undefined;
  this.rt.meter.charge(DATETIME_CALL_UNITS, 'formatting an integer');
  checkPicture(this, picture, '$formatInteger');
  value = Math.floor(value);
  const format = analyseIntegerPicture(picture);
  const result = _formatInteger(this.rt, value, format);
  produceString(this.rt, result.length, '$formatInteger');
  return result;
}

interface IntegerMatcher {
  type: 'integer';
  regex: string;
  parse: (value: string) => number;
}
export function generateIntegerRegex(formatSpec: IntegerFormat): IntegerMatcher {
  const isUpper = formatSpec.case === tcase.UPPER;
  switch (formatSpec.primary) {
    case formats.LETTERS:
      return { type: 'integer', regex: isUpper ? '[A-Z]+' : '[a-z]+', parse: (value) => lettersToDecimal(value, isUpper ? 'A' : 'a') };
    case formats.ROMAN:
      return {
        type: 'integer',
        regex: isUpper ? '[MDCLXVI]+' : '[mdclxvi]+',
        parse: (value) => romanToDecimal(isUpper ? value : value.toUpperCase()),
      };
    case formats.WORDS:
      return {
        type: 'integer',
        regex: '(?:' + keysOf(wordValues).concat('and', '[\\-, ]').join('|') + ')+',
        parse: (value) => wordsToNumber(value.toLowerCase()),
      };
    case formats.DECIMAL: {
      let regex = '[0-9]';
      regex += formatSpec.parseWidth ? `{${formatSpec.parseWidth}}` : '+';
      if (formatSpec.ordinal) regex += '(?:th|st|nd|rd)';
      return {
        type: 'integer',
        regex,
        parse: (value) => {
          let digits = value;
          if (formatSpec.ordinal) digits = value.substring(0, value.length - 2);
          if (formatSpec.regular) {
            digits = digits.split(',').join('');
          } else {
            (formatSpec.groupingSeparators as Separator[]).forEach((sep) => {
              digits = digits.split(sep.character).join('');
            });
          }
          if (formatSpec.zeroCode !== 0x30) {
            digits = digits
              .split('')
              .map((char) => String.fromCodePoint(char.codePointAt(0)! - formatSpec.zeroCode! + 0x30))
              .join('');
          }
          return parseInt(digits);
        },
      };
    }
    default:
      throw err('D3130', `Formatting or parsing an integer as a sequence starting with ${JSON.stringify(formatSpec.token)} is not supported by this implementation`, formatSpec.token);
  }
}
export function parseInteger(this: Focus, value: string | undefined, picture: string): number | undefined {
  if (value === undefined) return undefined;
  this.rt.meter.charge(DATETIME_CALL_UNITS, 'parsing an integer');
  checkPicture(this, picture, '$parseInteger');
  this.rt.meter.charge(Math.ceil(value.length / 4), 'parsing an integer');
  const formatSpec = analyseIntegerPicture(picture);
  const matchSpec = generateIntegerRegex(formatSpec);
  return matchSpec.parse(value);
}
