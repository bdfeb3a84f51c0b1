// ARM templates as users have them: parameters with defaultValue, variables and the template functions
// used in autoscale settings evaluated (src/formats/azure/arm-expressions.ts), a setting chosen by name,
// and the portal's { "properties": … } JSON view detected.
//
// Fixtures: test/formats/fixtures/azure (Azure/azure-quickstart-templates, MIT; see its README).
// Semantics: "Syntax and expressions in ARM templates", "Template functions - string / resource"
// (Microsoft Learn); cited in arm-expressions.ts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ArmEvaluator, ArmExpressionError, scopeOf, type ArmScope } from '../../src/formats/azure/arm-expressions.js';
import { importAzureAutoscale } from '../../src/formats/azure/import.js';
import { detectFormat } from '../../src/formats/foreign.js';
import type { ImportResult } from '../../src/formats/import-context.js';
import { readDeploymentParameters } from '../../src/formats/azure/deployment-parameters.js';
import { evaluateBatch } from '../../src/service/batch.js';
import { resolveBundled } from '../../src/rulesets/bundled.js';
import { uniqueStringOf as uniqueString } from '../../src/formats/azure/arm-hash.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/azure/${name}.azuredeploy.json`, import.meta.url), 'utf8');
const SIMPLE = fixture('monitor-autoscale-vmss-simplemetricbased');
const WINDOWS = fixture('vmss-windows-autoscale');
const UBUNTU = fixture('vmss-ubuntu-autoscale');
const BOTTLE = fixture('vmss-bottle-autoscale');
const UMBRACO = fixture('umbraco-cms-webapp-redis-cache');

function imported(r: ImportResult) {
  if (!r.ok) throw new Error(`import failed: ${JSON.stringify(r.issues)}`);
  return r;
}
function issues(r: ImportResult) {
  if (r.ok) throw new Error('expected the import to fail');
  return r.issues;
}
/** The metric condition of a native rule (imported Azure rules always have one). */
const trig = (x: { when: object }) => ('metric' in x.when ? (x.when.metric as { metric: string; operator: string; threshold: number }) : undefined);
const metricsOf = (r: ReturnType<typeof imported>) => r.ruleSet.rules.map((x) => ({ id: x.id, when: x.when, action: x.action, cooldown: x.cooldown }));

