// Zone-aware placement (Azure VM scale set semantics): which zones get new instances, and which instances a scale-in removes.
//
// Sources (Microsoft Learn, azure-compute-docs):
// - "Use scale-in policies with Azure Virtual Machine Scale Sets" (virtual-machine-scale-sets-scale-in-policy):
//   Default = balance zones, (balance fault domains, best effort), delete the highest instance ID;
//   NewestVM / OldestVM = balance zones (zone-spanning sets), then newest / oldest; non-zonal sets apply the
//   policy across the whole set; a VM protected from scale-in is never chosen. Its "Usage examples" tables
//   show how a tie is settled: "Choose between Zone 1 and 2 ... Delete VM11 ... newest VM across the two zones".
// - "Zone balancing in Virtual Machine Scale Sets" (virtual-machine-scale-sets-zone-balancing): balanced means
//   each zone has the same number of VMs ±1; best-effort allows a temporary imbalance when one zone is
//   unavailable and blocks scaling when two or more are; strict blocks any operation that would unbalance;
//   on scale-in "the platform always prefers removing the nonzonal instances, then follows the scale-in policy".
// - "Understand names and instance IDs" (virtual-machine-scale-sets-instance-ids): Uniform instance IDs are
//   decimal numbers; Flexible instance IDs are VM names.
// Fault-domain balancing is not modelled: instances carry no fault domain, and Azure calls it best effort.
import { MAX_ZONES, type PlacementInstance, type ScaleInPolicyName, type ZoneBalanceMode } from '../schemas/placement.js';
import { isoUtc, toEpochMs } from '../syntax/duration.js';
import { PLACEMENT_ERROR_CODES, SCALE_IN_CODES, SCALE_IN_STEP_CODES, SCALE_OUT_CODES, SCALE_OUT_STEP_CODES } from '../schemas/codes.js';
import type { PlacementError, ScaleInPlan, ScaleOutPlan } from '../schemas/decision.js';

/** Azure: "balanced if each zone has the same number of VMs ±1 VM" — the ±1 lets capacity be any number, not a multiple of the zone count. */
const ZONE_BALANCE_TOLERANCE = 1;

/**
 * Azure, zone balancing: "If two or more zones are unavailable, the scale set can't proceed with scaling
 * operations". Applied to strict mode too: strict must never accept what best effort refuses.
 */
const MAX_UNAVAILABLE_ZONES = 1;

// ---------------------------------------------------------------------------------------------
// Result shapes

type PlacementErrorCode = (typeof PLACEMENT_ERROR_CODES)[number];

export type ScaleOutCode = (typeof SCALE_OUT_CODES)[number];
export type ScaleInCode = (typeof SCALE_IN_CODES)[number];

type ScaleOutStepCode = (typeof SCALE_OUT_STEP_CODES)[number];
export type ScaleInStepCode = (typeof SCALE_IN_STEP_CODES)[number];

interface ScaleOutStep {
  /** 1-based position in the placement order. */
  step: number;
  /** Zone the instance goes to; null in a non-zonal set. */
  zone: string | null;
  code: ScaleOutStepCode;
  reason: string;
}

interface ScaleInStep {
  step: number;
  /** The instance removed; null on the step that was refused. */
  instanceId: string | null;
  zone: string | null;
  code: ScaleInStepCode;
  reason: string;
}

/** Per-zone tally in zone order; zone null is the bucket of non-zonal instances (and instances outside the set's zones). */
interface ZoneAddition {
  zone: string | null;
  before: number;
  add: number;
  after: number;
}

interface ZoneRemoval {
  zone: string | null;
  before: number;
  remove: number;
  after: number;
}

export interface ScaleOutInput {
  instances: readonly PlacementInstance[];
  add: number;
  /** Zones the set spans, in tie-break order; default: the zones seen on the instances. */
  zones?: readonly string[] | undefined;
  zoneBalance?: ZoneBalanceMode | undefined;
  /** Zones that cannot take new instances now. Edgescale has no zone health of its own; the caller says. */
  unavailableZones?: readonly string[] | undefined;
}

export interface ScaleInInput {
  instances: readonly PlacementInstance[];
  remove: number;
  policy?: ScaleInPolicyName | undefined;
  zones?: readonly string[] | undefined;
  zoneBalance?: ZoneBalanceMode | undefined;
}

