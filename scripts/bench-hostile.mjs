#!/usr/bin/env node
// npm run bench:hostile — hostile JSONata against a real server, measured from the server process.
//
// Starts `edgescale serve` (Node) and `wrangler dev` (workerd) on 127.0.0.1, each on a free port with
// bearer auth on (a fresh 40-character token, passed through the environment or a temporary env file
// outside the repository, never written into it), and sends every request of the HOSTILE table to
// POST /v1/evaluate. Each request carries hostile inline rule sets AND one innocent target (the bundled
// web-tier rule set at 4 instances and 85 % CPU, which must come back as scale-out 4→5).
//
// Per request, measured on the server's own process(es), not on this client:
//   CPU      utime+stime from /proc/<pid>/stat before and after (clock ticks, getconf CLK_TCK). For
//            wrangler, the sum over the workerd processes below the wrangler process.
//   memory   peak RSS: the high-water mark is reset by writing "5" to /proc/<pid>/clear_refs before the
//            request and VmHWM read after it; where clear_refs is refused, VmRSS sampled every 20 ms.
//            Growth is the peak minus the idle RSS measured after warm-up.
//   also     status, wall time, the innocent target's decision, the hostile targets' outcome (error
//            codes), and whether /healthz answers within 1 s afterwards.
// A server that dies or stops answering is recorded, stopped and restarted, and the run carries on. A
// request that times out is reported with the CPU spent until then, marked "≥" (a lower bound). V8
// keeps memory a big request grew into, so a server whose RSS stays well above idle is restarted
// before the next request (noted "fresh server"): each request is charged only its own growth.
//
// Which code is measured: `serve` runs dist/cli.mjs, rebuilt first (npm run build:cli) when older than
// src/ (--no-build skips that); `wrangler dev` builds src/ itself and reloads when files change, which
// shows as "[measured processes changed]". To measure a fixed snapshot while src/ is being edited:
//   git archive HEAD | tar -x -C /tmp/snap && ln -s "$PWD/node_modules" /tmp/snap/node_modules &&
//   cp scripts/bench-hostile.mjs /tmp/snap/scripts/ && (cd /tmp/snap && node scripts/bench-hostile.mjs)
//
// Exit status: 0 when no request broke a bound below, 1 when one did, 2 on a usage or setup error,
// 130 on Ctrl-C. Servers are always stopped (normal end, error, SIGINT, SIGTERM, global timeout).
//
// Usage: npm run bench:hostile -- [--server serve|wrangler|both] [--only <name-substring>]
//                                 [--list] [--dry-run] [--no-build] [--json <file>]
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

// ---------------------------------------------------------------------------------------------------
// Bounds. A request fails the run when it costs more than CPU_LIMIT_MS or RSS_GROWTH_LIMIT_MIB, gets a
// 5xx, loses the innocent target's decision, or leaves /healthz unanswered for HEALTHZ_TIMEOUT_MS.
// The other constants bound the run itself: everything on loopback, finite in count and time.

/** CPU one request may cost the server: 2 s is far above a legitimate full batch (~75 ms, BENCHMARKS.md) and well below what makes a Worker unavailable. */
const CPU_LIMIT_MS = 2_000;
/** Peak RSS growth over the idle baseline: half of a Workers isolate's 128 MB, so two such requests in parallel still fit. */
const RSS_GROWTH_LIMIT_MIB = 64;
/** After every request the server must answer /healthz this fast, or it is stalled (a runaway still holding the event loop / isolate). */
const HEALTHZ_TIMEOUT_MS = 1_000;
/** A 5xx means the server failed instead of reporting a RuleError; any 5xx fails the run. */
const SERVER_ERROR_STATUS = 500;

/** Per-request client timeout: some requests run for minutes today; 60 s is long enough to see that they are unbounded. */
const REQUEST_TIMEOUT_MS = 60_000;
/** After a failed /healthz, how long the server may take to come back by itself before it is restarted. */
const RECOVERY_WAIT_MS = 20_000;
/** Starting a server: wrangler builds and boots workerd, ~10 s here; generous for slow machines. */
const STARTUP_TIMEOUT_MS = 120_000;
/** Whole run, both servers; then the run stops, prints what it has and fails. */
const GLOBAL_TIMEOUT_MS = 70 * 60_000;
/** RSS sampling period, for the fallback peak and for the memory guard. */
const RSS_SAMPLE_MS = 20;
/** Memory guard: a server above this RSS is killed mid-request so a runaway cannot take the machine down. */
const RSS_GUARD_BYTES = 6 * 1024 ** 3;
/**
 * V8 keeps the pages a big request grew into, so RSS stays high after it and every later request would
 * be blamed for it. Before each request: if RSS is more than this above the idle baseline, wait
 * RSS_SETTLE_MS for it to fall, else restart the server, so each request is measured from idle.
 */
const RSS_CARRYOVER_MIB = 16;
const RSS_SETTLE_MS = 2_000;
/** SIGTERM, then SIGKILL after this long. */
const STOP_GRACE_MS = 5_000;
/** Bytes left free under the body limit when filling a request to it (JSON.stringify of the innocent target, margins). */
const BODY_MARGIN_BYTES = 8_192;
/** Warm-up requests before the idle baseline is measured (JIT, first-use allocations). */
const WARMUP_REQUESTS = 8;

const NOW = '2026-11-22T10:30:00Z';
const NOW_MS = Date.parse(NOW);
const TOKEN = randomBytes(20).toString('hex'); // 40 hex characters, held only in memory and in a 0600 temp file
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
const MIB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------------
// Command line

function parseArgs(argv) {
  const args = { server: 'both', only: undefined, list: false, dryRun: false, build: true, json: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--server') args.server = value();
    else if (a.startsWith('--server=')) args.server = a.slice(9);
    else if (a === '--only') args.only = value();
    else if (a.startsWith('--only=')) args.only = a.slice(7);
    else if (a === '--json') args.json = value();
    else if (a === '--list') args.list = true;
    else if (a === '--dry-run') args.dryRun = true;
    else if (a === '--no-build') args.build = false;
    else if (a === '-h' || a === '--help') usage();
    else usage(`unknown argument ${a}`);
  }
  if (!['serve', 'wrangler', 'both'].includes(args.server)) usage(`--server must be serve, wrangler or both`);
  return args;
}

function usage(problem) {
  if (problem) console.error(`bench-hostile: ${problem}`);
  console.error('usage: npm run bench:hostile -- [--server serve|wrangler|both] [--only <name-substring>] [--list] [--dry-run] [--no-build] [--json <file>]');
  process.exit(problem ? 2 : 0);
}

// ---------------------------------------------------------------------------------------------------
// Request limits: read from src/limits.ts so the table is checked against the limits in force.

