// Zod schemas for zone-aware placement: the instances a target runs and the placement settings of a rule set.
import { z } from 'zod';
import { toEpochMs } from '../syntax/duration.js';
import { LIMITS } from '../limits.js';

/** Azure regions have three availability zones, other clouds up to six; 32 bounds the per-step scan of zones with room to spare. */
export const MAX_ZONES = 32;

/** Zone names as Azure writes them ("1", "2", "3") or any provider's ("eu-west-1a"). */
const ZoneName = z
  .string()
  .min(1)
  .max(LIMITS.idLength)
  .meta({ description: 'Availability zone name, e.g. "1" (Azure) or "eu-west-1a".' });

export const PlacementInstance = z
  .strictObject({
    id: z
      .string()
      .min(1)
      .max(LIMITS.idLength)
      .meta({
        description:
          'Instance ID. Azure Uniform scale sets use decimal numbers ("0", "1", "10"), compared numerically; other ids (Flexible VM names) compare as strings.',
      }),
    zone: ZoneName.optional().meta({ description: 'Zone the instance runs in; omitted for a non-zonal (regional) instance.' }),
    createdAt: z
      .string()
      .refine((t) => toEpochMs(t) !== undefined, {
        message: 'expected an ISO 8601 timestamp with a zone offset (e.g. "2026-11-22T10:30:00Z")',
      })
      .meta({ description: 'When the instance was created (ISO 8601 with offset); orders NewestVM and OldestVM.' }),
    protected: z
      .boolean()
      .optional()
      .meta({ description: 'Protected from scale-in (Azure protectFromScaleIn): never chosen for removal.' }),
    weight: z
      .number()
      .int()
      .min(1)
      .max(999)
      .optional()
      .meta({
        description:
          'AWS WeightedCapacity: the capacity units this instance counts for (default 1). A warming instance takes its weight out of the in-service capacity of the AWS policies; placement counts instances.',
      }),
  })
  .meta({ description: 'One running instance of a target.' });

export const ZoneBalanceMode = z
  .enum(['bestEffort', 'strict'])
  .meta({
    description:
      'Azure zone balance: bestEffort allows a temporary imbalance when balance is impossible; strict (zoneBalance: true) refuses the whole operation instead.',
  });

export const ScaleInPolicyName = z
  .enum(['Default', 'NewestVM', 'OldestVM'])
  .meta({
    description:
      'Azure scale-in policy: after balancing zones, Default removes the highest instance ID, NewestVM the newest, OldestVM the oldest.',
  });

function noDuplicates(values: readonly string[], what: string, ctx: z.RefinementCtx, path: (string | number)[]): void {
  const seen = new Set<string>();
  values.forEach((v, i) => {
    if (seen.has(v)) ctx.addIssue({ code: 'custom', message: `${what} "${v}" is listed twice`, path: [...path, i] });
    seen.add(v);
  });
}

/** Placement settings of a rule set. `forceDeletion` is deliberately absent: it says how Azure deletes, not which instance. */
export const PlacementSettings = z
  .strictObject({
    zones: z
      .array(ZoneName)
      .min(1)
      .max(MAX_ZONES)
      .optional()
      .meta({
        description:
          'Zones the set spans, in tie-break order. Default: the zones seen on the instances, in numeric-aware order ("1" < "2" < "10").',
      }),
    zoneBalance: ZoneBalanceMode.default('bestEffort'),
    scaleInPolicy: ScaleInPolicyName.default('Default'),
  })
  .superRefine((s, ctx) => {
    if (s.zones) noDuplicates(s.zones, 'zone', ctx, ['zones']);
  })
  .meta({ description: 'How scale decisions are placed across availability zones (Azure VMSS semantics, see docs/placement.md).' });

/** What a caller sends about a target's fleet at decision time: its instances and which zones are down now. */
export const PlacementFleet = z
  .strictObject({
    instances: z.array(PlacementInstance).max(LIMITS.maxCapacity),
    unavailableZones: z
      .array(ZoneName)
      .max(MAX_ZONES)
      .optional()
      .meta({ description: 'Zones that cannot take new instances right now (scale-out only); each must be one of the set\'s zones.' }),
  })
  .superRefine((f, ctx) => {
    noDuplicates(
      f.instances.map((i) => i.id),
      'instance id',
      ctx,
      ['instances'],
    );
  })
  .meta({ description: 'The instances of a target and the zones currently unavailable.' });

export type PlacementInstance = z.infer<typeof PlacementInstance>;
export type ZoneBalanceMode = z.infer<typeof ZoneBalanceMode>;
export type ScaleInPolicyName = z.infer<typeof ScaleInPolicyName>;
export type PlacementSettings = z.infer<typeof PlacementSettings>;
export type PlacementFleet = z.infer<typeof PlacementFleet>;
