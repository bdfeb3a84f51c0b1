// Azure autoscale setting → native rule set: metric naming, rules, the default profile, the portal's recurrence pairs, and the final rule set.
//
// Sources (meaning; the shapes are cited in read.ts):
// - "Understand autoscale settings" (autoscale-understanding-settings.md): recurrence profiles "only have
//   a start time. They run until the next recurrence profile or fixed date profile is set to start."
// - "Autoscale with multiple profiles" (autoscale-multiprofile.md) and azure-cli monitor
//   operations/autoscale_settings.py `_create_recurring_profile` + _autoscale_util.py
//   `build_autoscale_profile`: the portal and the CLI give a recurring profile an end by adding a copy of
//   the default profile named `{"name": "<default name>", "for": "<profile>"}` that starts, on the same
//   days, at the end time; such a copy may be the only "default" left in the setting.
// Meaning on the native side: docs/rules.md, docs/schedules.md; this mapping: docs/importing.md.
import { DAY_NAMES } from '../../syntax/local-time.js';
import { checkValueBounds } from '../bounds.js';
import { IMPORT_LIMITS, LIMITS } from '../../limits.js';
import type { RuleSetInput } from '../../schema.js';
import { isRecord } from '../../util/is-record.js';
import { joinPath, newContext, slug, toId, uniqueId, validateConverted, type ImportContext, type ImportOptions, type ImportResult } from '../import-context.js';
import { importPredictive } from './predictive.js';
import { ARM_EXPRESSION, fail, parseProfile, prop, propKey, readString, readUri, reportUnknown, resolveExpressions, unwrap, whyNot, type MetricSource, type ParsedProfile, type Schedule } from './read.js';

type NativeRule = RuleSetInput['rules'][number];
type NativeProfile = NonNullable<RuleSetInput['profiles']>[number];

const clock = (minutes: number): string => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
/** Queue-length metrics Azure documents as compared per instance ("Autoscale common metrics"). */
const QUEUE_LENGTH_METRICS = ['approximatemessagecount', 'messagecount'];

// ---------------------------------------------------------------------------------------------
// Import: building the native rule set

/**
 * Native metric names. A metric keeps its Azure name ("Percentage CPU") unless the same name is read
 * from more than one source (resource or dimension filter): then each source that is not
 * the target resource itself gets "<name>@<resource name>", so no two sources share a series.
 */
function nameMetrics(profiles: ParsedProfile[], targetUri: string | undefined): Map<string, string> {
  const byName = new Map<string, MetricSource[]>();
  for (const p of profiles) {
    for (const r of p.rules) {
      const list = byName.get(r.source.name.toLowerCase()) ?? [];
      if (!list.some((s) => s.key === r.source.key)) list.push(r.source);
      byName.set(r.source.name.toLowerCase(), list);
    }
  }
  const names = new Map<string, string>();
  const used = new Set<string>();
  for (const sources of byName.values()) {
    const first = sources[0]!.name;
    if (sources.length === 1) {
      names.set(sources[0]!.key, uniqueId(first.slice(0, LIMITS.idLength), used, '#'));
      continue;
    }
    const isTarget = (s: MetricSource) => s.dimensions === '' && s.uri !== undefined && targetUri !== undefined && s.uri.toLowerCase() === targetUri.toLowerCase();
    for (const s of sources) {
      const resource = s.uri ? s.uri.replace(/\/+$/, '').split('/').pop() || 'resource' : 'unknown';
      const base = isTarget(s) ? first : `${first}@${resource}`;
      names.set(s.key, uniqueId(base.slice(0, LIMITS.idLength - 4), used, '#'));
    }
  }
  return names;
}

/** Provenance kept on each rule: export reads the Azure metric, resource and namespace back from it. */
function describeSource(s: MetricSource): string {
  return `Azure metric ${JSON.stringify(s.name)}${s.uri ? ` of ${s.uri}` : ''}${s.namespace ? `, namespace ${s.namespace}` : ''}`;
}
export const SOURCE_DESCRIPTION = /^Azure metric ("(?:[^"\\]|\\.)*")(?: of (.+?))?(?:, namespace (\S+))?$/;

