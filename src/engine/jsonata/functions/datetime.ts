// $fromMillis, $toMillis, $now, $millis (XPath format-dateTime pictures): ported from jsonata 2.2.2 src/datetime.js (MIT, © IBM Corp.), bounded and clock-free.
//
// Differences from jsonata, all about cost: pictures longer than MAX_PICTURE_LENGTH are refused
// (U3013); a result that would exceed rt.maxStringLength is refused before it is built (U3011, e.g.
// zero padding from width modifiers such as [Y,1000000]); the regex
// $toMillis builds from a picture runs on RE2 (linear) instead of V8's backtracking engine. $now and
// $millis read rt.now, never a clock.

import { RE2JS } from 're2js';
import { REGEX_FIND_UNITS, REGEX_STEPS_PER_UNIT } from '../regex.js';
import type { Focus, Runtime } from '../runtime.js';
import { checkPicture } from './format-number.js';
import { checkStringLength, produceString } from './util.js';
import {
  DATETIME_CALL_UNITS,
  _formatInteger,
  analyseIntegerPicture,
  err,
  generateIntegerRegex,
  tcase,
  type IntegerFormat,
  type Separator,
} from './integer-format.js';

// ---------------------------------------------------------------------------------------------------
// Date/time pictures

const defaultPresentationModifiers: Record<string, string> = {
  Y: '1', M: '1', D: '1', d: '1', F: 'n', W: '1', w: '1', X: '1', x: '1', H: '1', h: '1',
  P: 'n', m: '01', s: '01', f: '1', Z: '01:01', z: '01:01', C: 'n', E: 'n',
};

interface MarkerSpec {
  type: 'marker' | 'literal';
  value?: string;
  component?: string;
  width?: { min?: number; max?: number };
  presentation1?: string;
  presentation2?: string;
  ordinal?: boolean;
  names?: string;
  integerFormat?: IntegerFormat;
  n?: number;
}

interface DateTimeFormat {
  type: 'datetime';
  parts: MarkerSpec[];
}

function analyseDateTimePicture(picture: string): DateTimeFormat {
  const spec: MarkerSpec[] = [];
  const format: DateTimeFormat = { type: 'datetime', parts: spec };
  const addLiteral = (start: number, end: number) => {
    if (end > start) {
      let literal = picture.substring(start, end);
      literal = literal.split(']]').join(']');
      spec.push({ type: 'literal', value: literal });
    }
  };
  let start = 0;
  let pos = 0;
  while (pos < picture.length) {
    if (picture.charAt(pos) === '[') {
      if (picture.charAt(pos + 1) === '[') {
        addLiteral(start, pos);
        spec.push({ type: 'literal', value: '[' });
        pos += 2;
        start = pos;
        continue;
      }
      addLiteral(start, pos);
      start = pos;
      pos = picture.indexOf(']', start);
      if (pos === -1) throw err('D3135', "No matching closing bracket ']' in date/time picture string");
      let marker = picture.substring(start + 1, pos);
      marker = marker.split(/\s+/).join('');
      const def: MarkerSpec = { type: 'marker', component: marker.charAt(0) };
      const comma = marker.lastIndexOf(',');
      let presMod: string;
      if (comma !== -1) {
        const widthMod = marker.substring(comma + 1);
        const dash = widthMod.indexOf('-');
        let min: string | undefined;
        let max: string | undefined;
        const parseWidth = (wm: string | undefined) => (wm === undefined || wm === '*' ? undefined : parseInt(wm));
        if (dash === -1) {
          min = widthMod;
        } else {
          min = widthMod.substring(0, dash);
          max = widthMod.substring(dash + 1);
        }
        def.width = { min: parseWidth(min), max: parseWidth(max) };
        presMod = marker.substring(1, comma);
      } else {
        presMod = marker.substring(1);
      }
      if (presMod.length === 1) {
        def.presentation1 = presMod;
      } else if (presMod.length > 1) {
        const lastChar = presMod.charAt(presMod.length - 1);
        if ('atco'.indexOf(lastChar) !== -1) {
          def.presentation2 = lastChar;
          if (lastChar === 'o') def.ordinal = true;
          def.presentation1 = presMod.substring(0, presMod.length - 1);
        } else {
          def.presentation1 = presMod;
        }
      } else {
        def.presentation1 = defaultPresentationModifiers[def.component!];
      }
      if (def.presentation1 === undefined) {
        throw err('D3132', `Unknown component specifier ${JSON.stringify(def.component)} in date/time picture string`, def.component);
      }
      if (def.presentation1[0] === 'n') {
        def.names = tcase.LOWER;
      } else if (def.presentation1[0] === 'N') {
        def.names = def.presentation1[1] === 'n' ? tcase.TITLE : tcase.UPPER;
      } else if ('YMDdFWwXxHhmsf'.indexOf(def.component!) !== -1) {
        let integerPattern = def.presentation1;
        if (def.presentation2) integerPattern += ';' + def.presentation2;
        def.integerFormat = analyseIntegerPicture(integerPattern);
        if (def.width && def.width.min !== undefined) {
          if (def.integerFormat.mandatoryDigits! < def.width.min) def.integerFormat.mandatoryDigits = def.width.min;
        }
        if (def.component === 'Y') {
          def.n = -1;
          if (def.width && def.width.max !== undefined) {
            def.n = def.width.max;
            def.integerFormat.mandatoryDigits = def.n;
          } else {
            const w = def.integerFormat.mandatoryDigits! + def.integerFormat.optionalDigits!;
            if (w >= 2) def.n = w;
          }
        }
        const previousPart = spec[spec.length - 1];
        if (previousPart && previousPart.integerFormat) {
          previousPart.integerFormat.parseWidth = previousPart.integerFormat.mandatoryDigits;
        }
      }
      if (def.component === 'Z' || def.component === 'z') def.integerFormat = analyseIntegerPicture(def.presentation1);
      spec.push(def);
      start = pos + 1;
    }
    pos++;
  }
  addLiteral(start, pos);
  return format;
}