describe('Microsoft quickstart templates import with their parameter defaults', () => {
  it('monitor-autoscale-vmss-simplemetricbased: metric name, thresholds, percent changes and capacity come from the defaults', () => {
    const r = imported(importAzureAutoscale(SIMPLE));
    expect(r.ruleSet.capacity).toEqual({ minimum: 2, maximum: 10, default: 10 });
    expect(metricsOf(r)).toEqual([
      {
        id: 'percentage-cpu-out',
        when: { metric: { metric: 'Percentage CPU', timeGrain: 'PT5M', statistic: 'Average', timeWindow: 'PT10M', timeAggregation: 'Average', operator: 'GreaterThan', threshold: 60, dividePerInstance: false } },
        action: { type: 'PercentChangeCount', value: 20 },
        cooldown: 'PT10M',
      },
      {
        id: 'percentage-cpu-in',
        when: { metric: { metric: 'Percentage CPU', timeGrain: 'PT5M', statistic: 'Average', timeWindow: 'PT10M', timeAggregation: 'Average', operator: 'LessThan', threshold: 20, dividePerInstance: false } },
        action: { type: 'PercentChangeCount', value: 10 },
        cooldown: 'PT10M',
      },
    ]);
  });

  it('what needs a deployment parameter or an unsupported function is reported by path with the reason, not guessed', () => {
    const r = imported(importAzureAutoscale(SIMPLE));
    const at = (path: string) => r.unsupported.find((u) => u.path === path)?.message;
    // The resource id goes through toLower(substring(concat(parameters('vmssName'), uniqueString(…)), 0, 9)):
    // every function is evaluated, but vmssName has no default.
    expect(at('resources[4].properties.profiles[0].rules[0].metricTrigger.metricResourceUri')).toContain(
      'variable "targetResourceId": variable "namingInfix": parameter "vmssName" has no defaultValue',
    );
    // autoscaleEnabled has no defaultValue (the quickstart's parameters file supplies it at deployment).
    expect(at('resources[4].properties.enabled')).toContain('parameter "autoscaleEnabled" has no defaultValue');
    // Both rules read one source, so the metric keeps its Azure name.
    expect(r.notes).toContain(
      'Metric "Percentage CPU" is Azure\'s "Percentage CPU" of [variables(\'targetResourceId\')]: edgescale does not query Azure Monitor; send its points as metrics["Percentage CPU"] of the target.',
    );
  });

  it('vmss-windows-autoscale (Bicep output): literal thresholds and capacity, the resource id reported as needing vmssName', () => {
    const r = imported(importAzureAutoscale(WINDOWS));
    expect(r.ruleSet.id).toBe('cpuautoscale');
    expect(r.ruleSet.capacity).toEqual({ minimum: 1, maximum: 10, default: 1 });
    expect(r.ruleSet.rules.map((x) => [x.id, trig(x)?.metric, trig(x)?.threshold, x.action])).toEqual([
      ['percentage-cpu-out', 'Percentage CPU', 50, { type: 'ChangeCount', value: 1 }],
      ['percentage-cpu-in', 'Percentage CPU', 30, { type: 'ChangeCount', value: 1 }],
    ]);
    expect(r.unsupported.find((u) => u.path === 'resources[4].properties.targetResourceUri')?.message).toContain('parameter "vmssName" has no defaultValue');
  });

  it('vmss-ubuntu-autoscale: rules and capacity import; the target, toLower(substring(concat(vmssName, uniqueString(resourceGroup().id)), 0, 9)), needs vmssName', () => {
    const r = imported(importAzureAutoscale(UBUNTU));
    expect(r.ruleSet.id).toBe('autoscalewad');
    expect(r.ruleSet.capacity).toEqual({ minimum: 1, maximum: 10, default: 1 });
    expect(metricsOf(r).map((x) => [x.id, trig(x)?.metric, trig(x)?.threshold, x.action, x.cooldown])).toEqual([
      ['percentage-cpu-out', 'Percentage CPU', 60, { type: 'ChangeCount', value: 1 }, 'PT1M'],
      ['percentage-cpu-in', 'Percentage CPU', 30, { type: 'ChangeCount', value: 1 }, 'PT5M'],
    ]);
    expect(r.unsupported.map((u) => [u.path, u.message.includes('variable "namingInfix": parameter "vmssName" has no defaultValue')])).toEqual([
      ['resources[4].properties.targetResourceUri', true],
      ['resources[4].properties.profiles[0].rules[0].metricTrigger.metricResourceUri', true],
      ['resources[4].properties.profiles[0].rules[1].metricTrigger.metricResourceUri', true],
    ]);
  });

  it('vmss-ubuntu-autoscale with vmssName "web": the name is "web" and the first 6 characters of the resource group hash', () => {
    const r = imported(importAzureAutoscale(UBUNTU, { parameters: { vmssName: 'web' } }));
    const infix = `web${uniqueString(['/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}'])}`.slice(0, 9).toLowerCase();
    expect(infix).toMatch(/^web[a-z2-7]{6}$/);
    expect(r.ruleSet.targets).toEqual([
      { id: infix, labels: { 'azure.resourceUri': `/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/virtualMachineScaleSets/${infix}` } },
    ]);
    expect(r.unsupported).toEqual([]);
    expect(r.notes.filter((n) => n.includes('{subscriptionId}') || n.startsWith('uniqueString()')).length).toBeGreaterThanOrEqual(2);
  });

  it('vmss-bottle-autoscale: parameters(\'vmSSName\') finds the declared vmssName (names ignore case); only what the setting reads is evaluated', () => {
    const r = imported(importAzureAutoscale(BOTTLE));
    expect(r.ruleSet.id).toBe('autoscalehost');
    expect(r.ruleSet.capacity).toEqual({ minimum: 1, maximum: 10, default: 1 });
    expect(metricsOf(r).map((x) => [trig(x)?.metric, trig(x)?.operator, trig(x)?.threshold, x.action, x.cooldown])).toEqual([
      ['Percentage CPU', 'GreaterThan', 60, { type: 'ChangeCount', value: 1 }, 'PT1M'],
      ['Percentage CPU', 'LessThan', 30, { type: 'ChangeCount', value: 1 }, 'PT1M'],
    ]);
    expect(r.unsupported.find((u) => u.path === 'resources[4].properties.targetResourceUri')?.message).toContain('parameter "vmssName" has no defaultValue');
    // _artifactsLocation defaults to deployment().properties.templatelink.uri, which edgescale cannot evaluate; the setting never reads it.
    const named = imported(importAzureAutoscale(BOTTLE, { parameters: { vmssName: 'bottle' } }));
    expect(named.ruleSet.targets?.[0]?.id).toBe('bottle');
    expect(named.unsupported).toEqual([]);
  });

  it('umbraco-cms-webapp-redis-cache (an App Service plan): rules and numeric capacities import; its resource ids use reference(), which needs Azure, and are reported', () => {
    const r = imported(importAzureAutoscale(UMBRACO, { parameters: { appName: 'cms' } }));
    expect(r.ruleSet.id).toBe('cmsserviceplan-scaleset');
    expect(r.ruleSet.capacity).toEqual({ minimum: 1, maximum: 2, default: 1 });
    expect(metricsOf(r).map((x) => [trig(x)?.metric, trig(x)?.operator, trig(x)?.threshold, x.action, x.cooldown])).toEqual([
      ['CpuPercentage', 'GreaterThan', 80, { type: 'ChangeCount', value: 1 }, 'PT10M'],
      ['CpuPercentage', 'LessThan', 60, { type: 'ChangeCount', value: 1 }, 'PT1H'],
    ]);
    expect(r.unsupported.map((u) => [u.path, u.message.includes('reference() is not supported: its value comes from Azure or the deployment')])).toEqual([
      ['resources[6].properties.targetResourceUri', true],
      ['resources[6].properties.enabled', false],
      ['resources[6].properties.profiles[0].rules[0].metricTrigger.metricResourceUri', true],
      ['resources[6].properties.profiles[0].rules[1].metricTrigger.metricResourceUri', true],
    ]);
    expect(r.ruleSet.targets).toBeUndefined();
    // Without appName (no default) the name is not evaluated and the setting gets the importer's id.
    expect(imported(importAzureAutoscale(UMBRACO)).ruleSet.id).toBe('azure-autoscale');
  });

  it('with every parameter defaulted, resourceId() becomes the resource id with subscription and resource group placeholders, and the target', () => {
    const t = JSON.parse(WINDOWS) as { parameters: Record<string, Record<string, unknown>> };
    t.parameters.vmssName!.defaultValue = 'webvmss';
    const r = imported(importAzureAutoscale(t));
    const uri = '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/virtualMachineScaleSets/webvmss';
    expect(r.ruleSet.targets).toEqual([{ id: 'webvmss', labels: { 'azure.resourceUri': uri } }]);
    expect(r.ruleSet.rules[0]!.description).toBe(`Azure metric "Percentage CPU" of ${uri}`);
    expect(r.unsupported.filter((u) => u.field === 'metricResourceUri' || u.field === 'targetResourceUri')).toEqual([]);
    expect(r.notes.some((n) => n.includes('{subscriptionId}'))).toBe(true);
  });
});

