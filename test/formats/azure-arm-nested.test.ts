// Autoscale settings inside nested deployments (inner and outer expression scope) and languageVersion 2.0 templates (resources keyed by symbolic name).
//
// Semantics: "Using linked and nested templates" (Microsoft Learn, linked-templates.md): a nested template is a
// Microsoft.Resources/deployments resource with `properties.template`; expressionEvaluationOptions.scope
// "outer" (the default) evaluates it in the parent's scope, "inner" in its own, with `properties.parameters`
// passed in (evaluated in the parent). The page's exampleVar table (inner → "from nested template", outer →
// "from parent template") is replayed below. "Template syntax", languageVersion 2.0: `resources` is an object.
import { describe, expect, it } from 'vitest';
import { importAzureAutoscale } from '../../src/formats/azure/import.js';
import { detectFormat } from '../../src/formats/foreign.js';
import type { ImportResult } from '../../src/formats/import-context.js';
import { readDeploymentParameters } from '../../src/formats/azure/deployment-parameters.js';
import { ArmEvaluator } from '../../src/formats/azure/arm-expressions.js';

function imported(r: ImportResult) {
  if (!r.ok) throw new Error(`import failed: ${JSON.stringify(r.issues)}`);
  return r;
}
function issues(r: ImportResult) {
  if (r.ok) throw new Error('expected the import to fail');
  return r.issues;
}

const setting = (name: string, capacity: Record<string, string>, metricName = 'Percentage CPU') => ({
  type: 'Microsoft.Insights/autoscalesettings',
  apiVersion: '2022-10-01',
  name,
  location: '[resourceGroup().location]',
  properties: {
    enabled: true,
    targetResourceUri: "[resourceId('Microsoft.Compute/virtualMachineScaleSets', parameters('vmssName'))]",
    profiles: [
      {
        name: 'default',
        capacity,
        rules: [
          {
            metricTrigger: {
              metricName,
              metricResourceUri: "[resourceId('Microsoft.Compute/virtualMachineScaleSets', parameters('vmssName'))]",
              timeGrain: 'PT1M',
              statistic: 'Average',
              timeWindow: 'PT5M',
              timeAggregation: 'Average',
              operator: 'GreaterThan',
              threshold: 70,
            },
            scaleAction: { direction: 'Increase', type: 'ChangeCount', value: '1', cooldown: 'PT5M' },
          },
        ],
      },
    ],
  },
});

/** The shape Bicep writes for a module: an inner-scope deployment whose parameters are passed from the parent. */
function withModule(scope: 'inner' | 'outer' | undefined, passed: Record<string, unknown>) {
  return {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    parameters: { vmssName: { type: 'string', defaultValue: 'parentvmss' }, minCount: { type: 'int', defaultValue: 2 } },
    variables: { exampleVar: 'from parent template' },
    resources: [
      {
        type: 'Microsoft.Resources/deployments',
        apiVersion: '2022-09-01',
        name: 'autoscaleModule',
        properties: {
          ...(scope !== undefined && { expressionEvaluationOptions: { scope } }),
          mode: 'Incremental',
          parameters: passed,
          template: {
            $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
            contentVersion: '1.0.0.0',
            parameters: {
              vmssName: { type: 'string', defaultValue: 'nestedvmss' },
              minimum: { type: 'int', defaultValue: 1 },
              maximum: { type: 'int', defaultValue: 6 },
            },
            variables: { exampleVar: 'from nested template' },
            resources: [
              setting("[format('{0}-autoscale', variables('exampleVar'))]", {
                minimum: "[string(parameters('minimum'))]",
                maximum: "[string(parameters('maximum'))]",
                default: "[string(parameters('minimum'))]",
              }),
            ],
          },
        },
      },
    ],
  };
}

type Json = Record<string, unknown>;

