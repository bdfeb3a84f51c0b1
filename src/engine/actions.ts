// The capacity a fired rule asks for: change by count, by percent, set exactly, or set by expression.
import type { Action, Direction } from '../schema.js';

const ROUND = {
  ceil: Math.ceil,
  floor: Math.floor,
  round: Math.round,
  trunc: Math.trunc,
} as const;

/**
 * New capacity from `current` (already inside the bounds). Percent changes round the size of the
 * change with the rule's `rounding` (default ceil, so 10 % of 3 is 1, not 0) and then enforce its
 * `minimumChange` (default 1, like AWS's MinAdjustmentMagnitude). Clamping to the bounds happens
 * later, once rules are combined, so the trace shows what each rule asked for.
 */
export function capacityFromAction(action: Action, direction: Direction, current: number, exprValue?: number): number {
  const sign = direction === 'out' ? 1 : -1;
  switch (action.type) {
    case 'ChangeCount':
      return Math.max(0, current + sign * action.value);
    case 'PercentChangeCount': {
      // Scale to an integer percent-of-capacity first so 10 % of 30 is exactly 3, not 3.0000000000000004.
      const raw = Number(((current * action.value) / 100).toPrecision(12));
      const size = Math.max(ROUND[action.rounding](raw), action.minimumChange);
      return Math.max(0, current + sign * size);
    }
    case 'ExactCount':
      return action.value;
    case 'Expression':
      return Math.max(0, ROUND[action.rounding](Number((exprValue as number).toPrecision(12))));
  }
}