/** The docs' own VMSS template shape: the target and metric sources written with concat(), subscription(), resourceGroup(). */
function concatTemplate() {
  const vmss = (name: string) =>
    `[concat('/subscriptions/',subscription().subscriptionId, '/resourceGroups/', resourceGroup().name, '/providers/Microsoft.Compute/virtualMachineScaleSets/', ${name})]`;
  const rule = (uri: string, operator: string, threshold: string, direction: string) => ({
    metricTrigger: { metricName: 'Percentage CPU', metricResourceUri: uri, timeGrain: 'PT1M', statistic: 'Average', timeWindow: 'PT5M', timeAggregation: 'Average', operator, threshold },
    scaleAction: { direction, type: 'ChangeCount', value: '1', cooldown: 'PT5M' },
  });
  return {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    parameters: { vmSSName: { type: 'string', defaultValue: 'web' }, scaleOutAt: { type: 'int', defaultValue: 75 } },
    variables: { backendName: "[format('{0}-backend', parameters('vmSSName'))]" },
    resources: [
      {
        type: 'Microsoft.Insights/autoscaleSettings',
        apiVersion: '2015-04-01',
        name: 'autoscale',
        location: "[resourceGroup().location]",
        properties: {
          name: 'autoscale',
          targetResourceUri: vmss("parameters('vmSSName')"),
          enabled: true,
          profiles: [
            {
              name: 'Profile1',
              capacity: { minimum: '1', maximum: '10', default: '1' },
              rules: [
                rule(vmss("parameters('vmSSName')"), 'GreaterThan', "[parameters('scaleOutAt')]", 'Increase'),
                rule(vmss("variables('backendName')"), 'GreaterThan', '90', 'Increase'),
                rule(vmss("parameters('vmSSName')"), 'LessThan', '25', 'Decrease'),
              ],
            },
          ],
        },
      },
    ],
  };
}