// ---------------------------------------------------------------------------------------------
// Orderings

const DECIMAL_ID = /^\d+$/;

/** Digits without leading zeros, so "007" and "7" compare by value. */
function stripZeros(digits: string): string {
  const s = digits.replace(/^0+/, '');
  return s === '' ? '0' : s;
}

/**
 * Total order on instance ids. Azure Uniform instance IDs are decimal ("0", "1", ... "10"): two of them
 * compare by value, of any length (no float rounding). Anything else (Flexible VM names) compares by
 * UTF-16 code units, which is locale-free and so deterministic. Decimal ids sort before other ids, and
 * equal values ("7", "007") fall back to the string so the order stays total.
 */
export function compareInstanceIds(a: string, b: string): number {
  const aNum = DECIMAL_ID.test(a);
  const bNum = DECIMAL_ID.test(b);
  if (aNum && bNum) {
    const x = stripZeros(a);
    const y = stripZeros(b);
    if (x.length !== y.length) return x.length - y.length;
    if (x !== y) return x < y ? -1 : 1;
  } else if (aNum !== bNum) return aNum ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}

/** Azure: balanced when every zone holds the same number of instances ±1. No zones, or one, is balanced. */
export function isZoneBalanced(counts: readonly number[]): boolean {
  if (counts.length < 2) return true;
  return Math.max(...counts) - Math.min(...counts) <= ZONE_BALANCE_TOLERANCE;
}

interface Inst {
  id: string;
  zone: string | null;
  created: number;
  protected: boolean;
}

/** Negative when `a` is removed before `b` under `policy`. Ties on time fall back to the instance ID so the order is total. */
function removalOrder(policy: ScaleInPolicyName): (a: Inst, b: Inst) => number {
  switch (policy) {
    case 'Default':
      return (a, b) => compareInstanceIds(b.id, a.id);
    case 'NewestVM':
      return (a, b) => b.created - a.created || compareInstanceIds(b.id, a.id);
    case 'OldestVM':
      return (a, b) => a.created - b.created || compareInstanceIds(a.id, b.id);
  }
}

function whyInstance(policy: ScaleInPolicyName, inst: Inst, scope: string): string {
  switch (policy) {
    case 'Default':
      return `instance ${inst.id} has the highest instance ID ${scope}`;
    case 'NewestVM':
      return `instance ${inst.id} is the newest ${scope} (created ${isoUtc(inst.created)})`;
    case 'OldestVM':
      return `instance ${inst.id} is the oldest ${scope} (created ${isoUtc(inst.created)})`;
  }
}

// ---------------------------------------------------------------------------------------------
// Input preparation

interface Prepared {
  zones: string[];
  insts: Inst[];
}

function fail(code: PlacementErrorCode, message: string, path: string): PlacementError {
  return { ok: false, code, message, path };
}

function prepare(instances: readonly PlacementInstance[], zones: readonly string[] | undefined): Prepared | PlacementError {
  const insts: Inst[] = [];
  const ids = new Set<string>();
  for (const [i, inst] of instances.entries()) {
    if (ids.has(inst.id)) return fail('DuplicateInstanceId', `instance id "${inst.id}" appears twice`, `instances[${i}].id`);
    ids.add(inst.id);
    const created = toEpochMs(inst.createdAt);
    if (created === undefined)
      return fail('InvalidCreatedAt', `createdAt "${inst.createdAt}" is not an ISO 8601 timestamp with an offset`, `instances[${i}].createdAt`);
    insts.push({ id: inst.id, zone: inst.zone ?? null, created, protected: inst.protected === true });
  }
  let list: string[];
  if (zones) {
    list = [...zones];
    const seen = new Set<string>();
    for (const [i, z] of list.entries()) {
      if (seen.has(z)) return fail('DuplicateZone', `zone "${z}" is listed twice`, `zones[${i}]`);
      seen.add(z);
    }
  } else {
    // No list given: the zones the instances run in, numeric-aware so Azure's "1","2","3" keep their order.
    list = [...new Set(insts.flatMap((i) => (i.zone === null ? [] : [i.zone])))].sort(compareInstanceIds);
  }
  if (list.length > MAX_ZONES)
    return fail('TooManyZones', `${list.length} zones exceed the limit of ${MAX_ZONES}`, zones ? 'zones' : 'instances');
  return { zones: list, insts };
}

