// Native rule set → Azure autoscale setting (the shape `az monitor autoscale show` prints): the supported subset, with everything else listed as unsupported.
//
// Shapes: src/formats/azure/read.ts (ARM/Bicep reference, azure-rest-api-specs). The end of a recurrence
// is written as the portal's pair (azure-cli _create_recurring_profile); src/formats/azure/import.ts reads it back.
// Meaning on the native side: docs/rules.md, docs/schedules.md; this mapping: docs/importing.md.
import { DAY_NAMES } from '../../syntax/local-time.js';
import { loadRuleSet } from '../../engine/ruleset.js';
import type { RuleSet } from '../../schema.js';
import { ianaToWindows, WINDOWS_TO_IANA } from '../windows-zones.js';
import type { UnsupportedField } from '../import-context.js';
import type { Capacity } from './read.js';
import { SOURCE_DESCRIPTION } from './import.js';

// ---------------------------------------------------------------------------------------------
// Azure shapes (as `az monitor autoscale show` prints them, which is also what export writes)

interface AzureScaleCapacity {
  minimum: string;
  maximum: string;
  default: string;
}

interface AzureMetricTrigger {
  metricName: string;
  metricNamespace?: string;
  metricResourceUri?: string;
  timeGrain: string;
  statistic: string;
  timeWindow: string;
  timeAggregation: string;
  operator: string;
  threshold: number;
  dividePerInstance: boolean;
}

interface AzureScaleAction {
  direction: 'Increase' | 'Decrease';
  type: 'ChangeCount' | 'PercentChangeCount' | 'ExactCount';
  value: string;
  cooldown: string;
}

interface AzureScaleRule {
  metricTrigger: AzureMetricTrigger;
  scaleAction: AzureScaleAction;
}

interface AzureProfile {
  name: string;
  capacity: AzureScaleCapacity;
  rules: AzureScaleRule[];
  fixedDate?: { timeZone: string; start: string; end: string };
  recurrence?: { frequency: 'Week'; schedule: { timeZone: string; days: string[]; hours: number[]; minutes: number[] } };
}

interface AzureAutoscaleSetting {
  name: string;
  enabled: boolean;
  targetResourceUri?: string;
  targetResourceLocation?: string;
  profiles: AzureProfile[];
  notifications: [];
}
// ---------------------------------------------------------------------------------------------
// Export

export type ExportAzureResult =
  { ok: true; setting: AzureAutoscaleSetting; unsupported: UnsupportedField[] } | { ok: false; issues: Array<{ code: string; message: string; path: string }> };

/** Name Azure gives the default profile when the CLI creates a setting (azure-cli DEFAULT_PROFILE_NAME). */
const AZURE_DEFAULT_PROFILE = 'default';

/**
 * Write a native rule set as an Azure autoscale setting (the shape `az monitor autoscale show` prints).
 * Only what Azure can express is written; everything else is listed in `unsupported`. A recurrence
 * with an end becomes the portal's pair: the profile, and a copy of the default profile named
 * `{"name":"default","for":"<profile>"}` starting at the end time, so importing the result gives back
 * the same rule set.
 */
