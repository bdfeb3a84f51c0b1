// The decision id: SHA-256 of the normalized inputs (numbers, not their spelling), the actuator's idempotency key.
import { canonicalJson, sha256Hex } from '../hash.js';
import { toEpochMs } from '../../syntax/duration.js';
import type { Point } from '../metrics.js';
import { CLOCK_SKEW_TOLERANCE_MS } from '../series.js';
import type { RegularColumns } from '../../syntax/series.js';
import type { CompiledRuleSet } from '../ruleset.js';
import type { TargetInput } from './context.js';
import { readPods } from '../hpa/pods.js';

/** Bumped when the same input may decide differently, or its id is computed differently, so ids never collide across versions. */
export const ENGINE_VERSION = 'edgescale-engine/2';

/** An instant as epoch ms whether it came as ISO 8601 or as a number (the schema accepted it, so it parses). */
const instant = (t: string | number): number => toEpochMs(t) as number;

/**
 * The inputs that can change a decision, with every instant as epoch ms: the state's timers and HPA
 * history and the instances' creation times, whichever spelling the caller used.
 */
function header(ruleSet: CompiledRuleSet, target: TargetInput, now: number): string {
  const { state, instances } = target;
  const normalizedState = state && {
    ...state,
    ...(state.lastScale && { lastScale: { ...state.lastScale, at: instant(state.lastScale.at) } }),
    cooldownUntil: {
      ...(state.cooldownUntil.out !== undefined && { out: instant(state.cooldownUntil.out) }),
      ...(state.cooldownUntil.in !== undefined && { in: instant(state.cooldownUntil.in) }),
    },
    ...(state.activation?.lastActive !== undefined && { activation: { lastActive: instant(state.activation.lastActive) } }),
    ...(state.hpa && {
      hpa: {
        recommendations: state.hpa.recommendations.map((r) => ({ ...r, at: instant(r.at) })),
        scaleEvents: {
          up: state.hpa.scaleEvents.up.map((e) => ({ ...e, at: instant(e.at) })),
          down: state.hpa.scaleEvents.down.map((e) => ({ ...e, at: instant(e.at) })),
        },
      },
    }),
  };
  // canonicalJson of { engine, ruleSet, now, target, labels, capacity, inServiceCapacity, state, instances, unavailableZones,
  // pods }, written key by key in its sorted order (absent ones left out, as canonicalJson leaves out
  // undefined): the same string, without sorting ten keys on every decision. The pinned id tests hold it.
  let out = `{"capacity":${canonicalJson(target.capacity)},"engine":${JSON.stringify(ENGINE_VERSION)}`;
  if (target.inServiceCapacity !== undefined) out += `,"inServiceCapacity":${canonicalJson(target.inServiceCapacity)}`;
  if (instances !== undefined) out += `,"instances":${canonicalJson(instances.map((i) => ({ ...i, createdAt: instant(i.createdAt) })))}`;
  out += `,"labels":${canonicalJson(target.labels ?? {})},"now":${canonicalJson(now)}`;
  if (target.pods) {
    // The pods as the calculation reads them: instants in epoch ms, quantities in milli-units.
    const pods = readPods(target.pods, now).map((p) => ({
      ...p,
      readyTransitionMs: Number.isFinite(p.readyTransitionMs) ? p.readyTransitionMs : null,
      requests: Object.fromEntries(p.requests),
      samples: Object.fromEntries(p.samples),
    }));
    out += `,"pods":${canonicalJson(pods)}`;
  }
  out += `,"ruleSet":${JSON.stringify(ruleSet.specHash)}`;
  if (normalizedState) out += `,"state":${canonicalJson(normalizedState)}`;
  out += `,"target":${JSON.stringify(target.id)}`;
  if (target.unavailableZones !== undefined) out += `,"unavailableZones":${canonicalJson(target.unavailableZones)}`;
  return `${out}}`;
}

/** Whether this platform stores a Float64Array's numbers little-endian (every platform Node and workerd run on; checked, not assumed). */
const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/**
 * The (t, v) pairs of the series being written, grown as needed and reused (a Float64Array write is
 * cheaper than DataView.setFloat64), and a byte view of them for copying into `bytes`.
 */