function countsText(zones: readonly string[], counts: ReadonlyMap<string, number>): string {
  return zones.map((z) => `${z}:${counts.get(z) ?? 0}`).join(' ');
}

function zoneList(zones: readonly string[]): string {
  if (zones.length <= 1) return zones.join('');
  return `${zones.slice(0, -1).join(', ')} and ${zones[zones.length - 1]}`;
}

function checkCount(n: number, name: string): PlacementError | undefined {
  return Number.isSafeInteger(n) && n >= 0 ? undefined : fail('InvalidCount', `${name} must be a whole number ≥ 0, got ${n}`, name);
}

// ---------------------------------------------------------------------------------------------
// Scale-out

/**
 * How many instances to add in each zone. Each new instance goes to the zone with the fewest instances
 * (ties: first in zone order), so an unbalanced set fills its smallest zones first and a balanced one
 * stays within ±1. Non-zonal instances and instances outside the set's zones are not counted: Azure's
 * conversion example puts 5 new instances 2/2/1 beside 5 non-zonal ones.
 *
 * When every smallest zone is unavailable, best effort places in the smallest available zone (a
 * temporary imbalance, code ZoneImbalanceAllowed) and strict refuses the whole operation
 * (ZoneBalanceUnreachable, nothing placed). Two or more unavailable zones block scale-out in both modes.
 * Placements that move an unbalanced set toward balance are always allowed, strict included; otherwise a
 * set unbalanced by an outage could never recover.
 */
