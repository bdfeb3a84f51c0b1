// Reading AWS Auto Scaling inputs: CLI describe-* output and CloudFormation templates (JSON or YAML) into one model with paths.
//
// Accepted shapes (docs/importing.md, "AWS Auto Scaling"):
// - `aws autoscaling describe-policies` ({ ScalingPolicies }), `describe-scheduled-actions`
//   ({ ScheduledUpdateGroupActions }), `describe-auto-scaling-groups` ({ AutoScalingGroups }) and
//   `aws cloudwatch describe-alarms` ({ MetricAlarms }), alone or merged into one object
//   (`jq -s add`): describe-policies names its alarms but does not describe them;
// - a CloudFormation template whose Resources hold AWS::AutoScaling::AutoScalingGroup, ::ScalingPolicy,
//   ::ScheduledAction, AWS::CloudWatch::Alarm, AWS::ApplicationAutoScaling::ScalableTarget and
//   ::ScalingPolicy (property names as the CloudFormation resource reference spells them).
// CloudFormation intrinsics are resolved only where trivial: `Ref` of a parameter with a Default or of
// a resource (its logical id), `Fn::Sub` over those, `Fn::GetAtt [X, Arn]` in AlarmActions; anything
// else in a field the importer reads is refused with its path (AwsUnresolvedReference).
import { parse, type Tags } from 'yaml';
import { IMPORT_LIMITS } from '../../limits.js';
import type { AWS_IMPORT_CODES } from '../../schemas/codes.js';
import { isRecord } from '../../util/is-record.js';
import { checkValueBounds, type ValueBounds } from '../bounds.js';
import { joinPath, type ImportContext } from '../import-context.js';

export type AwsImportCode = (typeof AWS_IMPORT_CODES)[number];
type Json = Record<string, unknown>;

/** An AWS import problem: an ImportError with the AWS reason code. */
export function refuse(ctx: ImportContext, reason: AwsImportCode, path: string, message: string): undefined {
  ctx.issues.push({ code: 'ImportError', reason, path, message });
  return undefined;
}

/** A piece of the input left out or not honoured, with its reason code. */
export function leaveOut(ctx: ImportContext, reason: AwsImportCode, path: string, message: string): void {
  const field = path.split(/[.[]/).pop()!.replace(/]$/, '') || path;
  ctx.unsupported.push({ path, field, message, reason });
}

interface Located {
  /** The object as written (CloudFormation: its Properties). */
  props: Json;
  /** Path of `props` in the input. */
  path: string;
  /** Its name: PolicyName / ScheduledActionName / AutoScalingGroupName / AlarmName, or the logical id. */
  name: string;
  /** CloudFormation logical id, when from a template. */
  logicalId?: string;
}

export interface AwsGroupIn extends Located {
  kind: 'ec2' | 'application';
  /** Names the group is known by: logical id, AutoScalingGroupName, ResourceId. */
  aliases: string[];
}

export interface AwsPolicyIn extends Located {
  kind: 'ec2' | 'application';
  /** The group it belongs to, as named in the input (a logical id for a template). */
  group?: string;
}

export interface AwsActionIn extends Located {
  group?: string;
}

export interface AwsAlarmIn extends Located {
  /** The policies the alarm invokes: logical ids (template) or policy ARNs (describe-alarms). */
  actions: string[];
}

export interface AwsInput {
  source: 'cli' | 'cloudformation';
  groups: AwsGroupIn[];
  policies: AwsPolicyIn[];
  actions: AwsActionIn[];
  alarms: AwsAlarmIn[];
  /** Template parameters (name → Default, when it has one). */
  parameters: Map<string, unknown>;
  /** Logical ids of every resource of a template. */
  resources: Set<string>;
}

const VALUE_BOUNDS: ValueBounds = {
  maxDepth: IMPORT_LIMITS.nestingDepth,
  maxNodes: IMPORT_LIMITS.documentNodes,
  depthName: 'IMPORT_LIMITS.nestingDepth',
  nodesName: 'IMPORT_LIMITS.documentNodes',
};

/**
 * The short forms of CloudFormation's intrinsic functions in YAML (`!Ref X`, `!GetAtt X.Arn`, `!Sub …`),
 * read as their long forms ("Intrinsic function reference": each `!Name` is `Fn::Name`, `!Ref` is `Ref`).
 */
