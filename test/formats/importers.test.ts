// Importers for users' own configs: Azure autoscale settings and Kubernetes HPA manifests into native rule sets, and back.
//
// Inputs are written as the tools print them: `az monitor autoscale show` (top-level setting, nulls for
// absent fields), an ARM resource in the portal's shape (azure-docs autoscale-multiprofile.md: the
// default profile renamed `{"name":…,"for":…}` and copied to start at the end time; azure-cli
// operations/autoscale_settings.py _create_recurring_profile), and a YAML manifest as in the
// Kubernetes HPA walkthrough (autoscaling/v2, a Deployment in the same file). Expected decisions
// follow the Azure rules ("Understand autoscale settings", "Autoscale with multiple profiles") and the
// HPA formula desiredReplicas = ceil(currentReplicas × currentMetricValue / desiredMetricValue).
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/engine/decide.js';
import { isIanaTimeZone } from '../../src/syntax/local-time.js';
import { loadRuleSet } from '../../src/engine/ruleset.js';
import { exportAzureAutoscale } from '../../src/formats/azure/export.js';
import { importAzureAutoscale } from '../../src/formats/azure/import.js';
import type { ImportResult } from '../../src/formats/import-context.js';
import { exportHpaManifest, importAny, importHpaManifest } from '../../src/formats/hpa-manifest.js';
import { ianaToWindows, windowsToIana } from '../../src/formats/windows-zones.js';
import type { RuleSetInput } from '../../src/schema.js';
import { compile, flat } from '../helpers.js';

const SUB = '/subscriptions/4b9e8510-67ab-4e9a-95a9-e2f1e570ea9c/resourceGroups/rg-web/providers';
const VMSS = `${SUB}/Microsoft.Compute/virtualMachineScaleSets/vmss-web`;
const QUEUE = `${SUB}/Microsoft.Storage/storageAccounts/stwebjobs/services/queue/queues/orders`;
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];

/** A metricTrigger + scaleAction exactly as `az monitor autoscale show` prints one. */
function azRule(metricName: string, uri: string, operator: string, threshold: number, direction: 'Increase' | 'Decrease', value: string, extra: Record<string, unknown> = {}) {
  return {
    metricTrigger: {
      dimensions: [],
      dividePerInstance: false,
      metricName,
      metricNamespace: uri === VMSS ? 'microsoft.compute/virtualmachinescalesets' : '',
      metricResourceLocation: null,
      metricResourceUri: uri,
      operator,
      statistic: 'Average',
      threshold,
      timeAggregation: 'Average',
      timeGrain: 'PT1M',
      timeWindow: 'PT10M',
      ...extra,
    },
    scaleAction: { cooldown: 'PT5M', direction, type: 'ChangeCount', value },
  };
}

const CPU_OUT = azRule('Percentage CPU', VMSS, 'GreaterThan', 70, 'Increase', '1');
const CPU_IN = azRule('Percentage CPU', VMSS, 'LessThan', 30, 'Decrease', '1');
// Storage queue length (autoscale common metrics: metricName ApproximateMessageCount, the queue as metricResourceUri).
const QUEUE_OUT = { ...azRule('ApproximateMessageCount', QUEUE, 'GreaterThan', 100, 'Increase', '2'), scaleAction: { cooldown: 'PT5M', direction: 'Increase', type: 'ChangeCount', value: '2' } };

/** `az monitor autoscale show`: a default profile and an open-ended weekday recurrence (ARM/CLI style). */
const AZ_SHOW = {
  enabled: true,
  id: `${SUB}/microsoft.insights/autoscalesettings/vmss-web-autoscale`,
  location: 'westus2',
  name: 'vmss-web-autoscale',
  notifications: [
    {
      email: { customEmails: ['ops@contoso.com'], sendToSubscriptionAdministrator: false, sendToSubscriptionCoAdministrators: false },
      operation: 'Scale',
      webhooks: [],
    },
  ],
  predictiveAutoscalePolicy: { scaleLookAheadTime: null, scaleMode: 'Disabled' },
  profiles: [
    { capacity: { default: '2', maximum: '5', minimum: '1' }, fixedDate: null, name: 'Auto created scale condition', recurrence: null, rules: [CPU_OUT, CPU_IN, QUEUE_OUT] },
    {
      capacity: { default: '4', maximum: '10', minimum: '3' },
      fixedDate: null,
      name: 'Weekday',
      recurrence: { frequency: 'Week', schedule: { days: WEEKDAYS, hours: [8], minutes: [0], timeZone: 'Pacific Standard Time' } },
      rules: [CPU_OUT, CPU_IN],
    },
  ],
  resourceGroup: 'rg-web',
  tags: {},
  targetResourceLocation: 'westus2',
  targetResourceUri: VMSS,
  type: 'Microsoft.Insights/autoscaleSettings',
};

/**
 * The portal's shape after adding "Weekday" Monday–Friday 08:00–18:00: the default profile is renamed
 * `{"name":"Auto created scale condition","for":"Weekday"}` and starts at the end time on the same
 * days; no profile is left without a schedule. As an ARM resource (properties inside).
 */
const PORTAL = {
  type: 'Microsoft.Insights/autoscaleSettings',
  apiVersion: '2022-10-01',
  name: 'vmss-web-autoscale',
  location: 'westus2',
  properties: {
    name: 'vmss-web-autoscale',
    enabled: true,
    targetResourceUri: VMSS,
    profiles: [
      {
        name: '{"name":"Auto created scale condition","for":"Weekday"}',
        capacity: { minimum: '1', maximum: '5', default: '2' },
        rules: [CPU_OUT, CPU_IN, QUEUE_OUT],
        recurrence: { frequency: 'Week', schedule: { timeZone: 'Pacific Standard Time', days: WEEKDAYS, hours: [18], minutes: [0] } },
      },
      {
        name: 'Weekday',
        capacity: { minimum: '3', maximum: '10', default: '4' },
        rules: [CPU_OUT, CPU_IN],
        recurrence: { frequency: 'Week', schedule: { timeZone: 'Pacific Standard Time', days: WEEKDAYS, hours: [8], minutes: [0] } },
      },
    ],
    notifications: [],
    targetResourceLocation: 'westus2',
  },
};

/** The HPA walkthrough's autoscaling/v2 manifest (CPU 60 %, a Pods and an Object metric) with behavior, after its Deployment. */
const HPA_YAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: php-apache
spec:
  selector:
    matchLabels:
      run: php-apache
  template:
    metadata:
      labels:
        run: php-apache
    spec:
      containers:
      - name: php-apache
        image: registry.k8s.io/hpa-example
        resources:
          requests:
            cpu: 200m
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: php-apache
  namespace: default
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: php-apache
  minReplicas: 1
  maxReplicas: 10
  metrics:
  - type: Resource
    resource:
      name: cpu
      target:
        type: Utilization
        averageUtilization: 60
  - type: Pods
    pods:
      metric:
        name: packets-per-second
      target:
        type: AverageValue
        averageValue: 1k
  - type: Object
    object:
      metric:
        name: requests-per-second
      describedObject:
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        name: main-route
      target:
        type: Value
        value: 10k
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 300
      policies:
      - type: Percent
        value: 10
        periodSeconds: 60
      - type: Pods
        value: 5
        periodSeconds: 60
      selectPolicy: Min
    scaleUp:
      stabilizationWindowSeconds: 0
      policies:
      - type: Percent
        value: 100
        periodSeconds: 15
      - type: Pods
        value: 4
        periodSeconds: 15
      selectPolicy: Max