describe('metric sources written as ARM expressions resolve', () => {
  it('concat() with subscription() and resourceGroup(): the target keeps the Azure name, the other resource gets @<name> (not "@\', parameters(…))]")', () => {
    const r = imported(importAzureAutoscale(concatTemplate()));
    expect(r.ruleSet.rules.map((x) => [trig(x)?.metric, trig(x)?.threshold])).toEqual([
      ['Percentage CPU', 75],
      ['Percentage CPU@web-backend', 90],
      ['Percentage CPU', 25],
    ]);
    expect(r.ruleSet.targets?.[0]?.id).toBe('web');
    expect(r.unsupported).toEqual([]);
  });

  it('a parameter without defaultValue where edgescale needs the value is an ImportError at that path, with the reason', () => {
    const t = concatTemplate();
    delete (t.parameters.scaleOutAt as { defaultValue?: number }).defaultValue;
    expect(issues(importAzureAutoscale(t))).toContainEqual({
      code: 'ImportError',
      path: 'resources[0].properties.profiles[0].rules[0].metricTrigger.threshold',
      message: expect.stringContaining('parameter "scaleOutAt" has no defaultValue'),
    });
  });

  it('an unsupported function where the value is needed is an ImportError naming the function', () => {
    const t = concatTemplate();
    t.resources[0]!.properties.profiles[0]!.capacity.maximum = "[string(add(5, deployment().properties.templateLink.count))]";
    expect(issues(importAzureAutoscale(t))).toContainEqual(
      expect.objectContaining({ path: 'resources[0].properties.profiles[0].capacity.maximum', message: expect.stringContaining('deployment() is not supported') }),
    );
  });
});