function readLimits() {
  const fallback = { bodyBytes: 4_194_304, targetsPerBatch: 5_000, rulesPerSet: 50, expressionLength: 4_096, pointsPerSeries: 10_000 };
  try {
    const source = readFileSync(join(ROOT, 'src', 'limits.ts'), 'utf8');
    const from = source.indexOf('export const DEFAULT_REQUEST_LIMITS');
    const block = source.slice(from, source.indexOf('});', from));
    const limits = { ...fallback };
    for (const [, name, value] of block.matchAll(/^\s*(\w+):\s*([\d_]+),/gm)) limits[name] = Number(value.replaceAll('_', ''));
    return limits;
  } catch {
    return fallback;
  }
}
const LIMITS = readLimits();

// ---------------------------------------------------------------------------------------------------
// Request builders

/** The innocent target: must be decided normally whatever its neighbours do. */
const INNOCENT_ID = 'innocent';
const INNOCENT = { id: INNOCENT_ID, ruleSet: 'web-tier', capacity: 4, metrics: { cpu: 85 } };
const INNOCENT_EXPECTED = { action: 'scaleOut', from: 4, to: 5 };

/** A rule whose condition is the hostile expression. */
const when = (expr, i = 0) => ({ id: `h${i}`, direction: 'out', when: { expr }, action: { type: 'ChangeCount', value: 1 } });
/** A rule whose capacity action is the hostile expression (its condition always holds). */
const action = (expr, i = 0) => ({ id: `a${i}`, direction: 'out', when: { expr: 'true' }, action: { type: 'Expression', expr } });

/** An inline rule set around hostile rules; `cpu` is declared so every target may send it. */
function hostile(id, rules, { labels, cpu = 50 } = {}) {
  return {
    id,
    ...(labels ? { labels } : {}),
    ruleSet: { id: `rs-${id}`, capacity: { minimum: 1, maximum: 100_000, default: 2 }, metrics: ['cpu'], rules },
    capacity: 2,
    metrics: { cpu },
  };
}

/** A full 10 000-point series inside the default 10-minute window (one point every 50 ms up to now). */
function bigSeries(n = LIMITS.pointsPerSeries) {
  return Array.from({ length: n }, (_, i) => ({ t: NOW_MS - (n - 1 - i) * 50, v: (i * 37) % 100, instance: `vm-${i % 8}` }));
}