const days = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const millisInADay = 1000 * 60 * 60 * 24;

interface YearMonth {
  year: number;
  month: number;
  nextMonth(): YearMonth;
  previousMonth(): YearMonth;
  nextYear(): YearMonth;
  previousYear(): YearMonth;
}

const startOfFirstWeek = (ym: YearMonth) => {
  const jan1 = Date.UTC(ym.year, ym.month);
  let dayOfJan1 = new Date(jan1).getUTCDay();
  if (dayOfJan1 === 0) dayOfJan1 = 7;
  return dayOfJan1 > 4 ? jan1 + (8 - dayOfJan1) * millisInADay : jan1 - (dayOfJan1 - 1) * millisInADay;
};

const yearMonth = (year: number, month: number): YearMonth => ({
  year,
  month,
  nextMonth: () => (month === 11 ? yearMonth(year + 1, 0) : yearMonth(year, month + 1)),
  previousMonth: () => (month === 0 ? yearMonth(year - 1, 11) : yearMonth(year, month - 1)),
  nextYear: () => yearMonth(year + 1, month),
  previousYear: () => yearMonth(year - 1, month),
});

const deltaWeeks = (start: number, end: number) => (end - start) / (millisInADay * 7) + 1;

/**
 * The week of `today` in its year (W) or month (w), `period`: counted from the period's first week;
 * past `lastWeek` it may be week 1 of the following period, before week 1 a week of the previous one.
 */
function weekOf(today: number, period: YearMonth, lastWeek: number, following: () => YearMonth, previous: () => YearMonth): number {
  let week = deltaWeeks(startOfFirstWeek(period), today);
  if (week > lastWeek) {
    if (today >= startOfFirstWeek(following())) week = 1;
  } else if (week < 1) {
    week = deltaWeeks(startOfFirstWeek(previous()), today);
  }
  return Math.floor(week);
}