function buildRules(p: ParsedProfile, metricNames: Map<string, string>, ctx: ImportContext): NativeRule[] {
  const used = new Set<string>();
  return p.rules.map((r) => {
    const metric = metricNames.get(r.source.key)!;
    let action: NativeRule['action'];
    if (r.action.type === 'ExactCount') {
      // Azure clamps every result to the profile's bounds; the native schema refuses an ExactCount that
      // would always be clamped, so the value is clamped here, which decides the same.
      const v = Math.min(p.capacity.maximum, Math.max(p.capacity.minimum, r.action.value));
      if (v !== r.action.value) ctx.notes.push(`${r.path}: ExactCount ${r.action.value} lies outside the profile's bounds and is clamped to ${v}, as Azure clamps it.`);
      action = { type: 'ExactCount', value: v };
    } else action = { type: r.action.type, value: r.action.value };
    return {
      id: uniqueId(`${slug(metric, 'metric')}-${r.direction}`, used),
      description: describeSource(r.source),
      direction: r.direction,
      when: { metric: { metric, ...r.trigger } },
      action,
      ...(r.cooldown !== undefined && { cooldown: r.cooldown }),
    };
  });
}

const WEEK_MINUTES = 7 * 1440;
const mod = (a: number, n: number) => ((a % n) + n) % n;
const startsOf = (s: Extract<Schedule, { kind: 'recurrence' }>) => s.days.flatMap((d) => s.times.map((t) => DAY_NAMES.indexOf(d) * 1440 + t));

/**
 * The end time of recurring profile `p` given by the portal copy `m`, when replacing the pair by one
 * bounded native recurrence decides exactly as Azure does: `m` starts exactly one fixed interval
 * (under a day) after each start of `p`, in the same zone, and no other recurring profile starts
 * inside those windows. Otherwise undefined, and both are imported as open-ended profiles.
 */