const INTRINSICS = [
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'And',
  'Equals',
  'If',
  'Not',
  'Or',
  'Condition',
  'Length',
  'ToJsonString',
];
const CFN_TAGS: Tags = [
  ...(['scalar', 'seq', 'map'] as const).map((node) => ({
    tag: '!Ref',
    collection: node === 'scalar' ? undefined : node,
    resolve: (v: unknown) => ({ Ref: v }),
  })),
  ...INTRINSICS.flatMap((name) =>
    (['scalar', 'seq', 'map'] as const).map((node) => ({
      tag: `!${name}`,
      collection: node === 'scalar' ? undefined : node,
      // `!GetAtt Res.Attr` is `Fn::GetAtt: [Res, Attr]`; `!Condition X` is `Condition: X`.
      resolve: (v: unknown) => (name === 'Condition' ? { Condition: v } : { [`Fn::${name}`]: name === 'GetAtt' && typeof v === 'string' ? v.split('.') : toJs(v) }),
    })),
  ),
] as unknown as Tags;

/** yaml hands collection tags its node; its toJSON gives the plain value. */
function toJs(v: unknown): unknown {
  return isRecord(v) && typeof (v as { toJSON?: unknown }).toJSON === 'function' ? (v as { toJSON: () => unknown }).toJSON() : v;
}