function getDateTimeFragment(date: Date, component: string): number | string | undefined {
  let componentValue: number | string | undefined;
  switch (component) {
    case 'Y':
      componentValue = date.getUTCFullYear();
      break;
    case 'M':
      componentValue = date.getUTCMonth() + 1;
      break;
    case 'D':
      componentValue = date.getUTCDate();
      break;
    case 'd': {
      const today = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
      const firstJan = Date.UTC(date.getUTCFullYear(), 0);
      componentValue = (today - firstJan) / millisInADay + 1;
      break;
    }
    case 'F':
      componentValue = date.getUTCDay();
      if (componentValue === 0) componentValue = 7;
      break;
    case 'W': {
      const thisYear = yearMonth(date.getUTCFullYear(), 0);
      const today = Date.UTC(thisYear.year, date.getUTCMonth(), date.getUTCDate());
      componentValue = weekOf(today, thisYear, 52, thisYear.nextYear, thisYear.previousYear);
      break;
    }
    case 'w': {
      const thisMonth = yearMonth(date.getUTCFullYear(), date.getUTCMonth());
      const today = Date.UTC(thisMonth.year, thisMonth.month, date.getUTCDate());
      componentValue = weekOf(today, thisMonth, 4, thisMonth.nextMonth, thisMonth.previousMonth);
      break;
    }
    case 'X': {
      const thisYear = yearMonth(date.getUTCFullYear(), 0);
      const startOfISOYear = startOfFirstWeek(thisYear);
      const endOfISOYear = startOfFirstWeek(thisYear.nextYear());
      const now = date.getTime();
      if (now < startOfISOYear) componentValue = thisYear.year - 1;
      else if (now >= endOfISOYear) componentValue = thisYear.year + 1;
      else componentValue = thisYear.year;
      break;
    }
    case 'x': {
      const thisMonth = yearMonth(date.getUTCFullYear(), date.getUTCMonth());
      const startOfISOMonth = startOfFirstWeek(thisMonth);
      const nextMonth = thisMonth.nextMonth();
      const endOfISOMonth = startOfFirstWeek(nextMonth);
      const now = date.getTime();
      if (now < startOfISOMonth) componentValue = thisMonth.previousMonth().month + 1;
      else if (now >= endOfISOMonth) componentValue = nextMonth.month + 1;
      else componentValue = thisMonth.month + 1;
      break;
    }
    case 'H':
      componentValue = date.getUTCHours();
      break;
    case 'h':
      componentValue = date.getUTCHours() % 12;
      if (componentValue === 0) componentValue = 12;
      break;
    case 'P':
      componentValue = date.getUTCHours() >= 12 ? 'pm' : 'am';
      break;
    case 'm':
      componentValue = date.getUTCMinutes();
      break;
    case 's':
      componentValue = date.getUTCSeconds();
      break;
    case 'f':
      componentValue = date.getUTCMilliseconds();
      break;
    case 'Z':
    case 'z':
      break;
    case 'C':
    case 'E':
      componentValue = 'ISO';
      break;
  }
  return componentValue;
}

let iso8601Spec: DateTimeFormat | null = null;