function pairEnd(p: ParsedProfile, m: ParsedProfile, others: ParsedProfile[]): number | undefined {
  if (p.schedule.kind !== 'recurrence' || m.schedule.kind !== 'recurrence') return undefined;
  if (p.schedule.times.length !== 1 || m.schedule.times.length !== 1 || p.schedule.timeZone !== m.schedule.timeZone) return undefined;
  const len = mod(m.schedule.times[0]! - p.schedule.times[0]!, 1440);
  if (len === 0) return undefined;
  const pStarts = startsOf(p.schedule);
  const ends = new Set(pStarts.map((s) => mod(s + len, WEEK_MINUTES)));
  const mStarts = new Set(startsOf(m.schedule));
  if (ends.size !== mStarts.size || [...ends].some((e) => !mStarts.has(e))) return undefined;
  for (const o of others) {
    if (o.schedule.kind !== 'recurrence') continue;
    // Across zones the local times cannot be compared once for all weeks (DST moves them apart).
    if (o.schedule.timeZone !== p.schedule.timeZone) return undefined;
    for (const os of startsOf(o.schedule)) if (pStarts.some((s) => mod(os - s, WEEK_MINUTES) < len)) return undefined;
  }
  return m.schedule.times[0]!;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Convert an Azure autoscale setting into a native rule set. Pure: no I/O, no clock. `input` is the
 * setting as `az monitor autoscale show` prints it, an ARM resource (`properties` inside), an ARM
 * template with one autoscale setting, or any of these as JSON text.
 */
export function importAzureAutoscale(input: unknown, options: ImportOptions = {}): ImportResult {
  const ctx = newContext();
  // Bounded before anything walks it (messages quote parts of it with JSON.stringify): src/limits.ts IMPORT_LIMITS.
  const over = checkValueBounds(input, {
    maxDepth: IMPORT_LIMITS.nestingDepth,
    maxNodes: IMPORT_LIMITS.documentNodes,
    depthName: 'IMPORT_LIMITS.nestingDepth',
    nodesName: 'IMPORT_LIMITS.documentNodes',
  });
  if (over) return { ok: false, issues: [{ code: 'ImportError', path: over.path, message: `the autoscale setting is ${over.message}` }] };
  const found = unwrap(input, ctx, options.name, options.parameters);
  if (!found) return { ok: false, issues: ctx.issues };
  const { path: base, outerPath } = found;
  // ARM expressions evaluated with the template's parameter defaults and variables (arm-expressions.ts).
  const outer = found.outer && resolveExpressions(found.outer, outerPath, found.scope, ctx);
  const inner = outer ? prop(outer, 'properties') : undefined;
  const setting = isRecord(inner) ? inner : resolveExpressions(found.setting, base, found.scope, ctx);

  // Resource metadata that does not affect decisions is skipped quietly; anything else is reported.
  const METADATA = ['id', 'name', 'type', 'location', 'tags', 'systemData', 'etag', 'kind', 'resourceGroup', 'apiVersion', 'dependsOn', 'comments', 'autoscaleSettingResourceName'];
  reportUnknown(
    setting,
    ['profiles', 'enabled', 'notifications', 'predictiveAutoscalePolicy', 'targetResourceUri', 'targetResourceLocation'],
    METADATA,
    base,
    'autoscale setting',
    ctx,
  );
  if (outer) reportUnknown(outer, ['properties'], METADATA, outerPath, 'resource', ctx);

  const rawName = prop(setting, 'name') ?? (outer ? prop(outer, 'name') : undefined);
  const name = typeof rawName === 'string' && !ARM_EXPRESSION.test(rawName) ? rawName : undefined;
  const rawTargetUri = readUri(setting, 'targetResourceUri', base, ctx);
  const targetUri = rawTargetUri !== undefined && !ARM_EXPRESSION.test(rawTargetUri.trim()) ? rawTargetUri : undefined;
  const targetLocation = readString(setting, 'targetResourceLocation', base, ctx, false);

  const enabled = prop(setting, 'enabled');
  if (typeof enabled === 'string' && ARM_EXPRESSION.test(enabled.trim())) {
    const ePath = joinPath(base, propKey(setting, 'enabled'));
    ctx.unsupported.push({ path: ePath, field: 'enabled', message: `"${enabled}" is an ARM template expression, ${whyNot(ctx, ePath)}; the rule set decides as if the setting were enabled` });
  }
  if (enabled === false) {
    ctx.unsupported.push({
      path: joinPath(base, propKey(setting, 'enabled')),
      field: 'enabled',
      message: 'the setting is disabled in Azure (enabled: false); the rule set decides as if it were enabled',
    });
    ctx.notes.push('The Azure setting is disabled (enabled: false): Azure does not scale with it, edgescale would.');
  }
  const notifications = prop(setting, 'notifications');
  if (Array.isArray(notifications) && notifications.length > 0) {
    ctx.unsupported.push({
      path: joinPath(base, propKey(setting, 'notifications')),
      field: 'notifications',
      message: 'e-mail and webhook notifications are not sent; edgescale delivers decisions to its actuator (docs/actuator.md)',
    });
  }
  const profilesRaw = prop(setting, 'profiles');
  const pPath = joinPath(base, propKey(setting, 'profiles'));
  if (!Array.isArray(profilesRaw) || profilesRaw.length === 0) {
    fail(ctx, pPath, 'expected profiles as a non-empty array');
    return { ok: false, issues: ctx.issues };
  }
  const parsed: ParsedProfile[] = [];
  profilesRaw.forEach((raw, i) => {
    const p = parseProfile(raw, i, `${pPath}[${i}]`, ctx);
    if (p) parsed.push(p);
  });
  if (ctx.issues.length > 0) return { ok: false, issues: ctx.issues };

  const metricNames = nameMetrics(parsed, targetUri);
  const rulesOf = new Map(parsed.map((p) => [p, buildRules(p, metricNames, ctx)] as const));

  // The default profile: the first without a schedule; else the portal's renamed copy of it (the
  // first `{"name", "for"}` profile, as azure-cli's build_autoscale_profile takes it); else, when only
  // open-ended recurring profiles exist, one of them is always active and the default is never used.
  const plain = parsed.filter((p) => p.schedule.kind === 'none');
  const markers = parsed.filter((p) => p.marker);
  const recurring = parsed.filter((p) => p.schedule.kind === 'recurrence');
  let defaultFrom: ParsedProfile;
  if (plain.length > 0) {
    defaultFrom = plain[0]!;
    for (const extra of plain.slice(1)) {
      ctx.unsupported.push({
        path: extra.path,
        field: 'profiles',
        message: `profile "${extra.name}" is a second profile without a schedule; Azure allows one default profile, and only the first ("${defaultFrom.name}") is used`,
      });
    }
  } else if (markers.length > 0) {
    defaultFrom = markers[0]!;
    ctx.notes.push(`No profile without a schedule: the default capacity and rules come from the portal's copy of the default, ${JSON.stringify(defaultFrom.name)}.`);
  } else if (recurring.length > 0) {
    defaultFrom = recurring[0]!;
    ctx.notes.push(
      `No default profile: every recurring profile lasts until the next one starts, so one of them always applies; the top-level capacity and rules (required by edgescale, never used here) repeat "${defaultFrom.name}".`,
    );
  } else {
    fail(ctx, pPath, 'no default profile (one without fixedDate and recurrence): edgescale needs the capacity to use outside the fixed dates');
    return { ok: false, issues: ctx.issues };
  }
  const defaultCapacity = defaultFrom.capacity;
  const defaultRules = rulesOf.get(defaultFrom)!;
  const predictive = importPredictive(setting, defaultFrom, metricNames, base, ctx);

  // Portal pairs: a recurring profile and its end marker become one recurrence with an end.
  const ends = new Map<ParsedProfile, number>();
  const merged = new Set<ParsedProfile>();
  for (const p of recurring) {
    if (p.marker) continue;
    const own = markers.filter((m) => m.marker!.for === p.name);
    if (own.length === 0) continue;
    const m = own[0]!;
    const equalsDefault = sameJson(m.capacity, defaultCapacity) && sameJson(rulesOf.get(m), defaultRules);
    const end =
      own.length === 1 && equalsDefault
        ? pairEnd(
            p,
            m,
            recurring.filter((o) => o !== p && o !== m),
          )
        : undefined;
    if (end === undefined) {
      ctx.notes.push(
        `Profile "${p.name}" and its end copy ${JSON.stringify(m.name)} are imported as two open-ended profiles (${
          own.length > 1
            ? 'there are several copies'
            : !equalsDefault
              ? 'the copy differs from the default profile'
              : 'the pair is not one window of under a day free of other profile starts'
        }); each lasts until another recurring profile starts, as in Azure.`,
      );
      continue;
    }
    ends.set(p, end);
    merged.add(m);
    ctx.notes.push(`Profile "${p.name}" ends at ${clock(end)}: its end copy ${JSON.stringify(m.name)} repeats the default profile and is merged into it as "end".`);
  }

  if (parsed.some((p) => p.schedule.kind === 'fixed') && recurring.some((p) => !ends.has(p) && !merged.has(p))) {
    ctx.notes.push(
      'Azure documents that a recurring profile runs "until the next recurrence profile or fixed date profile is set to start"; edgescale lets a fixed date outrank an open-ended recurrence while it lasts and resumes the recurrence afterwards (docs/schedules.md).',
    );
  }
  // "Commonly used metrics": storage queue length (ApproximateMessageCount) and Service Bus queue length
  // (MessageCount) are "special" metrics whose threshold is "the number of messages per instance".
  const queueRules = parsed.flatMap((p) => p.rules).filter((r) => QUEUE_LENGTH_METRICS.includes(r.source.name.toLowerCase()) && !r.trigger.dividePerInstance);
  if (queueRules.length > 0) {
    ctx.notes.push(
      `${queueRules.map((r) => r.path).join(', ')}: Azure's docs call queue length a special metric whose threshold is the number of messages per instance; the rule keeps dividePerInstance false as written, so set it to true if the setting relied on that.`,
    );
  }
  if (parsed.some((p) => p.rules.some((r) => r.action.type === 'PercentChangeCount'))) {
    ctx.notes.push('Azure does not document how a percent change is rounded; edgescale rounds it up (rounding "ceil") and moves at least one instance (docs/rules.md).');
  }

  // Native profiles, in Azure's order (list order settles ties in both).
  const profiles: NativeProfile[] = [];
  const profilePaths: string[] = [];
  const usedNames = new Set<string>(['default']);
  const profileName = (p: ParsedProfile, suffix = ''): string => {
    let n = p.name;
    if (n.length + suffix.length > LIMITS.idLength && p.marker) n = `${p.marker.base} (for ${p.marker.for})`;
    n = n.trim() === '' ? `profile ${p.index}` : n;
    if (n === 'default' && suffix === '') n = 'default (scheduled)';
    n = `${n.slice(0, LIMITS.idLength - suffix.length - 5)}${suffix}`;
    return uniqueId(n, usedNames, ' #');
  };
  for (const p of parsed) {
    // The default profile is the top level; merged end copies live on as their profile's "end".
    if (plain.includes(p) || merged.has(p)) continue;
    const common = { capacity: p.capacity, rules: rulesOf.get(p)! };
    if (p.schedule.kind === 'fixed') {
      const { timeZone, start, end } = p.schedule;
      profiles.push({ name: profileName(p), ...common, fixedDate: { timeZone, start, end } });
      profilePaths.push(p.path);
    } else if (p.schedule.kind === 'recurrence') {
      const { timeZone, days, times } = p.schedule;
      if (times.length === 1) {
        const end = ends.get(p);
        profiles.push({ name: profileName(p), ...common, recurrence: { timeZone, days, start: clock(times[0]!), ...(end !== undefined && { end: clock(end) }) } });
        profilePaths.push(p.path);
      } else {
        // Native recurrences have one start time: one open-ended profile per start, which selects the
        // same capacity and rules at every instant (each lasts until the next start, as Azure's does).
        ctx.notes.push(`Profile "${p.name}" starts at ${times.map(clock).join(', ')}: imported as one profile per start time ("${p.name} @${clock(times[0]!)}", …).`);
        for (const t of times) {
          profiles.push({ name: profileName(p, ` @${clock(t)}`), ...common, recurrence: { timeZone, days, start: clock(t) } });
          profilePaths.push(p.path);
        }
      }
    }
  }

  // Where each metric comes from: edgescale reads all of them from the request.
  const seen = new Set<string>();
  for (const p of parsed) {
    for (const r of p.rules) {
      const metric = metricNames.get(r.source.key)!;
      if (seen.has(metric)) continue;
      seen.add(metric);
      const from = [r.source.uri && `of ${r.source.uri}`, r.source.namespace && `(namespace ${r.source.namespace})`].filter(Boolean).join(' ');
      ctx.notes.push(
        `Metric "${metric}" is Azure's "${r.source.name}"${from ? ` ${from}` : ''}: edgescale does not query Azure Monitor; send its points as metrics[${JSON.stringify(metric)}] of the target.`,
      );
    }
  }

  const id = options.id ?? toId(name ?? '', 'azure-autoscale');
  const ruleSet: RuleSetInput = {
    id,
    ...(name !== undefined && { description: `Imported from the Azure autoscale setting ${JSON.stringify(name)}`.slice(0, 2000) }),
    capacity: { ...defaultCapacity },
    cooldownMode: 'shared',
    rules: defaultRules,
    ...(predictive !== undefined && { predictive }),
    ...(profiles.length > 0 && { profiles }),
    ...(targetUri !== undefined && {
      targets: [
        {
          id: toId(targetUri.replace(/\/+$/, '').split('/').pop() ?? '', 'azure-resource'),
          labels: { 'azure.resourceUri': targetUri, ...(targetLocation !== undefined && { 'azure.location': targetLocation }) },
        },
      ],
    }),
  };

  const compiled = validateConverted(ruleSet, ctx, (nativePath) => {
    const pm = /^profiles\[(\d+)\](?:\.rules\[(\d+)\])?/.exec(nativePath);
    if (pm) {
      const at = profilePaths[Number(pm[1])];
      return at === undefined ? pPath : pm[2] !== undefined ? `${at}.rules[${pm[2]}]` : at;
    }
    if (/^(capacity|rules)/.test(nativePath)) return defaultFrom.path;
    return base;
  });
  if (!compiled || ctx.issues.length > 0) return { ok: false, issues: ctx.issues };
  return { ok: true, ruleSet, compiled, unsupported: ctx.unsupported, notes: [...new Set(ctx.notes)] };
}