export function planScaleOut(input: ScaleOutInput): ScaleOutPlan | PlacementError {
  const bad = checkCount(input.add, 'add');
  if (bad) return bad;
  const prep = prepare(input.instances, input.zones);
  if ('ok' in prep) return prep;
  const { zones, insts } = prep;
  const mode = input.zoneBalance ?? 'bestEffort';
  const down = new Set<string>();
  for (const [i, z] of (input.unavailableZones ?? []).entries()) {
    if (!zones.includes(z))
      return fail('UnknownZone', `unavailable zone "${z}" is not one of the set's zones (${zoneList(zones) || 'none'})`, `unavailableZones[${i}]`);
    down.add(z);
  }

  const before = new Map<string, number>(zones.map((z) => [z, 0]));
  let outside = 0;
  for (const inst of insts) {
    if (inst.zone !== null && before.has(inst.zone)) before.set(inst.zone, before.get(inst.zone)! + 1);
    else outside += 1;
  }

  const plan = (
    code: ScaleOutCode,
    reason: string,
    steps: ScaleOutStep[],
    adds: ReadonlyMap<string, number>,
    extra: { feasible?: number; regional?: number } = {},
  ): ScaleOutPlan => {
    const perZone: ZoneAddition[] = zones.map((z) => {
      const b = before.get(z)!;
      const a = adds.get(z) ?? 0;
      return { zone: z, before: b, add: a, after: b + a };
    });
    const regional = extra.regional ?? 0;
    if (outside > 0 || regional > 0) perZone.push({ zone: null, before: outside, add: regional, after: outside + regional });
    const placed = regional + [...adds.values()].reduce((s, n) => s + n, 0);
    const result: ScaleOutPlan = {
      ok: true,
      code,
      reason,
      requested: input.add,
      placed,
      zones,
      perZone,
      balancedAfter: isZoneBalanced(perZone.filter((p) => p.zone !== null).map((p) => p.after)),
      steps,
    };
    if (extra.feasible !== undefined) result.feasible = extra.feasible;
    return result;
  };

  if (input.add === 0) return plan('NoChange', 'Nothing to add.', [], new Map());

  if (zones.length === 0) {
    // A regional (non-zonal) set has nothing to balance: Azure has no balance mode for it.
    const steps = Array.from({ length: input.add }, (_, i) => ({
      step: i + 1,
      zone: null,
      code: 'NonZonal' as const,
      reason: 'The set spans no zones; the instance is regional.',
    }));
    return plan('NonZonal', `Add ${input.add} regional instance(s); the set spans no availability zones.`, steps, new Map(), {
      regional: input.add,
    });
  }

  const available = zones.filter((z) => !down.has(z));
  if (available.length === 0)
    return plan('NoZoneAvailable', `No zone can take instances: ${zoneList(zones)} ${zones.length === 1 ? 'is' : 'are'} unavailable.`, [], new Map());
  if (zones.length > 1 && down.size > MAX_UNAVAILABLE_ZONES)
    return plan(
      'TooManyZonesUnavailable',
      `Scale-out blocked: ${down.size} zones (${zoneList(zones.filter((z) => down.has(z)))}) are unavailable; Azure blocks scaling when two or more are.`,
      [],
      new Map(),
    );

  const counts = new Map(before);
  const adds = new Map<string, number>();
  const steps: ScaleOutStep[] = [];
  let deviated = false;
  for (let n = 1; n <= input.add; n++) {
    const shown = countsText(zones, counts);
    const min = Math.min(...zones.map((z) => counts.get(z)!));
    const smallest = zones.filter((z) => counts.get(z) === min);
    const open = smallest.filter((z) => !down.has(z));
    let zone: string;
    if (open.length > 0) {
      zone = open[0]!;
      const tied = smallest.length > 1;
      const skipped = smallest.filter((z) => down.has(z));
      const skipNote = skipped.length > 0 ? `, skipping unavailable zone ${zoneList(skipped)}` : '';
      steps.push({
        step: n,
        zone,
        code: tied ? 'ZonesTiedFirstListed' : 'FewestInstances',
        reason: tied
          ? `Zones ${zoneList(smallest)} tie for the fewest instances (${min}; ${shown}); zone ${zone} comes first in zone order${skipNote}.`
          : `Zone ${zone} has the fewest instances (${min}; ${shown}).`,
      });
    } else if (mode === 'strict' && zones.length > 1) {
      steps.push({
        step: n,
        zone: null,
        code: 'ZoneBalanceUnreachable',
        reason: `Zone ${zoneList(smallest)} needs the next instance (${shown}) but is unavailable; strict zone balance refuses to place it elsewhere.`,
      });
      return plan(
        'ZoneBalanceUnreachable',
        `Scale-out refused: strict zone balance, and zone ${zoneList(smallest)} is unavailable; ${n - 1} of ${input.add} instance(s) could be placed before balance would break, so none are.`,
        steps,
        new Map(),
        { feasible: n - 1 },
      );
    } else {
      const minOpen = Math.min(...available.map((z) => counts.get(z)!));
      zone = available.find((z) => counts.get(z) === minOpen)!;
      deviated = true;
      steps.push({
        step: n,
        zone,
        code: 'ZoneUnavailableSkipped',
        reason: `Zone ${zoneList(smallest)} has the fewest instances (${shown}) but is unavailable; best effort places in zone ${zone}, the smallest available zone.`,
      });
    }
    counts.set(zone, counts.get(zone)! + 1);
    adds.set(zone, (adds.get(zone) ?? 0) + 1);
  }

  const after = countsText(zones, counts);
  const balanced = isZoneBalanced(zones.map((z) => counts.get(z)!));
  if (deviated)
    return plan(
      'ZoneImbalanceAllowed',
      `Add ${input.add} instance(s) (${after}); best effort placed around the unavailable zone ${zoneList([...down])}, leaving the zones unbalanced until it returns.`,
      steps,
      adds,
    );
  if (balanced) return plan('ZoneBalanced', `Add ${input.add} instance(s), smallest zones first; zones stay balanced (${after}).`, steps, adds);
  return plan(
    'ZoneBalanceImproved',
    `Add ${input.add} instance(s) to the smallest zones; the zones were unbalanced and still are (${after}), by less.`,
    steps,
    adds,
  );
}

// ---------------------------------------------------------------------------------------------
// Scale-in

/** Removable instances of one pool, in removal order, consumed from the front. */
class Queue {
  private next = 0;
  constructor(private readonly items: Inst[]) {}
  peek(): Inst | undefined {
    return this.items[this.next];
  }
  take(): Inst {
    return this.items[this.next++]!;
  }
}