function formatDateTime(rt: Runtime, millis: number, picture: string | undefined, timezone: string | undefined): string {
  let offsetHours = 0;
  let offsetMinutes = 0;
  if (timezone !== undefined) {
    const offset = parseInt(timezone);
    offsetHours = Math.floor(offset / 100);
    offsetMinutes = offset % 100;
  }

  const formatComponent = (date: Date, markerSpec: MarkerSpec): string => {
    let componentValue = getDateTimeFragment(date, markerSpec.component!);
    if ('YMDdFWwXxHhms'.indexOf(markerSpec.component!) !== -1) {
      if (markerSpec.component === 'Y') {
        if (markerSpec.n !== -1) componentValue = (componentValue as number) % Math.pow(10, markerSpec.n!);
      }
      if (markerSpec.names) {
        if (markerSpec.component === 'M' || markerSpec.component === 'x') {
          componentValue = months[(componentValue as number) - 1];
        } else if (markerSpec.component === 'F') {
          componentValue = days[componentValue as number];
        } else {
          throw err(
            'D3133',
            `The 'name' modifier can only be applied to months and days in the date/time picture string, not ${JSON.stringify(markerSpec.component)}`,
            markerSpec.component,
          );
        }
        if (markerSpec.names === tcase.UPPER) componentValue = (componentValue as string).toUpperCase();
        else if (markerSpec.names === tcase.LOWER) componentValue = (componentValue as string).toLowerCase();
        if (markerSpec.width && (componentValue as string).length > markerSpec.width.max!) {
          componentValue = (componentValue as string).substring(0, markerSpec.width.max);
        }
      } else {
        componentValue = _formatInteger(rt, componentValue as number, markerSpec.integerFormat!);
      }
    } else if (markerSpec.component === 'f') {
      componentValue = _formatInteger(rt, componentValue as number, markerSpec.integerFormat!);
    } else if (markerSpec.component === 'Z' || markerSpec.component === 'z') {
      const offset = offsetHours * 100 + offsetMinutes;
      if (markerSpec.integerFormat!.regular) {
        componentValue = _formatInteger(rt, offset, markerSpec.integerFormat!);
      } else {
        const numDigits = markerSpec.integerFormat!.mandatoryDigits;
        if (numDigits === 1 || numDigits === 2) {
          componentValue = _formatInteger(rt, offsetHours, markerSpec.integerFormat!);
          if (offsetMinutes !== 0) componentValue += ':' + _formatInteger(rt, Math.floor(offsetMinutes), analyseIntegerPicture('00'));
        } else if (numDigits === 3 || numDigits === 4) {
          componentValue = _formatInteger(rt, offset, markerSpec.integerFormat!);
        } else {
          throw err('D3134', 'The timezone integer format specifier cannot have more than four digits', numDigits);
        }
      }
      if (offset >= 0) componentValue = '+' + componentValue;
      if (markerSpec.component === 'z') componentValue = 'GMT' + componentValue;
      if (offset === 0 && markerSpec.presentation2 === 't') componentValue = 'Z';
    } else if (markerSpec.component === 'P') {
      if (markerSpec.names === tcase.UPPER) componentValue = (componentValue as string).toUpperCase();
    }
    return componentValue as string;
  };

  let formatSpec: DateTimeFormat;
  if (picture === undefined) {
    if (iso8601Spec === null) iso8601Spec = analyseDateTimePicture('[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]');
    formatSpec = iso8601Spec;
  } else {
    formatSpec = analyseDateTimePicture(picture);
  }

  const offsetMillis = (60 * offsetHours + offsetMinutes) * 60 * 1000;
  const dateTime = new Date(millis + offsetMillis);
  let result = '';
  for (const part of formatSpec.parts) {
    result += part.type === 'literal' ? part.value : formatComponent(dateTime, part);
    checkStringLength(rt, result.length, '$fromMillis');
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------
// Parsing
interface PartMatcher {
  regex: string;
  parse?: (value: string) => number | undefined;
  component?: string;
}

interface DateTimeMatcher {
  type: 'datetime';
  parts: PartMatcher[];
}
function generateDateTimeRegex(formatSpec: DateTimeFormat): DateTimeMatcher {
  const parts = formatSpec.parts.map((part): PartMatcher => {
    let res: PartMatcher = { regex: '' };
    if (part.type === 'literal') {
      res.regex = part.value!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (part.component === 'Z' || part.component === 'z') {
      let separator: Separator | undefined;
      if (!Array.isArray(part.integerFormat!.groupingSeparators)) separator = part.integerFormat!.groupingSeparators;
      res.regex = '';
      if (part.component === 'z') res.regex = 'GMT';
      res.regex += '[-+][0-9]+';
      if (separator) res.regex += separator.character + '[0-9]+';
      res.parse = (value: string) => {
        if (part.component === 'z') value = value.substring(3);
        let offsetHours: number;
        let offsetMinutes = 0;
        if (separator) {
          offsetHours = Number.parseInt(value.substring(0, value.indexOf(separator.character)));
          offsetMinutes = Number.parseInt(value.substring(value.indexOf(separator.character) + 1));
        } else {
          const numdigits = value.length - 1;
          if (numdigits <= 2) {
            offsetHours = Number.parseInt(value);
          } else {
            offsetHours = Number.parseInt(value.substring(0, 3));
            offsetMinutes = Number.parseInt(value.substring(3));
          }
        }
        return offsetHours * 60 + offsetMinutes;
      };
    } else if (part.component === 'f') {
      res.regex = '[0-9]+';
      res.parse = (value: string) => parseFloat('0.' + value.substring(0, 3)) * 1000;
    } else if (part.integerFormat) {
      res = generateIntegerRegex(part.integerFormat);
    } else {
      res.regex = '[a-zA-Z]+';
      let lookup: Record<string, number> = Object.create(null);
      if (part.component === 'M' || part.component === 'x') {
        months.forEach((name, index) => {
          if (part.width && part.width.max) lookup[name.substring(0, part.width.max)] = index + 1;
          else lookup[name] = index + 1;
        });
      } else if (part.component === 'F') {
        days.forEach((name, index) => {
          if (index > 0) {
            if (part.width && part.width.max) lookup[name.substring(0, part.width.max)] = index;
            else lookup[name] = index;
          }
        });
      } else if (part.component === 'P') {
        lookup = { am: 0, AM: 0, pm: 1, PM: 1 };
      } else {
        throw err(
          'D3133',
          `The 'name' modifier can only be applied to months and days in the date/time picture string, not ${JSON.stringify(part.component)}`,
          part.component,
        );
      }
      res.parse = (value: string) => lookup[value];
    }
    res.component = part.component;
    return res;
  });
  return { type: 'datetime', parts };
}
/** Compiled timestamp parsers by regex source: pictures repeat across evaluations. */
const PARSER_CACHE_SIZE = 64;
const parserCache = new Map<string, RE2JS>();

function timestampRegex(source: string): RE2JS {
  let re = parserCache.get(source);
  if (re) return re;
  try {
    re = RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
  } catch (e) {
    throw err('U3013', `the picture string makes a pattern too complex to parse with: ${(e as Error).message}`);
  }
  if (parserCache.size >= PARSER_CACHE_SIZE) parserCache.delete(parserCache.keys().next().value!);
  parserCache.set(source, re);
  return re;
}

function parseDateTime(rt: Runtime, timestamp: string, picture: string): number | undefined {
  const formatSpec = analyseDateTimePicture(picture);
  const matchSpec = generateDateTimeRegex(formatSpec);
  const fullRegex = '^' + matchSpec.parts.map((part) => '(' + part.regex + ')').join('') + '$';
  const re = timestampRegex(fullRegex);
  // one search with groups: the scan, then the groups' pass over the same characters
  rt.meter.charge(REGEX_FIND_UNITS + Math.ceil((2 * (timestamp.length + 1) * Math.max(1, re.programSize())) / REGEX_STEPS_PER_UNIT), 'parsing a timestamp');
  const matcher = re.matcher(timestamp);
  if (!matcher.find(0)) return undefined;
  const info: Array<string | undefined> = [];
  for (let g = 0; g <= matcher.groupCount(); g++) info.push(matcher.group(g) ?? undefined);

  const dmA = 161;
  const dmB = 130;
  const dmC = 84;
  const dmD = 72;
  const tmA = 23;
  const tmB = 47;

  const components: Record<string, number | undefined> = Object.create(null);
  for (let i = 1; i < info.length; i++) {
    const mpart = matchSpec.parts[i - 1]!;
    if (mpart.parse) components[mpart.component!] = mpart.parse(info[i]!);
  }
  if (Object.getOwnPropertyNames(components).length === 0) return undefined;

  let mask = 0;
  const shift = (bit: unknown) => {
    mask <<= 1;
    mask += bit ? 1 : 0;
  };
  const isType = (type: number) => !(~type & mask) && !!(type & mask);

  'YXMxWwdD'.split('').forEach((part) => shift(components[part]));
  const dateA = isType(dmA);
  const dateB = !dateA && isType(dmB);
  const dateC = isType(dmC);
  const dateD = !dateC && isType(dmD);
  mask = 0;
  'PHhmsf'.split('').forEach((part) => shift(components[part]));
  const timeA = isType(tmA);
  const timeB = !timeA && isType(tmB);

  const dateComps = dateB ? 'YD' : dateC ? 'XxwF' : dateD ? 'XWF' : 'YMD';
  const timeComps = timeB ? 'Phmsf' : 'Hmsf';
  const comps = dateComps + timeComps;
  const now = new Date(rt.now); // jsonata's fixed evaluation timestamp

  let startSpecified = false;
  let endSpecified = false;
  comps.split('').forEach((part) => {
    if (components[part] === undefined) {
      if (startSpecified) {
        components[part] = 'MDd'.indexOf(part) !== -1 ? 1 : 0;
        endSpecified = true;
      } else {
        components[part] = getDateTimeFragment(now, part) as number;
      }
    } else {
      startSpecified = true;
      if (endSpecified) throw err('D3136', 'The date/time picture string is missing specifiers required to parse the timestamp');
    }
  });

  if (components.M! > 0) components.M! -= 1;
  else components.M = 0;
  if (dateB) {
    const firstJan = Date.UTC(components.Y!, 0);
    const offsetMillis = (components.d! - 1) * 1000 * 60 * 60 * 24;
    const derivedDate = new Date(firstJan + offsetMillis);
    components.M = derivedDate.getUTCMonth();
    components.D = derivedDate.getUTCDate();
  }
  if (dateC || dateD) throw err('D3136', 'The date/time picture string is missing specifiers required to parse the timestamp');
  if (timeB) {
    components.H = components.h === 12 ? 0 : components.h;
    if (components.P === 1) components.H! += 12;
  }
  let millis = Date.UTC(components.Y!, components.M!, components.D, components.H, components.m, components.s, components.f);
  if (components.Z || components.z) millis -= (components.Z || components.z)! * 60 * 1000;
  return millis;
}

const iso8601regex = /^\d{4}(-[01]\d)?(-[0-3]\d)?(T[0-2]\d:[0-5]\d:[0-5]\d)?(\.\d+)?([+-][0-2]\d:?[0-5]\d|Z)?$/;

export function toMillis(this: Focus, timestamp: string | undefined, picture?: string): number | undefined {
  if (timestamp === undefined) return undefined;
  this.rt.meter.charge(1 + Math.ceil(timestamp.length / 4), 'parsing a timestamp');
  if (picture === undefined) {
    const parts = iso8601regex.exec(timestamp);
    if (!parts) {
      throw err('D3110', `The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given ${JSON.stringify(timestamp).slice(0, 100)}`, timestamp);
    }
    // A date-time without an offset is read as UTC (the zone deployed Workers run in), so the answer
    // never depends on the host's TZ. jsonata's Date.parse reads it in the host's zone; a date alone
    // is UTC in both.
    return Date.parse(parts[3] !== undefined && parts[5] === undefined ? `${timestamp}Z` : timestamp);
  }
  this.rt.meter.charge(DATETIME_CALL_UNITS, 'parsing a timestamp');
  checkPicture(this, picture, '$toMillis');
  return parseDateTime(this.rt, timestamp, picture);
}

export function fromMillis(this: Focus, millis: number | undefined, picture?: string, timezone?: string): string | undefined {
  if (millis === undefined) return undefined;
  return formatMillis(this, millis, picture, timezone, '$fromMillis');
}

function formatMillis(focus: Focus, millis: number, picture: string | undefined, timezone: string | undefined, fn: string): string {
  focus.rt.meter.charge(DATETIME_CALL_UNITS, `formatting a timestamp in ${fn}`);
  if (picture !== undefined) checkPicture(focus, picture, fn);
  const result = formatDateTime(focus.rt, millis, picture, timezone);
  produceString(focus.rt, result.length, fn);
  return result;
}

/** $now(): the evaluation's timestamp (rt.now) as $fromMillis formats it. */
export function now(this: Focus, picture?: string, timezone?: string): string {
  return formatMillis(this, this.rt.now, picture, timezone, '$now');
}

/** $millis(): the evaluation's timestamp (rt.now). */
export function millis(this: Focus): number {
  return this.rt.now;
}