/** n labels, for $sift / $each / $keys over a large object the caller controls. */
function bigLabels(n) {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${String(i).padStart(6, '0')}`, `v${i}`]));
}

/** Hostile targets made by `make(i)` until the body (with the innocent target) would pass the body limit or the target limit. */
function fillTargets(make) {
  const budget = LIMITS.bodyBytes - BODY_MARGIN_BYTES;
  const targets = [];
  let bytes = JSON.stringify({ now: NOW, targets: [INNOCENT] }).length;
  for (let i = 0; targets.length < LIMITS.targetsPerBatch - 1; i++) {
    const t = make(i);
    const size = JSON.stringify(t).length + 1;
    if (bytes + size > budget) break;
    targets.push(t);
    bytes += size;
  }
  return targets;
}

/**
 * Hostile rules made by `make(r)` packed into targets of LIMITS.rulesPerSet rules each (the last one
 * partly filled) until the body would pass the body limit or the target limit: the most hostile rules
 * one request can carry.
 */
function fillRules(make) {
  const budget = LIMITS.bodyBytes - BODY_MARGIN_BYTES;
  const targets = [];
  let bytes = JSON.stringify({ now: NOW, targets: [INNOCENT] }).length;
  for (let r = 0; ; r++) {
    let current = targets.at(-1);
    let added = 0;
    if (!current || current.ruleSet.rules.length >= LIMITS.rulesPerSet) {
      if (targets.length >= LIMITS.targetsPerBatch - 1) break;
      current = hostile(`f${targets.length}`, []);
      added = JSON.stringify(current).length + 1;
    }
    const rule = make(current.ruleSet.rules.length);
    added += JSON.stringify(rule).length + 1;
    if (bytes + added > budget) break;
    if (current !== targets.at(-1)) targets.push(current);
    current.ruleSet.rules.push(rule);
    bytes += added;
  }
  return targets;
}

/** `unit` repeated (joined by `sep`) into the longest expression the length limit allows. */
function longExpr(unit, sep, tail) {
  const parts = [];
  while ((parts.length + 1) * (unit.length + sep.length) + tail.length <= LIMITS.expressionLength) parts.push(unit);
  return parts.join(sep) + tail;
}

const exp2 = '($f := function($n){ $n <= 0 ? 1 : $f($n-1) + $f($n-1) }; $f(40) > 0)';
const burnToBudget = '($f := function($n, $a){ $n <= 0 ? $a : $f($n - 1, $a + 1) }; $f(1e9, 0) > 0)';
const dag = (n) => `$reduce([1..${n}], function($a, $i){ {"a": $a, "b": $a} }, {"x": 1})`;

// ---------------------------------------------------------------------------------------------------
// The hostile requests: name, what it attacks, the hostile targets (built lazily; some are ~1 MiB).
// `repeat: true` sends the request twice and compares the hostile decisions (non-determinism).

const HOSTILE = [
  // Ranges and allocation
  { name: 'range-1e7', attacks: 'a 10-million-item range allocated before anything looks at it', targets: () => [hostile('t', [when('$count([1..10000000]) > 0')])] },
  { name: 'range-1e5-map', attacks: 'largest allowed range, mapped and summed (work per item)', targets: () => [hostile('t', [when('$sum([1..99999].($ * $ % 7)) > 0')])] },
  { name: 'cross-product', attacks: 'nested ranges: 1000 × 1000 items flattened', targets: () => [hostile('t', [when('$count([1..1000].([1..1000].($ * 2))) > 0')])] },
  // Quadratic use of built-ins
  { name: 'distinct-objects', attacks: '$distinct over 20 000 objects: deep-equality comparisons, O(n²)', targets: () => [hostile('t', [when('$count($distinct([1..20000].{"k": $})) > 0')])] },
  { name: 'distinct-numbers', attacks: '$distinct over 99 999 numbers, O(n²) if done by scanning', targets: () => [hostile('t', [when('$count($distinct([1..99999])) > 0')])] },
  { name: 'string-growing-arrays', attacks: '$string of arrays 1..2000 long, one per item: O(n²) characters', targets: () => [hostile('t', [when('$count([1..2000].$string([1..$])) > 0')])] },
  { name: 'reduce-concat', attacks: '$reduce appending to a string 30 000 times (each step copies or re-measures the accumulator)', targets: () => [hostile('t', [when('$length($reduce([1..30000], function($a, $i){ $a & "xxxx" }, "")) > 0')])] },
  { name: 'reduce-append-array', attacks: '$reduce with $append: the accumulator array is copied every step, O(n²)', targets: () => [hostile('t', [when('$count($reduce([1..30000], function($a, $i){ $append($a, $i) }, [])) > 0')])] },
  { name: 'sift-big-labels', attacks: '$sift over 20 000 caller labels, 30 times', targets: () => [hostile('t', [when('$count([1..30].$count($keys($sift(target.labels, function($v, $k){ $contains($k, "1") })))) > 0')], { labels: bigLabels(20_000) })] },
  { name: 'each-big-labels', attacks: '$each over 20 000 caller labels, 30 times, building strings', targets: () => [hostile('t', [when('$count([1..30].$each(target.labels, function($v, $k){ $k & $v })) > 0')], { labels: bigLabels(20_000) })] },
  { name: 'groupby-one-key', attacks: 'group-by {"k": $} with one constant key over 99 999 items (one group, appended to each time)', targets: () => [hostile('t', [when('$count([1..99999]{"k": $}.k) > 0')])] },
  { name: 'groupby-many-keys', attacks: 'group-by with 50 000 distinct keys (each group evaluated concurrently)', targets: () => [hostile('t', [when('$count($keys([1..50000]{$string($): $})) > 0')])] },
  { name: 'merge-many-objects', attacks: '$merge of 90 000 one-key objects', targets: () => [hostile('t', [when('$count($keys($merge([1..90000].{$string($): $}))) > 0')])] },
  { name: 'points-quadratic', attacks: 'for each of 10 000 points, filter all 10 000: 10⁸ predicate evaluations over a legal series', targets: () => [hostile('t', [when('$count(metrics.cpu.points.($v := v; $count($$.metrics.cpu.points[v < $v]))) > 0')], { cpu: bigSeries() })] },
  { name: 'hof-100k-calls', attacks: '$filter, $map and $single with a lambda over 99 999 items', targets: () => [hostile('t', [when('$count($filter($map([1..99999], function($v){ $v * 3 }), function($v){ $v % 2 = 0 })) > 0')])] },
  { name: 'zip-wide', attacks: '$zip of three 99 999-item arrays (300 000 values in new arrays)', targets: () => [hostile('t', [when('$count($zip([1..99999], [1..99999], [1..99999])) > 0')])] },
  // Exponential work
  { name: 'recursion-2^40', attacks: 'exponential recursion $f(n-1)+$f(n-1), 2⁴⁰ calls', targets: () => [hostile('t', [when(exp2)])] },
  { name: 'closure-doubling', attacks: 'a chain of 25 closures each calling the previous twice: 2²⁵ calls from one call', targets: () => [hostile('t', [when('($g := $reduce([1..25], function($acc, $i){ function($x){ $acc($acc($x)) } }, function($x){ $x + 1 }); $g(0) > 0)')])] },
  { name: 'object-dag-string', attacks: '{"a": $x, "b": $x} 30 times (2³⁰ leaves by sharing), then $string walks it', targets: () => [hostile('t', [when(`$length($string(${dag(30)})) > 0`)])] },
  { name: 'object-dag-equals', attacks: 'deep equality of two 2³⁰-leaf shared DAGs', targets: () => [hostile('t', [when(`($o := ${dag(30)}; $o = $o)`)])] },
  { name: 'object-dag-descendants', attacks: 'descendant wildcard ** over a 2²⁶-node shared DAG', targets: () => [hostile('t', [when(`$count(${dag(26)}.**) > 0`)])] },
  { name: 'array-doubling', attacks: '$append($a, $a) 30 times: 2³⁰ items', targets: () => [hostile('t', [when('$count($reduce([1..30], function($a, $i){ $append($a, $a) }, [1])) > 0')])] },
  // Sorting and recursion depth
  { name: 'sort-comparator', attacks: '$sort of 12 000 items with a JSONata comparator (n log n lambda calls)', targets: () => [hostile('t', [when('$count($sort([1..12000], function($a, $b){ $a < $b })) > 0')])] },
  { name: 'sort-comparator-objects', attacks: '$sort of 12 000 objects by a field via a comparator, three times', targets: () => [hostile('t', [when('$count([1..3].$sort([1..12000].{"v": $ % 97}, function($a, $b){ $a.v > $b.v })) > 0')])] },
  { name: 'recursion-deep', attacks: 'non-tail recursion 100 000 deep (stack / pending-evaluation memory)', targets: () => [hostile('t', [when('($f := function($n){ $n <= 0 ? 0 : 1 + $f($n - 1) }; $f(100000) > 0)')])] },
  { name: 'recursion-tail-1e9', attacks: 'tail recursion that would run 10⁹ iterations (runs until a step budget stops it)', targets: () => [hostile('t', [when(burnToBudget)])] },
  { name: 'parser-nesting', attacks: '~2000 nested parentheses and arrays in one 4096-character expression (parser recursion)', targets: () => [hostile('t', [when('('.repeat(1023) + '1' + ')'.repeat(1023) + ' > 0', 0), when('$count(' + '['.repeat(2030) + '1' + ']'.repeat(2030) + ') > 0', 1)])] },
  // Strings
  { name: 'pad-1e8', attacks: '$pad to 100 million characters', targets: () => [hostile('t', [when('$length($pad("", 100000000)) > 0')])] },
  { name: 'string-doubling', attacks: '$s & $s 40 times via $reduce: 2⁴¹ characters', targets: () => [hostile('t', [when('$length($reduce([1..40], function($s, $i){ $s & $s }, "ab")) > 0')])] },
  { name: 'string-unicode-expansion', attacks: 'builders whose output outgrows the input: $uppercase("ß"…), $encodeUrlComponent("€"…) ×9', targets: () => [hostile('t', [when('$length($uppercase($pad("", 99999, "ß"))) > 0', 0), when('$length($encodeUrlComponent($pad("", 99999, "€"))) > 0', 1)])] },
  { name: 'string-pretty-print', attacks: '$string(…, true) of 99 999 nested objects (pretty JSON ~ several MB)', targets: () => [hostile('t', [when('$length($string([1..99999].{"a": $, "b": [$, $]}, true)) > 0')])] },
  // Regular expressions
  { name: 'regex-catastrophic', attacks: '/(a+)+b/ on 30 "a"s and a "c": exponential backtracking', targets: () => [hostile('t', [when('$contains($pad("", 30, "a") & "c", /(a+)+b/)')])] },
  { name: 'regex-nested-words', attacks: '/(\\w+\\s?)+$/ on 34 word characters and "!": exponential backtracking', targets: () => [hostile('t', [when('$contains($pad("", 34, "a") & "!", /(\\w+\\s?)+$/)')])] },
  { name: 'regex-polynomial', attacks: '/\\d*\\d*\\d*x/ on 1500 digits: O(n⁴) backtracking with no nested group', targets: () => [hostile('t', [when('$contains($pad("", 1500, "1"), /\\d*\\d*\\d*x/)')])] },
  { name: 'replace-many-matches', attacks: '$replace of 99 999 matches, each by 10 characters, then again (output grows ×10 per pass)', targets: () => [hostile('t', [when('$length($replace($replace($pad("", 99999, "a"), "a", "bbbbbbbbbb"), "b", "cccccccccc")) > 0')])] },
  { name: 'replace-lambda', attacks: '$replace with a regex and a lambda called for each of 99 999 matches', targets: () => [hostile('t', [when('$length($replace($pad("", 99999, "a"), /a/, function($m){ $m.match & "b" })) > 0')])] },
  { name: 'split-huge', attacks: '$split into characters 20 times: 2 million array items', targets: () => [hostile('t', [when('$count([1..20].$split($pad("", 99999, "a"), "")) > 0')])] },
  { name: 'match-many', attacks: '$match producing 99 999 match objects, 10 times', targets: () => [hostile('t', [when('$count([1..10].$match($pad("", 99999, "a"), /a/)) > 0')])] },
  { name: 'eval-regex-bypass', attacks: '$eval of a catastrophic regex built at run time (bypasses compile-time regex checks)', targets: () => [hostile('t', [when('$eval("$contains(\\"" & $pad("", 30, "a") & "c\\", /(a+)+b/)")')])] },
  // Pictures
  { name: 'formatInteger-words', attacks: '$formatInteger(1e15 + n, "w") 20 000 times (number to English words)', targets: () => [hostile('t', [when('$count([1..20000].$formatInteger(1e15 + $, "w")) > 0')])] },
  { name: 'fromMillis-long-picture', attacks: '$fromMillis with a 120 000-character picture, 10 times', targets: () => [hostile('t', [when('$count([1..10].$fromMillis(nowMs, $join([1..5000].("[Y][M][D][H][m][s][f]")))) > 0')])] },
  { name: 'fromMillis-wide', attacks: '$fromMillis with a width modifier of 10⁷ characters', targets: () => [hostile('t', [when('$length($fromMillis(nowMs, "[Y,10000000-10000000]")) > 0')])] },
  { name: 'toMillis-long-picture', attacks: '$toMillis with a 300-component picture (generated regex)', targets: () => [hostile('t', [when('$toMillis($join([1..300].("2026")), $join([1..300].("[Y0001]"))) > 0')])] },
  { name: 'formatNumber-wide', attacks: '$formatNumber with a 99 999-digit picture, 20 times', targets: () => [hostile('t', [when('$count([1..20].$formatNumber(1, $pad("", 99999, "0"))) > 0')])] },
  { name: 'now-picture-loop', attacks: '$now with a full picture 50 000 times', targets: () => [hostile('t', [when('$count([1..50000].$now("[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001] [Z]")) > 0')])] },
  // Non-determinism and action results
  { name: 'random-capacity', attacks: '$random() in a capacity: two identical requests must decide the same', repeat: true, targets: () => [hostile('t', [action('1 + $floor($random() * 1000)')])] },
  { name: 'shuffle-capacity', attacks: '$shuffle in a capacity: two identical requests must decide the same', repeat: true, targets: () => [hostile('t', [action('$shuffle([1..1000])[0]')])] },
  { name: 'action-nonfinite', attacks: 'capacity expressions yielding Infinity, a huge number and a string', targets: () => [hostile('t', [action('$power(10, 400)', 0), action('1e300', 1), action('"5"', 2)])] },
  { name: 'transform-operator', attacks: 'the transform operator |…|…| (deep copy of the input)', targets: () => [hostile('t', [when('$count(($ ~> |metrics|{"x": 1}|).metrics) > 0')])] },
  // Whole-request amplification: per-expression budgets multiplied by rules × targets
  { name: 'fill-budget-burners', attacks: `as many rules (${LIMITS.rulesPerSet} per target) as 1 MiB holds, each burning its whole step budget`, targets: () => fillRules((r) => when(burnToBudget, r)) },
  { name: 'fill-exponential', attacks: `as many rules (${LIMITS.rulesPerSet} per target) as 1 MiB holds, each the 2⁴⁰ recursion`, targets: () => fillRules((r) => when(exp2, r)) },
  { name: 'fill-long-expressions', attacks: `${LIMITS.rulesPerSet} rules of ${LIMITS.expressionLength}-character expressions per target (each a chain of 99 999-item ranges), as many as 1 MiB holds`, targets: () => fillRules((r) => when(longExpr('$sum([1..99999])', '+', ' > 0'), r)) },
  { name: 'fill-many-targets', attacks: `${LIMITS.targetsPerBatch - 1} targets with one quadratic rule each ($distinct over 5000 objects)`, targets: () => fillTargets((i) => hostile(`m${i}`, [when('$count($distinct([1..5000].{"k": $})) > 0')])) },
];

// ---------------------------------------------------------------------------------------------------
// Preflight: every body must be one the DEFAULT limits accept and every expression must parse in plain
// JSONata, so that an outcome is about the engine, not about a typo or a 413 in this table.

function buildBody(entry) {
  return JSON.stringify({ now: NOW, targets: [...entry.targets(), INNOCENT] });
}

function preflight(entries) {
  const require = createRequire(join(ROOT, 'package.json'));
  let jsonata;
  try {
    jsonata = require('jsonata');
  } catch {
    console.warn('bench-hostile: the jsonata package is not installed; expressions are not syntax-checked');
  }
  const problems = [];
  const sizes = new Map();
  for (const entry of entries) {
    const body = buildBody(entry);
    const parsed = JSON.parse(body);
    const bytes = Buffer.byteLength(body);
    sizes.set(entry.name, { bytes, targets: parsed.targets.length });
    if (bytes > LIMITS.bodyBytes) problems.push(`${entry.name}: body ${bytes} bytes > ${LIMITS.bodyBytes}`);
    if (parsed.targets.length > LIMITS.targetsPerBatch) problems.push(`${entry.name}: ${parsed.targets.length} targets > ${LIMITS.targetsPerBatch}`);
    const seen = new Set();
    for (const target of parsed.targets) {
      if (typeof target.ruleSet !== 'object') continue;
      if (target.ruleSet.rules.length > LIMITS.rulesPerSet) problems.push(`${entry.name}: ${target.ruleSet.rules.length} rules > ${LIMITS.rulesPerSet}`);
      for (const rule of target.ruleSet.rules) {
        for (const expr of [rule.when.expr, rule.action.expr]) {
          if (expr === undefined || seen.has(expr)) continue;
          seen.add(expr);
          if (expr.length > LIMITS.expressionLength) problems.push(`${entry.name}: expression of ${expr.length} characters > ${LIMITS.expressionLength}`);
          try {
            jsonata?.(expr);
          } catch (error) {
            problems.push(`${entry.name}: does not parse in plain JSONata (${error.code}: ${error.message}): ${expr.slice(0, 80)}`);
          }
        }
      }
    }
  }
  return { problems, sizes };
}

// ---------------------------------------------------------------------------------------------------
// /proc

/** utime+stime (clock ticks), ppid and comm of one process, or undefined when it is gone. */
function procStat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    const fields = text.slice(close + 2).split(' '); // fields[0] is field 3 (state) of proc(5)
    return { comm: text.slice(text.indexOf('(') + 1, close), ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

/** VmRSS and VmHWM in bytes, or undefined when the process is gone. */
function procMemory(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    // A zombie (exited, not yet reaped) has no Vm* lines: it holds no memory.
    const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/** Resets the RSS high-water mark (proc(5), clear_refs "5"); false when not permitted. */
function resetHighWaterMark(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Every live descendant of `root`, found through the ppid of each /proc entry. */
function descendants(root) {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = procStat(name);
    if (!stat) continue;
    if (!children.has(stat.ppid)) children.set(stat.ppid, []);
    children.get(stat.ppid).push({ pid: Number(name), comm: stat.comm });
  }
  const out = [];
  const queue = [root];
  while (queue.length) {
    for (const child of children.get(queue.shift()) ?? []) {
      out.push(child);
      queue.push(child.pid);
    }
  }
  return out;
}

const isAlive = (pid) => procStat(pid) !== undefined;
/** Clock ticks per pid, for the processes still there. */
const ticksOf = (pids) => new Map(pids.map((pid) => [pid, procStat(pid)?.ticks]).filter(([, ticks]) => ticks !== undefined));

/**
 * CPU between two snapshots: each process's own delta, and all of a process that appeared in between.
 * A process that vanished in between takes its CPU with it, so the result is then a lower bound.
 */
function cpuBetween(before, after) {
  let ticks = 0;
  for (const [pid, t] of after) ticks += t - (before.get(pid) ?? 0);
  return ticks;
}
const sumMemory = (pids, key) => pids.reduce((sum, pid) => sum + (procMemory(pid)?.[key] ?? 0), 0);

// ---------------------------------------------------------------------------------------------------
// Servers

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A free loopback port (closed again before the server takes it; the window is tiny). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The environment for a server: ours, minus any EDGESCALE_/ACTUATOR_ variable or process-env passthrough from the shell. */
function cleanEnv(extra = {}) {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(EDGESCALE_|ACTUATOR_)/.test(name) || name === 'CLOUDFLARE_INCLUDE_PROCESS_ENV') continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}

/** Process groups we started; stopped on every way out, including the synchronous 'exit' handler. */
const liveGroups = new Set();
let scratchDir;

function scratch() {
  scratchDir ??= mkdtempSync(join(tmpdir(), 'edgescale-hostile-'));
  return scratchDir;
}

/** The dist bundle is rebuilt when missing or older than any source or rule file (bin/ runs dist/cli.mjs). */
function cliIsStale() {
  const bundle = join(ROOT, 'dist', 'cli.mjs');
  if (!existsSync(bundle)) return true;
  const built = statSync(bundle).mtimeMs;
  const newer = (dir) =>
    readdirSync(dir, { withFileTypes: true }).some((e) => {
      const path = join(dir, e.name);
      if (e.isDirectory()) return e.name !== 'generated' && newer(path);
      return statSync(path).mtimeMs > built;
    });
  return newer(join(ROOT, 'src')) || newer(join(ROOT, 'rules'));
}

const SERVERS = {
  serve: {
    /** `node bin/edgescale.mjs serve`: the measured process is the node process itself. */
    async start() {
      const port = await freePort();
      const env = cleanEnv({ EDGESCALE_API_TOKEN: TOKEN, EDGESCALE_DEV_AUTH_DISABLED: 'false' });
      const child = spawnLogged('serve', process.execPath, [join(ROOT, 'bin', 'edgescale.mjs'), 'serve', '--host', '127.0.0.1', '--port', String(port)], env);
      return { child, port, measured: () => (isAlive(child.pid) ? [child.pid] : []) };
    },
  },
  wrangler: {
    /**
     * `wrangler dev`: the token goes in a 0600 env file in a temp directory (--env-file; wrangler then
     * skips .dev.vars, so the repo's dev switch cannot turn auth off). The work happens in workerd
     * children (the proxy and the user worker), so all workerd descendants are measured.
     */
    async start() {
      const port = await freePort();
      const inspectorPort = await freePort();
      const dir = scratch();
      const envFile = join(dir, 'wrangler.env');
      writeFileSync(envFile, `EDGESCALE_API_TOKEN=${TOKEN}\nEDGESCALE_DEV_AUTH_DISABLED=false\n`, { mode: 0o600 });
      const wrangler = join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
      const args = [wrangler, 'dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspectorPort), '--env-file', envFile,
        '--persist-to', join(dir, 'state'), '--show-interactive-dev-session=false', '--log-level', 'warn'];
      const child = spawnLogged('wrangler', process.execPath, args, cleanEnv({ WRANGLER_SEND_METRICS: 'false' }));
      const measured = () => descendants(child.pid).filter((p) => p.comm === 'workerd').map((p) => p.pid);
      return { child, port, measured };
    },
  },
};

/** Spawns in its own process group (so the whole tree can be stopped by group id), output to a log file. */
function spawnLogged(name, command, args, env) {
  const logPath = join(scratch(), `${name}-${Date.now()}.log`);
  const fd = openSync(logPath, 'a');
  const child = spawn(command, args, { cwd: ROOT, env, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.logPath = logPath;
  child.exited = false;
  child.on('exit', () => (child.exited = true));
  liveGroups.add(child.pid);
  return child;
}

/** SIGTERM to the group, SIGKILL after the grace period; waits until every process of the tree is gone. */
async function stopGroup(child) {
  if (!child || !liveGroups.has(child.pid)) return;
  const tree = [child.pid, ...descendants(child.pid).map((p) => p.pid)];
  signalGroup(child.pid, 'SIGTERM');
  const deadline = Date.now() + STOP_GRACE_MS;
  while (tree.some(isAlive) && Date.now() < deadline) await sleep(100);
  if (tree.some(isAlive)) {
    signalGroup(child.pid, 'SIGKILL');
    for (const pid of tree) if (isAlive(pid)) try { process.kill(pid, 'SIGKILL'); } catch { /* exited meanwhile */ }
    while (tree.some(isAlive) && Date.now() < deadline + STOP_GRACE_MS) await sleep(100);
  }
  liveGroups.delete(child.pid);
}

function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group has exited already.
  }
}

/** Last resort on process exit: synchronous SIGKILL of every group still recorded. */
function killAllGroupsSync() {
  for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
  liveGroups.clear();
  if (scratchDir) rmSync(scratchDir, { recursive: true, force: true });
}

async function http(url, { method = 'GET', body, auth = true, timeoutMs }) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const headers = { 'content-type': 'application/json' };
    if (auth) headers.authorization = `Bearer ${TOKEN}`;
    const response = await fetch(url, { method, body, headers, signal: controller.signal });
    const text = await response.text();
    return { status: response.status, text };
  } catch (error) {
    return { status: 0, error: controller.signal.aborted ? 'timeout' : String(error.cause?.code ?? error.message) };
  } finally {
    clearTimeout(timer);
  }
}

async function healthy(server, timeoutMs = HEALTHZ_TIMEOUT_MS) {
  const r = await http(`${server.base}/healthz`, { timeoutMs, auth: false });
  return r.status === 200;
}

/**
 * Starts a server and waits for /healthz, checks that auth is really on (no token → 401, token → 200),
 * warms it up, and measures the idle RSS baseline.
 */
async function launch(kind) {
  const s = await SERVERS[kind].start();
  const server = { kind, ...s, base: `http://127.0.0.1:${s.port}` };
  try {
    return await ready(server);
  } catch (error) {
    await stopGroup(server.child); // a server that started but failed its checks must not outlive them
    throw error;
  }
}

