// Kubernetes quantities (apimachinery resource.Quantity), enough for HPA tolerances and metric targets.
//
// A port of staging/src/k8s.io/apimachinery/pkg/api/resource/quantity.go: ParseQuantity,
// AsApproximateFloat64 and MilliValue, because targets and tolerances are Kubernetes quantities. The
// schema (src/schemas/hpa-behavior.ts) validates them with it, the engine (src/engine/hpa/) reads them.
import { INT32_MAX, INT32_MIN } from './int32.js';

/** A parsed quantity, exactly as ParseQuantity stores it: unscaled × 10^exponent. */
export interface KubeQuantity {
  unscaled: bigint;
  exponent: number;
}

/** quantity.go splitREString suffix characters. */
const SUFFIX_CHARS = 'eEinumkKMGTP';
/** quantity.go maxInt64Factors: decimal digits that always fit an int64. */
const MAX_INT64_FACTORS = 18;
/** Nano: the smallest scale a Quantity keeps; finer values are rounded up to it. */
const NANO_EXPONENT = -9;
const INT64_MAX = 9_223_372_036_854_775_807n;
const DECIMAL_SUFFIXES = new Map<string, number>([
  ['n', -9],
  ['u', -6],
  ['m', -3],
  ['', 0],
  ['k', 3],
  ['M', 6],
  ['G', 9],
  ['T', 12],
  ['P', 15],
  ['E', 18],
]);
const BINARY_SUFFIXES = new Map<string, number>([
  ['Ki', 10],
  ['Mi', 20],
  ['Gi', 30],
  ['Ti', 40],
  ['Pi', 50],
  ['Ei', 60],
]);

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

interface ScannedQuantity {
  positive: boolean;
  value: string;
  num: string;
  denom: string;
  suffix: string;
}