`;

/** The behavior above, as the object the YAML holds. */
const HPA_BEHAVIOR = {
  scaleDown: {
    stabilizationWindowSeconds: 300,
    policies: [
      { type: 'Percent', value: 10, periodSeconds: 60 },
      { type: 'Pods', value: 5, periodSeconds: 60 },
    ],
    selectPolicy: 'Min',
  },
  scaleUp: {
    stabilizationWindowSeconds: 0,
    policies: [
      { type: 'Percent', value: 100, periodSeconds: 15 },
      { type: 'Pods', value: 4, periodSeconds: 15 },
    ],
    selectPolicy: 'Max',
  },
};

function imported(r: ImportResult): Extract<ImportResult, { ok: true }> {
  if (!r.ok) throw new Error(`import failed: ${JSON.stringify(r.issues)}`);
  return r;
}
function importIssues(r: ImportResult) {
  if (r.ok) throw new Error(`expected import issues, got ${JSON.stringify(r.ruleSet)}`);
  return r.issues;
}
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

// ---------------------------------------------------------------------------------------------
// Azure: the result loads, and maps field for field

describe('Azure autoscale settings become native rule sets that load', () => {
  it.each([
    { name: 'az monitor autoscale show output', input: AZ_SHOW as unknown },
    { name: 'the portal ARM resource (properties inside)', input: PORTAL },
    { name: 'an ARM template holding the resource', input: { $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#', contentVersion: '1.0.0.0', resources: [PORTAL] } },
    { name: 'the az output as JSON text', input: JSON.stringify(AZ_SHOW) },
  ])('$name loads with loadRuleSet without issues', ({ input }) => {
    const r = imported(importAzureAutoscale(input));
    expect(loadRuleSet(r.ruleSet)).toMatchObject({ ok: true });
  });

  it('capacity strings become numbers and the profile without a schedule is the top-level default (REST ScaleCapacity: "minimum": "1")', () => {
    const { ruleSet } = imported(importAzureAutoscale(AZ_SHOW));
    expect(ruleSet.capacity).toEqual({ minimum: 1, maximum: 5, default: 2 });
    expect(ruleSet.id).toBe('vmss-web-autoscale');
    expect(ruleSet.rules.map((r) => r.id)).toEqual(['percentage-cpu-out', 'percentage-cpu-in', 'approximatemessagecount-out']);
    expect(ruleSet.profiles?.map((p) => p.name)).toEqual(['Weekday']);
  });

  it('a metric trigger keeps every Azure field, the metric name with its space, and the action value as a number', () => {
    const { ruleSet } = imported(importAzureAutoscale(AZ_SHOW));
    expect(ruleSet.rules[0]).toEqual({
      id: 'percentage-cpu-out',
      description: `Azure metric "Percentage CPU" of ${VMSS}, namespace microsoft.compute/virtualmachinescalesets`,
      direction: 'out',
      when: {
        metric: { metric: 'Percentage CPU', timeGrain: 'PT1M', statistic: 'Average', timeWindow: 'PT10M', timeAggregation: 'Average', operator: 'GreaterThan', threshold: 70, dividePerInstance: false },
      },
      action: { type: 'ChangeCount', value: 1 },
      cooldown: 'PT5M',
    });
    expect(ruleSet.rules[2]).toMatchObject({ direction: 'out', when: { metric: { metric: 'ApproximateMessageCount', dividePerInstance: false } }, action: { type: 'ChangeCount', value: 2 } });
  });

  it('the weekday recurrence keeps Azure semantics: "Pacific Standard Time" becomes America/Los_Angeles, start 08:00 and no end', () => {
    const { ruleSet } = imported(importAzureAutoscale(AZ_SHOW));
    expect(ruleSet.profiles?.[0]).toMatchObject({
      name: 'Weekday',
      capacity: { minimum: 3, maximum: 10, default: 4 },
      recurrence: { timeZone: 'America/Los_Angeles', days: WEEKDAYS, start: '08:00' },
    });
    expect(ruleSet.profiles?.[0]?.recurrence).not.toHaveProperty('end');
  });

  it('the portal pair becomes one recurrence ending at 18:00, and the renamed default copy supplies the default (azure-cli build_autoscale_profile)', () => {
    const r = imported(importAzureAutoscale(PORTAL));
    expect(r.ruleSet.capacity).toEqual({ minimum: 1, maximum: 5, default: 2 });
    expect(r.ruleSet.rules).toHaveLength(3);
    expect(r.ruleSet.profiles).toHaveLength(1);
    expect(r.ruleSet.profiles?.[0]?.recurrence).toEqual({ timeZone: 'America/Los_Angeles', days: WEEKDAYS, start: '08:00', end: '18:00' });
    expect(r.notes.some((n) => n.includes('"Weekday" ends at 18:00'))).toBe(true);
  });

  it('the target resource becomes the target, its URI kept in labels', () => {
    const { ruleSet } = imported(importAzureAutoscale(AZ_SHOW));
    expect(ruleSet.targets).toEqual([{ id: 'vmss-web', labels: { 'azure.resourceUri': VMSS, 'azure.location': 'westus2' } }]);
  });

  it('each metric source is noted: edgescale takes metrics from the request, not from metricResourceUri', () => {
    const { notes } = imported(importAzureAutoscale(AZ_SHOW));
    expect(notes.some((n) => n.startsWith('Metric "ApproximateMessageCount"') && n.includes(QUEUE))).toBe(true);
    expect(notes.some((n) => n.startsWith('Metric "Percentage CPU"') && n.includes(VMSS))).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Azure: what cannot be honoured is reported by name

describe('unsupported Azure fields are reported by name', () => {
  type Case = { name: string; edit: (s: typeof AZ_SHOW & Record<string, unknown>) => void; path: string; field: string };
  const cases: Case[] = [
    { name: 'e-mail notifications', edit: () => {}, path: 'notifications', field: 'notifications' },
    {
      name: 'a dimension filter (MetricTrigger.dimensions)',
      edit: (s) => {
        s.profiles[0]!.rules[0] = azRule('Percentage CPU', VMSS, 'GreaterThan', 70, 'Increase', '1', { dimensions: [{ DimensionName: 'VMName', Operator: 'Equals', Values: ['vm1'] }] });
      },
      path: 'profiles[0].rules[0].metricTrigger.dimensions',
      field: 'dimensions',
    },
    {
      name: 'a ServiceAllowedNextValue action',
      edit: (s) => {
        s.profiles[0]!.rules[2] = { ...QUEUE_OUT, scaleAction: { ...QUEUE_OUT.scaleAction, type: 'ServiceAllowedNextValue' } };
      },
      path: 'profiles[0].rules[2].scaleAction.type',
      field: 'type',
    },
    {
      name: 'a disabled setting (enabled: false)',
      edit: (s) => {
        s.enabled = false;
      },
      path: 'enabled',
      field: 'enabled',
    },
    {
      name: 'predictive autoscale without a Percentage CPU scale-out rule to take its boundary from',
      edit: (s) => {
        s.predictiveAutoscalePolicy = { scaleLookAheadTime: 'PT10M', scaleMode: 'ForecastOnly' } as never;
        s.profiles[0]!.rules = [CPU_IN, QUEUE_OUT];
      },
      path: 'predictiveAutoscalePolicy',
      field: 'predictiveAutoscalePolicy',
    },
    {
      name: 'an ARM template expression as metricResourceUri (kept only as the source identity)',
      edit: (s) => {
        s.profiles[0]!.rules[0] = azRule('Percentage CPU', "[resourceId('Microsoft.Compute/virtualMachineScaleSets', parameters('vmssName'))]", 'GreaterThan', 70, 'Increase', '1');
      },
      path: 'profiles[0].rules[0].metricTrigger.metricResourceUri',
      field: 'metricResourceUri',
    },
    {
      name: 'a field Azure does not define',
      edit: (s) => {
        s.autoscaleMode = 'Aggressive';
      },
      path: 'autoscaleMode',
      field: 'autoscaleMode',
    },
  ];
  it.each(cases)('$name → unsupported $field at $path', ({ edit, path, field }) => {
    const input = clone(AZ_SHOW) as typeof AZ_SHOW & Record<string, unknown>;
    edit(input);
    const r = imported(importAzureAutoscale(input));
    expect(r.unsupported).toContainEqual(expect.objectContaining({ path, field }));
    expect(loadRuleSet(r.ruleSet).ok).toBe(true);
  });

  it('a disabled setting is also noted as disabled', () => {
    const input = { ...clone(AZ_SHOW), enabled: false };
    expect(imported(importAzureAutoscale(input)).notes.some((n) => n.includes('disabled'))).toBe(true);
  });

  it('a scale-in rule with ServiceAllowedNextValue is left out and the message says scale-in no longer waits for it', () => {
    const input = clone(AZ_SHOW);
    input.profiles[0]!.rules[1] = { ...CPU_IN, scaleAction: { ...CPU_IN.scaleAction, type: 'ServiceAllowedNextValue' } };
    const r = imported(importAzureAutoscale(input));
    expect(r.ruleSet.rules.map((x) => x.id)).toEqual(['percentage-cpu-out', 'approximatemessagecount-out']);
    expect(r.unsupported.find((u) => u.field === 'type')?.message).toContain('scale-in no longer waits');
  });
});

describe('inputs edgescale cannot convert are refused with the path', () => {
  type Case = { name: string; edit: (s: ReturnType<typeof clone<typeof AZ_SHOW>>) => void; path: string; says: string };
  const cases: Case[] = [
    {
      name: 'an ARM template expression',
      edit: (s) => {
        (s.profiles[0]!.capacity as Record<string, string>).maximum = "[parameters('maxCount')]";
      },
      path: 'profiles[0].capacity.maximum',
      says: 'ARM template expression',
    },
    {
      name: 'a time zone Azure does not list',
      edit: (s) => {
        s.profiles[1]!.recurrence!.schedule.timeZone = 'Mars Standard Time';
      },
      path: 'profiles[1].recurrence.schedule.timeZone',
      says: 'not a time zone Azure autoscale accepts',
    },
    {
      name: 'a frequency other than Week (REST: "This value must be Week")',
      edit: (s) => {
        (s.profiles[1]!.recurrence as { frequency: string }).frequency = 'Day';
      },
      path: 'profiles[1].recurrence.frequency',
      says: 'requires "Week"',
    },
    {
      name: 'a capacity whose default lies outside its bounds',
      edit: (s) => {
        s.profiles[1]!.capacity.default = '20';
      },
      path: 'profiles[1]',
      says: 'default must lie between minimum and maximum',
    },
  ];
  it.each(cases)('$name', ({ edit, path, says }) => {
    const input = clone(AZ_SHOW);
    edit(input);
    const issues = importIssues(importAzureAutoscale(input));
    expect(issues).toContainEqual(expect.objectContaining({ code: 'ImportError', path, message: expect.stringContaining(says) }));
  });
});

// ---------------------------------------------------------------------------------------------
// Azure: schedules

describe('Azure schedules', () => {
  it('several hours in one recurrence become one open-ended profile per start time (every listed hour at every listed minute)', () => {
    const input = clone(AZ_SHOW);
    input.profiles[1]!.recurrence!.schedule.hours = [8, 13];
    input.profiles[1]!.recurrence!.schedule.minutes = [0, 30];
    const { ruleSet } = imported(importAzureAutoscale(input));
    expect(ruleSet.profiles?.map((p) => [p.name, p.recurrence?.start])).toEqual([
      ['Weekday @08:00', '08:00'],
      ['Weekday @08:30', '08:30'],
      ['Weekday @13:00', '13:00'],
      ['Weekday @13:30', '13:30'],
    ]);
  });

  it('a late-night pair (Friday 22:00, its default copy Saturday 02:00) becomes one window crossing midnight, and round-trips', () => {
    const input = clone(PORTAL);
    input.properties.profiles[1]!.recurrence.schedule = { timeZone: 'Pacific Standard Time', days: ['Friday'], hours: [22], minutes: [0] };
    input.properties.profiles[0]!.recurrence.schedule = { timeZone: 'Pacific Standard Time', days: ['Saturday'], hours: [2], minutes: [0] };
    const first = imported(importAzureAutoscale(input)).ruleSet;
    expect(first.profiles?.[0]?.recurrence).toEqual({ timeZone: 'America/Los_Angeles', days: ['Friday'], start: '22:00', end: '02:00' });
    const exported = exportAzureAutoscale(first);
    if (!exported.ok) throw new Error(JSON.stringify(exported.issues));
    expect(exported.setting.profiles[2]?.recurrence?.schedule).toMatchObject({ days: ['Saturday'], hours: [2], minutes: [0] });
    expect(imported(importAzureAutoscale(exported.setting)).ruleSet).toEqual(first);
  });

  it('a pair whose end copy differs from the default profile stays two open-ended profiles (merging would change the capacity after the end)', () => {
    const input = clone(PORTAL) as unknown as { properties: { profiles: unknown[] } };
    input.properties.profiles.unshift({ name: 'default', capacity: { minimum: '2', maximum: '6', default: '2' }, rules: [] });
    const r = imported(importAzureAutoscale(input));
    expect(r.ruleSet.capacity).toEqual({ minimum: 2, maximum: 6, default: 2 });
    expect(r.ruleSet.profiles?.map((p) => [p.name, p.recurrence])).toEqual([
      ['{"name":"Auto created scale condition","for":"Weekday"}', { timeZone: 'America/Los_Angeles', days: WEEKDAYS, start: '18:00' }],
      ['Weekday', { timeZone: 'America/Los_Angeles', days: WEEKDAYS, start: '08:00' }],
    ]);
  });

  it('a fixed date keeps its start and end and reads its Windows zone as IANA (TimeWindow)', () => {
    const input = clone(AZ_SHOW) as unknown as { profiles: unknown[] };
    input.profiles.push({
      name: 'Product_Launch_Day',
      capacity: { minimum: '6', maximum: '20', default: '6' },
      rules: [],
      fixedDate: { timeZone: 'Pacific Standard Time', start: '2026-11-27T00:00:00', end: '2026-11-28T00:00:00' },
    });
    const { ruleSet } = imported(importAzureAutoscale(input));
    expect(ruleSet.profiles?.[1]).toEqual({
      name: 'Product_Launch_Day',
      capacity: { minimum: 6, maximum: 20, default: 6 },
      rules: [],
      fixedDate: { timeZone: 'America/Los_Angeles', start: '2026-11-27T00:00:00', end: '2026-11-28T00:00:00' },
    });
  });

  it('the docs template without a default profile (Weekday Monday 04:00, Weekend Saturday 00:01) imports both as open-ended profiles', () => {
    const profile = (name: string, day: string, hour: number, minute: number, min: string, max: string) => ({
      name,
      capacity: { minimum: min, maximum: max, default: min },
      rules: [],
      recurrence: { frequency: 'Week', schedule: { timeZone: 'E. Europe Standard Time', days: [day], hours: [hour], minutes: [minute] } },
    });
    const r = imported(importAzureAutoscale({ properties: { profiles: [profile('Weekday profile', 'Monday', 4, 0, '3', '20'), profile('Weekend profile', 'Saturday', 0, 1, '1', '3')] } }));
    expect(r.ruleSet.profiles?.map((p) => p.recurrence)).toEqual([
      { timeZone: 'Europe/Chisinau', days: ['Monday'], start: '04:00' },
      { timeZone: 'Europe/Chisinau', days: ['Saturday'], start: '00:01' },
    ]);
    expect(loadRuleSet(r.ruleSet).ok).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Windows zones

/** CLDR windowsZones.xml, territory "001", verbatim (unicode-org/cldr common/supplemental). */
const CLDR_001: Record<string, string> = {
  'Dateline Standard Time': 'Etc/GMT+12', 'UTC-11': 'Etc/GMT+11', 'Aleutian Standard Time': 'America/Adak', 'Hawaiian Standard Time': 'Pacific/Honolulu',
  'Marquesas Standard Time': 'Pacific/Marquesas', 'Alaskan Standard Time': 'America/Anchorage', 'UTC-09': 'Etc/GMT+9', 'Pacific Standard Time (Mexico)': 'America/Tijuana',
  'UTC-08': 'Etc/GMT+8', 'Pacific Standard Time': 'America/Los_Angeles', 'US Mountain Standard Time': 'America/Phoenix', 'Mountain Standard Time (Mexico)': 'America/Mazatlan',
  'Mountain Standard Time': 'America/Denver', 'Yukon Standard Time': 'America/Whitehorse', 'Central America Standard Time': 'America/Guatemala', 'Central Standard Time': 'America/Chicago',
  'Easter Island Standard Time': 'Pacific/Easter', 'Central Standard Time (Mexico)': 'America/Mexico_City', 'Canada Central Standard Time': 'America/Regina', 'SA Pacific Standard Time': 'America/Bogota',
  'Eastern Standard Time (Mexico)': 'America/Cancun', 'Eastern Standard Time': 'America/New_York', 'Haiti Standard Time': 'America/Port-au-Prince', 'Cuba Standard Time': 'America/Havana',
  'US Eastern Standard Time': 'America/Indianapolis', 'Turks And Caicos Standard Time': 'America/Grand_Turk', 'Paraguay Standard Time': 'America/Asuncion', 'Atlantic Standard Time': 'America/Halifax',
  'Venezuela Standard Time': 'America/Caracas', 'Central Brazilian Standard Time': 'America/Cuiaba', 'SA Western Standard Time': 'America/La_Paz', 'Pacific SA Standard Time': 'America/Santiago',
  'Newfoundland Standard Time': 'America/St_Johns', 'Tocantins Standard Time': 'America/Araguaina', 'E. South America Standard Time': 'America/Sao_Paulo', 'SA Eastern Standard Time': 'America/Cayenne',
  'Argentina Standard Time': 'America/Buenos_Aires', 'Greenland Standard Time': 'America/Godthab', 'Montevideo Standard Time': 'America/Montevideo', 'Magallanes Standard Time': 'America/Punta_Arenas',
  'Saint Pierre Standard Time': 'America/Miquelon', 'Bahia Standard Time': 'America/Bahia', 'UTC-02': 'Etc/GMT+2', 'Azores Standard Time': 'Atlantic/Azores',
  'Cape Verde Standard Time': 'Atlantic/Cape_Verde', UTC: 'Etc/UTC', 'GMT Standard Time': 'Europe/London', 'Greenwich Standard Time': 'Atlantic/Reykjavik',
  'Sao Tome Standard Time': 'Africa/Sao_Tome', 'Morocco Standard Time': 'Africa/Casablanca', 'W. Europe Standard Time': 'Europe/Berlin', 'Central Europe Standard Time': 'Europe/Budapest',
  'Romance Standard Time': 'Europe/Paris', 'Central European Standard Time': 'Europe/Warsaw', 'W. Central Africa Standard Time': 'Africa/Lagos', 'Jordan Standard Time': 'Asia/Amman',
  'GTB Standard Time': 'Europe/Bucharest', 'Middle East Standard Time': 'Asia/Beirut', 'Egypt Standard Time': 'Africa/Cairo', 'E. Europe Standard Time': 'Europe/Chisinau',
  'Syria Standard Time': 'Asia/Damascus', 'West Bank Standard Time': 'Asia/Hebron', 'South Africa Standard Time': 'Africa/Johannesburg', 'FLE Standard Time': 'Europe/Kiev',
  'Israel Standard Time': 'Asia/Jerusalem', 'South Sudan Standard Time': 'Africa/Juba', 'Kaliningrad Standard Time': 'Europe/Kaliningrad', 'Sudan Standard Time': 'Africa/Khartoum',
  'Libya Standard Time': 'Africa/Tripoli', 'Namibia Standard Time': 'Africa/Windhoek', 'Arabic Standard Time': 'Asia/Baghdad', 'Turkey Standard Time': 'Europe/Istanbul',
  'Arab Standard Time': 'Asia/Riyadh', 'Belarus Standard Time': 'Europe/Minsk', 'Russian Standard Time': 'Europe/Moscow', 'E. Africa Standard Time': 'Africa/Nairobi',
  'Iran Standard Time': 'Asia/Tehran', 'Arabian Standard Time': 'Asia/Dubai', 'Astrakhan Standard Time': 'Europe/Astrakhan', 'Azerbaijan Standard Time': 'Asia/Baku',
  'Russia Time Zone 3': 'Europe/Samara', 'Mauritius Standard Time': 'Indian/Mauritius', 'Saratov Standard Time': 'Europe/Saratov', 'Georgian Standard Time': 'Asia/Tbilisi',
  'Volgograd Standard Time': 'Europe/Volgograd', 'Caucasus Standard Time': 'Asia/Yerevan', 'Afghanistan Standard Time': 'Asia/Kabul', 'West Asia Standard Time': 'Asia/Tashkent',
  'Ekaterinburg Standard Time': 'Asia/Yekaterinburg', 'Pakistan Standard Time': 'Asia/Karachi', 'Qyzylorda Standard Time': 'Asia/Qyzylorda', 'India Standard Time': 'Asia/Calcutta',
  'Sri Lanka Standard Time': 'Asia/Colombo', 'Nepal Standard Time': 'Asia/Katmandu', 'Central Asia Standard Time': 'Asia/Bishkek', 'Bangladesh Standard Time': 'Asia/Dhaka',
  'Omsk Standard Time': 'Asia/Omsk', 'Myanmar Standard Time': 'Asia/Rangoon', 'SE Asia Standard Time': 'Asia/Bangkok', 'Altai Standard Time': 'Asia/Barnaul',
  'W. Mongolia Standard Time': 'Asia/Hovd', 'North Asia Standard Time': 'Asia/Krasnoyarsk', 'N. Central Asia Standard Time': 'Asia/Novosibirsk', 'Tomsk Standard Time': 'Asia/Tomsk',
  'China Standard Time': 'Asia/Shanghai', 'North Asia East Standard Time': 'Asia/Irkutsk', 'Singapore Standard Time': 'Asia/Singapore', 'W. Australia Standard Time': 'Australia/Perth',
  'Taipei Standard Time': 'Asia/Taipei', 'Ulaanbaatar Standard Time': 'Asia/Ulaanbaatar', 'Aus Central W. Standard Time': 'Australia/Eucla', 'Transbaikal Standard Time': 'Asia/Chita',
  'Tokyo Standard Time': 'Asia/Tokyo', 'North Korea Standard Time': 'Asia/Pyongyang', 'Korea Standard Time': 'Asia/Seoul', 'Yakutsk Standard Time': 'Asia/Yakutsk',
  'Cen. Australia Standard Time': 'Australia/Adelaide', 'AUS Central Standard Time': 'Australia/Darwin', 'E. Australia Standard Time': 'Australia/Brisbane', 'AUS Eastern Standard Time': 'Australia/Sydney',
  'West Pacific Standard Time': 'Pacific/Port_Moresby', 'Tasmania Standard Time': 'Australia/Hobart', 'Vladivostok Standard Time': 'Asia/Vladivostok', 'Lord Howe Standard Time': 'Australia/Lord_Howe',
  'Bougainville Standard Time': 'Pacific/Bougainville', 'Russia Time Zone 10': 'Asia/Srednekolymsk', 'Magadan Standard Time': 'Asia/Magadan', 'Norfolk Standard Time': 'Pacific/Norfolk',
  'Sakhalin Standard Time': 'Asia/Sakhalin', 'Central Pacific Standard Time': 'Pacific/Guadalcanal', 'Russia Time Zone 11': 'Asia/Kamchatka', 'New Zealand Standard Time': 'Pacific/Auckland',
  'UTC+12': 'Etc/GMT-12', 'Fiji Standard Time': 'Pacific/Fiji', 'Chatham Islands Standard Time': 'Pacific/Chatham', 'UTC+13': 'Etc/GMT-13',
  'Tonga Standard Time': 'Pacific/Tongatapu', 'Samoa Standard Time': 'Pacific/Apia', 'Line Islands Standard Time': 'Pacific/Kiritimati',
};

/** azure-rest-api-specs autoscale_API.json, RecurrentSchedule.timeZone: "Some examples of valid time zones are: …". */
const REST_ZONES =
  'Dateline Standard Time, UTC-11, Hawaiian Standard Time, Alaskan Standard Time, Pacific Standard Time (Mexico), Pacific Standard Time, US Mountain Standard Time, Mountain Standard Time (Mexico), Mountain Standard Time, Central America Standard Time, Central Standard Time, Central Standard Time (Mexico), Canada Central Standard Time, SA Pacific Standard Time, Eastern Standard Time, US Eastern Standard Time, Venezuela Standard Time, Paraguay Standard Time, Atlantic Standard Time, Central Brazilian Standard Time, SA Western Standard Time, Pacific SA Standard Time, Newfoundland Standard Time, E. South America Standard Time, Argentina Standard Time, SA Eastern Standard Time, Greenland Standard Time, Montevideo Standard Time, Bahia Standard Time, UTC-02, Mid-Atlantic Standard Time, Azores Standard Time, Cape Verde Standard Time, Morocco Standard Time, UTC, GMT Standard Time, Greenwich Standard Time, W. Europe Standard Time, Central Europe Standard Time, Romance Standard Time, Central European Standard Time, W. Central Africa Standard Time, Namibia Standard Time, Jordan Standard Time, GTB Standard Time, Middle East Standard Time, Egypt Standard Time, Syria Standard Time, E. Europe Standard Time, South Africa Standard Time, FLE Standard Time, Turkey Standard Time, Israel Standard Time, Kaliningrad Standard Time, Libya Standard Time, Arabic Standard Time, Arab Standard Time, Belarus Standard Time, Russian Standard Time, E. Africa Standard Time, Iran Standard Time, Arabian Standard Time, Azerbaijan Standard Time, Russia Time Zone 3, Mauritius Standard Time, Georgian Standard Time, Caucasus Standard Time, Afghanistan Standard Time, West Asia Standard Time, Ekaterinburg Standard Time, Pakistan Standard Time, India Standard Time, Sri Lanka Standard Time, Nepal Standard Time, Central Asia Standard Time, Bangladesh Standard Time, N. Central Asia Standard Time, Myanmar Standard Time, SE Asia Standard Time, North Asia Standard Time, China Standard Time, North Asia East Standard Time, Singapore Standard Time, W. Australia Standard Time, Taipei Standard Time, Ulaanbaatar Standard Time, Tokyo Standard Time, Korea Standard Time, Yakutsk Standard Time, Cen. Australia Standard Time, AUS Central Standard Time, E. Australia Standard Time, AUS Eastern Standard Time, West Pacific Standard Time, Tasmania Standard Time, Magadan Standard Time, Vladivostok Standard Time, Russia Time Zone 10, Central Pacific Standard Time, Russia Time Zone 11, New Zealand Standard Time, UTC+12, Fiji Standard Time, Kamchatka Standard Time, Tonga Standard Time, Samoa Standard Time, Line Islands Standard Time'.split(
    ', ',
  );

/** azure-cli monitor/_autoscale_util.py AUTOSCALE_TIMEZONES (what `az monitor autoscale profile list-timezones` prints), with offsets. */
const CLI_ZONES: Array<[string, string]> = [
  ['Dateline Standard Time', '-12:00'], ['UTC-11', '-11:00'], ['Aleutian Standard Time', '-10:00'], ['Hawaiian Standard Time', '-10:00'], ['Marquesas Standard Time', '-09:30'],
  ['Alaskan Standard Time', '-09:00'], ['UTC-09', '-09:00'], ['Pacific Standard Time (Mexico)', '-08:00'], ['UTC-08', '-08:00'], ['Pacific Standard Time', '-08:00'],
  ['US Mountain Standard Time', '-07:00'], ['Mountain Standard Time (Mexico)', '-07:00'], ['Mountain Standard Time', '-07:00'], ['Central America Standard Time', '-06:00'],
  ['Central Standard Time', '-06:00'], ['Easter Island Standard Time', '-06:00'], ['Central Standard Time (Mexico)', '-06:00'], ['Canada Central Standard Time', '-06:00'],
  ['SA Pacific Standard Time', '-05:00'], ['Eastern Standard Time (Mexico)', '-05:00'], ['Eastern Standard Time', '-05:00'], ['Haiti Standard Time', '-05:00'], ['Cuba Standard Time', '-05:00'],
  ['US Eastern Standard Time', '-05:00'], ['Turks and Caicos Standard Time', '-05:00'], ['Paraguay Standard Time', '-04:00'], ['Atlantic Standard Time', '-04:00'],
  ['Venezuela Standard Time', '-04:00'], ['Central Brazilian Standard Time', '-04:00'], ['SA Western Standard Time', '-04:00'], ['Pacific SA Standard Time', '-04:00'],
  ['Newfoundland Standard Time', '-03:30'], ['Tocantins Standard Time', '-03:00'], ['E. South America Standard Time', '-03:00'], ['SA Eastern Standard Time', '-03:00'],
  ['Argentina Standard Time', '-03:00'], ['Greenland Standard Time', '-03:00'], ['Montevideo Standard Time', '-03:00'], ['Magallanes Standard Time', '-03:00'],
  ['Saint Pierre Standard Time', '-03:00'], ['Bahia Standard Time', '-03:00'], ['UTC-02', '-02:00'], ['Mid-Atlantic Standard Time', '-02:00'], ['Azores Standard Time', '-01:00'],
  ['Cabo Verde Standard Time', '-01:00'], ['Coordinated Universal Time', '+00:00'], ['Morocco Standard Time', '+00:00'], ['GMT Standard Time', '+00:00'],
  ['Greenwich Standard Time', '+00:00'], ['W. Europe Standard Time', '+01:00'], ['Central Europe Standard Time', '+01:00'], ['Romance Standard Time', '+01:00'],
  ['Central European Standard Time', '+01:00'], ['W. Central Africa Standard Time', '+01:00'], ['Jordan Standard Time', '+02:00'], ['GTB Standard Time', '+02:00'],
  ['Middle East Standard Time', '+02:00'], ['Egypt Standard Time', '+02:00'], ['E. Europe Standard Time', '+02:00'], ['Syria Standard Time', '+02:00'],
  ['West Bank Gaza Standard Time', '+02:00'], ['South Africa Standard Time', '+02:00'], ['FLE Standard Time', '+02:00'], ['Jerusalem Standard Time', '+02:00'],
  ['Russia TZ 1 Standard Time', '+02:00'], ['Sudan Standard Time', '+02:00'], ['Libya Standard Time', '+02:00'], ['Namibia Standard Time', '+02:00'], ['Arabic Standard Time', '+03:00'],
  ['Turkey Standard Time', '+03:00'], ['Arab Standard Time', '+03:00'], ['Belarus Standard Time', '+03:00'], ['Russia TZ 2 Standard Time', '+03:00'], ['E. Africa Standard Time', '+03:00'],
  ['Iran Standard Time', '+03:30'], ['Arabian Standard Time', '+04:00'], ['Astrakhan Standard Time', '+04:00'], ['Azerbaijan Standard Time', '+04:00'],
  ['Russia TZ 3 Standard Time', '+04:00'], ['Mauritius Standard Time', '+04:00'], ['Saratov Standard Time', '+04:00'], ['Georgian Standard Time', '+04:00'],
  ['Caucasus Standard Time', '+04:00'], ['Afghanistan Standard Time', '+04:30'], ['West Asia Standard Time', '+05:00'], ['Russia TZ 4 Standard Time', '+05:00'],
  ['Pakistan Standard Time', '+05:00'], ['India Standard Time', '+05:30'], ['Sri Lanka Standard Time', '+05:30'], ['Nepal Standard Time', '+05:45'], ['Central Asia Standard Time', '+06:00'],
  ['Bangladesh Standard Time', '+06:00'], ['Omsk Standard Time', '+06:00'], ['Myanmar Standard Time', '+06:30'], ['SE Asia Standard Time', '+07:00'], ['Altai Standard Time', '+07:00'],
  ['W. Mongolia Standard Time', '+07:00'], ['Russia TZ 6 Standard Time', '+07:00'], ['Novosibirsk Standard Time', '+07:00'], ['Tomsk Standard Time', '+07:00'],
  ['China Standard Time', '+08:00'], ['Russia TZ 7 Standard Time', '+08:00'], ['Malay Peninsula Standard Time', '+08:00'], ['W. Australia Standard Time', '+08:00'],
  ['Taipei Standard Time', '+08:00'], ['Ulaanbaatar Standard Time', '+08:00'], ['North Korea Standard Time', '+08:30'], ['Aus Central W. Standard Time', '+08:45'],
  ['Transbaikal Standard Time', '+09:00'], ['Tokyo Standard Time', '+09:00'], ['Korea Standard Time', '+09:00'], ['Russia TZ 8 Standard Time', '+09:00'],
  ['Cen. Australia Standard Time', '+09:30'], ['AUS Central Standard Time', '+09:30'], ['E. Australia Standard Time', '+10:00'], ['AUS Eastern Standard Time', '+10:00'],
  ['West Pacific Standard Time', '+10:00'], ['Tasmania Standard Time', '+10:00'], ['Russia TZ 9 Standard Time', '+10:00'], ['Lord Howe Standard Time', '+10:30'],
  ['Bougainville Standard Time', '+11:00'], ['Russia TZ 10 Standard Time', '+11:00'], ['Magadan Standard Time', '+11:00'], ['Norfolk Standard Time', '+11:00'],
  ['Sakhalin Standard Time', '+11:00'], ['Central Pacific Standard Time', '+11:00'], ['Russia TZ 11 Standard Time', '+12:00'], ['New Zealand Standard Time', '+12:00'],
  ['UTC+12', '+12:00'], ['Fiji Standard Time', '+12:00'], ['Kamchatka Standard Time', '+12:00'], ['Chatham Islands Standard Time', '+12:45'], ['UTC+13', '+13:00'],
  ['Tonga Standard Time', '+13:00'], ['Samoa Standard Time', '+13:00'], ['Line Islands Standard Time', '+14:00'],
];

/** UTC offset of `timeZone` at `ms`, e.g. "GMT-08:00" ("GMT" for zero). */
function offsetAt(timeZone: string, ms: number): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(ms);
  return parts.find((p) => p.type === 'timeZoneName')!.value;
}
/** The first day of each month of 2026 and the 15th: both sides of every DST change of the year. */
const SAMPLE_2026 = Array.from({ length: 24 }, (_, i) => Date.UTC(2026, Math.floor(i / 2), i % 2 === 0 ? 1 : 15, 12));

describe('Windows time zone names map to IANA zones (CLDR windowsZones.xml, territory 001)', () => {
  it.each([
    { windows: 'Pacific Standard Time', iana: 'America/Los_Angeles' },
    { windows: 'W. Europe Standard Time', iana: 'Europe/Berlin' },
    { windows: 'E. Europe Standard Time', iana: 'Europe/Chisinau' },
    { windows: 'Eastern Standard Time', iana: 'America/New_York' },
    { windows: 'Tokyo Standard Time', iana: 'Asia/Tokyo' },
    { windows: 'pacific standard time', iana: 'America/Los_Angeles' },
  ])('"$windows" → $iana', ({ windows, iana }) => {
    expect(windowsToIana(windows)).toBe(iana);
  });

  it.each(Object.entries(CLDR_001))('"%s" keeps the rules of CLDR\'s %s in every month of 2026', (windows, cldr) => {
    const iana = windowsToIana(windows);
    expect(iana).toBeDefined();
    expect(SAMPLE_2026.map((t) => offsetAt(iana!, t))).toEqual(SAMPLE_2026.map((t) => offsetAt(cldr, t)));
  });

  it.each(REST_ZONES)('"%s" from the Azure REST reference is accepted and names a zone the runtime knows', (windows) => {
    const iana = windowsToIana(windows);
    expect(iana).toBeDefined();
    expect(isIanaTimeZone(iana!)).toBe(true);
  });

  it.each(CLI_ZONES)('"%s" from az monitor autoscale profile list-timezones is accepted with its standard offset %s', (windows, offset) => {
    const iana = windowsToIana(windows);
    expect(iana).toBeDefined();
    // The listed offset is the zone's standard offset (without daylight saving), so it is one of the two offsets of the year.
    const offsets = new Set(SAMPLE_2026.map((t) => offsetAt(iana!, t).replace(/^GMT$/, 'GMT+00:00')));
    // Zones whose law changed after the list was written are only checked for being known: Greenland
    // (−02 since 2023), Morocco (+01 with Ramadan changes since 2018), Jordan and Syria (+03 all year
    // since 2022), Paraguay (−03 all year since 2024), North Korea (+09 again since 2018).
    const moved = ['Greenland Standard Time', 'Morocco Standard Time', 'Jordan Standard Time', 'Syria Standard Time', 'Paraguay Standard Time', 'North Korea Standard Time'];
    if (!moved.includes(windows)) expect(offsets).toContain(`GMT${offset}`);
  });

  it('every IANA zone of the table maps back to a Windows name that maps to it again', () => {
    for (const windows of Object.keys(CLDR_001)) {
      const iana = windowsToIana(windows)!;
      expect(windowsToIana(ianaToWindows(iana)!)).toBe(iana);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Azure: decisions are the ones Azure makes

describe('the imported Azure setting decides as Azure would', () => {
  type Case = {
    name: string;
    input: unknown;
    now: string;
    capacity: number;
    cpu: number;
    queue: number;
    profile: string;
    to: number;
    code: string;
  };
  // 2026-11-23 is a Monday; Pacific time is UTC-8 in November (PST).
  const cases: Case[] = [
    {
      name: 'weekday 09:00 Pacific, average CPU 85 > 70: scale out by 1 inside the weekday bounds [3, 10]',
      input: AZ_SHOW,
      now: '2026-11-23T17:00:00Z',
      capacity: 4,
      cpu: 85,
      queue: 0,
      profile: 'Weekday',
      to: 5,
      code: 'ScaleOut',
    },
    {
      name: 'weekday 09:00 Pacific, average CPU 20 < 30: the only scale-in rule fires, scale in by 1',
      input: AZ_SHOW,
      now: '2026-11-23T17:00:00Z',
      capacity: 4,
      cpu: 20,
      queue: 0,
      profile: 'Weekday',
      to: 3,
      code: 'ScaleIn',
    },
    {
      name: 'weekday 09:00 Pacific below the weekday minimum: brought up to 3 at once',
      input: AZ_SHOW,
      now: '2026-11-23T17:00:00Z',
      capacity: 1,
      cpu: 50,
      queue: 0,
      profile: 'Weekday',
      to: 3,
      code: 'BroughtIntoBounds',
    },
    {
      name: 'Saturday noon: the lone open-ended recurrence still runs ("runs that profile, even if there is a regular profile")',
      input: AZ_SHOW,
      now: '2026-11-28T20:00:00Z',
      capacity: 4,
      cpu: 85,
      queue: 0,
      profile: 'Weekday',
      to: 5,
      code: 'ScaleOut',
    },
    {
      name: 'portal pair, weekday 09:00 Pacific: the weekday profile scales out by 1',
      input: PORTAL,
      now: '2026-11-23T17:00:00Z',
      capacity: 4,
      cpu: 85,
      queue: 0,
      profile: 'Weekday',
      to: 5,
      code: 'ScaleOut',
    },
    {
      name: 'portal pair, weekday 19:00 Pacific: the default bounds [1, 5] apply, CPU 85 at 5 is clamped to the maximum',
      input: PORTAL,
      now: '2026-11-24T03:00:00Z',
      capacity: 5,
      cpu: 85,
      queue: 0,
      profile: 'default',
      to: 5,
      code: 'ClampedToMax',
    },
    {
      name: 'portal pair, Saturday noon: default rules, queue length 150 > 100 (not divided per instance) scales out by 2',
      input: PORTAL,
      now: '2026-11-28T20:00:00Z',
      capacity: 2,
      cpu: 50,
      queue: 150,
      profile: 'default',
      to: 4,
      code: 'ScaleOut',
    },
  ];
  it.each(cases)('$name', async ({ input, now, capacity, cpu, queue, profile, to, code }) => {
    const { ruleSet } = imported(importAzureAutoscale(input));
    const t = Date.parse(now);
    const d = await decide(compile(ruleSet), { id: 'vmss-web', capacity, metrics: { 'Percentage CPU': flat(cpu, 10, t), ApproximateMessageCount: flat(queue, 10, t) } }, t);
    expect(d.profile.name).toBe(profile);
    expect(d).toMatchObject({ to, code });
  });
});

// ---------------------------------------------------------------------------------------------
// Azure: round trip

describe('Azure round trip: import → export → import gives the same native rule set', () => {
  it.each([
    { name: 'az monitor autoscale show output', input: AZ_SHOW as unknown },
    { name: 'the portal pair', input: PORTAL },
  ])('$name', ({ input }) => {
    const first = imported(importAzureAutoscale(input)).ruleSet;
    const exported = exportAzureAutoscale(first);
    if (!exported.ok) throw new Error(JSON.stringify(exported.issues));
    expect(exported.unsupported).toEqual([]);
    expect(imported(importAzureAutoscale(exported.setting)).ruleSet).toEqual(first);
  });

  it('a recurrence with an end is written as the portal pair: the profile and a default copy named {"name":"default","for":…} at the end time', () => {
    const exported = exportAzureAutoscale(imported(importAzureAutoscale(PORTAL)).ruleSet);
    if (!exported.ok) throw new Error(JSON.stringify(exported.issues));
    expect(exported.setting.profiles.map((p) => [p.name, p.recurrence?.schedule.hours[0]])).toEqual([
      ['default', undefined],
      ['Weekday', 8],
      ['{"name":"default","for":"Weekday"}', 18],
    ]);
    expect(exported.setting.profiles[1]?.recurrence?.schedule.timeZone).toBe('Pacific Standard Time');
    expect(exported.setting.profiles[2]?.rules[2]?.metricTrigger).toMatchObject({ metricName: 'ApproximateMessageCount', metricResourceUri: QUEUE });
  });

  it('what Azure cannot express is reported on export', () => {
    const spec: RuleSetInput = {
      id: 'mixed',
      capacity: { minimum: 1, maximum: 10, default: 1 },
      cooldownMode: 'perDirection',
      rules: [{ id: 'expr', direction: 'out', when: { expr: 'metrics.cpu.avg > 70' }, action: { type: 'ChangeCount', value: 1 } }],
      targetTracking: [{ id: 'tt', metric: 'rps', target: { type: 'AverageValue', averageValue: '100' } }],
    };
    const exported = exportAzureAutoscale(spec);
    if (!exported.ok) throw new Error(JSON.stringify(exported.issues));
    expect(exported.unsupported.map((u) => u.field).sort()).toEqual(['cooldownMode', 'expr', 'targetTracking']);
    expect(exported.setting.profiles[0]?.rules).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// HPA

describe('HPA manifests become native rule sets', () => {
  it('the walkthrough manifest (YAML with a Deployment before it) loads with loadRuleSet without issues', () => {
    const r = imported(importHpaManifest(HPA_YAML));
    expect(loadRuleSet(r.ruleSet)).toMatchObject({ ok: true });
  });

  it('metrics become target tracking rules, behavior is copied verbatim, scaleTargetRef becomes the target', () => {
    const { ruleSet } = imported(importHpaManifest(HPA_YAML));
    expect(ruleSet).toMatchObject({
      id: 'php-apache',
      capacity: { minimum: 1, maximum: 10, default: 1 },
      rules: [],
      missingData: { policy: 'hold' },
      targets: [{ id: 'Deployment/php-apache', labels: { namespace: 'default', apiVersion: 'apps/v1' } }],
    });
    expect(ruleSet.targetTracking).toEqual([
      { id: 'resource-cpu', metric: 'cpu', source: 'Resource', target: { type: 'Utilization', averageUtilization: 60 } },
      { id: 'pods-packets-per-second', metric: 'packets-per-second', source: 'Pods', target: { type: 'AverageValue', averageValue: '1k' } },
      { id: 'object-requests-per-second', metric: 'requests-per-second', source: 'Object', target: { type: 'Value', value: '10k' } },
    ]);
    expect(ruleSet.behavior).toEqual(HPA_BEHAVIOR);
  });

  it('the other document and the Object metric\'s describedObject are reported by name', () => {
    const { unsupported } = imported(importHpaManifest(HPA_YAML));
    expect(unsupported).toContainEqual(expect.objectContaining({ path: 'documents[0].kind', field: 'kind' }));
    expect(unsupported).toContainEqual(expect.objectContaining({ path: 'documents[1].spec.metrics[2].object.describedObject', field: 'describedObject' }));
  });

  it.each([
    {
      name: 'a Pods metric selector',
      doc: { type: 'Pods', pods: { metric: { name: 'rps', selector: { matchLabels: { verb: 'GET' } } }, target: { type: 'AverageValue', averageValue: '100' } } },
      path: 'spec.metrics[0].pods.metric.selector',
      field: 'selector',
    },
    {
      name: 'an External metric selector',
      doc: { type: 'External', external: { metric: { name: 'queue_messages_ready', selector: { matchLabels: { queue: 'worker_tasks' } } }, target: { type: 'AverageValue', averageValue: 30 } } },
      path: 'spec.metrics[0].external.metric.selector',
      field: 'selector',
    },
  ])('$name is reported as unsupported', ({ doc, path, field }) => {
    const manifest = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'worker' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'worker' }, maxReplicas: 5, metrics: [doc] } };
    const r = imported(importHpaManifest(manifest));
    expect(r.unsupported).toContainEqual(expect.objectContaining({ path, field }));
    expect(loadRuleSet(r.ruleSet).ok).toBe(true);
  });

  it.each([
    {
      name: 'autoscaling/v1 targetCPUUtilizationPercentage 50 → CPU Utilization 50',
      manifest: { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 8, targetCPUUtilizationPercentage: 50 } },
      target: { type: 'Utilization', averageUtilization: 50 },
    },
    {
      name: 'autoscaling/v2 without metrics → CPU Utilization 80 (defaults.go DefaultCPUUtilization)',
      manifest: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 8 } },
      target: { type: 'Utilization', averageUtilization: 80 },
    },
    {
      name: 'autoscaling/v2beta1 targetAverageUtilization 70 → CPU Utilization 70',
      manifest: {
        apiVersion: 'autoscaling/v2beta1',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'web' },
        spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 8, metrics: [{ type: 'Resource', resource: { name: 'cpu', targetAverageUtilization: 70 } }] },
      },
      target: { type: 'Utilization', averageUtilization: 70 },
    },
  ])('$name', ({ manifest, target }) => {
    const { ruleSet } = imported(importHpaManifest(manifest));
    expect(ruleSet.targetTracking).toEqual([{ id: 'resource-cpu', metric: 'cpu', source: 'Resource', target }]);
    expect(ruleSet.capacity.minimum).toBe(manifest.spec.minReplicas ?? 1);
  });

  it('two HorizontalPodAutoscalers need a name to choose one', () => {
    const two = `${HPA_YAML}---\n${HPA_YAML.split('---\n')[1]!.replace('name: php-apache\n  namespace', 'name: php-apache-canary\n  namespace')}`;
    expect(importIssues(importHpaManifest(two))[0]?.message).toContain('choose one by name');
    expect(imported(importHpaManifest(two, { name: 'php-apache-canary' })).ruleSet.id).toBe('php-apache-canary');
  });

  it('broken YAML is an ImportError naming the document', () => {
    const issues = importIssues(importHpaManifest('apiVersion: autoscaling/v2\nkind: [HorizontalPodAutoscaler\n'));
    expect(issues[0]).toMatchObject({ code: 'ImportError', path: '' });
  });

  it('importAny takes { azure } and { hpa } inputs', () => {
    expect(importAny('azure', AZ_SHOW).ok).toBe(true);
    expect(importAny('hpa', HPA_YAML).ok).toBe(true);
    expect(importAny('hpa', 42).ok).toBe(false);
  });
});

describe('the imported HPA decides as the HPA would: desiredReplicas = ceil(currentReplicas × current / target)', () => {
  const T = Date.parse('2026-11-23T17:00:00Z');
  it.each([
    { name: 'CPU 90 % against 60 % at 4 replicas → ceil(4 × 90 / 60) = 6 (the other metrics on target)', capacity: 4, cpu: 90, pps: 1000, rps: 10_000, to: Math.ceil((4 * 90) / 60) },
    { name: 'packets-per-second 2k per pod against 1k at 3 replicas → ceil(3 × 2000 / 1000) = 6, the largest proposal', capacity: 3, cpu: 60, pps: 2000, rps: 10_000, to: Math.ceil((3 * 2000) / 1000) },
    { name: 'CPU 63 % is within the 0.1 tolerance of 60 % → no change', capacity: 4, cpu: 63, pps: 1000, rps: 10_000, to: 4 },
  ])('$name', async ({ capacity, cpu, pps, rps, to }) => {
    const { ruleSet } = imported(importHpaManifest(HPA_YAML));
    const d = await decide(compile(ruleSet), { id: 'Deployment/php-apache', capacity, metrics: { cpu, 'packets-per-second': pps, 'requests-per-second': rps } }, T);
    expect(d.to).toBe(to);
  });
});

describe('HPA round trip: import → export → import gives the same native rule set', () => {
  /** The walkthrough manifest without the Object metric, whose describedObject the rule set does not keep. */
  const SUBSET = HPA_YAML.replace(/ {2}- type: Object\n(?: {4}.*\n)+/, '');

  it('the YAML text export re-imports to the same rule set', () => {
    const first = imported(importHpaManifest(SUBSET)).ruleSet;
    expect(first.targetTracking).toHaveLength(2);
    const exported = exportHpaManifest(first);
    if (!exported.ok) throw new Error(JSON.stringify(exported.issues));
    expect(exported.unsupported).toEqual([]);
    expect(imported(importHpaManifest(exported.yaml)).ruleSet).toEqual(first);
    expect(imported(importHpaManifest(exported.manifest)).ruleSet).toEqual(first);
    expect(exported.manifest.spec.behavior).toEqual(HPA_BEHAVIOR);
  });

  it('the Object metric is reported on export, since its describedObject is not kept', () => {
    const exported = exportHpaManifest(imported(importHpaManifest(HPA_YAML)).ruleSet);
    if (!exported.ok) throw new Error(JSON.stringify(exported.issues));
    expect(exported.unsupported).toContainEqual(expect.objectContaining({ path: 'targetTracking[2]', field: 'describedObject' }));
  });
});
