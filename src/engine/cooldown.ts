// Cooldowns carried in the decision state: when a direction may scale again and who set the timer.
import type { DecisionState, Direction } from '../schema.js';
import type { StateOut } from '../schemas/decision.js';
import { isoUtc, toEpochMs } from '../syntax/duration.js';
import { COOLDOWN_MODES } from '../schemas/codes.js';

export type CooldownMode = (typeof COOLDOWN_MODES)[number];

export interface CooldownState {
  lastScale?: { at: number; direction: Direction; rule: string | null; from: number; to: number };
  until: { out?: number; in?: number };
}

export function readState(state: DecisionState | undefined): CooldownState {
  if (!state) return { until: {} };
  const out: CooldownState = { until: {} };
  if (state.lastScale) out.lastScale = { ...state.lastScale, at: toEpochMs(state.lastScale.at)! };
  if (state.cooldownUntil.out !== undefined) out.until.out = toEpochMs(state.cooldownUntil.out)!;
  if (state.cooldownUntil.in !== undefined) out.until.in = toEpochMs(state.cooldownUntil.in)!;
  return out;
}

/** The instant until which `direction` may not scale, or undefined when it is free at `now`. */
export function cooldownUntil(state: CooldownState, direction: Direction, now: number): number | undefined {
  const until = state.until[direction];
  return until !== undefined && now < until ? until : undefined;
}

/**
 * State after a scale action. Azure keeps one shared timer: the cooldown of the rule that fired
 * blocks both directions. In perDirection mode only the direction that scaled waits. Actions no rule
 * took (bringing capacity into bounds, missing-data default) record the change but start no timer.
 */
export function afterScale(
  prev: CooldownState,
  now: number,
  change: { direction: Direction; rule: string | null; from: number; to: number; cooldownMs: number },
  mode: CooldownMode,
): CooldownState {
  const until = { ...prev.until };
  if (change.rule !== null && change.cooldownMs > 0) {
    const end = now + change.cooldownMs;
    if (mode === 'shared') {
      until.out = end;
      until.in = end;
    } else until[change.direction] = end;
  }
  const { direction, rule, from, to } = change;
  return { lastScale: { at: now, direction, rule, from, to }, until };
}

/** The state written back: ISO timestamps, expired timers dropped so the state stays small. */
export function writeState(state: CooldownState, now: number): StateOut {
  const out: StateOut = { version: 1, cooldownUntil: {} };
  if (state.lastScale) out.lastScale = { ...state.lastScale, at: isoUtc(state.lastScale.at) };
  // `out`, then `in` (the key order of cooldownUntil), each read by name: every target builds this
  // state for its expressions, and a loop over the names reads each with a keyed lookup.
  const { out: untilOut, in: untilIn } = state.until;
  if (untilOut !== undefined && untilOut > now) out.cooldownUntil.out = isoUtc(untilOut);
  if (untilIn !== undefined && untilIn > now) out.cooldownUntil.in = isoUtc(untilIn);
  return out;
}
