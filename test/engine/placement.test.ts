// Zone-aware placement, following Azure's scale-in policy, zone balancing, instance protection and instance ID docs.
import { describe, expect, it } from 'vitest';
import type { PlacementError, ScaleInPlan, ScaleOutPlan } from '../../src/schemas/decision.js';
import { compareInstanceIds, isZoneBalanced, planScaleIn, planScaleOut, type ScaleInCode, type ScaleInStepCode, type ScaleOutCode } from '../../src/engine/placement.js';
import { MAX_ZONES, PlacementFleet, PlacementInstance, PlacementSettings } from '../../src/schemas/placement.js';
import type { PlacementInstance as Instance } from '../../src/schemas/placement.js';

const T0 = Date.parse('2026-11-22T10:30:00Z');
const MIN = 60_000;
const at = (minutes: number): string => new Date(T0 + minutes * MIN).toISOString();

/** Instances per zone; created `id` minutes after T0, as the docs assume ("highest instance IDs are the newest"). */
function fleet(byZone: Record<string, Array<number | string>>, extra: Partial<Record<string, Partial<Instance>>> = {}): Instance[] {
  return Object.entries(byZone).flatMap(([zone, ids]) =>
    ids.map((id) => ({ id: String(id), zone, createdAt: at(Number(id) || 0), ...extra[String(id)] })),
  );
}

function ok<T extends { ok: true }>(r: T | PlacementError): T {
  if (!r.ok) throw new Error(`unexpected ${r.code}: ${r.message}`);
  return r;
}
const scaleIn = (...a: Parameters<typeof planScaleIn>): ScaleInPlan => ok(planScaleIn(...a));
const scaleOut = (...a: Parameters<typeof planScaleOut>): ScaleOutPlan => ok(planScaleOut(...a));
const afterCounts = (p: ScaleInPlan | ScaleOutPlan) => p.perZone.filter((z) => z.zone !== null).map((z) => z.after);

// ---------------------------------------------------------------------------------------------
// Azure, "Use scale-in policies with Azure Virtual Machine Scale Sets", section "Usage examples".
// Each row is the state before the deletion (the bold instance is `deletes`), transcribed from the doc.
// The step code names the doc's own narrative: "Choose between Zone 1 and 2" = ZonesTied,
// "Choose Zone 1" = MostInstances, "Zones are balanced" = ZonesEven.

interface Row {
  zones: [number[], number[], number[]];
  deletes: number;
  zone: '1' | '2' | '3';
  code: ScaleInStepCode;
  selection: string;
}

const OLDEST_VM_TABLE: Row[] = [
  { zones: [[3, 4, 5, 10], [2, 6, 9, 11], [1, 7, 8]], deletes: 2, zone: '2', code: 'ZonesTied', selection: 'Choose between Zone 1 and 2, even though Zone 3 has the oldest VM. Delete VM2 from Zone 2' },
  { zones: [[3, 4, 5, 10], [6, 9, 11], [1, 7, 8]], deletes: 3, zone: '1', code: 'MostInstances', selection: 'Choose Zone 1 even though Zone 3 has the oldest VM. Delete VM3 from Zone 1' },
  { zones: [[4, 5, 10], [6, 9, 11], [1, 7, 8]], deletes: 1, zone: '3', code: 'ZonesEven', selection: 'Zones are balanced. Delete VM1 in Zone 3 as it is the oldest VM in the scale set' },
  { zones: [[4, 5, 10], [6, 9, 11], [7, 8]], deletes: 4, zone: '1', code: 'ZonesTied', selection: 'Choose between Zone 1 and Zone 2. Delete VM4 in Zone 1 as it is the oldest VM across the two Zones' },
  // The doc says "Delete VM6 in Zone 1", but its own table lists VM6 in Zone 2 and says "Choose Zone 2".
  { zones: [[5, 10], [6, 9, 11], [7, 8]], deletes: 6, zone: '2', code: 'MostInstances', selection: 'Choose Zone 2 even though Zone 1 has the oldest VM. Delete VM6' },
  { zones: [[5, 10], [9, 11], [7, 8]], deletes: 5, zone: '1', code: 'ZonesEven', selection: 'Zones are balanced. Delete VM5 in Zone 1 as it is the oldest VM in the scale set' },
];