describe('a template holding several autoscale settings', () => {
  const two = () => {
    const t = concatTemplate();
    const other = structuredClone(t.resources[0]!);
    other.name = "[concat(parameters('vmSSName'), '-night')]";
    other.properties.name = 'night';
    other.properties.profiles[0]!.capacity = { minimum: '2', maximum: '4', default: '2' };
    t.resources.push(other);
    return t;
  };

  it('is refused without a name, listing the names', () => {
    expect(issues(importAzureAutoscale(two()))).toEqual([
      { code: 'ImportError', path: 'resources', message: expect.stringMatching(/holds 2 autoscale settings \("autoscale", "web-night"\); choose one by name/) },
    ]);
  });

  it('takes the one named (the resource name as evaluated, or properties.name)', () => {
    expect(imported(importAzureAutoscale(two(), { name: 'web-night' })).ruleSet.capacity).toEqual({ minimum: 2, maximum: 4, default: 2 });
    expect(imported(importAzureAutoscale(two(), { name: 'night' })).ruleSet.capacity).toEqual({ minimum: 2, maximum: 4, default: 2 });
    expect(imported(importAzureAutoscale(two(), { name: 'autoscale' })).ruleSet.capacity).toEqual({ minimum: 1, maximum: 10, default: 1 });
  });

  it('an unknown name is refused with the names there are', () => {
    expect(issues(importAzureAutoscale(two(), { name: 'day' }))[0]!.message).toBe('no autoscale setting named "day" in the template; it holds "autoscale", "web-night"');
  });
});

describe("the portal's JSON view { properties: { … } }", () => {
  const view = { properties: { enabled: true, profiles: [{ name: 'Auto created scale condition', capacity: { minimum: '1', maximum: '3', default: '1' }, rules: [] }] } };

  it('is detected as an Azure setting, with or without name and location', () => {
    expect(detectFormat('setting.json', view)).toBe('azure');
    expect(detectFormat('setting.json', { name: 'web-autoscale', location: 'westeurope', ...view })).toBe('azure');
    // A native rule set is never taken for one: it has a top-level capacity.
    expect(detectFormat('native.json', { id: 'x', capacity: { minimum: 1, maximum: 2, default: 1 }, properties: view.properties })).toBe('native');
  });

  it('imports', () => {
    const r = imported(importAzureAutoscale({ name: 'web-autoscale', location: 'westeurope', ...view }));
    expect(r.ruleSet.id).toBe('web-autoscale');
    expect(r.ruleSet.capacity).toEqual({ minimum: 1, maximum: 3, default: 1 });
  });
});

