// Azure flapping prevention: a rule's scale-in goes only as far as no scale-out rule would fire at the new count (flapping.ts).
import { preventFlapping } from '../flapping.js';
import type { Note } from '../pipeline/recommendation.js';
import type { Governor } from './governor.js';

export const flappingGovernor: Governor<true> = {
  name: 'flapping',
  compile: (spec) => (spec.flappingProtection ? true : undefined),
  govern(w, { ctx, rules }) {
    const { bounded } = ctx;
    // Only a rule's scale-in is projected: Azure's flapping prevention is about its rules.
    if (w.kind !== 'scale' || w.settled || w.to >= bounded || !rules.traces.some((t) => t.rule === w.rule)) return { recommendation: w };
    const projection = preventFlapping(rules.outs, bounded, w.to);
    const trace = { flapping: projection };
    if (projection.to === w.to || !projection.blockedBy) return { recommendation: w, trace };
    const check = projection.blockedBy;
    if (projection.to === bounded) {
      const note: Note = { kind: 'flappingDeferred', from: bounded, to: w.to, check };
      return {
        recommendation: { ...w, to: bounded, code: 'FlappingPrevented', notes: [note] },
        trace,
        blocks: [{ rule: w.rule!, code: 'FlappingPrevented', note }],
      };
    }
    const note: Note = { kind: 'flappingReduced', from: w.to, to: projection.to, check };
    // Raised above the clamp, the decision is no longer at the minimum: it is the rule's scale-in.
    const code = w.code === 'ClampedToMin' ? w.policyCode : w.code;
    return { recommendation: { ...w, to: projection.to, code, notes: [...w.notes, note] }, trace };
  },
};
