// $formatNumber (XPath F&O fn:format-number): ported from jsonata 2.2.2 src/functions.js (MIT, © IBM Corp.), with a bounded picture.

import { JsonataError, type Focus } from '../runtime.js';
import { keysOf, produceString } from './util.js';
import { round } from './numbers.js';

/**
 * Longest picture string (and option string) $formatNumber and the date/time functions accept: real
 * pictures are a few dozen characters; analysing one takes several passes over it.
 */
export const MAX_PICTURE_LENGTH = 1_000;
/** Units of work per picture character: the analysis scans the picture about this many times. */
const PICTURE_UNITS_PER_CHAR = 4;
/**
 * Fixed units per $formatNumber call: analysing even a short picture allocates dozens of small
 * arrays and strings (~15 µs measured for '#,##0.00'), at the budgets' ≤ 100 ns per unit.
 */
const FORMAT_NUMBER_CALL_UNITS = 200;

/** Refuses a picture longer than MAX_PICTURE_LENGTH (U3013); charges its analysis. */
export function checkPicture(focus: Focus, picture: string, fn: string): void {
  if (picture.length > MAX_PICTURE_LENGTH) {
    throw new JsonataError(
      'U3013',
      `${fn}: the picture string is ${picture.length} characters long, more than the limit of ${MAX_PICTURE_LENGTH}`,
      { value: picture.length },
    );
  }
  focus.rt.meter.charge(1 + picture.length * PICTURE_UNITS_PER_CHAR, `analysing a picture string in ${fn}`);
}

interface Parts {
  prefix: string;
  suffix: string;
  activePart: string;
  mantissaPart: string;
  exponentPart: string | undefined;
  integerPart: string;
  fractionalPart: string;
  subpicture: string;
}

interface Variables {
  integerPartGroupingPositions: number[];
  regularGrouping: number;
  minimumIntegerPartSize: number;
  scalingFactor: number;
  prefix: string;
  fractionalPartGroupingPositions: number[];
  minimumFactionalPartSize: number;
  maximumFactionalPartSize: number;
  minimumExponentSize: number;
  suffix: string;
  picture: string;
}