describe('the ARM expression evaluator', () => {
  const scope: ArmScope = {
    parameters: {
      name: { type: 'string', defaultValue: 'web' },
      count: { type: 'int', defaultValue: 3 },
      on: { type: 'bool', defaultValue: true },
      loc: { type: 'string', defaultValue: '[resourceGroup().location]' },
      noDefault: { type: 'string' },
    },
    variables: {
      suffix: "[concat('-', parameters('name'))]",
      obj: { a: "[parameters('count')]", list: ['x', "[parameters('name')]"] },
      self: "[variables('self')]",
      literal: '[[not an expression]',
    },
  };
  const ev = (text: string, s: ArmScope = scope) => new ArmEvaluator(s).evaluateString(text);
  const err = (text: string, s: ArmScope = scope) => {
    try {
      ev(text, s);
    } catch (e) {
      expect(e).toBeInstanceOf(ArmExpressionError);
      return (e as Error).message;
    }
    throw new Error(`expected ${text} to fail`);
  };

  it('literals: strings with doubled quotes, numbers, booleans; "[[" is a literal "["; other strings are themselves', () => {
    expect(ev("['it''s']")).toBe("it's");
    expect(ev('[42]')).toBe(42);
    expect(ev('[true]')).toBe(true);
    expect(ev('[false()]')).toBe(false);
    expect(ev('[[parameters(1)]')).toBe('[parameters(1)]');
    expect(ev('Percentage CPU')).toBe('Percentage CPU');
  });

  it('parameters() takes defaultValue (itself evaluated) and reads names without regard to case', () => {
    expect(ev("[parameters('name')]")).toBe('web');
    expect(ev("[parameters('COUNT')]")).toBe(3);
    expect(ev("[parameters('on')]")).toBe(true);
    expect(ev("[parameters('loc')]")).toBe('{resourceGroupLocation}');
  });

  it('variables() evaluates expressions, objects and arrays, with property and index access', () => {
    expect(ev("[variables('suffix')]")).toBe('-web');
    expect(ev("[variables('obj')]")).toEqual({ a: 3, list: ['x', 'web'] });
    expect(ev("[variables('obj').a]")).toBe(3);
    expect(ev("[variables('obj').list[1]]")).toBe('web');
    expect(ev("[variables('obj')['a']]")).toBe(3);
    expect(ev("[variables('literal')]")).toBe('[not an expression]');
  });

  it('concat() joins strings and numbers, or arrays', () => {
    expect(ev("[concat('a', parameters('count'), variables('suffix'))]")).toBe('a3-web');
    expect(ev("[concat(variables('obj').list, variables('obj').list)]")).toEqual(['x', 'web', 'x', 'web']);
  });

  it('format() fills {0}… and keeps {{ }} as braces', () => {
    expect(ev("[format('{0}-{1}-{0}', parameters('name'), 7)]")).toBe('web-7-web');
    expect(ev("[format('{{literal}} {0}', 'x')]")).toBe('{literal} x');
    expect(ev("[format('{0}', parameters('on'))]")).toBe('True');
  });

  it('resourceId() builds the id, with placeholders for the deployment scope unless given', () => {
    expect(ev("[resourceId('Microsoft.Compute/virtualMachineScaleSets', parameters('name'))]")).toBe(
      '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/virtualMachineScaleSets/web',
    );
    expect(ev("[resourceId('rg1', 'Microsoft.Network/virtualNetworks/subnets', 'vnet', 'sn')]")).toBe(
      '/subscriptions/{subscriptionId}/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/vnet/subnets/sn',
    );
    expect(ev("[resourceId('sub1', 'rg1', 'Microsoft.Web/serverfarms', 'plan')]")).toBe('/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.Web/serverfarms/plan');
  });

  it('subscription(), resourceGroup(), toLower(), toUpper(), nested calls', () => {
    expect(ev('[subscription().subscriptionId]')).toBe('{subscriptionId}');
    expect(ev('[resourceGroup().name]')).toBe('{resourceGroupName}');
    expect(ev("[toUpper(concat(toLower('AB'), format('{0}', parameters('name'))))]")).toBe('ABWEB');
  });

  it('errors say why: missing default, unknown name, unsupported function, cycle, bad syntax, wrong arguments', () => {
    expect(err("[parameters('noDefault')]")).toContain('parameter "noDefault" has no defaultValue');
    expect(err("[parameters('nope')]")).toBe('the template has no parameter "nope"');
    expect(err("[variables('nope')]")).toBe('the template has no variable "nope"');
    expect(err("[reference(resourceGroup().id).name]")).toContain('reference() is not supported');
    expect(err("[variables('self')]")).toContain('refers to itself');
    expect(err("[concat('a']")).toContain('expected ")"');
    expect(err("['open]")).toContain('unterminated string');
    expect(err("[format('{0:N2}', 1)]")).toContain('specifiers');
    expect(err("[format('{1}', 1)]")).toContain('no argument 1');
    expect(err("[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet')]")).toContain('takes 2 resource name(s), got 1');
    expect(err("[variables('obj').missing]")).toContain('no property "missing"');
  });

  it('is bounded: nesting, reference chains and expression length', () => {
    expect(err(`[${'concat('.repeat(40)}'x'${')'.repeat(40)}]`)).toContain('nested deeper');
    const chain: Record<string, unknown> = { v0: 'end' };
    for (let i = 1; i <= 40; i++) chain[`v${i}`] = `[variables('v${i - 1}')]`;
    expect(err("[variables('v40')]", { parameters: {}, variables: chain })).toContain('deeper than');
    expect(err(`['${'x'.repeat(30_000)}']`)).toContain('24576');
    // Doubling arrays through variables: cached per variable, and the array size is bounded.
    const doubling: Record<string, unknown> = { a0: ['x'] };
    for (let i = 1; i <= 30; i++) doubling[`a${i}`] = `[concat(variables('a${i - 1}'), variables('a${i - 1}'))]`;
    expect(err("[variables('a30')]", { parameters: {}, variables: doubling })).toContain('more than 10000 elements');
  });

  it('scopeOf reads the sections of a template without regard to case', () => {
    expect(new ArmEvaluator(scopeOf({ Parameters: { a: { defaultValue: 1 } }, VARIABLES: { b: 2 } })).evaluateString("[add(parameters('a'), variables('b'))]".replace('add', 'concat'))).toBe('12');
  });
});