const NEWEST_VM_TABLE: Row[] = [
  { zones: [[3, 4, 5, 10], [2, 6, 9, 11], [1, 7, 8]], deletes: 11, zone: '2', code: 'ZonesTied', selection: 'Choose between Zone 1 and 2. Delete VM11 from Zone 2 as it is the newest VM across the two zones' },
  { zones: [[3, 4, 5, 10], [2, 6, 9], [1, 7, 8]], deletes: 10, zone: '1', code: 'MostInstances', selection: 'Choose Zone 1 as it has more VMs than the other two zones. Delete VM10' },
  { zones: [[3, 4, 5], [2, 6, 9], [1, 7, 8]], deletes: 9, zone: '2', code: 'ZonesEven', selection: 'Zones are balanced. Delete VM9 in Zone 2 as it is the newest VM in the scale set' },
  { zones: [[3, 4, 5], [2, 6], [1, 7, 8]], deletes: 8, zone: '3', code: 'ZonesTied', selection: 'Choose between Zone 1 and Zone 3. Delete VM8 in Zone 3' },
  { zones: [[3, 4, 5], [2, 6], [1, 7]], deletes: 5, zone: '1', code: 'MostInstances', selection: 'Choose Zone 1 even though Zone 3 has the newest VM. Delete VM5 in Zone 1' },
  { zones: [[3, 4], [2, 6], [1, 7]], deletes: 7, zone: '3', code: 'ZonesEven', selection: 'Zones are balanced. Delete VM7 in Zone 3 as it is the newest VM in the scale set' },
];

const TABLES = [
  { policy: 'OldestVM' as const, table: OLDEST_VM_TABLE },
  { policy: 'NewestVM' as const, table: NEWEST_VM_TABLE },
];

const rowFleet = (row: Row, extra?: Partial<Record<string, Partial<Instance>>>) =>
  fleet({ '1': row.zones[0], '2': row.zones[1], '3': row.zones[2] }, extra);

describe('Azure scale-in policy usage examples, deletion by deletion', () => {
  // Guards the transcription: each row must be the previous row minus the instance it deleted.
  it.each(TABLES)('the $policy table is self-consistent: each row is the previous one minus its deletion', ({ table }) => {
    for (let i = 1; i < table.length; i++) {
      const prev = table[i - 1]!;
      const expected = prev.zones.map((ids) => ids.filter((id) => id !== prev.deletes));
      expect(table[i]!.zones).toEqual(expected);
    }
  });

  const rows = TABLES.flatMap(({ policy, table }) => table.map((row, i) => ({ policy, n: i + 1, ...row })));
  it.each(rows)('$policy row $n deletes VM$deletes in zone $zone ($code): "$selection"', (row) => {
    const { policy, deletes, zone, code } = row;
    const plan = scaleIn({ instances: rowFleet(row), remove: 1, policy });
    expect(plan.removed).toEqual([String(deletes)]);
    expect(plan.steps[0]).toMatchObject({ instanceId: String(deletes), zone, code });
  });

  it.each(TABLES)('one $policy scale-in of six deletes the whole column in the table order', ({ policy, table }) => {
    const plan = scaleIn({ instances: rowFleet(table[0]!), remove: table.length, policy });
    expect(plan.removed).toEqual(table.map((r) => String(r.deletes)));
    expect(plan.steps.map((s) => s.zone)).toEqual(table.map((r) => r.zone));
    expect(plan.code).toBe<ScaleInCode>('ZoneBalanced');
    const deleted = new Set(table.map((r) => r.deletes));
    expect(afterCounts(plan)).toEqual(table[0]!.zones.map((ids) => ids.filter((id) => !deleted.has(id)).length));
  });

  // The doc has no Default table. Its Default rule is "delete the highest instance ID" and its examples
  // assume "highest instance IDs are the newest", so Default must reproduce the NewestVM column — here with
  // creation times reversed, to show Default reads instance IDs, not createdAt. Step 2 (VM10 over VM5) also
  // shows IDs compare as numbers: as strings "5" > "10".
  it('Default deletes by highest instance ID after zone balance, ignoring createdAt', () => {
    const reversed = Object.fromEntries(NEWEST_VM_TABLE[0]!.zones.flat().map((id) => [String(id), { createdAt: at(100 - id) }]));
    const plan = scaleIn({ instances: rowFleet(NEWEST_VM_TABLE[0]!, reversed), remove: 6, policy: 'Default' });
    expect(plan.removed).toEqual(NEWEST_VM_TABLE.map((r) => String(r.deletes)));
    const newest = scaleIn({ instances: rowFleet(NEWEST_VM_TABLE[0]!, reversed), remove: 1, policy: 'NewestVM' });
    expect(newest.removed).toEqual(['2']); // newest by time is now VM2, in tied zone 2
  });

  it('the policy defaults to Default', () => {
    const plan = scaleIn({ instances: rowFleet(NEWEST_VM_TABLE[0]!), remove: 2 });
    expect(plan.removed).toEqual(['11', '10']);
  });
});