export function formatNumber(this: Focus, value: number | undefined, picture: string, options?: Record<string, unknown>): string | undefined {
  if (value === undefined) return undefined;
  this.rt.meter.charge(FORMAT_NUMBER_CALL_UNITS, 'formatting a number');
  checkPicture(this, picture, '$formatNumber');

  const properties: Record<string, string> = {
    'decimal-separator': '.',
    'grouping-separator': ',',
    'exponent-separator': 'e',
    infinity: 'Infinity',
    'minus-sign': '-',
    NaN: 'NaN',
    percent: '%',
    'per-mille': '\u2030',
    'zero-digit': '0',
    digit: '#',
    'pattern-separator': ';',
  };
  if (options !== undefined) {
    for (const key of keysOf(options)) {
      const v = options[key];
      if (typeof v === 'string') checkPicture(this, v, '$formatNumber');
      properties[key] = v as string;
    }
  }

  const decimalDigitFamily: string[] = [];
  const zeroCharCode = properties['zero-digit']!.charCodeAt(0);
  for (let ii = zeroCharCode; ii < zeroCharCode + 10; ii++) decimalDigitFamily.push(String.fromCharCode(ii));

  const activeChars = decimalDigitFamily.concat([
    properties['decimal-separator']!,
    properties['exponent-separator']!,
    properties['grouping-separator']!,
    properties.digit!,
    properties['pattern-separator']!,
  ]);

  const subPictures = picture.split(properties['pattern-separator']!);
  if (subPictures.length > 2) throw new JsonataError('D3080', 'The picture string must only contain a maximum of two sub-pictures');

  const splitParts = (subpicture: string): Parts => {
    const prefix = (() => {
      for (let ii = 0; ii < subpicture.length; ii++) {
        const ch = subpicture.charAt(ii);
        if (activeChars.indexOf(ch) !== -1 && ch !== properties['exponent-separator']) return subpicture.substring(0, ii);
      }
      return '';
    })();
    const suffix = (() => {
      for (let ii = subpicture.length - 1; ii >= 0; ii--) {
        const ch = subpicture.charAt(ii);
        if (activeChars.indexOf(ch) !== -1 && ch !== properties['exponent-separator']) return subpicture.substring(ii + 1);
      }
      return '';
    })();
    const activePart = subpicture.substring(prefix.length, subpicture.length - suffix.length);
    let mantissaPart: string;
    let exponentPart: string | undefined;
    let integerPart: string;
    let fractionalPart: string;
    const exponentPosition = subpicture.indexOf(properties['exponent-separator']!, prefix.length);
    if (exponentPosition === -1 || exponentPosition > subpicture.length - suffix.length) {
      mantissaPart = activePart;
      exponentPart = undefined;
    } else {
      mantissaPart = activePart.substring(0, exponentPosition);
      exponentPart = activePart.substring(exponentPosition + 1);
    }
    const decimalPosition = mantissaPart.indexOf(properties['decimal-separator']!);
    if (decimalPosition === -1) {
      integerPart = mantissaPart;
      fractionalPart = suffix;
    } else {
      integerPart = mantissaPart.substring(0, decimalPosition);
      fractionalPart = mantissaPart.substring(decimalPosition + 1);
    }
    return { prefix, suffix, activePart, mantissaPart, exponentPart, integerPart, fractionalPart, subpicture };
  };

  // validate the picture string, F&O 4.7.3
  const validate = (parts: Parts) => {
    let error: string | undefined;
    const subpicture = parts.subpicture;
    const decimalPos = subpicture.indexOf(properties['decimal-separator']!);
    if (decimalPos !== subpicture.lastIndexOf(properties['decimal-separator']!)) error = 'D3081';
    if (subpicture.indexOf(properties.percent!) !== subpicture.lastIndexOf(properties.percent!)) error = 'D3082';
    if (subpicture.indexOf(properties['per-mille']!) !== subpicture.lastIndexOf(properties['per-mille']!)) error = 'D3083';
    if (subpicture.indexOf(properties.percent!) !== -1 && subpicture.indexOf(properties['per-mille']!) !== -1) error = 'D3084';
    let valid = false;
    for (let ii = 0; ii < parts.mantissaPart.length; ii++) {
      const ch = parts.mantissaPart.charAt(ii);
      if (decimalDigitFamily.indexOf(ch) !== -1 || ch === properties.digit) {
        valid = true;
        break;
      }
    }
    if (!valid) error = 'D3085';
    const charTypes = parts.activePart
      .split('')
      .map((char) => (activeChars.indexOf(char) === -1 ? 'p' : 'a'))
      .join('');
    if (charTypes.indexOf('p') !== -1) error = 'D3086';
    if (decimalPos !== -1) {
      if (
        subpicture.charAt(decimalPos - 1) === properties['grouping-separator'] ||
        subpicture.charAt(decimalPos + 1) === properties['grouping-separator']
      ) {
        error = 'D3087';
      }
    } else if (parts.integerPart.charAt(parts.integerPart.length - 1) === properties['grouping-separator']) {
      error = 'D3088';
    }
    if (subpicture.indexOf(properties['grouping-separator']! + properties['grouping-separator']!) !== -1) error = 'D3089';
    let optionalDigitPos = parts.integerPart.indexOf(properties.digit!);
    if (
      optionalDigitPos !== -1 &&
      parts.integerPart
        .substring(0, optionalDigitPos)
        .split('')
        .filter((char) => decimalDigitFamily.indexOf(char) > -1).length > 0
    ) {
      error = 'D3090';
    }
    optionalDigitPos = parts.fractionalPart.lastIndexOf(properties.digit!);
    if (
      optionalDigitPos !== -1 &&
      parts.fractionalPart
        .substring(optionalDigitPos)
        .split('')
        .filter((char) => decimalDigitFamily.indexOf(char) > -1).length > 0
    ) {
      error = 'D3091';
    }
    const exponentExists = typeof parts.exponentPart === 'string';
    if (
      exponentExists &&
      parts.exponentPart!.length > 0 &&
      (subpicture.indexOf(properties.percent!) !== -1 || subpicture.indexOf(properties['per-mille']!) !== -1)
    ) {
      error = 'D3092';
    }
    if (
      exponentExists &&
      (parts.exponentPart!.length === 0 || parts.exponentPart!.split('').filter((char) => decimalDigitFamily.indexOf(char) === -1).length > 0)
    ) {
      error = 'D3093';
    }
    if (error) throw new JsonataError(error, FORMAT_NUMBER_MESSAGES[error] ?? 'Invalid picture string');
  };

  // analyse the picture string, F&O 4.7.4
  const analyse = (parts: Parts): Variables => {
    const getGroupingPositions = (part: string, toLeft?: boolean) => {
      const positions: number[] = [];
      let groupingPosition = part.indexOf(properties['grouping-separator']!);
      while (groupingPosition !== -1) {
        const charsToTheRight = (toLeft ? part.substring(0, groupingPosition) : part.substring(groupingPosition))
          .split('')
          .filter((char) => decimalDigitFamily.indexOf(char) !== -1 || char === properties.digit).length;
        positions.push(charsToTheRight);
        groupingPosition = parts.integerPart.indexOf(properties['grouping-separator']!, groupingPosition + 1);
      }
      return positions;
    };
    const integerPartGroupingPositions = getGroupingPositions(parts.integerPart);
    const regular = (indexes: number[]) => {
      if (indexes.length === 0) return 0;
      const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
      const factor = indexes.reduce(gcd);
      for (let index = 1; index <= indexes.length; index++) {
        if (indexes.indexOf(index * factor) === -1) return 0;
      }
      return factor;
    };
    const regularGrouping = regular(integerPartGroupingPositions);
    const fractionalPartGroupingPositions = getGroupingPositions(parts.fractionalPart, true);

    let minimumIntegerPartSize = parts.integerPart.split('').filter((char) => decimalDigitFamily.indexOf(char) !== -1).length;
    const scalingFactor = minimumIntegerPartSize;
    const fractionalPartArray = parts.fractionalPart.split('');
    let minimumFactionalPartSize = fractionalPartArray.filter((char) => decimalDigitFamily.indexOf(char) !== -1).length;
    let maximumFactionalPartSize = fractionalPartArray.filter(
      (char) => decimalDigitFamily.indexOf(char) !== -1 || char === properties.digit,
    ).length;
    const exponentPresent = typeof parts.exponentPart === 'string';
    if (minimumIntegerPartSize === 0 && maximumFactionalPartSize === 0) {
      if (exponentPresent) {
        minimumFactionalPartSize = 1;
        maximumFactionalPartSize = 1;
      } else {
        minimumIntegerPartSize = 1;
      }
    }
    if (exponentPresent && minimumIntegerPartSize === 0 && parts.integerPart.indexOf(properties.digit!) !== -1) {
      minimumIntegerPartSize = 1;
    }
    if (minimumIntegerPartSize === 0 && minimumFactionalPartSize === 0) minimumFactionalPartSize = 1;
    let minimumExponentSize = 0;
    if (exponentPresent) {
      minimumExponentSize = parts.exponentPart!.split('').filter((char) => decimalDigitFamily.indexOf(char) !== -1).length;
    }
    return {
      integerPartGroupingPositions,
      regularGrouping,
      minimumIntegerPartSize,
      scalingFactor,
      prefix: parts.prefix,
      fractionalPartGroupingPositions,
      minimumFactionalPartSize,
      maximumFactionalPartSize,
      minimumExponentSize,
      suffix: parts.suffix,
      picture: parts.subpicture,
    };
  };

  const parts = subPictures.map(splitParts);
  parts.forEach(validate);
  const variables = parts.map(analyse);

  const minus_sign = properties['minus-sign']!;
  const zero_digit = properties['zero-digit']!;
  const decimal_separator = properties['decimal-separator']!;
  const grouping_separator = properties['grouping-separator']!;

  if (variables.length === 1) {
    const copy = JSON.parse(JSON.stringify(variables[0])) as Variables;
    copy.prefix = minus_sign + copy.prefix;
    variables.push(copy);
  }

  const pic = value >= 0 ? variables[0]! : variables[1]!;
  let adjustedNumber: number;
  if (pic.picture.indexOf(properties.percent!) !== -1) adjustedNumber = value * 100;
  else if (pic.picture.indexOf(properties['per-mille']!) !== -1) adjustedNumber = value * 1000;
  else adjustedNumber = value;

  let mantissa: number;
  let exponent: number | undefined;
  if (pic.minimumExponentSize === 0) {
    mantissa = adjustedNumber;
  } else {
    const maxMantissa = Math.pow(10, pic.scalingFactor);
    const minMantissa = Math.pow(10, pic.scalingFactor - 1);
    mantissa = adjustedNumber;
    exponent = 0;
    if (mantissa !== 0) {
      // bounded: a double has at most ~640 decimal orders of magnitude
      while (Math.abs(mantissa) < minMantissa) {
        mantissa *= 10;
        exponent -= 1;
      }
      while (Math.abs(mantissa) > maxMantissa) {
        mantissa /= 10;
        exponent += 1;
      }
    }
  }
  const roundedNumber = round(mantissa, pic.maximumFactionalPartSize)!;
  const makeString = (v: number, dp: number) => {
    let str = Math.abs(v).toFixed(dp);
    if (zero_digit !== '0') {
      str = str
        .split('')
        .map((digit) => (digit >= '0' && digit <= '9' ? decimalDigitFamily[digit.charCodeAt(0) - 48]! : digit))
        .join('');
    }
    return str;
  };
  let stringValue = makeString(roundedNumber, pic.maximumFactionalPartSize);
  let decimalPos = stringValue.indexOf('.');
  if (decimalPos === -1) stringValue = stringValue + decimal_separator;
  else stringValue = stringValue.replace('.', decimal_separator);
  while (stringValue.charAt(0) === zero_digit) stringValue = stringValue.substring(1);
  while (stringValue.charAt(stringValue.length - 1) === zero_digit) stringValue = stringValue.substring(0, stringValue.length - 1);
  decimalPos = stringValue.indexOf(decimal_separator);
  const padLeft = pic.minimumIntegerPartSize - decimalPos;
  const padRight = pic.minimumFactionalPartSize - (stringValue.length - decimalPos - 1);
  stringValue = (padLeft > 0 ? new Array(padLeft + 1).join(zero_digit) : '') + stringValue;
  stringValue = stringValue + (padRight > 0 ? new Array(padRight + 1).join(zero_digit) : '');
  decimalPos = stringValue.indexOf(decimal_separator);
  if (pic.regularGrouping > 0) {
    const groupCount = Math.floor((decimalPos - 1) / pic.regularGrouping);
    for (let group = 1; group <= groupCount; group++) {
      stringValue = [
        stringValue.slice(0, decimalPos - group * pic.regularGrouping),
        grouping_separator,
        stringValue.slice(decimalPos - group * pic.regularGrouping),
      ].join('');
    }
  } else {
    pic.integerPartGroupingPositions.forEach((pos) => {
      stringValue = [stringValue.slice(0, decimalPos - pos), grouping_separator, stringValue.slice(decimalPos - pos)].join('');
      decimalPos++;
    });
  }
  decimalPos = stringValue.indexOf(decimal_separator);
  pic.fractionalPartGroupingPositions.forEach((pos) => {
    stringValue = [stringValue.slice(0, pos + decimalPos + 1), grouping_separator, stringValue.slice(pos + decimalPos + 1)].join('');
  });
  decimalPos = stringValue.indexOf(decimal_separator);
  if (pic.picture.indexOf(decimal_separator) === -1 || decimalPos === stringValue.length - 1) {
    stringValue = stringValue.substring(0, stringValue.length - 1);
  }
  if (exponent !== undefined) {
    let stringExponent = makeString(exponent, 0);
    const padExp = pic.minimumExponentSize - stringExponent.length;
    if (padExp > 0) stringExponent = new Array(padExp + 1).join(zero_digit) + stringExponent;
    stringValue = stringValue + properties['exponent-separator'] + (exponent < 0 ? minus_sign : '') + stringExponent;
  }
  stringValue = pic.prefix + stringValue + pic.suffix;
  produceString(this.rt, stringValue.length, '$formatNumber');
  return stringValue;
}