// Issue 17, item 2: deployment parameters (az deployment's parameters file, the API's `parameters`), checked as ARM checks them.
describe('deployment parameters replace the template defaults', () => {
  const PARAMETERS = JSON.parse(readFileSync(new URL('./fixtures/azure/monitor-autoscale-vmss-simplemetricbased.azuredeploy.parameters.json', import.meta.url), 'utf8')) as {
    parameters: Record<string, { value: unknown }>;
  };
  const withValues = (raw: unknown) => {
    const read = readDeploymentParameters(raw, SIMPLE);
    if (!read.ok) throw new Error(JSON.stringify(read.issues));
    return importAzureAutoscale(SIMPLE, { parameters: read.values });
  };
  const refused = (raw: unknown, template: unknown = SIMPLE) => {
    const read = readDeploymentParameters(raw, template);
    if (read.ok) throw new Error('expected the parameters to be refused');
    return read.issues;
  };

  it("the quickstart's own parameters file gives autoscaleEnabled (no default): properties.enabled is no longer unresolved", () => {
    const before = imported(importAzureAutoscale(SIMPLE));
    expect(before.unsupported.some((u) => u.path === 'resources[4].properties.enabled')).toBe(true);
    const after = imported(withValues(PARAMETERS));
    expect(after.unsupported.find((u) => u.path === 'resources[4].properties.enabled')).toBeUndefined();
    // the rest is the defaults' import, unchanged
    expect(after.ruleSet.capacity).toEqual(before.ruleSet.capacity);
    expect(metricsOf(after)).toEqual(metricsOf(before));
  });

  it("with the quickstart's vmssName, the target and metric source resolve through substring(), uniqueString() and toLower(): nothing is left unresolved", () => {
    const r = imported(withValues(PARAMETERS));
    // namingInfix = toLower(substring(concat('GEN-UNIQUE-32', uniqueString(resourceGroup().id)), 0, 9)): the hash is cut off.
    const uri = '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/virtualMachineScaleSets/gen-uniqu';
    expect(r.ruleSet.id).toBe('gen-uniqu-setting');
    expect(r.ruleSet.targets).toEqual([{ id: 'gen-uniqu', labels: { 'azure.resourceUri': uri } }]);
    expect(r.unsupported).toEqual([]);
    expect(r.notes.some((n) => n.startsWith('uniqueString() was given the deployment scope'))).toBe(true);
  });

  it('a value replaces a defaultValue (names read without regard to case); the file form and the bare parameters object are the same', () => {
    const file = { ...PARAMETERS, parameters: { ...PARAMETERS.parameters, MinimumCapacity: { value: 3 }, metricThresholdToScaleOut: { value: 75 } } };
    for (const raw of [file, file.parameters]) {
      const r = imported(withValues(raw));
      expect(r.ruleSet.capacity).toEqual({ minimum: 3, maximum: 10, default: 10 });
      expect(trig(r.ruleSet.rules[0]!)?.threshold).toBe(75);
    }
    const r = imported(withValues({ metricname: { value: 'Percentage CPU (host)' } }));
    expect(trig(r.ruleSet.rules[0]!)).toMatchObject({ metric: 'Percentage CPU (host)' });
  });

  it('refused as ARM refuses a deployment, each at its path: unknown name, wrong type, not an allowed value, below minValue, a Key Vault reference, extra fields', () => {
    expect(
      refused({
        parameters: {
          vmssNmae: { value: 'web' },
          instanceCount: { value: '2' },
          windowsOSVersion: { value: '2019-Datacenter' },
          minimumCapacity: { value: 0 },
          adminPassword: { reference: { keyVault: { id: '/subscriptions/s/resourceGroups/g/providers/Microsoft.KeyVault/vaults/kv' }, secretName: 'pw' } },
          autoscaleEnabled: { value: true, type: 'bool' },
        },
        contentVersion: '1.0.0.0',
      }).map((i) => [i.path, i.message]),
    ).toEqual([
      ['parameters.vmssNmae', expect.stringMatching(/^the template has no parameter "vmssNmae" \(ARM refuses a deployment that passes one; it declares: vmSku, windowsOSVersion, vmssName,/)],
      ['parameters.instanceCount.value', 'parameter "instanceCount": expected a value of type int, got "2"'],
      ['parameters.windowsOSVersion.value', expect.stringMatching(/^parameter "windowsOSVersion": "2019-Datacenter" is not one of the allowed values \["2012-Datacenter",/)],
      ['parameters.minimumCapacity.value', 'parameter "minimumCapacity": 0 is below minValue 1'],
      ['parameters.adminPassword.reference', expect.stringContaining('a Key Vault reference needs Azure to resolve')],
      ['parameters.autoscaleEnabled.type', 'a parameter has "value" or "reference" (and "metadata"), not "type"'],
    ]);
  });

  it('parameters for an input that is not a template are refused', () => {
    const setting = { profiles: [{ name: 'p', capacity: { minimum: '1', maximum: '3', default: '1' }, rules: [] }], enabled: true };
    expect(refused({ x: { value: 1 } }, setting)).toEqual([{ path: '', message: expect.stringContaining('deployment parameters apply to an ARM template') }]);
  });
});

describe('POST /v1/evaluate: an inline ARM template with `name` and `parameters`', () => {
  const body = (ruleSet: unknown) => ({ now: '2026-11-22T10:30:00Z', targets: [{ id: 'GEN-UNIQUE-32', capacity: 4, ruleSet, metrics: { 'Percentage CPU': 70 } }] });

  it('decides with the passed values (scale-out threshold 60 → 65: CPU 70 still scales out; 75: it does not)', async () => {
    const decideAt = async (threshold: number) => {
      const outcome = await evaluateBatch(
        // the setting's name depends on uniqueString() (a hash of the deployment's resource group): it is chosen as written
        body({ azure: JSON.parse(SIMPLE), name: "[variables('settingName')]", parameters: { metricThresholdToScaleOut: { value: threshold }, autoscaleEnabled: { value: true } } }),
        resolveBundled,
        0,
      );
      if (!outcome.ok) throw new Error(JSON.stringify(outcome.error));
      const [r] = outcome.results;
      if (!r?.ok) throw new Error(JSON.stringify(r));
      return r.decision.code;
    };
    expect(await decideAt(65)).toBe('ScaleOut');
    expect(await decideAt(75)).toBe('NoRuleFired');
  });

  it("a parameter problem is the target's ImportError at targets[i].ruleSet.parameters…", async () => {
    const outcome = await evaluateBatch(body({ azure: JSON.parse(SIMPLE), parameters: { minimumCapacity: { value: 'two' } } }), resolveBundled, 0);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.results[0]).toMatchObject({ ok: false, error: { code: 'ImportError', path: 'targets[0].ruleSet.parameters.minimumCapacity.value' } });
  });
});
