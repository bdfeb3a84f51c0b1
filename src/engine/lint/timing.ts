// Time checks of Azure metric rules: windows and grains outside what Azure accepts, and cooldowns shorter than the window a rule looks back over.
//
// Sources:
// - Azure Monitor REST API / SDK, MetricTrigger (learn.microsoft.com/dotnet/api/azure.resourcemanager.monitor.models.metrictrigger):
//   timeGrain "Must be between 12 hours and 1 minute"; timeWindow "must be greater than the delay in metric
//   collection … Must be between 12 hours and 5 minutes". A window shorter than the grain is refused outright
//   (InvalidWindow, src/engine/ruleset.ts); these are the bounds beyond it.
// - Azure, "Understand autoscale settings" (learn.microsoft.com/azure/azure-monitor/autoscale/autoscale-understanding-settings):
//   the cooldown "allows the metrics to stabilize" after a scale action; AWS EC2 Auto Scaling, "Scaling cooldowns"
//   (docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-scaling-cooldowns.html): a cooldown keeps the group
//   from scaling again "before the effects of previous activities are visible". A rule whose window is longer than its
//   cooldown judges its next evaluation on load measured before its own scale action.
// Expression rules are skipped: what window their expression actually reads is not known.
import type { Warning } from '../../schemas/decision.js';
import { formatIsoDuration } from '../../syntax/duration.js';
import type { CompiledRule } from '../ruleset.js';
import { warning, type LintProfile } from './profile.js';

const MINUTE = 60_000;
const AZURE = { minGrain: MINUTE, minWindow: 5 * MINUTE, max: 12 * 60 * MINUTE } as const;

function windowWarnings(cr: CompiledRule): Warning[] {
  if (!('metric' in cr.rule.when)) return [];
  const t = cr.rule.when.metric;
  const grain = cr.prepared?.grainMs ?? 0;
  const out: Warning[] = [];
  const path = `${cr.path}.when.metric`;
  if (grain < AZURE.minGrain || grain > AZURE.max) {
    out.push(
      warning(
        'WindowOutsideAzureRange',
        `${path}.timeGrain`,
        `Rule ${cr.rule.id} has timeGrain ${t.timeGrain}, outside the 1 minute to 12 hours Azure accepts, so the rule cannot be exported to Azure as it is and its grains are ${grain < AZURE.minGrain ? 'finer than Azure Monitor metrics' : 'coarser than any Azure metric'}.`,
        `Use a timeGrain from PT1M to PT12H (PT1M is Azure's usual grain).`,
      ),
    );
  }
  if (cr.conditionWindowMs < AZURE.minWindow || cr.conditionWindowMs > AZURE.max) {
    const short = cr.conditionWindowMs < AZURE.minWindow;
    out.push(
      warning(
        'WindowOutsideAzureRange',
        `${path}.timeWindow`,
        `Rule ${cr.rule.id} has timeWindow ${t.timeWindow}, outside the 5 minutes to 12 hours Azure accepts, so the rule cannot be exported to Azure as it is${short ? ' and it decides on very few grains of a metric that may still be arriving' : ''}.`,
        `Use a timeWindow from PT5M to PT12H, longer than the delay in metric collection.`,
      ),
    );
  }
  return out;
}

function cooldownWarning(cr: CompiledRule): Warning | undefined {
  if (!('metric' in cr.rule.when) || cr.cooldownMs >= cr.conditionWindowMs) return undefined;
  const cooldown = formatIsoDuration(cr.cooldownMs);
  const window = formatIsoDuration(cr.conditionWindowMs);
  const stale = formatIsoDuration(cr.conditionWindowMs - cr.cooldownMs);
  return warning(
    'CooldownShorterThanWindow',
    cr.rule.cooldown !== undefined ? `${cr.path}.cooldown` : 'cooldown',
    `Rule ${cr.rule.id} has a cooldown of ${cooldown} but looks back over ${window}, so its first evaluation after it scales still reads ${stale} of load from before the change and can scale again on stale data.`,
    `Set the rule's cooldown to at least its timeWindow (${window}), or shorten the window.`,
  );
}

/** WindowOutsideAzureRange and CooldownShorterThanWindow for one profile's rules. */
export function timingWarnings(p: LintProfile): Warning[] {
  return p.rules.flatMap((cr) => {
    const cooldown = cooldownWarning(cr);
    return [...windowWarnings(cr), ...(cooldown ? [cooldown] : [])];
  });
}