const FORMAT_NUMBER_MESSAGES: Record<string, string> = {
  D3081: "The sub-picture must not contain more than one instance of the 'decimal-separator' character",
  D3082: "The sub-picture must not contain more than one instance of the 'percent' character",
  D3083: "The sub-picture must not contain more than one instance of the 'per-mille' character",
  D3084: "The sub-picture must not contain both a 'percent' and a 'per-mille' character",
  D3085:
    "The mantissa part of a sub-picture must contain at least one character that is either an 'optional digit character' or a member of the 'decimal digit family'",
  D3086:
    'The sub-picture must not contain a passive character that is preceded by an active character and that is followed by another active character',
  D3087: "The sub-picture must not contain a 'grouping-separator' character that appears adjacent to a 'decimal-separator' character",
  D3088: "The sub-picture must not contain a 'grouping-separator' at the end of the integer part",
  D3089: "The sub-picture must not contain two adjacent instances of the 'grouping-separator' character",
  D3090:
    "The integer part of the sub-picture must not contain a member of the 'decimal digit family' that is followed by an instance of the 'optional digit character'",
  D3091:
    "The fractional part of the sub-picture must not contain an instance of the 'optional digit character' that is followed by a member of the 'decimal digit family'",
  D3092: "A sub-picture that contains a 'percent' or 'per-mille' character must not contain a character treated as an 'exponent-separator'",
  D3093: "The exponent part of the sub-picture must comprise only of one or more characters that are members of the 'decimal digit family'",
};