/** quantity.go parseQuantityString, step for step. */
function scanQuantity(str: string): ScannedQuantity | undefined {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (pos < end) {
    if (str[0] === '-') {
      positive = false;
      pos++;
    } else if (str[0] === '+') pos++;
  }
  // strip leading zeros
  for (let i = pos; ; i++) {
    if (i >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };
    if (str[i] === '0') pos++;
    else break;
  }
  // the numerator
  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  if (i >= end) return { positive, value: str, num: str.slice(pos), denom: '', suffix: '' };
  let num = str.slice(pos, i);
  pos = i;
  if (num.length === 0) num = '0';
  // the denominator
  let denom = '';
  if (pos < end && str[pos] === '.') {
    pos++;
    let j = pos;
    while (j < end && isDigit(str[j])) j++;
    if (j >= end) return { positive, value: str, num, denom: str.slice(pos), suffix: '' };
    denom = str.slice(pos, j);
    pos = j;
  }
  const value = str.slice(0, pos);
  // the suffix: letters, then an optional signed exponent
  const suffixStart = pos;
  let k = pos;
  while (k < end && SUFFIX_CHARS.includes(str[k] as string)) k++;
  if (k >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
  pos = k;
  if (str[pos] === '-' || str[pos] === '+') pos++;
  for (let m = pos; m < end; m++) if (!isDigit(str[m])) return undefined;
  return { positive, value, num, denom, suffix: str.slice(suffixStart) };
}

/** quantity suffixer `interpret`: decimal SI, binary SI, or a decimal exponent ("e-3", "E6"). */
function interpretSuffix(suffix: string): { base: 2 | 10; exponent: number } | undefined {
  const dec = DECIMAL_SUFFIXES.get(suffix);
  if (dec !== undefined) return { base: 10, exponent: dec };
  const bin = BINARY_SUFFIXES.get(suffix);
  if (bin !== undefined) return { base: 2, exponent: bin };
  if (suffix.length > 1 && (suffix[0] === 'E' || suffix[0] === 'e')) {
    const rest = suffix.slice(1);
    if (!/^[+-]?\d+$/.test(rest)) return undefined;
    const exponent = Number.parseInt(rest, 10);
    if (exponent > INT32_MAX || exponent < INT32_MIN) return undefined;
    return { base: 10, exponent };
  }
  return undefined;
}

/**
 * ParseQuantity: a string such as "0.05", "50m", "1.5Gi", "1e-3", or a JSON number (read through its
 * shortest decimal form, which is what a JSON number carries). undefined when Kubernetes would
 * reject it.
 */
export function parseQuantity(input: string | number): KubeQuantity | undefined {
  const str = typeof input === 'number' ? (Number.isFinite(input) ? String(input) : '') : input;
  if (str.length === 0) return undefined;
  if (str === '0') return { unscaled: 0n, exponent: 0 };
  const s = scanQuantity(str);
  if (!s) return undefined;
  const sfx = interpretSuffix(s.suffix);
  if (!sfx) return undefined;

  let precision: number;
  let scale: number;
  let mantissa = 1n;
  if (sfx.base === 10) {
    scale = sfx.exponent;
    precision = MAX_INT64_FACTORS - (s.num.length + s.denom.length);
  } else {
    scale = 0;
    if (sfx.exponent >= 0 && s.denom.length === 0) {
      mantissa = 1n << BigInt(sfx.exponent);
      precision = 15 - s.num.length - Math.trunc((sfx.exponent * 3) / 10) - 1;
    } else precision = -1;
  }

  // Fast path: an int64 amount with a scale no finer than nano.
  if (precision >= 0) {
    scale -= s.denom.length;
    if (scale >= NANO_EXPONENT) {
      const result = BigInt(s.num + s.denom) * mantissa;
      if (result <= INT64_MAX) return { unscaled: s.positive ? result : -result, exponent: scale };
    }
  }

  // Slow path (inf.Dec): exact decimal, then rounded up (away from zero) to nano.
  const m = /^[+-]?(\d*)(?:\.(\d*))?$/.exec(s.value);
  if (!m) return undefined;
  const intPart = m[1] ?? '';
  const frac = m[2] ?? '';
  let unscaled = BigInt(intPart + frac === '' ? '0' : intPart + frac);
  let decScale = frac.length;
  if (sfx.base === 10) decScale -= sfx.exponent;
  else unscaled *= 1n << BigInt(sfx.exponent);
  if (unscaled !== 0n) {
    const target = -NANO_EXPONENT;
    if (decScale <= target) unscaled *= 10n ** BigInt(target - decScale);
    else {
      const div = 10n ** BigInt(decScale - target);
      const q = unscaled / div;
      unscaled = q * div === unscaled ? q : q + 1n;
    }
    decScale = target;
  }
  return { unscaled: s.positive ? unscaled : -unscaled, exponent: -decScale };
}

/** Go math.Pow10 (table based, so the same bits as Go, not a correctly rounded 10^n). */
function goPow10(n: number): number {
  if (n >= 0 && n <= 308) return Number(`1e${32 * Math.floor(n / 32)}`) * Number(`1e${n % 32}`);
  if (n < 0 && n >= -323) return Number(`1e-${32 * Math.floor(-n / 32)}`) / Number(`1e${-n % 32}`);
  return n > 0 ? Number.POSITIVE_INFINITY : 0;
}

/** Quantity.AsApproximateFloat64: float64(unscaled) × Pow10(exponent), as the controller reads tolerance. */
export function quantityToFloat64(q: KubeQuantity): number {
  const base = Number(q.unscaled);
  if (q.exponent === 0) return base;
  return base * goPow10(q.exponent);
}

/** Quantity.MilliValue: the value in thousandths, rounded away from zero (ceil for positive values). */
export function quantityMilliValue(q: KubeQuantity): number {
  const shift = q.exponent + 3;
  if (shift >= 0) return Number(q.unscaled * 10n ** BigInt(shift));
  const div = 10n ** BigInt(-shift);
  const quot = q.unscaled / div;
  if (quot * div === q.unscaled) return Number(quot);
  return Number(q.unscaled > 0n ? quot + 1n : quot - 1n);
}