export function exportAzureAutoscale(nativeRuleSet: unknown): ExportAzureResult {
  const loaded = loadRuleSet(nativeRuleSet);
  if (!loaded.ok) return { ok: false, issues: loaded.issues };
  const spec = loaded.ruleSet.spec;
  const unsupported: UnsupportedField[] = [];
  const drop = (path: string, field: string, message: string) => unsupported.push({ path, field, message });

  if (spec.targetTracking?.length) drop('targetTracking', 'targetTracking', 'target tracking (the HPA algorithm) has no Azure autoscale equivalent');
  if (spec.stepScaling?.length) drop('stepScaling', 'stepScaling', 'AWS step scaling has no Azure autoscale equivalent');
  if (spec.simpleScaling) drop('simpleScaling', 'simpleScaling', 'AWS simple scaling has no Azure autoscale equivalent');
  if (spec.behavior) drop('behavior', 'behavior', 'Kubernetes behavior has no Azure autoscale equivalent');
  if (spec.hpaController) drop('hpaController', 'hpaController', 'the Kubernetes HPA controller settings have no Azure autoscale equivalent');
  if (spec.scaleToZero) drop('scaleToZero', 'scaleToZero', 'activation (scale to zero) has no Azure autoscale equivalent');
  if (spec.placement) drop('placement', 'placement', 'placement has no Azure autoscale equivalent');
  if (spec.predictive) drop('predictive', 'predictive', "edgescale's forecast methods have no Azure autoscale equivalent");
  if (spec.cooldownMode !== 'shared') drop('cooldownMode', 'cooldownMode', 'Azure cooldowns hold both directions ("shared"); "perDirection" is not expressible');
  if (!spec.flappingProtection) drop('flappingProtection', 'flappingProtection', 'Azure always prevents flapping; it cannot be turned off');
  if (spec.missingData && (spec.missingData.policy !== 'azure' || spec.missingData.maxAge)) {
    drop('missingData', 'missingData', 'Azure always handles missing data its own way (up to the default capacity, no scale-in)');
  }
  if ((spec.targets?.length ?? 0) > 1) drop('targets', 'targets', 'an Azure autoscale setting governs one resource; only the first target is written');

  const target = spec.targets?.[0];
  const targetUri = target?.labels?.['azure.resourceUri'];
  const targetLocation = target?.labels?.['azure.location'];
  const described = spec.description !== undefined ? /^Imported from the Azure autoscale setting ("(?:[^"\\]|\\.)*")$/.exec(spec.description) : null;
  const name = described ? (JSON.parse(described[1]!) as string) : spec.id;

  const capacity = (c: Capacity): AzureScaleCapacity => ({ minimum: String(c.minimum), maximum: String(c.maximum), default: String(c.default) });
  const exportRules = (rules: RuleSet['rules'], path: string): AzureScaleRule[] => {
    const out: AzureScaleRule[] = [];
    rules.forEach((r, i) => {
      const at = `${path}[${i}]`;
      if (!('metric' in r.when)) return void drop(`${at}.when.expr`, 'expr', `rule "${r.id}": expression conditions have no Azure equivalent; the rule is left out`);
      if (r.action.type === 'Expression') return void drop(`${at}.action`, 'action', `rule "${r.id}": Expression actions have no Azure equivalent; the rule is left out`);
      if (r.action.type === 'PercentChangeCount' && (r.action.rounding !== 'ceil' || r.action.minimumChange !== 1)) {
        drop(`${at}.action`, 'rounding', `rule "${r.id}": Azure has no rounding or minimumChange for percent changes; Azure's own rounding applies`);
      }
      const m = r.when.metric;
      const src = r.description !== undefined ? SOURCE_DESCRIPTION.exec(r.description) : null;
      const metricName = src ? (JSON.parse(src[1]!) as string) : m.metric;
      const resource = src?.[2] ?? targetUri;
      if (resource === undefined)
        drop(`${at}.when.metric`, 'metricResourceUri', `rule "${r.id}": no resource known for metric "${m.metric}"; set metricResourceUri before deploying`);
      out.push({
        metricTrigger: {
          metricName,
          ...(src?.[3] !== undefined && { metricNamespace: src[3] }),
          ...(resource !== undefined && { metricResourceUri: resource }),
          timeGrain: m.timeGrain,
          statistic: m.statistic,
          timeWindow: m.timeWindow,
          timeAggregation: m.timeAggregation,
          operator: m.operator,
          threshold: m.threshold,
          dividePerInstance: m.dividePerInstance,
        },
        scaleAction: { direction: r.direction === 'out' ? 'Increase' : 'Decrease', type: r.action.type, value: String(r.action.value), cooldown: r.cooldown ?? spec.cooldown },
      });
    });
    return out;
  };
  const zone = (iana: string, path: string): string => {
    const w = ianaToWindows(iana) ?? ianaToWindowsByRules(iana);
    if (w !== undefined) return w;
    drop(path, 'timeZone', `"${iana}" is not the CLDR zone of any Windows zone name; replace it with a Windows name before deploying`);
    return iana;
  };

  const defaultRules = exportRules(spec.rules, 'rules');
  const profiles: AzureProfile[] = [{ name: AZURE_DEFAULT_PROFILE, capacity: capacity(spec.capacity), rules: defaultRules }];
  (spec.profiles ?? []).forEach((p, i) => {
    const at = `profiles[${i}]`;
    if (p.startCapacity !== undefined) drop(`${at}.startCapacity`, 'startCapacity', `profile "${p.name}": Azure has no start capacity`);
    const rules = p.rules ? exportRules(p.rules, `${at}.rules`) : defaultRules;
    const base = { name: p.name, capacity: capacity(p.capacity), rules };
    if (p.fixedDate) {
      profiles.push({ ...base, fixedDate: { timeZone: zone(p.fixedDate.timeZone, `${at}.fixedDate.timeZone`), start: p.fixedDate.start, end: p.fixedDate.end } });
    } else if (p.recurrence) {
      const r = p.recurrence;
      const timeZone = zone(r.timeZone, `${at}.recurrence.timeZone`);
      const [h, min] = r.start.split(':').map(Number) as [number, number];
      profiles.push({ ...base, recurrence: { frequency: 'Week', schedule: { timeZone, days: [...r.days], hours: [h], minutes: [min] } } });
      if (r.end !== undefined) {
        const [eh, em] = r.end.split(':').map(Number) as [number, number];
        // The end copy starts on the day the window ends: the next day when it crosses midnight.
        const days = eh * 60 + em > h * 60 + min ? [...r.days] : r.days.map((d) => DAY_NAMES[(DAY_NAMES.indexOf(d) + 1) % 7]!);
        profiles.push({
          name: JSON.stringify({ name: AZURE_DEFAULT_PROFILE, for: p.name }),
          capacity: capacity(spec.capacity),
          rules: defaultRules,
          recurrence: { frequency: 'Week', schedule: { timeZone, days, hours: [eh], minutes: [em] } },
        });
      }
    } else if (p.cron) {
      drop(`${at}.cron`, 'cron', `profile "${p.name}": cron schedules have no Azure equivalent; the profile is left out`);
    }
  });
  return {
    ok: true,
    setting: {
      name,
      enabled: true,
      ...(targetUri !== undefined && { targetResourceUri: targetUri }),
      ...(targetLocation !== undefined && { targetResourceLocation: targetLocation }),
      profiles,
      notifications: [],
    },
    unsupported,
  };
}

/** A Windows zone for an IANA link of a golden zone ("UTC" for "Etc/UTC"), by the runtime's canonical id. */
function ianaToWindowsByRules(iana: string): string | undefined {
  const canonical = (z: string): string | undefined => {
    try {
      return new Intl.DateTimeFormat('en-US', { timeZone: z }).resolvedOptions().timeZone;
    } catch {
      return undefined;
    }
  };
  const want = canonical(iana);
  if (want === undefined) return undefined;
  for (const [windows, zoneName] of Object.entries(WINDOWS_TO_IANA)) if (canonical(zoneName) === want) return windows;
  return undefined;
}