async function ready(server) {
  const { kind } = server;
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    if (server.child.exited) throw new Error(`${kind} exited during startup; log:\n${tail(server.child.logPath)}`);
    // wrangler keeps running after a failed build, waiting for a fix: fail now instead of at the startup timeout.
    if (/\[ERROR\]/.test(tail(server.child.logPath, 200))) throw new Error(`${kind} reported an error during startup; log:\n${tail(server.child.logPath)}`);
    const r = await http(`${server.base}/healthz`, { timeoutMs: 1_000, auth: false });
    if (r.status === 200) {
      if (JSON.parse(r.text).auth !== 'bearer') throw new Error(`${kind}: /healthz says auth is ${JSON.parse(r.text).auth}, expected bearer`);
      break;
    }
    if (Date.now() > deadline) throw new Error(`${kind} did not answer /healthz within ${STARTUP_TIMEOUT_MS} ms; log:\n${tail(server.child.logPath)}`);
    await sleep(250);
  }
  const innocentBody = JSON.stringify({ now: NOW, targets: [INNOCENT] });
  const anonymous = await http(`${server.base}/v1/evaluate`, { method: 'POST', body: innocentBody, auth: false, timeoutMs: 10_000 });
  if (anonymous.status !== 401) throw new Error(`${kind}: POST /v1/evaluate without a token answered ${anonymous.status}, expected 401`);
  const warm = JSON.stringify({ now: NOW, targets: [hostile('warm', [when('$sum([1..1000]) > 0'), action('$ceilDiv(1000, 100)', 1)]), INNOCENT] });
  for (let i = 0; i < WARMUP_REQUESTS; i++) {
    const r = await http(`${server.base}/v1/evaluate`, { method: 'POST', body: i % 2 ? warm : innocentBody, timeoutMs: 30_000 });
    if (r.status !== 200) throw new Error(`${kind}: warm-up request answered ${r.status} ${r.error ?? r.text?.slice(0, 300)}`);
  }
  await sleep(500);
  server.pids = server.measured();
  if (server.pids.length === 0) throw new Error(`${kind}: no process to measure`);
  server.baselineRss = sumMemory(server.pids, 'rss');
  return server;
}

