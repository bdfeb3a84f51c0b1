// Go's time.ParseDuration ("60s", "1m30s", "1.5h", "300ms"): the duration syntax of Kubernetes annotations and ConfigMaps (Knative's autoscaling settings).
//
// Source: golang/go src/time/format.go ParseDuration: "[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+", units
// "ns", "us" (or "µs"/"μs"), "ms", "s", "m", "h"; "0" alone is allowed without a unit; "" and a bare
// sign are not. Go counts in int64 nanoseconds; here milliseconds as a double, which is exact for
// every whole-millisecond value and close enough below (Knative's settings are whole seconds).

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
const PART = /(\d*(?:\.\d*)?)(ns|us|µs|μs|ms|s|m|h)/y;
/** Go's limit: durations are int64 nanoseconds, about 292 years. */
const MAX_MS = 9_223_372_036_854;

/** Milliseconds of a Go duration string; undefined when Go would refuse it. */
export function parseGoDuration(text: string): number | undefined {
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    sign = s.startsWith('-') ? -1 : 1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return undefined;
  let total = 0;
  PART.lastIndex = 0;
  let at = 0;
  while (at < s.length) {
    PART.lastIndex = at;
    const m = PART.exec(s);
    if (!m || m[1] === '' || m[1] === '.') return undefined;
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    at = PART.lastIndex;
  }
  if (total > MAX_MS) return undefined;
  return sign * total;
}