/**
 * Exactly which instances to remove, in deletion order (Azure scale-in policy):
 * 1. in a zonal set, instances without a zone (or in a zone the set does not span) go first, in policy order;
 * 2. then each deletion comes from the zones holding the most instances (protected ones count: they
 *    occupy the zone); among those zones, the instance first in policy order across all of them is
 *    taken — Default: highest instance ID; NewestVM: newest createdAt; OldestVM: oldest createdAt;
 * 3. a non-zonal set applies the policy across the whole set.
 * Protected instances are never removed. When the zones with the most instances hold only protected
 * ones, best effort removes from the largest zone that has a removable instance (ZoneImbalanceAllowed);
 * strict refuses the whole scale-in (ZoneBalanceUnreachable). When no removable instance is left the plan
 * stops short (ProtectionLimitsScaleIn) and reports how many it could remove.
 */
export function planScaleIn(input: ScaleInInput): ScaleInPlan | PlacementError {
  const bad = checkCount(input.remove, 'remove');
  if (bad) return bad;
  const prep = prepare(input.instances, input.zones);
  if ('ok' in prep) return prep;
  const { zones, insts } = prep;
  const policy = input.policy ?? 'Default';
  const mode = input.zoneBalance ?? 'bestEffort';
  const order = removalOrder(policy);
  const zonal = zones.length > 0;

  const before = new Map<string, number>(zones.map((z) => [z, 0]));
  const pools = new Map<string, Inst[]>(zones.map((z) => [z, []]));
  const outsidePool: Inst[] = [];
  let outside = 0;
  for (const inst of insts) {
    const inZone = inst.zone !== null && before.has(inst.zone);
    if (inZone) before.set(inst.zone!, before.get(inst.zone!)! + 1);
    else outside += 1;
    if (inst.protected) continue;
    if (inZone) pools.get(inst.zone!)!.push(inst);
    else outsidePool.push(inst);
  }
  const queues = new Map([...pools].map(([z, list]) => [z, new Queue(list.sort(order))]));
  const outsideQueue = new Queue(outsidePool.sort(order));

  const counts = new Map(before);
  const removed: Inst[] = [];
  const steps: ScaleInStep[] = [];
  let deviated = false;
  let blockedAt: number | undefined;

  while (removed.length < input.remove) {
    const n = removed.length + 1;
    const stray = outsideQueue.peek();
    if (stray) {
      outsideQueue.take();
      removed.push(stray);
      steps.push(
        zonal
          ? {
              step: n,
              instanceId: stray.id,
              zone: stray.zone,
              code: 'OutsideZonesFirst',
              reason: `Instances outside the set's zones go first (Azure prefers removing non-zonal instances); ${whyInstance(policy, stray, 'among them')}.`,
            }
          : {
              step: n,
              instanceId: stray.id,
              zone: stray.zone,
              code: 'NonZonal',
              reason: `The set spans no zones; ${whyInstance(policy, stray, 'in the set')}.`,
            },
      );
      continue;
    }
    if (!zonal) break;

    const shown = countsText(zones, counts);
    const max = Math.max(...zones.map((z) => counts.get(z)!));
    const largest = zones.filter((z) => counts.get(z) === max);
    const open = largest.filter((z) => queues.get(z)!.peek() !== undefined);
    let from: string[];
    let code: ScaleInStepCode;
    let why: string;
    if (open.length > 0) {
      from = open;
      const allProtected = largest.filter((z) => !open.includes(z));
      const note = allProtected.length > 0 ? `; zone ${zoneList(allProtected)} holds only protected instances` : '';
      if (largest.length === 1) {
        code = 'MostInstances';
        why = zones.length === 1 ? `Zone ${largest[0]} is the set's only zone (${shown})` : `Zone ${largest[0]} has the most instances (${shown})`;
      } else if (largest.length === zones.length) {
        code = 'ZonesEven';
        why = `Zones are even (${shown}), so the policy applies across the set${note}`;
      } else {
        code = 'ZonesTied';
        why = `Zones ${zoneList(largest)} tie for the most instances (${shown})${note}`;
      }
    } else {
      const withRemovable = zones.filter((z) => queues.get(z)!.peek() !== undefined);
      if (withRemovable.length === 0) break;
      if (mode === 'strict') {
        blockedAt = n - 1;
        steps.push({
          step: n,
          instanceId: null,
          zone: null,
          code: 'ZoneBalanceUnreachable',
          reason: `Zone ${zoneList(largest)} has the most instances (${shown}) but only protected ones; removing elsewhere would unbalance the zones, which strict zone balance refuses.`,
        });
        break;
      }
      const top = Math.max(...withRemovable.map((z) => counts.get(z)!));
      from = withRemovable.filter((z) => counts.get(z) === top);
      code = 'ProtectedZoneSkipped';
      deviated = true;
      why = `Zone ${zoneList(largest)} has the most instances (${shown}) but only protected ones; best effort removes from zone ${zoneList(from)} instead`;
    }
    let pick: string = from[0]!;
    for (const z of from.slice(1)) if (order(queues.get(z)!.peek()!, queues.get(pick)!.peek()!) < 0) pick = z;
    const inst = queues.get(pick)!.take();
    const scope = from.length > 1 ? `across zones ${zoneList(from)}` : `in zone ${pick}`;
    removed.push(inst);
    counts.set(pick, counts.get(pick)! - 1);
    steps.push({ step: n, instanceId: inst.id, zone: pick, code, reason: `${why}; ${whyInstance(policy, inst, scope)}.` });
  }

  const refused = blockedAt !== undefined;
  const finalCounts = refused ? before : counts;
  const take = refused ? [] : removed;
  const removedByZone = new Map<string | null, number>();
  for (const inst of take) {
    const key = inst.zone !== null && before.has(inst.zone) ? inst.zone : null;
    removedByZone.set(key, (removedByZone.get(key) ?? 0) + 1);
  }
  const perZone: ZoneRemoval[] = zones.map((z) => ({
    zone: z,
    before: before.get(z)!,
    remove: removedByZone.get(z) ?? 0,
    after: finalCounts.get(z)!,
  }));
  if (outside > 0) {
    const r = removedByZone.get(null) ?? 0;
    perZone.push({ zone: null, before: outside, remove: r, after: outside - r });
  }
  const balancedAfter = isZoneBalanced(zones.map((z) => finalCounts.get(z)!));
  const after = countsText(zones, finalCounts);
  const protectedCount = insts.filter((i) => i.protected).length;
  const shortfall = input.remove - take.length;

  let code: ScaleInCode;
  let reason: string;
  if (input.remove === 0) {
    code = 'NoChange';
    reason = 'Nothing to remove.';
  } else if (refused) {
    code = 'ZoneBalanceUnreachable';
    reason = `Scale-in refused: strict zone balance, and the zone that must shrink holds only protected instances; ${blockedAt} of ${input.remove} could be removed before balance would break, so none are.`;
  } else if (shortfall > 0 && protectedCount > 0) {
    code = 'ProtectionLimitsScaleIn';
    const few = input.remove > insts.length ? ` and the set has only ${insts.length}` : '';
    reason = `Only ${take.length} of ${input.remove} instance(s) can be removed: ${protectedCount} are protected from scale-in${few}.`;
  } else if (shortfall > 0) {
    code = 'NotEnoughInstances';
    reason = `Only ${take.length} of ${input.remove} instance(s) exist to remove.`;
  } else if (!zonal) {
    code = 'NonZonal';
    reason = `Remove ${take.length} instance(s) by the ${policy} policy across the set; it spans no zones.`;
  } else if (deviated) {
    code = 'ZoneImbalanceAllowed';
    reason = `Remove ${take.length} instance(s) (${policy}); the largest zone holds only protected instances, so best effort leaves the zones unbalanced (${after}).`;
  } else if (balancedAfter) {
    code = 'ZoneBalanced';
    reason = `Remove ${take.length} instance(s) (${policy}) from the largest zones; zones stay balanced (${after}).`;
  } else {
    code = 'ZoneBalanceImproved';
    reason = `Remove ${take.length} instance(s) (${policy}) from the largest zones; the zones were unbalanced and still are (${after}), by less.`;
  }

  const result: ScaleInPlan = {
    ok: true,
    code,
    reason,
    requested: input.remove,
    removed: take.map((i) => i.id),
    shortfall,
    zones,
    perZone,
    balancedAfter,
    steps,
  };
  if (refused) result.feasible = blockedAt;
  return result;
}