function tail(path, lines = 25) {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// ---------------------------------------------------------------------------------------------------
// One measured request

/** Samples VmRSS of `pids` every RSS_SAMPLE_MS; kills the server if it passes the memory guard. */
function startRssSampler(pids, onGuard) {
  const state = { peak: sumMemory(pids, 'rss'), guarded: false };
  const timer = setInterval(() => {
    const rss = sumMemory(pids, 'rss');
    state.peak = Math.max(state.peak, rss);
    if (rss > RSS_GUARD_BYTES && !state.guarded) {
      state.guarded = true;
      onGuard();
    }
  }, RSS_SAMPLE_MS);
  return { state, stop: () => clearInterval(timer) };
}

async function measure(server, body) {
  const pids = server.measured();
  const ticks0 = ticksOf(pids);
  const hwmMode = pids.every(resetHighWaterMark);
  const sampler = startRssSampler(pids, () => signalGroup(server.child.pid, 'SIGKILL'));
  const t0 = performance.now();
  const response = await http(`${server.base}/v1/evaluate`, { method: 'POST', body, timeoutMs: REQUEST_TIMEOUT_MS });
  const wallMs = performance.now() - t0;
  const pidsAfter = server.measured();
  const ticks1 = ticksOf(pidsAfter);
  sampler.stop();
  const peak = hwmMode && pids.every(isAlive) ? sumMemory(pids, 'hwm') : sampler.state.peak;
  return {
    response,
    wallMs,
    cpuMs: (cpuBetween(ticks0, ticks1) * 1000) / CLK_TCK,
    peakRss: peak,
    rssMode: hwmMode ? 'VmHWM' : 'sampled',
    guardKilled: sampler.state.guarded,
    // CPU of a process that exited or was replaced mid-request is lost: flag it rather than under-report silently.
    pidsChanged: pids.join() !== pidsAfter.join(),
  };
}

/** What the response says about the innocent target and about the hostile ones. */
function judgeResponse(response) {
  if (response.status === 0) return { innocent: `no (${response.error})`, innocentOk: false, hostile: response.error === 'timeout' ? `timeout after ${REQUEST_TIMEOUT_MS / 1000} s` : `no response (${response.error})` };
  let json;
  try {
    json = JSON.parse(response.text);
  } catch {
    return { innocent: 'no (not JSON)', innocentOk: false, hostile: `not JSON: ${response.text.slice(0, 60)}` };
  }
  if (!Array.isArray(json.results)) return { innocent: 'no (no results)', innocentOk: false, hostile: `error ${json.error?.code ?? '?'}: ${String(json.error?.message ?? '').slice(0, 80)}` };
  const mine = json.results.find((r) => r.target === INNOCENT_ID);
  const d = mine?.decision;
  const innocentOk = Boolean(mine?.ok && d && d.action === INNOCENT_EXPECTED.action && d.from === INNOCENT_EXPECTED.from && d.to === INNOCENT_EXPECTED.to);
  const innocent = innocentOk ? 'yes' : `no (${mine ? (mine.ok ? `${d.action} ${d.from}→${d.to}` : mine.error?.code) : 'missing'})`;
  const counts = new Map();
  const bump = (key) => counts.set(key, (counts.get(key) ?? 0) + 1);
  const hostileResults = json.results.filter((r) => r.target !== INNOCENT_ID);
  for (const r of hostileResults) {
    if (!r.ok) bump(`target ${r.error?.code}`);
    else for (const rule of r.decision.trace?.rules ?? []) bump(rule.status === 'RuleError' ? rule.error?.code ?? 'RuleError' : rule.status);
  }
  const outcome = [...counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}×${n}`).join(', ');
  return { innocent, innocentOk, hostile: `${hostileResults.length} target(s): ${outcome || 'no rules'}`, json };
}

/** The parts of the hostile decisions that must not change between two identical requests. */
function hostileFingerprint(json) {
  return JSON.stringify((json?.results ?? []).filter((r) => r.target !== INNOCENT_ID).map((r) => (r.ok ? [r.decision.action, r.decision.to, r.decision.rule, r.decision.trace?.rules?.map((t) => [t.status, t.capacity])] : r.error?.code)));
}

async function runEntry(server, entry, body) {
  const m = await measure(server, body);
  const judged = judgeResponse(m.response);
  const alive = !server.child.exited && isAlive(server.child.pid);
  const healthOk = alive && (await healthy(server));
  const record = {
    request: entry.name,
    server: server.kind,
    status: m.response.status,
    cpuMs: m.cpuMs,
    cpuPartial: m.response.status === 0 || m.pidsChanged,
    peakRssMiB: m.peakRss / MIB,
    growthMiB: (m.peakRss - server.baselineRss) / MIB,
    rssMode: m.rssMode,
    wallMs: m.wallMs,
    innocent: judged.innocent,
    innocentOk: judged.innocentOk,
    hostile: judged.hostile + (m.guardKilled ? ' [killed by memory guard]' : '') + (m.pidsChanged ? ' [measured processes changed]' : ''),
    healthz: !alive ? 'server died' : healthOk ? 'ok' : `no answer in ${HEALTHZ_TIMEOUT_MS} ms`,
    healthOk,
    notes: [],
  };
  if (entry.repeat && healthOk && judged.json) {
    const again = judgeResponse((await measure(server, body)).response);
    record.hostile += hostileFingerprint(judged.json) === hostileFingerprint(again.json) ? ' [same on repeat]' : ' [NONDETERMINISTIC: differs on repeat]';
  }
  record.violations = violations(record);
  return record;
}

function violations(r) {
  const v = [];
  if (r.cpuMs > CPU_LIMIT_MS) v.push(`cpu>${CPU_LIMIT_MS}ms`);
  if (r.growthMiB > RSS_GROWTH_LIMIT_MIB) v.push(`rss+>${RSS_GROWTH_LIMIT_MIB}MiB`);
  if (r.status >= SERVER_ERROR_STATUS) v.push('5xx');
  if (!r.innocentOk) v.push('innocent lost');
  if (!r.healthOk) v.push('healthz');
  return v;
}

/** After a failed /healthz: give the server RECOVERY_WAIT_MS to come back, else restart it. */
async function recover(server) {
  const deadline = Date.now() + RECOVERY_WAIT_MS;
  while (!server.child.exited && Date.now() < deadline) {
    if (await healthy(server)) return { server, note: 'recovered' };
    await sleep(500);
  }
  await stopGroup(server.child);
  return { server: await launch(server.kind), note: 'restarted' };
}

/** Makes sure the next request starts near the idle baseline (see RSS_CARRYOVER_MIB). */
async function startFromIdle(server) {
  // wrangler reloads the worker when src/ changes (someone editing): new processes, so a new baseline.
  if (server.measured().join() !== server.pids.join()) {
    await stopGroup(server.child);
    return { server: await launch(server.kind), note: 'fresh server: its processes changed (wrangler reload?)' };
  }
  const carried = () => (sumMemory(server.measured(), 'rss') - server.baselineRss) / MIB;
  const deadline = Date.now() + RSS_SETTLE_MS;
  while (carried() > RSS_CARRYOVER_MIB && Date.now() < deadline) await sleep(200);
  const left = carried();
  if (left <= RSS_CARRYOVER_MIB && !server.child.exited) return { server };
  await stopGroup(server.child);
  return { server: await launch(server.kind), note: `fresh server: earlier requests left +${fmt(left)} MiB` };
}

// ---------------------------------------------------------------------------------------------------
// Report

const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '—');

function printTable(records) {
  console.log('\n| request | server | status | CPU ms | peak RSS MiB (growth) | wall ms | innocent decided | hostile outcome | /healthz after | verdict |');
  console.log('| --- | --- | --- | ---: | ---: | ---: | --- | --- | --- | --- |');
  for (const r of records) {
    const cpu = `${r.cpuPartial ? '≥' : ''}${fmt(r.cpuMs)}`;
    const rss = `${fmt(r.peakRssMiB)} (${r.growthMiB >= 0 ? '+' : ''}${fmt(r.growthMiB)})${r.rssMode === 'sampled' ? ' s' : ''}`;
    const verdict = r.skipped ? 'skipped' : r.violations.length ? `FAIL: ${r.violations.join(', ')}` : 'ok';
    const cells = [r.request, r.server, r.status || '—', cpu, rss, fmt(r.wallMs), r.innocent, r.hostile, r.healthz + (r.notes.length ? ` (${r.notes.join(', ')})` : ''), verdict];
    console.log(`| ${cells.map((c) => String(c).replaceAll('|', '\\|')).join(' | ')} |`);
  }
}

function printSummary(records, servers) {
  console.log('');
  for (const kind of servers) {
    const mine = records.filter((r) => r.server === kind && !r.skipped);
    if (!mine.length) continue;
    const failed = mine.filter((r) => r.violations.length);
    const maxBy = (key) => mine.reduce((a, b) => (b[key] > a[key] ? b : a));
    const cpu = maxBy('cpuMs');
    const rss = maxBy('growthMiB');
    const count = (tag) => mine.filter((r) => r.violations.includes(tag)).length;
    const restarts = mine.filter((r) => r.notes.includes('restarted')).length;
    const fresh = mine.filter((r) => r.notes.some((n) => n.startsWith('fresh server'))).length;
    // Not a bound (the brief's exit criteria are resources and availability), but decisions are meant to be replayable.
    const nondeterministic = mine.filter((r) => r.hostile.includes('NONDETERMINISTIC')).map((r) => r.request);
    const skipped = records.filter((r) => r.server === kind && r.skipped).length;
    console.log(
      `**${kind}**: ${mine.length} requests, ${failed.length} over a bound ` +
        `(cpu ${count(`cpu>${CPU_LIMIT_MS}ms`)}, rss ${count(`rss+>${RSS_GROWTH_LIMIT_MIB}MiB`)}, 5xx ${count('5xx')}, innocent lost ${count('innocent lost')}, healthz ${count('healthz')}); ` +
        `max CPU ${fmt(cpu.cpuMs)} ms (${cpu.request}), max RSS growth ${fmt(rss.growthMiB)} MiB (${rss.request}); ` +
        `${restarts} restart(s) after a stall, ${fresh} to return to idle memory` +
        (skipped ? `; ${skipped} skipped` : '') +
        (nondeterministic.length ? `; warning, nondeterministic decisions: ${nondeterministic.join(', ')}` : ''),
    );
  }
  console.log(
    `\nBounds: CPU ≤ ${CPU_LIMIT_MS} ms, RSS growth ≤ ${RSS_GROWTH_LIMIT_MIB} MiB over idle, no 5xx, innocent decided, /healthz within ${HEALTHZ_TIMEOUT_MS} ms. ` +
      `CPU is utime+stime of the server process(es) (CLK_TCK ${CLK_TCK}); "≥" = lower bound (timed out or a process was replaced); ` +
      `RSS from VmHWM after clear_refs${records.some((r) => r.rssMode === 'sampled') ? ', "s" = sampled every 20 ms because clear_refs was refused' : ''}.`,
  );
}

// ---------------------------------------------------------------------------------------------------
// Main

async function runServer(kind, entries, bodies, records, deadline) {
  let server;
  try {
    server = await launch(kind);
  } catch (error) {
    console.error(`bench-hostile: ${kind} did not start: ${error.message}`);
    for (const e of entries) records.push(skipped(e, kind, 'server did not start'));
    return;
  }
  console.error(`bench-hostile: ${kind} on ${server.base}, measuring pid(s) ${server.pids.join(',')}, idle RSS ${fmt(server.baselineRss / MIB)} MiB`);
  try {
    for (const entry of entries) {
      if (Date.now() > deadline) {
        records.push(skipped(entry, kind, 'global timeout'));
        continue;
      }
      if (!server) {
        records.push(skipped(entry, kind, 'server could not be restarted'));
        continue;
      }
      // A server that cannot be brought back is given up on: its remaining requests are recorded as skipped.
      let freshNote;
      try {
        ({ server, note: freshNote } = await startFromIdle(server));
      } catch (error) {
        console.error(`bench-hostile: could not restart ${kind}: ${error.message}`);
        server = undefined;
        records.push(skipped(entry, kind, 'server could not be restarted'));
        continue;
      }
      const record = await runEntry(server, entry, bodies.get(entry.name));
      if (freshNote) record.notes.push(freshNote);
      records.push(record);
      console.error(`  ${kind} ${entry.name}: ${record.status || record.hostile} cpu ${fmt(record.cpuMs)} ms, rss +${fmt(record.growthMiB)} MiB, ${record.violations.join(', ') || 'ok'}`);
      if (!record.healthOk) {
        try {
          const r = await recover(server);
          server = r.server;
          record.notes.push(r.note);
        } catch (error) {
          record.notes.push('restart failed');
          console.error(`bench-hostile: could not restart ${kind}: ${error.message}`);
          server = undefined;
        }
      }
    }
  } finally {
    if (server) await stopGroup(server.child);
  }
}

function skipped(entry, kind, why) {
  return { request: entry.name, server: kind, status: 0, cpuMs: NaN, peakRssMiB: NaN, growthMiB: NaN, wallMs: NaN, innocent: '—', innocentOk: false, hostile: why, healthz: '—', notes: [], violations: [why], skipped: true };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const entries = HOSTILE.filter((e) => !args.only || e.name.includes(args.only));
  if (entries.length === 0) usage(`no request name contains "${args.only}"`);
  if (args.list) {
    for (const e of entries) console.log(`${e.name.padEnd(26)} ${e.attacks}`);
    return 0;
  }

  const { problems, sizes } = preflight(entries);
  if (problems.length) {
    console.error(`bench-hostile: the table has requests the default limits would refuse or that do not parse:\n  ${problems.join('\n  ')}`);
    return 2;
  }
  if (args.dryRun) {
    for (const e of entries) console.log(`${e.name.padEnd(26)} ${String(sizes.get(e.name).bytes).padStart(8)} bytes ${String(sizes.get(e.name).targets).padStart(4)} targets`);
    console.log(`${entries.length} requests within the limits (${JSON.stringify(LIMITS)})`);
    return 0;
  }

  const servers = args.server === 'both' ? ['serve', 'wrangler'] : [args.server];
  if (servers.includes('serve') && args.build && cliIsStale()) {
    console.error('bench-hostile: dist/cli.mjs is missing or older than src/ — npm run build:cli');
    try {
      execFileSync('npm', ['run', '--silent', 'build:cli'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    } catch {
      console.error('bench-hostile: npm run build:cli failed (is the working tree mid-edit?); fix the build, or pass --no-build to measure the existing dist/cli.mjs');
      return 2;
    }
  }

  const bodies = new Map(entries.map((e) => [e.name, buildBody(e)]));
  const records = [];
  const deadline = Date.now() + GLOBAL_TIMEOUT_MS;
  console.error(`bench-hostile: ${entries.length} hostile requests × ${servers.join(' + ')}; per-request timeout ${REQUEST_TIMEOUT_MS / 1000} s, global ${GLOBAL_TIMEOUT_MS / 60_000} min`);
  for (const kind of servers) await runServer(kind, entries, bodies, records, deadline);

  printTable(records);
  printSummary(records, servers);
  if (args.json) writeFileSync(args.json, JSON.stringify({ bounds: { CPU_LIMIT_MS, RSS_GROWTH_LIMIT_MIB, HEALTHZ_TIMEOUT_MS }, records }, null, 2));
  const failed = records.filter((r) => r.violations.length).length;
  console.log(failed ? `\nFAIL: ${failed} of ${records.length} requests broke a bound.` : `\nOK: all ${records.length} requests within bounds.`);
  return failed ? 1 : 0;
}

// Every way out stops the servers: normal return, thrown error, SIGINT/SIGTERM, and the global timeout
// (a hard stop a little after GLOBAL_TIMEOUT_MS in case a request or a stop hangs).
process.on('exit', killAllGroupsSync);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    console.error(`\nbench-hostile: ${signal}, stopping servers`);
    killAllGroupsSync();
    process.exit(130);
  });
}
const hardStop = setTimeout(() => {
  console.error('bench-hostile: global timeout, stopping');
  killAllGroupsSync();
  process.exit(1);
}, GLOBAL_TIMEOUT_MS + 5 * 60_000);

main()
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error) => {
    console.error(`bench-hostile: ${error.stack ?? error}`);
    process.exitCode = 2;
  })
  .finally(() => {
    clearTimeout(hardStop);
    killAllGroupsSync();
  });
