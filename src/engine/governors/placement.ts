// Placement: with `instances` in the request, where to add and which to remove; protection can shorten a scale-in (placement.ts).
import { planScaleIn, planScaleOut } from '../placement.js';
import type { Governor } from './governor.js';

export const placementGovernor: Governor<true> = {
  name: 'placement',
  compile: () => true,
  govern(w, { ctx }) {
    const { target, current, ruleSet } = ctx;
    if (!target.instances || w.to === current) return { recommendation: w };
    const settings = ruleSet.spec.placement;
    const common = { instances: target.instances, zones: settings?.zones, zoneBalance: settings?.zoneBalance };
    const placement =
      w.to > current
        ? planScaleOut({ ...common, add: w.to - current, unavailableZones: target.unavailableZones })
        : planScaleIn({ ...common, remove: current - w.to, policy: settings?.scaleInPolicy });
    if (placement.ok && 'removed' in placement && placement.removed.length < current - w.to) {
      // Protection (or strict zone balance) keeps the target from being reached: say so, and ask only for what can be removed.
      const to = current - placement.removed.length;
      return { recommendation: { ...w, to, code: 'ProtectionLimitsScaleIn', ownsBounds: false, notes: [...w.notes, { kind: 'placement', reason: placement.reason }] }, placement };
    }
    return { recommendation: w, placement };
  },
};