// ---------------------------------------------------------------------------------------------
// Azure, scale-in policy doc, "Instance protection and scale-in policy": "A protected virtual machine isn't
// deleted through a scale-in action, regardless of the scale-in policy applied. For example, if VM_0 (oldest
// VM in the scale set) is protected ... and the scale set has 'OldestVM' ... VM_0 will not be considered".

describe('instances protected from scale-in are never removed', () => {
  type Case = { name: string; instances: Instance[]; remove: number; policy: 'Default' | 'NewestVM' | 'OldestVM'; strict?: boolean; removed: string[]; code: ScaleInCode; stepCodes?: ScaleInStepCode[]; feasible?: number };
  const nonZonal = (ids: number[], protectedIds: number[] = []): Instance[] =>
    ids.map((id) => ({ id: String(id), createdAt: at(id), ...(protectedIds.includes(id) && { protected: true }) }));
  const p = { protected: true };
  const cases: Case[] = [
    { name: 'OldestVM skips the protected VM_0 and removes the next oldest (doc example)', instances: nonZonal([0, 1, 2, 3], [0]), remove: 1, policy: 'OldestVM', removed: ['1'], code: 'NonZonal' },
    { name: 'OldestVM table row 1 with VM2 protected: zones 1 and 2 still tie, VM3 is their oldest removable', instances: rowFleet(OLDEST_VM_TABLE[0]!, { '2': p }), remove: 1, policy: 'OldestVM', removed: ['3'], code: 'ZoneBalanced', stepCodes: ['ZonesTied'] },
    { name: 'protection leaves too few removable: removes what it can', instances: nonZonal([1, 2, 3, 4], [1, 2, 3]), remove: 2, policy: 'Default', removed: ['4'], code: 'ProtectionLimitsScaleIn' },
    { name: 'without protection, asking for more than exist removes them all', instances: nonZonal([1, 2]), remove: 3, policy: 'Default', removed: ['2', '1'], code: 'NotEnoughInstances' },
    // Zone 1 (3) holds only protected VMs; zones 2 and 3 tie at 2, highest ID across them is 7 (zone 3): 3/2/1.
    { name: 'best effort removes from the next largest zone when the largest is all protected', instances: fleet({ '1': [1, 2, 3], '2': [4, 5], '3': [6, 7] }, { '1': p, '2': p, '3': p }), remove: 1, policy: 'Default', removed: ['7'], code: 'ZoneImbalanceAllowed', stepCodes: ['ProtectedZoneSkipped'] },
    { name: 'strict refuses a scale-in that must unbalance the zones', instances: fleet({ '1': [1, 2, 3], '2': [4, 5], '3': [6, 7] }, { '1': p, '2': p, '3': p }), remove: 1, policy: 'Default', strict: true, removed: [], code: 'ZoneBalanceUnreachable', stepCodes: ['ZoneBalanceUnreachable'], feasible: 0 },
    // 3/3/3 with zone 1 protected: 9 (even), then 6 (zones 1 and 2 tie, 1 all protected) → 3/2/2, balanced.
    { name: 'strict allows deletions that keep balance around a protected zone', instances: fleet({ '1': [1, 2, 3], '2': [4, 5, 6], '3': [7, 8, 9] }, { '1': p, '2': p, '3': p }), remove: 2, policy: 'Default', strict: true, removed: ['9', '6'], code: 'ZoneBalanced', stepCodes: ['ZonesEven', 'ZonesTied'] },
    // A third deletion must come from zone 1: strict refuses all three, reporting that two were feasible.
    { name: 'strict is all or nothing: a third deletion would unbalance, so none happen', instances: fleet({ '1': [1, 2, 3], '2': [4, 5, 6], '3': [7, 8, 9] }, { '1': p, '2': p, '3': p }), remove: 3, policy: 'Default', strict: true, removed: [], code: 'ZoneBalanceUnreachable', stepCodes: ['ZonesEven', 'ZonesTied', 'ZoneBalanceUnreachable'], feasible: 2 },
    // Best effort takes the third from zones 2/3 (2 each): highest ID 8 in zone 3.
    { name: 'best effort takes the third deletion from the largest zone with a removable instance', instances: fleet({ '1': [1, 2, 3], '2': [4, 5, 6], '3': [7, 8, 9] }, { '1': p, '2': p, '3': p }), remove: 3, policy: 'Default', removed: ['9', '6', '8'], code: 'ZoneImbalanceAllowed', stepCodes: ['ZonesEven', 'ZonesTied', 'ProtectedZoneSkipped'] },
  ];
  it.each(cases)('$name → $code', ({ instances, remove, policy, strict, removed, code, stepCodes, feasible }) => {
    const plan = scaleIn({ instances, remove, policy, zoneBalance: strict ? 'strict' : 'bestEffort' });
    expect(plan.code).toBe(code);
    expect(plan.removed).toEqual(removed);
    expect(plan.shortfall).toBe(remove - removed.length);
    if (stepCodes) expect(plan.steps.map((s) => s.code)).toEqual(stepCodes);
    expect(plan.feasible).toBe(feasible);
    const protectedIds = new Set(instances.filter((i) => i.protected).map((i) => i.id));
    expect(plan.removed.filter((id) => protectedIds.has(id))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Azure, scale-in policy doc: "For nonzonal Virtual Machine Scale Sets, the policy selects the oldest [newest]
// VM across the scale set for deletion"; Default deletes the highest instance ID. Instance IDs doc: Uniform IDs
// are decimal numbers, Flexible IDs are VM names.

describe('a non-zonal set applies the policy across the whole set', () => {
  // ids 1, 2, 9, 10 created in the order 10, 1, 9, 2 (minutes 0..3), so ID order and age order differ.
  const instances: Instance[] = [
    { id: '10', createdAt: at(0) },
    { id: '1', createdAt: at(1) },
    { id: '9', createdAt: at(2) },
    { id: '2', createdAt: at(3) },
  ];
  it.each([
    { policy: 'Default' as const, removed: ['10', '9'], why: 'highest instance IDs, compared as numbers' },
    { policy: 'NewestVM' as const, removed: ['2', '9'], why: 'latest createdAt first' },
    { policy: 'OldestVM' as const, removed: ['10', '1'], why: 'earliest createdAt first' },
  ])('$policy removes $removed ($why)', ({ policy, removed }) => {
    const plan = scaleIn({ instances, remove: 2, policy });
    expect(plan.code).toBe<ScaleInCode>('NonZonal');
    expect(plan.removed).toEqual(removed);
    expect(plan.steps.every((s) => s.code === 'NonZonal')).toBe(true);
  });

  it('Flexible VM names (not decimal) compare as strings for Default', () => {
    const names = ['vmss_1a2b', 'vmss_ff00', 'vmss_0c3d'].map((id, i) => ({ id, createdAt: at(i) }));
    expect(scaleIn({ instances: names, remove: 3 }).removed).toEqual(['vmss_ff00', 'vmss_1a2b', 'vmss_0c3d']);
  });

  it('NewestVM breaks a createdAt tie by the higher instance ID, OldestVM by the lower', () => {
    const same = ['3', '12', '7'].map((id) => ({ id, createdAt: at(0) }));
    expect(scaleIn({ instances: same, remove: 3, policy: 'NewestVM' }).removed).toEqual(['12', '7', '3']);
    expect(scaleIn({ instances: same, remove: 3, policy: 'OldestVM' }).removed).toEqual(['3', '7', '12']);
  });
});

// Azure, "Zone balancing in Virtual Machine Scale Sets", nonzonal → zone-spanning conversion: "When you scale in
// by reducing the scale set capacity, the platform always prefers removing the nonzonal instances, then follows
// the scale set's scale-in policy" — 5 nonzonal + 2/2/1 zonal, capacity back to 5 leaves 2/2/1.
describe('a zonal set removes instances outside its zones first', () => {
  it('scale-in to 5 after the conversion scale-out removes the five nonzonal instances', () => {
    const nonzonal = [0, 1, 2, 3, 4].map((id) => ({ id: String(id), createdAt: at(id) }));
    const zonal = fleet({ '1': [5, 8], '2': [6, 9], '3': [7] });
    const plan = scaleIn({ instances: [...nonzonal, ...zonal], remove: 5, policy: 'Default', zones: ['1', '2', '3'] });
    expect([...plan.removed].sort()).toEqual(['0', '1', '2', '3', '4']);
    expect(plan.steps.every((s) => s.code === 'OutsideZonesFirst')).toBe(true);
    expect(plan.perZone).toEqual([
      { zone: '1', before: 2, remove: 0, after: 2 },
      { zone: '2', before: 2, remove: 0, after: 2 },
      { zone: '3', before: 1, remove: 0, after: 1 },
      { zone: null, before: 5, remove: 5, after: 0 },
    ]);
  });

  it('an instance in a zone the set does not list counts as outside and goes first', () => {
    const plan = scaleIn({ instances: fleet({ '1': [1, 2], '2': [3, 4], '4': [0] }), remove: 1, zones: ['1', '2'] });
    expect(plan.removed).toEqual(['0']);
    expect(plan.steps[0]!.code).toBe<ScaleInStepCode>('OutsideZonesFirst');
  });
});

// ---------------------------------------------------------------------------------------------
// Azure, zone balancing: "balanced if each zone has the same number of VMs ±1 VM" and its examples 1–3.

describe('zone balance is ±1 VM', () => {
  it.each([
    { counts: [2, 2, 2], balanced: true, source: 'example 1' },
    { counts: [2, 3, 3], balanced: true, source: 'example 2' },
    { counts: [1, 3, 3], balanced: false, source: 'example 3' },
    { counts: [5], balanced: true, source: 'one zone needs no balancing' },
    { counts: [], balanced: true, source: 'no zones needs no balancing' },
  ])('$counts → balanced: $balanced ($source)', ({ counts, balanced }) => {
    expect(isZoneBalanced(counts)).toBe(balanced);
  });
});

describe('scale-out fills the smallest zones first, ties by zone order', () => {
  type Case = { name: string; instances: Instance[]; add: number; zones?: string[]; adds: number[]; order: string[]; code: ScaleOutCode };
  const cases: Case[] = [
    // Zone balancing doc, conversion: capacity 5 → 10 puts the new instances 2/2/1 beside 5 nonzonal ones.
    { name: 'nonzonal instances are not counted (conversion example: 2/2/1)', instances: [0, 1, 2, 3, 4].map((id) => ({ id: String(id), createdAt: at(id) })), add: 5, zones: ['1', '2', '3'], adds: [2, 2, 1], order: ['1', '2', '3', '1', '2'], code: 'ZoneBalanced' },
    // Zone balancing doc, recovery after outage: 0/2/4, capacity 6 → 8, "The new instances are created in zone 1".
    { name: 'an emptied zone gets the new instances (recovery example: 0/2/4 + 2)', instances: fleet({ '2': [1, 2], '3': [3, 4, 5, 6] }), add: 2, zones: ['1', '2', '3'], adds: [2, 0, 0], order: ['1', '1'], code: 'ZoneBalanceImproved' },
    { name: 'a balanced set stays within ±1', instances: fleet({ '1': [1, 2], '2': [3, 4], '3': [5, 6] }), add: 4, adds: [2, 1, 1], order: ['1', '2', '3', '1'], code: 'ZoneBalanced' },
    // 5/2/3: 2 → 3 (zone 2), tie 2/3 → zone 2, then zone 3, tie → zone 2: 5/5/4.
    { name: 'uneven zones: the smallest fills first', instances: fleet({ '1': [1, 2, 3, 4, 5], '2': [6, 7], '3': [8, 9, 10] }), add: 4, adds: [0, 3, 1], order: ['2', '2', '3', '2'], code: 'ZoneBalanced' },
    { name: 'ties follow the zones as listed, not sorted', instances: fleet({ '1': [1], '2': [2], '3': [3] }), add: 2, zones: ['3', '1', '2'], adds: [1, 1, 0], order: ['3', '1'], code: 'ZoneBalanced' },
    { name: 'zones seen on instances sort numerically by default ("2" before "10")', instances: fleet({ '10': [1], '2': [2] }), add: 1, adds: [1, 0], order: ['2'], code: 'ZoneBalanced' },
  ];
  it.each(cases)('$name → $code', ({ instances, add, zones, adds, order, code }) => {
    const plan = scaleOut({ instances, add, zones });
    expect(plan.code).toBe(code);
    expect(plan.perZone.filter((z) => z.zone !== null).map((z) => z.add)).toEqual(adds);
    expect(plan.steps.map((s) => s.zone)).toEqual(order);
    expect(plan.placed).toBe(add);
  });

  it('the recovery example ends balanced after scaling back in to 6 (2 in each zone)', () => {
    const instances = fleet({ '1': [7, 8], '2': [1, 2], '3': [3, 4, 5, 6] });
    const plan = scaleIn({ instances, remove: 2 });
    expect(afterCounts(plan)).toEqual([2, 2, 2]);
    expect(plan.code).toBe<ScaleInCode>('ZoneBalanced');
  });

  it('a non-zonal set places every instance without a zone', () => {
    const plan = scaleOut({ instances: [{ id: '0', createdAt: at(0) }], add: 3 });
    expect(plan.code).toBe<ScaleOutCode>('NonZonal');
    expect(plan.perZone).toEqual([{ zone: null, before: 1, add: 3, after: 4 }]);
  });
});

// Azure, zone balancing modes: best effort "attempts to scale out into the zones that are still available, and
// allows a temporary imbalance ... only permitted when a single zone is unavailable"; "If two or more zones are
// unavailable ... any scaling operations are blocked"; strict: "Any scaling operation that would result in an
// unbalanced scale set is blocked, even if one or more zones are down."
describe('strict vs best-effort zone balance when zones are unavailable', () => {
  type Case = { name: string; counts: [number, number, number]; down: string[]; add: number; strict: boolean; code: ScaleOutCode; adds: number[]; feasible?: number };
  const cases: Case[] = [
    // 2/2/2, zone 1 down: zone 2, zone 3, then zone 1 is the smallest but down → zone 2 (first smallest open): 2/4/3.
    { name: 'best effort places around the unavailable zone', counts: [2, 2, 2], down: ['1'], add: 3, strict: false, code: 'ZoneImbalanceAllowed', adds: [0, 2, 1] },
    { name: 'strict refuses the same scale-out; two could have been placed', counts: [2, 2, 2], down: ['1'], add: 3, strict: true, code: 'ZoneBalanceUnreachable', adds: [0, 0, 0], feasible: 2 },
    { name: 'strict places when the down zone is not needed (3/3/2, zone 1 down, +1 → zone 3)', counts: [3, 3, 2], down: ['1'], add: 1, strict: true, code: 'ZoneBalanced', adds: [0, 0, 1] },
    { name: 'best effort blocks with two zones down', counts: [2, 2, 2], down: ['1', '2'], add: 1, strict: false, code: 'TooManyZonesUnavailable', adds: [0, 0, 0] },
    { name: 'strict blocks with two zones down too', counts: [2, 2, 2], down: ['1', '2'], add: 1, strict: true, code: 'TooManyZonesUnavailable', adds: [0, 0, 0] },
    { name: 'strict still lets an unbalanced set move toward balance', counts: [5, 2, 2], down: [], add: 1, strict: true, code: 'ZoneBalanceImproved', adds: [0, 1, 0] },
  ];
  it.each(cases)('$name → $code', ({ counts, down, add, strict, code, adds, feasible }) => {
    let next = 0;
    const byZone = Object.fromEntries(counts.map((c, i) => [String(i + 1), Array.from({ length: c }, () => ++next)]));
    const plan = scaleOut({ instances: fleet(byZone), add, zones: ['1', '2', '3'], zoneBalance: strict ? 'strict' : 'bestEffort', unavailableZones: down });
    expect(plan.code).toBe(code);
    expect(plan.perZone.map((z) => z.add)).toEqual(adds);
    expect(plan.placed).toBe(adds.reduce((a, b) => a + b, 0));
    expect(plan.feasible).toBe(feasible);
  });

  it('a single-zone set whose zone is down can place nothing', () => {
    const plan = scaleOut({ instances: fleet({ '1': [1] }), add: 1, unavailableZones: ['1'], zoneBalance: 'strict' });
    expect(plan.code).toBe<ScaleOutCode>('NoZoneAvailable');
    expect(plan.placed).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------

describe('instance IDs order numerically when both are decimal, else as strings', () => {
  it.each([
    { a: '9', b: '10', sign: -1, why: 'decimal by value, not "1" < "9"' },
    { a: '12345678901234567891', b: '12345678901234567890', sign: 1, why: 'beyond 2^53 without rounding' },
    { a: '007', b: '7', sign: -1, why: 'equal values fall back to the string so the order is total' },
    { a: '3', b: 'vm_a', sign: -1, why: 'decimal ids before names' },
    { a: 'vm_b', b: 'vm_a', sign: 1, why: 'names by code unit' },
    { a: '5', b: '5', sign: 0, why: 'same id' },
  ])('$a vs $b → $sign ($why)', ({ a, b, sign }) => {
    expect(Math.sign(compareInstanceIds(a, b))).toBe(sign);
    expect(Math.sign(compareInstanceIds(b, a))).toBe(-sign || 0);
  });
});

describe('plans are deterministic and independent of input order', () => {
  it('reversing the instance list changes neither plan', () => {
    const instances = rowFleet(OLDEST_VM_TABLE[0]!);
    for (const policy of ['Default', 'NewestVM', 'OldestVM'] as const) {
      expect(scaleIn({ instances: [...instances].reverse(), remove: 5, policy })).toEqual(scaleIn({ instances, remove: 5, policy }));
    }
    expect(scaleOut({ instances: [...instances].reverse(), add: 4 })).toEqual(scaleOut({ instances, add: 4 }));
  });

  it('zero to add or remove is NoChange', () => {
    expect(scaleIn({ instances: rowFleet(OLDEST_VM_TABLE[0]!), remove: 0 }).code).toBe<ScaleInCode>('NoChange');
    expect(scaleOut({ instances: rowFleet(OLDEST_VM_TABLE[0]!), add: 0 }).code).toBe<ScaleOutCode>('NoChange');
  });
});

describe('bad input is reported as a value, not thrown', () => {
  const one = fleet({ '1': [1] });
  it.each([
    { name: 'negative count', run: () => planScaleIn({ instances: one, remove: -1 }), code: 'InvalidCount', path: 'remove' },
    { name: 'fractional count', run: () => planScaleOut({ instances: one, add: 1.5 }), code: 'InvalidCount', path: 'add' },
    { name: 'duplicate instance id', run: () => planScaleIn({ instances: [...one, ...one], remove: 1 }), code: 'DuplicateInstanceId', path: 'instances[1].id' },
    { name: 'createdAt without offset', run: () => planScaleIn({ instances: [{ id: '1', createdAt: '2026-11-22T10:30:00' }], remove: 1 }), code: 'InvalidCreatedAt', path: 'instances[0].createdAt' },
    { name: 'zone listed twice', run: () => planScaleOut({ instances: one, add: 1, zones: ['1', '1'] }), code: 'DuplicateZone', path: 'zones[1]' },
    { name: 'too many zones', run: () => planScaleOut({ instances: one, add: 1, zones: Array.from({ length: MAX_ZONES + 1 }, (_, i) => `z${i}`) }), code: 'TooManyZones', path: 'zones' },
    { name: 'unavailable zone not in the set', run: () => planScaleOut({ instances: one, add: 1, unavailableZones: ['9'] }), code: 'UnknownZone', path: 'unavailableZones[0]' },
  ])('$name → $code', ({ run, code, path }) => {
    expect(run()).toMatchObject({ ok: false, code, path });
  });
});

describe('placement schemas', () => {
  it('settings default to best-effort balance and the Default policy', () => {
    expect(PlacementSettings.parse({})).toEqual({ zoneBalance: 'bestEffort', scaleInPolicy: 'Default' });
  });
  it.each([
    { name: 'forceDeletion is not a setting', input: { forceDeletion: true } },
    { name: 'unknown policy', input: { scaleInPolicy: 'Random' } },
    { name: 'zone listed twice', input: { zones: ['1', '1'] } },
    { name: 'empty zone list', input: { zones: [] } },
  ])('settings reject: $name', ({ input }) => {
    expect(PlacementSettings.safeParse(input).success).toBe(false);
  });
  it('an instance needs a createdAt with an offset', () => {
    expect(PlacementInstance.safeParse({ id: '1', createdAt: '2026-11-22T10:30:00Z' }).success).toBe(true);
    expect(PlacementInstance.safeParse({ id: '1', createdAt: '2026-11-22T10:30:00' }).success).toBe(false);
  });
  it('a fleet rejects duplicate instance ids', () => {
    const r = PlacementFleet.safeParse({ instances: [{ id: '1', createdAt: at(0) }, { id: '1', createdAt: at(1) }] });
    expect(r.success).toBe(false);
  });
});
