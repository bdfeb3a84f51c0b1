// Cooldown: a scale in a direction whose timer (from the state) has not run out is deferred (cooldown.ts keeps the timers).
import { cooldownUntil } from '../cooldown.js';
import { isoUtc } from '../../syntax/duration.js';
import type { Note } from '../pipeline/recommendation.js';
import type { Governor } from './governor.js';

export const cooldownGovernor: Governor<true> = {
  name: 'cooldown',
  compile: () => true,
  govern(w, { ctx }) {
    if (w.kind !== 'scale' || w.settled) return { recommendation: w };
    const direction = w.direction!;
    const until = cooldownUntil(ctx.cooldown, direction, ctx.now);
    if (until === undefined) return { recommendation: w };
    const note: Note = { kind: 'cooldown', direction, until, setter: ctx.cooldown.lastScale?.rule ?? null, rule: w.rule };
    return {
      recommendation: { kind: 'hold', to: ctx.bounded, rule: null, cooldownMs: 0, code: 'CooldownActive', policyCode: w.policyCode, notes: [note], settled: true },
      trace: { cooldown: { [direction]: isoUtc(until) } },
      ...(w.rule !== null && { blocks: [{ rule: w.rule, code: 'CooldownActive', note }] }),
    };
  },
};
