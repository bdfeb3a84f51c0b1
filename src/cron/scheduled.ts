// The cron trigger: which profiles began since the previous tick, for every bundled rule set, delivered signed.
import { Cron } from 'croner';
import type { ProfileChangeDecision, RequestedBy, ScheduledReport } from '../schemas/decision.js';
import type { Env } from '../env.js';
import { profileChangeDecisions } from '../engine/profile-change.js';
import { bundledRuleSets } from '../rulesets/bundled.js';
import { configuredActuators, deliverAll, liveDeps, unknownActuatorIssue } from '../delivery/wiring.js';
import type { DeliveryDeps } from '../delivery/deliver.js';
import { isoUtc } from '../syntax/duration.js';
import type { Logger } from '../observability/log.js';

/** Used when the trigger's cron cannot be read: wrangler.toml declares a five-minute trigger. */
const FALLBACK_TICK_MS = 5 * 60_000;

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

/**
 * Cron intervals each tick looks back over, its own included: the profile changes of the two
 * intervals before it are derived again and sent under the same idempotency keys (a change's id
 * hashes rule set, target and start instant, never the tick). Cloudflare runs cron triggers at
 * least once but not always: an invocation can be missed during a deploy or an incident, or killed
 * by a limit. With 3, one or two lost invocations in a row lose no profile change; the actuator,
 * which applies each decision id once (docs/actuator.md), ignores the copies it already has.
 */
export const CATCHUP_INTERVALS = 3;
/**
 * At most 24 hours of look-back (beyond the tick's own interval, which is always covered): a change
 * older than a day is stale, since any decision since then has set capacity by the bounds in force,
 * and the look-back must stay inside what an actuator keeps of applied ids (the Node outbox: 7 days).
 * It also bounds each tick's work: profileChangesBetween examines at most 500 boundaries.
 */
export const MAX_CATCHUP_MS = 24 * 3_600_000;

/**
 * The look-back of a tick: from the start of the CATCHUP_INTERVALS-th interval back (the cron's own
 * runs, so an irregular cron such as "0 9,17 * * *" looks back over its real ticks), cut at
 * MAX_CATCHUP_MS but never shorter than the tick's own interval.
 */
export function catchUpWindow(cron: string, scheduledTime: number, intervals: number = CATCHUP_INTERVALS): { from: number; previous: number; to: number } {
  const { from: previous, to: slot } = tickInterval(cron, scheduledTime);
  let from = previous;
  const n = Math.max(1, Math.floor(intervals));
  if (n > 1) {
    try {
      const runs = new Cron(cron, { timezone: 'UTC', paused: true }).previousRuns(n, new Date(slot));
      from = runs.length === n ? runs[n - 1]!.getTime() : slot - n * (slot - previous);
    } catch {
      from = slot - n * (slot - previous);
    }
  }
  from = Math.min(previous, Math.max(from, slot - MAX_CATCHUP_MS));
  return { from, previous, to: slot };
}

/** Who the cron trigger's own decisions say asked for them. */
const CRON_REQUESTER: RequestedBy = { credential: 'cron', kind: 'cron' };

/** `deps` null: find the decisions but deliver nothing (a preview). The tick's summary goes to `log` (event `cron.tick`). */
export async function runScheduled(
  scheduledTime: number,
  cron: string,
  env: Env,
  log: Logger,
  deps: DeliveryDeps | null = liveDeps(env, log),
  requestedBy: RequestedBy = CRON_REQUESTER,
): Promise<ScheduledReport> {
  const { from, previous, to: slot } = catchUpWindow(cron, scheduledTime);
  const decisions: ProfileChangeDecision[] = [];
  const catchUp: ProfileChangeDecision[] = [];
  const notes: ScheduledReport['notes'] = [];
  const configured = configuredActuators(env);
  for (const entry of bundledRuleSets().values()) {
    if (!entry.ruleSet) {
      notes.push({ ruleSet: entry.id, code: 'InvalidRuleSet', message: `rules/${entry.file} does not compile; skipped` });
      continue;
    }
    const found = profileChangeDecisions(entry.ruleSet, from, slot, requestedBy);
    for (const d of found.decisions) (Date.parse(d.at) > previous ? decisions : catchUp).push(d);
    if (found.code !== 'Complete') notes.push({ ruleSet: entry.id, code: found.code, message: found.message });
    // Still delivered: the queue (or outbox) keeps its decisions until the URL is set.
    const noActuator = unknownActuatorIssue(entry.ruleSet.spec.actuator, configured, 'actuator');
    if (noActuator && found.decisions.length > 0) notes.push({ ruleSet: entry.id, code: 'UnknownActuator', message: `${noActuator.message}; its decisions are queued until then` });
  }
  // Oldest first, so an actuator that applies them in arrival order ends on the newest.
  const byAt = (a: ProfileChangeDecision, b: ProfileChangeDecision) => Date.parse(a.at) - Date.parse(b.at);
  catchUp.sort(byAt);
  const all = [...catchUp, ...decisions];
  const deliveries = all.length > 0 && deps ? await deliverAll(all, env, deps) : [];
  const report: ScheduledReport = {
    // Written as decisions write instants (isoUtc), so one format runs through every answer.
    tick: isoUtc(slot),
    previous: isoUtc(previous),
    catchUpFrom: isoUtc(from),
    decisions,
    catchUp,
    deliveries,
    notes,
  };
  log.info('cron.tick', `cron ${cron} at ${report.tick}: ${decisions.length} profile-change decision(s), ${catchUp.length} re-derived from the look-back since ${report.catchUpFrom}`, {
    cron,
    tick: report.tick,
    decisions: decisions.length,
    catchUp: catchUp.length,
    ...(notes.length > 0 && { notes }),
  });
  return report;
}