describe('an autoscale setting in a nested deployment', () => {
  const passed = { vmssName: { value: "[parameters('vmssName')]" }, minimum: { value: "[parameters('minCount')]" } };

  it('is detected as Azure and found at its path inside properties.template', () => {
    expect(detectFormat('main.json', withModule('inner', passed))).toBe('azure');
    const t = withModule('inner', passed);
    t.resources[0]!.properties.template.resources[0]!.properties.profiles[0]!.capacity.maximum = 'many';
    expect(issues(importAzureAutoscale(t))).toContainEqual(
      expect.objectContaining({ path: 'resources[0].properties.template.resources[0].properties.profiles[0].capacity.maximum' }),
    );
  });

  it('scope "inner": the nested template\'s own variables and parameters, the passed values evaluated in the parent (the page\'s table: "from nested template")', () => {
    const r = imported(importAzureAutoscale(withModule('inner', passed)));
    expect(r.ruleSet.id).toBe('from-nested-template-autoscale');
    // minimum passed from the parent's minCount (2), maximum the nested default (6).
    expect(r.ruleSet.capacity).toEqual({ minimum: 2, maximum: 6, default: 2 });
    expect(r.ruleSet.targets?.[0]?.id).toBe('parentvmss');
  });

  it('scope "outer" or none: the parent\'s variables and parameters ("from parent template"); the nested declarations are not read', () => {
    for (const scope of ['outer', undefined] as const) {
      const t = withModule(scope, {});
      t.parameters = { ...t.parameters, minimum: { type: 'int', defaultValue: 3 }, maximum: { type: 'int', defaultValue: 9 } } as typeof t.parameters;
      const r = imported(importAzureAutoscale(t));
      expect(r.ruleSet.id).toBe('from-parent-template-autoscale');
      expect(r.ruleSet.capacity).toEqual({ minimum: 3, maximum: 9, default: 3 });
      expect(r.ruleSet.targets?.[0]?.id).toBe('parentvmss');
    }
  });

  it('scope "outer": a parameter only the nested template declares is not there, as in ARM', () => {
    expect(issues(importAzureAutoscale(withModule('outer', {})))).toContainEqual(
      expect.objectContaining({
        path: 'resources[0].properties.template.resources[0].properties.profiles[0].capacity.minimum',
        message: expect.stringContaining('the template has no parameter "minimum"'),
      }),
    );
  });

  it('scope "inner": a passed value that read the parent\'s deployment scope carries its placeholders, and its uniqueString() hash, into the nested template\'s notes', () => {
    const t = withModule('inner', { rg: { value: '[resourceGroup().id]' } }) as unknown as { resources: Array<{ properties: { template: Json } }> };
    const nested = t.resources[0]!.properties.template as { parameters: Json; resources: Array<Json> };
    nested.parameters = { ...nested.parameters, rg: { type: 'string' } };
    const uri = "[concat(parameters('rg'), '/providers/Microsoft.Compute/virtualMachineScaleSets/web')]";
    const s = nested.resources[0] as { name: string; location: string; properties: { targetResourceUri: string; profiles: Array<{ rules: Array<{ metricTrigger: Json }> }> } };
    s.name = "[format('web-{0}', uniqueString(parameters('rg')))]";
    s.location = 'westeurope';
    s.properties.targetResourceUri = uri;
    for (const rule of s.properties.profiles[0]!.rules) rule.metricTrigger.metricResourceUri = uri;
    const r = imported(importAzureAutoscale(t as unknown as Parameters<typeof importAzureAutoscale>[0]));
    expect(r.ruleSet.targets?.[0]?.labels?.['azure.resourceUri']).toBe('/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/virtualMachineScaleSets/web');
    expect(r.notes.some((n) => n.startsWith('ARM expressions were evaluated with the template\'s defaults'))).toBe(true);
    expect(r.notes.some((n) => n.startsWith('uniqueString() was given the deployment scope'))).toBe(true);
  });

  it('a passed value that cannot be evaluated, or a Key Vault reference, is reported where the nested template reads it', () => {
    const bad = { ...passed, minimum: { value: "[parameters('nope')]" }, vmssName: { reference: { keyVault: { id: 'kv' }, secretName: 's' } } };
    const r = importAzureAutoscale(withModule('inner', bad));
    expect(issues(r)).toContainEqual(
      expect.objectContaining({
        path: 'resources[0].properties.template.resources[0].properties.profiles[0].capacity.minimum',
        message: expect.stringContaining('parameter "minimum" is passed by the nested deployment "autoscaleModule", not evaluated: the template has no parameter "nope"'),
      }),
    );
    const ok = importAzureAutoscale(withModule('inner', { ...passed, vmssName: { reference: { keyVault: { id: 'kv' }, secretName: 's' } } }));
    expect(imported(ok).unsupported.find((u) => u.field === 'targetResourceUri')?.message).toContain('as a Key Vault reference, which needs Azure');
  });

  it('deployment parameters (--parameters) reach an inner template only through what the parent passes', () => {
    const t = withModule('inner', passed);
    const read = readDeploymentParameters({ minCount: { value: 4 } }, t);
    if (!read.ok) throw new Error(JSON.stringify(read.issues));
    expect(imported(importAzureAutoscale(t, { parameters: read.values })).ruleSet.capacity).toEqual({ minimum: 4, maximum: 6, default: 4 });
  });

  it('settings at the top level and in nested deployments are chosen among by name', () => {
    const t = withModule('inner', passed) as { resources: unknown[] };
    t.resources.push(setting('top', { minimum: '1', maximum: '2', default: '1' }));
    expect(issues(importAzureAutoscale(t))[0]!.message).toContain('the template holds 2 autoscale settings ("from nested template-autoscale", "top")');
    expect(imported(importAzureAutoscale(t, { name: 'top' })).ruleSet.capacity).toEqual({ minimum: 1, maximum: 2, default: 1 });
    expect(imported(importAzureAutoscale(t, { name: 'from nested template-autoscale' })).ruleSet.capacity).toEqual({ minimum: 2, maximum: 6, default: 2 });
  });

  it('a deployment to another resource group: with scope "inner" resourceGroup() and resourceId() describe that group, with "outer" the parent\'s', () => {
    const uri = (rg: string) => `/subscriptions/{subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachineScaleSets/parentvmss`;
    const inner = withModule('inner', passed) as { parameters: Record<string, unknown>; resources: Record<string, unknown>[] };
    inner.parameters.otherRg = { type: 'string', defaultValue: 'scaling-rg' };
    inner.resources[0]!.resourceGroup = "[parameters('otherRg')]";
    expect(imported(importAzureAutoscale(inner)).ruleSet.targets?.[0]?.labels).toEqual({ 'azure.resourceUri': uri('scaling-rg') });
    const outer = withModule('outer', {}) as { parameters: Record<string, unknown>; resources: Record<string, unknown>[] };
    outer.parameters = { ...outer.parameters, minimum: { type: 'int', defaultValue: 1 }, maximum: { type: 'int', defaultValue: 2 } };
    outer.resources[0]!.resourceGroup = 'scaling-rg';
    expect(imported(importAzureAutoscale(outer)).ruleSet.targets?.[0]?.labels).toEqual({ 'azure.resourceUri': uri('{resourceGroupName}') });
  });

  it("another resource group's location is its own placeholder, not the parent's", () => {
    const e = new ArmEvaluator({ parameters: {}, variables: {}, target: { resourceGroupName: 'rg2' } });
    expect(e.evaluateString('[resourceGroup()]')).toEqual({ id: '/subscriptions/{subscriptionId}/resourceGroups/rg2', name: 'rg2', location: '{location of resource group rg2}' });
    expect(e.evaluateString("[subscriptionResourceId('Microsoft.Resources/resourceGroups', 'x')]")).toBe(
      '/subscriptions/{subscriptionId}/providers/Microsoft.Resources/resourceGroups/x',
    );
  });

  it('a linked template (templateLink, a URL) is not fetched: no setting is found', () => {
    const t = { resources: [{ type: 'Microsoft.Resources/deployments', name: 'linked', properties: { templateLink: { uri: 'https://example.com/t.json' } } }] };
    expect(detectFormat('main.json', t)).toBe('native');
    expect(issues(importAzureAutoscale(t))[0]!.message).toContain('found none');
  });
});

