// Clamp: a recommendation outside the profile's bounds is brought to the nearest bound.
import type { Note } from '../pipeline/recommendation.js';
import type { Governor } from './governor.js';

export const clampGovernor: Governor<true> = {
  name: 'clamp',
  compile: () => true,
  govern(w, { ctx }) {
    if (w.kind !== 'scale' || w.settled) return { recommendation: w };
    const { minimum, maximum } = ctx.bounds;
    const to = Math.min(maximum, Math.max(minimum, w.to));
    if (to === w.to) return { recommendation: w };
    const bound = w.to > maximum ? 'maximum' : 'minimum';
    const code = bound === 'maximum' ? 'ClampedToMax' : 'ClampedToMin';
    const note: Note = { kind: 'clamp', wanted: w.to, to, bound };
    return {
      recommendation: { ...w, to, code, notes: [...w.notes, note] },
      trace: { clamp: { wanted: w.to, to, bound } },
      ...(w.rule !== null && { blocks: [{ rule: w.rule, code, note }] }),
    };
  },
};