/** JSON or YAML text, or an already parsed value. */
export function parseInput(input: unknown, ctx: ImportContext): unknown {
  if (typeof input !== 'string') {
    const over = checkValueBounds(input, VALUE_BOUNDS);
    if (over) return refuse(ctx, 'AwsNotRecognised', over.path, `the input is ${over.message}`);
    return input;
  }
  if (input.length > IMPORT_LIMITS.manifestChars) {
    return refuse(
      ctx,
      'AwsNotRecognised',
      '',
      `the input has ${input.length} characters, more than ${IMPORT_LIMITS.manifestChars} (IMPORT_LIMITS.manifestChars); give only the scaling resources`,
    );
  }
  let value: unknown;
  try {
    // JSON is YAML; yaml's own alias limit (maxAliasCount) bounds expansion. uniqueKeys off: yaml's
    // duplicate-key check is quadratic in the keys of a mapping (hpa-manifest.ts measured a minute
    // for 60,000), so a repeated key keeps its last value, as JSON.parse keeps it.
    value = parse(input, { customTags: CFN_TAGS, uniqueKeys: false, maxAliasCount: IMPORT_LIMITS.yamlAliases });
  } catch (e) {
    return refuse(ctx, 'AwsNotRecognised', '', `not valid JSON or YAML: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  const over = checkValueBounds(value, VALUE_BOUNDS);
  if (over) return refuse(ctx, 'AwsNotRecognised', over.path, `the input is ${over.message}`);
  return value;
}

const CLI_KEYS = ['ScalingPolicies', 'ScheduledUpdateGroupActions', 'AutoScalingGroups', 'MetricAlarms'] as const;

/** Whether a parsed value is an AWS input this importer reads (used by format detection). */
export function looksLikeAws(v: unknown): boolean {
  if (!isRecord(v)) return false;
  if (CLI_KEYS.some((k) => Array.isArray(v[k])) && !('capacity' in v)) return true;
  return isRecord(v.Resources) && Object.values(v.Resources).some((r) => isRecord(r) && typeof r.Type === 'string' && /^AWS::(AutoScaling|ApplicationAutoScaling)::/.test(r.Type));
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Read the input into the model; undefined (with issues) when it is not an AWS input. */
export function readAws(value: unknown, ctx: ImportContext): AwsInput | undefined {
  if (!isRecord(value)) return refuse(ctx, 'AwsNotRecognised', '', 'expected a CloudFormation template or aws autoscaling describe-* output (a JSON object)');
  const out: AwsInput = { source: 'cli', groups: [], policies: [], actions: [], alarms: [], parameters: new Map(), resources: new Set() };
  if (isRecord(value.Resources)) {
    out.source = 'cloudformation';
    readTemplate(value, out, ctx);
    return out;
  }
  if (!CLI_KEYS.some((k) => Array.isArray(value[k]))) {
    return refuse(ctx, 'AwsNotRecognised', '', `expected a CloudFormation template (Resources) or describe-* output with ${CLI_KEYS.join(', ')}`);
  }
  const each = (key: string, fn: (o: Json, path: string) => void) => {
    const list = value[key];
    if (!Array.isArray(list)) return;
    list.forEach((o, i) => (isRecord(o) ? fn(o, `${key}[${i}]`) : refuse(ctx, 'AwsInvalidValue', `${key}[${i}]`, 'expected an object')));
  };
  each('AutoScalingGroups', (o, path) => {
    const name = str(o.AutoScalingGroupName) ?? `group-${out.groups.length + 1}`;
    out.groups.push({ kind: 'ec2', props: o, path, name, aliases: [name] });
  });
  each('ScalingPolicies', (o, path) => {
    const group = str(o.AutoScalingGroupName);
    out.policies.push({ kind: 'ec2', props: o, path, name: str(o.PolicyName) ?? `policy-${out.policies.length + 1}`, ...(group !== undefined && { group }) });
  });
  each('ScheduledUpdateGroupActions', (o, path) => {
    const group = str(o.AutoScalingGroupName);
    out.actions.push({ props: o, path, name: str(o.ScheduledActionName) ?? `action-${out.actions.length + 1}`, ...(group !== undefined && { group }) });
  });
  each('MetricAlarms', (o, path) => {
    const actions = Array.isArray(o.AlarmActions) ? o.AlarmActions.filter((a): a is string => typeof a === 'string') : [];
    out.alarms.push({ props: o, path, name: str(o.AlarmName) ?? `alarm-${out.alarms.length + 1}`, actions });
  });
  for (const key of Object.keys(value)) {
    if (!(CLI_KEYS as readonly string[]).includes(key) && key !== 'NextToken')
      leaveOut(ctx, 'AwsUnknownField', key, `"${key}" is not part of the describe-* output the importer reads and is left out`);
  }
  return out;
}

function readTemplate(t: Json, out: AwsInput, ctx: ImportContext): void {
  if (isRecord(t.Parameters)) {
    for (const [name, p] of Object.entries(t.Parameters)) if (isRecord(p) && 'Default' in p) out.parameters.set(name, p.Default);
  }
  const resources = t.Resources as Json;
  for (const id of Object.keys(resources)) out.resources.add(id);
  let others = 0;
  for (const [id, r] of Object.entries(resources)) {
    if (!isRecord(r)) continue;
    const path = `Resources.${id}.Properties`;
    const props = isRecord(r.Properties) ? r.Properties : {};
    const ref = (key: string) => {
      const v = props[key];
      if (isRecord(v) && typeof v.Ref === 'string') return v.Ref;
      return typeof v === 'string' ? v : undefined;
    };
    switch (r.Type) {
      case 'AWS::AutoScaling::AutoScalingGroup': {
        const name = str(props.AutoScalingGroupName);
        out.groups.push({ kind: 'ec2', props, path, name: id, logicalId: id, aliases: [id, ...(name ? [name] : [])] });
        break;
      }
      case 'AWS::ApplicationAutoScaling::ScalableTarget':
        out.groups.push({ kind: 'application', props, path, name: id, logicalId: id, aliases: [id] });
        break;
      case 'AWS::AutoScaling::ScalingPolicy': {
        const group = ref('AutoScalingGroupName');
        out.policies.push({ kind: 'ec2', props, path, name: str(props.PolicyName) ?? id, logicalId: id, ...(group !== undefined && { group }) });
        break;
      }
      case 'AWS::ApplicationAutoScaling::ScalingPolicy': {
        const group = ref('ScalingTargetId');
        out.policies.push({ kind: 'application', props, path, name: str(props.PolicyName) ?? id, logicalId: id, ...(group !== undefined && { group }) });
        break;
      }
      case 'AWS::AutoScaling::ScheduledAction': {
        const group = ref('AutoScalingGroupName');
        out.actions.push({ props, path, name: id, logicalId: id, ...(group !== undefined && { group }) });
        break;
      }
      case 'AWS::CloudWatch::Alarm': {
        const list = Array.isArray(props.AlarmActions) ? props.AlarmActions : [];
        // An action is `Ref: Policy` (the policy's ARN) or `Fn::GetAtt: [Policy, Arn]`.
        const actions = list.flatMap((a) =>
          typeof a === 'string'
            ? [a]
            : isRecord(a) && typeof a.Ref === 'string'
              ? [a.Ref]
              : isRecord(a) && Array.isArray(a['Fn::GetAtt']) && typeof a['Fn::GetAtt'][0] === 'string'
                ? [a['Fn::GetAtt'][0]]
                : [],
        );
        out.alarms.push({ props, path, name: str(props.AlarmName) ?? id, logicalId: id, actions });
        break;
      }
      default:
        others++;
    }
  }
  if (others > 0) ctx.notes.push(`${others} other resource(s) of the template are not scaling resources and are not read.`);
}

// ---------------------------------------------------------------------------------------------
// Field values, with CloudFormation's trivial intrinsics resolved

const PSEUDO = /^AWS::/;

/** A field's value with `Ref`/`Fn::Sub` resolved; undefined (with an issue) when it cannot be. */
function resolve(value: unknown, path: string, input: AwsInput, ctx: ImportContext): { value: unknown } | undefined {
  if (!isRecord(value) || input.source !== 'cloudformation') return { value };
  const keys = Object.keys(value);
  if (keys.length !== 1) return { value };
  const key = keys[0]!;
  const arg = value[key];
  if (key === 'Ref' && typeof arg === 'string') {
    if (input.parameters.has(arg)) return { value: input.parameters.get(arg) };
    if (input.resources.has(arg)) return { value: arg };
    const why = PSEUDO.test(arg) ? `the pseudo parameter ${arg} is known only to a deployed stack` : `parameter "${arg}" has no Default`;
    return refuse(ctx, 'AwsUnresolvedReference', joinPath(path, 'Ref'), `cannot resolve Ref ${arg}: ${why}; write the value in`);
  }
  if (key === 'Fn::Sub') {
    const [text, vars] =
      typeof arg === 'string' ? [arg, {}] : Array.isArray(arg) && typeof arg[0] === 'string' && isRecord(arg[1] ?? {}) ? [arg[0], (arg[1] ?? {}) as Json] : [undefined, {}];
    if (text === undefined) return refuse(ctx, 'AwsUnresolvedReference', joinPath(path, key), 'Fn::Sub expects a string, or a string and a map of variables');
    let failed: string | undefined;
    const result = text.replace(/\$\{([^}!]+)\}/g, (_m, name: string) => {
      const local = vars[name];
      if (typeof local === 'string' || typeof local === 'number') return String(local);
      const p = input.parameters.get(name);
      if (typeof p === 'string' || typeof p === 'number') return String(p);
      if (input.resources.has(name)) return name;
      failed ??= name;
      return '';
    });
    if (failed !== undefined)
      return refuse(ctx, 'AwsUnresolvedReference', joinPath(path, key), `cannot resolve \${${failed}} in Fn::Sub: only parameters with a Default and resources are resolved`);
    return { value: result };
  }
  if (key === 'Ref' || key.startsWith('Fn::')) {
    return refuse(
      ctx,
      'AwsUnresolvedReference',
      joinPath(path, key),
      `${key} is not resolved by the importer (only Ref and Fn::Sub of parameters with defaults are); write the value in`,
    );
  }
  return { value };
}

/** A numeric field (CloudFormation often writes numbers as strings): undefined when absent; null (with an issue) when not a number. */
export function num(obj: Json, key: string, path: string, input: AwsInput, ctx: ImportContext): number | undefined | null {
  if (!(key in obj) || obj[key] === null) return undefined;
  const r = resolve(obj[key], joinPath(path, key), input, ctx);
  if (!r) return null;
  const n = typeof r.value === 'number' ? r.value : typeof r.value === 'string' && r.value.trim() !== '' ? Number(r.value) : NaN;
  if (!Number.isFinite(n)) {
    refuse(ctx, 'AwsInvalidValue', joinPath(path, key), `${key} must be a number, got ${JSON.stringify(r.value)}`);
    return null;
  }
  return n;
}

/** A string field: undefined when absent; null (with an issue) when not a string. */
export function text(obj: Json, key: string, path: string, input: AwsInput, ctx: ImportContext): string | undefined | null {
  if (!(key in obj) || obj[key] === null) return undefined;
  const r = resolve(obj[key], joinPath(path, key), input, ctx);
  if (!r) return null;
  if (typeof r.value === 'number') return String(r.value);
  if (typeof r.value !== 'string') {
    refuse(ctx, 'AwsInvalidValue', joinPath(path, key), `${key} must be a string`);
    return null;
  }
  return r.value;
}

/** A boolean field (CloudFormation accepts "true"/"false"). */
export function bool(obj: Json, key: string, path: string, input: AwsInput, ctx: ImportContext): boolean | undefined | null {
  if (!(key in obj) || obj[key] === null) return undefined;
  const r = resolve(obj[key], joinPath(path, key), input, ctx);
  if (!r) return null;
  if (typeof r.value === 'boolean') return r.value;
  if (r.value === 'true' || r.value === 'false') return r.value === 'true';
  refuse(ctx, 'AwsInvalidValue', joinPath(path, key), `${key} must be true or false`);
  return null;
}
