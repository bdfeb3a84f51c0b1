// KEDA activation: leave 0 only when the activation metric is above its threshold; go to 0 only when it is not.
import { acceptedDurationMs } from '../../syntax/duration.js';
import { pointsInWindow } from '../metrics.js';
import type { Note } from '../pipeline/recommendation.js';
import type { Governor } from './governor.js';

interface CompiledScaleToZero {
  readonly metric: string;
  readonly activationThreshold: number;
  readonly windowMs: number;
}

export const activationGovernor: Governor<CompiledScaleToZero> = {
  name: 'activation',
  compile(spec) {
    const z = spec.scaleToZero;
    return z && { metric: z.metric, activationThreshold: z.activationThreshold, windowMs: acceptedDurationMs(z.window) };
  },
  metrics: (z) => [z.metric],
  govern(w, { ctx }, z) {
    if (w.settled) return { recommendation: w };
    const { bounded, bounds, series, now } = ctx;
    const to = w.to;
    const points = pointsInWindow(series.get(z.metric) ?? [], now, z.windowMs);
    const value = points.length > 0 ? points[points.length - 1]!.v : undefined;
    const active = value !== undefined && value > z.activationThreshold;
    const trace = { activation: { metric: z.metric, ...(value !== undefined && { value }), threshold: z.activationThreshold, active } };
    const gate = (code: 'ActivationNotReached' | 'Activated' | 'DeactivationBlocked', gateTo: number) => {
      // On a scale the gate's clause follows the reason; on a hold it is the reason.
      const note: Note = { kind: 'activation', code, metric: z.metric, ...(value !== undefined && { value }), threshold: z.activationThreshold, replaces: w.kind === 'hold' };
      return { recommendation: { ...w, to: gateTo, code, notes: w.kind === 'hold' ? [note] : [...w.notes, note] }, trace };
    };
    if (bounded === 0 && to > 0 && !active) return gate('ActivationNotReached', 0);
    if (bounded === 0 && to === 0 && active) return gate('Activated', Math.max(1, bounds.minimum));
    if (to === 0 && bounded > 0 && (active || value === undefined)) return gate('DeactivationBlocked', 1);
    return { recommendation: w, trace };
  },
};
