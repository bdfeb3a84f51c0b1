// The cron trigger: which profiles began since the previous tick, for every bundled rule set, delivered signed.
import { Cron } from 'croner';
import type { Env } from '../env.js';
import { profileChangeDecisions, type ProfileChangeDecision } from '../engine/profile-change.js';
import { bundledRuleSets } from '../rulesets/bundled.js';
import { deliverAll, liveDeps } from '../delivery/wiring.js';
import type { DeliveryDeps, DeliveryResult } from '../delivery/deliver.js';

/** Used when the trigger's cron cannot be read: wrangler.toml declares a five-minute trigger. */
export const FALLBACK_TICK_MS = 5 * 60_000;

/**
 * The interval a tick reports, from the trigger's own cron, so no state is needed: (previous run,
 * slot], where the slot is the run the tick belongs to — the scheduled time itself for a real
 * trigger, the latest run before it for a manual one (`/__scheduled`, `POST /v1/scheduled`). Each
 * slot's interval is then reported by exactly one real tick. Cloudflare runs triggers in UTC; its
 * day-of-week field counts 1 = Sunday, unlike standard cron (0 = Sunday) used inside rule sets —
 * edgescale's trigger ("*\/5 * * * *") has no day-of-week, so both agree.
 */
export function tickInterval(cron: string, scheduledTime: number): { from: number; to: number } {
  try {
    const c = new Cron(cron, { timezone: 'UTC', paused: true });
    // previousRuns excludes a run exactly at its reference, hence the +1 to find a run at scheduledTime.
    const [slot] = c.previousRuns(1, new Date(scheduledTime + 1));
    if (slot) {
      const [prev] = c.previousRuns(1, slot);
      if (prev) return { from: prev.getTime(), to: slot.getTime() };
    }
  } catch {
    // An unreadable expression falls through to the fallback interval.
  }
  return { from: scheduledTime - FALLBACK_TICK_MS, to: scheduledTime };
}

export interface ScheduledReport {
  tick: string;
  previous: string;
  decisions: ProfileChangeDecision[];
  deliveries: DeliveryResult[];
  notes: Array<{ ruleSet: string; code: string; message: string }>;
}

/** `deps` null: find the decisions but deliver nothing (a preview). */
export async function runScheduled(scheduledTime: number, cron: string, env: Env, deps: DeliveryDeps | null = liveDeps(env)): Promise<ScheduledReport> {
  const { from: previous, to: slot } = tickInterval(cron, scheduledTime);
  const decisions: ProfileChangeDecision[] = [];
  const notes: ScheduledReport['notes'] = [];
  for (const entry of bundledRuleSets().values()) {
    if (!entry.ruleSet) {
      notes.push({ ruleSet: entry.id, code: 'InvalidRuleSet', message: `rules/${entry.file} does not compile; skipped` });
      continue;
    }
    const found = profileChangeDecisions(entry.ruleSet, previous, slot);
    decisions.push(...found.decisions);
    if (found.code !== 'Complete') notes.push({ ruleSet: entry.id, code: found.code, message: found.message });
  }
  const deliveries = decisions.length > 0 && deps ? await deliverAll(decisions, env, deps) : [];
  const report = { tick: new Date(slot).toISOString(), previous: new Date(previous).toISOString(), decisions, deliveries, notes };
  console.log(`edgescale cron ${cron} at ${report.tick}: ${decisions.length} profile-change decision(s)`, notes.length ? notes : '');
  return report;
}
