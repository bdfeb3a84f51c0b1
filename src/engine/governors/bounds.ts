// Bounds: a capacity outside [minimum, maximum] is always brought into them, whatever cooldown holds.
import type { Governor } from './governor.js';

export const boundsGovernor: Governor<true> = {
  name: 'bounds',
  compile: () => true,
  govern(w0, { ctx }) {
    const { bounded, current, bounds } = ctx;
    // Ending where it started, the recommendation changed nothing: it decides nothing and starts no cooldown.
    const w = w0.to === bounded && (w0.rule !== null || w0.cooldownMs !== 0) ? { ...w0, rule: null, cooldownMs: 0 } : w0;
    // A recommendation outside the bounds on purpose says itself why (KEDA's executor idling below the minimum).
    if (bounded === current || w.code === 'ScalingDisabled' || w.ownsBounds) return { recommendation: w };
    const note = { kind: 'bounds' as const, minimum: bounds.minimum, maximum: bounds.maximum };
    if (w.rule === null && w.code !== 'MissingDataDefault') {
      return { recommendation: { ...w, code: 'BroughtIntoBounds', notes: [{ ...note, then: false }, ...w.notes] } };
    }
    return { recommendation: { ...w, notes: [{ ...note, then: true }, ...w.notes] } };
  },
};