let pairs = new Float64Array(256);
let pairBytes = new Uint8Array(pairs.buffer);
function pairBuffer(points: number): Float64Array {
  if (pairs.length < points * 2) {
    pairs = new Float64Array(Math.max(points * 2, pairs.length * 2));
    pairBytes = new Uint8Array(pairs.buffer);
  }
  return pairs;
}

/**
 * Everything one id hashes, written into one reused buffer and hashed in one call: a hash object and
 * five update() calls per target were 8 % of a 10,000-target batch (BENCHMARKS.md). The bytes are
 * exactly those the updates hashed, in the same order, so ids are unchanged.
 */
let bytes = new Uint8Array(16 * 1024);
let used = 0;
const encoder = new TextEncoder();
/** Room for `n` more bytes, keeping what is written. */
function reserve(n: number): void {
  if (used + n <= bytes.length) return;
  const grown = new Uint8Array(Math.max(used + n, bytes.length * 2));
  grown.set(bytes.subarray(0, used));
  bytes = grown;
}
/** A string's UTF-8 bytes (at most 3 per UTF-16 unit). */
function writeText(text: string): void {
  reserve(text.length * 3);
  used += encoder.encodeInto(text, bytes.subarray(used)).written;
}
/**
 * The first `points` pairs of `values` as little-endian bytes. `values` is always the module's `pairs`: on a
 * little-endian machine its bytes are already `pairBytes` (the same buffer), copied as they are.
 */
function writePairs(values: Float64Array, points: number): void {
  const n = points * 16;
  reserve(n);
  if (LITTLE_ENDIAN) {
    bytes.set(pairBytes.subarray(0, n), used);
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset + used, n);
    for (let i = 0; i < points * 2; i++) view.setFloat64(i * 8, values[i]!, true);
  }
  used += n;
}

/**
 * SHA-256 over, in order: the canonical JSON of the header above; then, for each metric in name order,
 * its name and point count, its normalized points (sorted by time, as the engine reads them) as
 * little-endian IEEE 754 pairs (t in epoch ms, v; −0 written as 0), and the points' instance names
 * when any point has one. So a series sent as ISO or epoch timestamps, in any order, with `1.0` or
 * `1`, gives the same id; a bare number is the point (now, value) it stands for. docs/actuator.md.
 */
export function decisionId(ruleSet: CompiledRuleSet, target: TargetInput, series: ReadonlyMap<string, IdSeries>, now: number): string {
  used = 0;
  writeText(header(ruleSet, target, now));
  const names = [...series.keys()].sort();
  for (const name of names) {
    const s = series.get(name)!;
    const n = isPoints(s) ? s.length : s.values.length;
    writeText(`\n${JSON.stringify(name)}:${n}\n`);
    const pairs = pairBuffer(n);
    let instances: string | undefined;
    if (isPoints(s)) {
      let any = false;
      for (let i = 0; i < n; i++) {
        const p = s[i]!;
        pairs[2 * i] = p.t;
        pairs[2 * i + 1] = p.v === 0 ? 0 : p.v;
        if (p.instance !== undefined) any = true;
      }
      if (any) instances = JSON.stringify(s.map((p) => p.instance ?? null));
    } else {
      // The points the context reads from these columns: t = start + i × step, those up to
      // CLOCK_SKEW_TOLERANCE_MS after `now` moved to `now` (toleratingSkew), every one with the instance.
      const { start, step, values, instance } = s;
      const limit = now + CLOCK_SKEW_TOLERANCE_MS;
      for (let i = 0; i < n; i++) {
        const t = start + i * step;
        const v = values[i]!;
        pairs[2 * i] = t > now && t <= limit ? now : t;
        pairs[2 * i + 1] = v === 0 ? 0 : v;
      }
      if (instance !== undefined && n > 0) instances = JSON.stringify(new Array<string>(n).fill(instance));
    }
    writePairs(pairs, n);
    if (instances !== undefined) writeText(instances);
  }
  return sha256Hex(bytes.subarray(0, used));
}

/** A series as the decision id reads it: its points as the context read them, or regular data's columns (every point, none made). */
export type IdSeries = readonly Point[] | RegularColumns;

const isPoints = (s: IdSeries): s is readonly Point[] => Array.isArray(s);