describe('languageVersion 2.0: resources keyed by symbolic name', () => {
  const v2 = () => ({
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    languageVersion: '2.0',
    contentVersion: '1.0.0.0',
    parameters: { vmssName: { type: 'string', defaultValue: 'web' }, capacity: { type: 'int', defaultValue: 3 } },
    resources: {
      vmss: { type: 'Microsoft.Compute/virtualMachineScaleSets', apiVersion: '2023-09-01', name: "[parameters('vmssName')]", location: 'westeurope' },
      autoscale: setting('web-autoscale', { minimum: "[string(parameters('capacity'))]", maximum: '10', default: "[string(parameters('capacity'))]" }),
    },
  });

  it('is detected and imports; paths name the symbolic name', () => {
    expect(detectFormat('main.json', v2())).toBe('azure');
    const r = imported(importAzureAutoscale(v2()));
    expect(r.ruleSet.id).toBe('web-autoscale');
    expect(r.ruleSet.capacity).toEqual({ minimum: 3, maximum: 10, default: 3 });
    const t = v2();
    t.resources.autoscale.properties.profiles[0]!.rules[0]!.metricTrigger.timeGrain = 'soon';
    expect(issues(importAzureAutoscale(t))[0]!.path).toBe('resources.autoscale.properties.profiles[0].rules[0].metricTrigger.timeGrain');
  });

  it('deployment parameters apply to it', () => {
    const read = readDeploymentParameters({ capacity: { value: 5 } }, v2());
    if (!read.ok) throw new Error(JSON.stringify(read.issues));
    expect(imported(importAzureAutoscale(v2(), { parameters: read.values })).ruleSet.capacity).toEqual({ minimum: 5, maximum: 10, default: 5 });
  });

  it('a module (nested deployment) inside a 2.0 template, itself 2.0', () => {
    const inner = { ...v2(), parameters: { vmssName: { type: 'string' }, capacity: { type: 'int' } } };
    const outer = {
      languageVersion: '2.0',
      parameters: { name: { type: 'string', defaultValue: 'api' } },
      resources: {
        scaling: {
          type: 'Microsoft.Resources/deployments',
          name: 'scaling',
          properties: { expressionEvaluationOptions: { scope: 'inner' }, parameters: { vmssName: { value: "[parameters('name')]" }, capacity: { value: 2 } }, template: inner },
        },
      },
    };
    const r = imported(importAzureAutoscale(outer));
    expect(r.ruleSet.capacity).toEqual({ minimum: 2, maximum: 10, default: 2 });
    expect(r.ruleSet.targets?.[0]?.id).toBe('api');
  });
});
