// A small, safe evaluator for the ARM template expressions found in autoscale settings: no eval, bounded
// length, nesting and reference depth; anything it does not know is an error with a reason, never a crash.
//
// Sources (Microsoft Learn, Azure Resource Manager templates):
// - "Syntax and expressions in ARM templates" (template-expressions.md): an expression is a JSON string
//   that starts with "[" and ends with "]"; a string starting with "[[" is a literal starting with "[";
//   string literals are in single quotes, a quote inside one is written twice ('don''t'); functions nest;
//   a property of a function's result is read with "." and an element with "[index]".
// - "Parameters in ARM templates": a parameter's `defaultValue` is used when no value is passed; it may
//   itself be an expression. Parameter and variable names are case-insensitive.
// - "Variables in ARM templates": a variable's value may be an expression, an object or an array whose
//   strings are expressions; variables may use other variables.
// - "Template functions - string": concat (strings or arrays), format (composite formatting, "{0}"
//   placeholders, "{{" and "}}" for literal braces), toLower, toUpper.
// - "Template functions - resource": resourceId([subscriptionId], [resourceGroupName], resourceType,
//   resourceName1, [resourceName2], …) returns
//   "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/{resourceProviderNamespace}/{resourceType}/{resourceName}";
//   subscription() and resourceGroup() describe the deployment's scope.
// - "Template functions - logical": if(condition, trueValue, falseValue): "When the condition is True, only
//   the true value is evaluated", and the reverse; evaluated so here. The other functions: arm-functions.ts.
// - "Template functions - resource": subscriptionResourceId([subscriptionId], resourceType, resourceName1, …)
//   returns "/subscriptions/{subscriptionId}/providers/{resourceProviderNamespace}/{resourceType}/{resourceName}".
// - "Template limits" (best-practices.md): an expression is at most 24,576 characters.
//
// edgescale deploys nothing, so the deployment scope is unknown: the subscription id, resource group name
// and location become the placeholders below, which keep two resource ids apart exactly as ARM would.
import { isRecord } from '../../util/is-record.js';
import { ArmExpressionError, bounded, MAX_VALUE_NODES, PURE_FUNCTION_NAMES, pureFunction, asText, type ArmValue } from './arm-functions.js';

export { ArmExpressionError, type ArmValue } from './arm-functions.js';

/** Placeholders for what only a deployment knows (subscription(), resourceGroup(), resourceId's defaults). */
export const ARM_PLACEHOLDERS = {
  subscriptionId: '{subscriptionId}',
  resourceGroupName: '{resourceGroupName}',
  location: '{resourceGroupLocation}',
} as const;

/** ARM's own limit on one expression ("Template limits": 24,576 characters). */
const MAX_EXPRESSION_LENGTH = 24_576;
/** Nested calls and accessors in one expression: real templates nest a handful; this bounds the parser's recursion. */
const MAX_NESTING = 32;
/** variables() and parameters() referring to further expressions: bounds a chain (a cycle is reported as one). */
const MAX_REFERENCE_DEPTH = 32;
/** The functions that read the template or the deployment scope, evaluated here; the rest are arm-functions.ts's. */
const SCOPE_FUNCTIONS = ['parameters', 'variables', 'concat', 'format', 'if', 'resourceId', 'subscriptionResourceId', 'subscription', 'resourceGroup'];
export const SUPPORTED_LIST = [...SCOPE_FUNCTIONS, ...PURE_FUNCTION_NAMES].join(', ');
/** Functions whose value only Azure or the deployment has ("Template functions - resource / deployment / date"). */
const DEPLOYMENT_FUNCTIONS = /^(reference|list\w*|deployment|environment|tenant|managementGroup|pickZones|providers|newGuid|utcNow|copyIndex)$/i;
const unsupported = (name: string): string =>
  `the template function ${name}() is not supported${DEPLOYMENT_FUNCTIONS.test(name) ? ': its value comes from Azure or the deployment' : ''} (docs/importing.md lists the supported ones)`;
const isSupported = (name: string): boolean => SCOPE_FUNCTIONS.some((f) => f.toLowerCase() === name.toLowerCase()) || pureFunction(name) !== undefined;

/** The template sections an expression can read. */
export interface ArmScope {
  parameters: Record<string, unknown>;
  variables: Record<string, unknown>;
  /** Values passed at deployment by the template's parameter names (deployment-parameters.ts): used instead of defaultValue, as literals. */
  values?: Record<string, unknown>;
  /** Parameters a parent deployment passes that could not be evaluated, with why (a nested template's, read.ts). */
  unresolved?: Record<string, string>;
  /** Where a nested deployment with inner scope deploys (its `subscriptionId`, `resourceGroup`): what subscription() and resourceGroup() then describe. */
  target?: { subscriptionId?: string; resourceGroupName?: string };
  /**
   * Of `values` a parent deployment evaluated (an inner-scope nested template's): the names, lower-cased, whose value
   * read the deployment scope, and those that hashed it with uniqueString(). A reference to one carries that on.
   */
  scopedValues?: ReadonlySet<string>;
  hashedValues?: ReadonlySet<string>;
}

/** The deployment scope an evaluation sees: the placeholders, or a nested deployment's own target. */
function targetOf(scope: ArmScope): { subscriptionId: string; resourceGroupName: string; location: string } {
  const rg = scope.target?.resourceGroupName;
  return {
    subscriptionId: scope.target?.subscriptionId ?? ARM_PLACEHOLDERS.subscriptionId,
    resourceGroupName: rg ?? ARM_PLACEHOLDERS.resourceGroupName,
    location: rg === undefined ? ARM_PLACEHOLDERS.location : `{location of resource group ${rg}}`,
  };
}

/** "[…]" but not "[[…" (the escape of a literal "["). */
const isArmExpression = (text: string): boolean => /^\[(?!\[)[\s\S]*\]$/.test(text.trim());

/** The template's parameters and variables, read without regard to case as ARM reads names. */
export function scopeOf(template: unknown, values?: Record<string, unknown>): ArmScope {
  const section = (key: string): Record<string, unknown> => {
    if (!isRecord(template)) return {};
    const k = Object.keys(template).find((x) => x.toLowerCase() === key);
    const v = k === undefined ? undefined : template[k];
    return isRecord(v) ? v : {};
  };
  return { parameters: section('parameters'), variables: section('variables'), ...(values !== undefined && { values }) };
}

type Token = { kind: 'str' | 'num' | 'ident' | 'punct'; text: string; at: number };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let s = '';
      let j = i + 1;
      for (;;) {
        if (j >= src.length) throw new ArmExpressionError(`unterminated string literal at ${i}`);
        if (src[j] === "'") {
          if (src[j + 1] === "'") {
            s += "'";
            j += 2;
            continue;
          }
          break;
        }
        s += src[j];
        j++;
      }
      out.push({ kind: 'str', text: s, at: i });
      i = j + 1;
    } else if (/[-0-9]/.test(c)) {
      const m = /^-?\d+(\.\d+)?/.exec(src.slice(i));
      if (!m) throw new ArmExpressionError(`unexpected "${c}" at ${i}`);
      out.push({ kind: 'num', text: m[0], at: i });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      out.push({ kind: 'ident', text: m[0], at: i });
      i += m[0].length;
    } else if ('(),.[]'.includes(c)) {
      out.push({ kind: 'punct', text: c, at: i });
      i++;
    } else throw new ArmExpressionError(`unexpected "${c}" at ${i}`);
  }
  return out;
}

type Node = { kind: 'lit'; value: ArmValue } | { kind: 'call'; name: string; args: Node[] } | { kind: 'prop'; of: Node; name: string } | { kind: 'index'; of: Node; index: Node };

function parse(src: string): Node {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = () => tokens[pos];
  const expect = (text: string) => {
    const t = tokens[pos];
    if (!t || t.text !== text || t.kind !== 'punct') throw new ArmExpressionError(`expected "${text}" at ${t ? t.at : src.length}`);
    pos++;
  };
  const node = (depth: number): Node => {
    if (depth > MAX_NESTING) throw new ArmExpressionError(`nested deeper than ${MAX_NESTING} levels`);
    const t = tokens[pos++];
    if (!t) throw new ArmExpressionError('unexpected end of expression');
    let n: Node;
    if (t.kind === 'str') n = { kind: 'lit', value: t.text };
    else if (t.kind === 'num') n = { kind: 'lit', value: Number(t.text) };
    else if (t.kind === 'ident') {
      if (peek()?.text === '(') {
        pos++;
        const args: Node[] = [];
        if (peek()?.text !== ')') {
          for (;;) {
            args.push(node(depth + 1));
            if (peek()?.text === ',') pos++;
            else break;
          }
        }
        expect(')');
        n = { kind: 'call', name: t.text, args };
      } else if (/^(true|false)$/i.test(t.text)) n = { kind: 'lit', value: t.text.toLowerCase() === 'true' };
      else throw new ArmExpressionError(`"${t.text}" at ${t.at} is neither a function call nor a literal`);
    } else throw new ArmExpressionError(`unexpected "${t.text}" at ${t.at}`);
    // Accessors: result.property and result[index].
    for (let k = 0; peek()?.text === '.' || peek()?.text === '['; k++) {
      if (depth + k > MAX_NESTING) throw new ArmExpressionError(`nested deeper than ${MAX_NESTING} levels`);
      if (peek()!.text === '.') {
        pos++;
        const id = tokens[pos++];
        if (!id || id.kind !== 'ident') throw new ArmExpressionError(`expected a property name after "."`);
        n = { kind: 'prop', of: n, name: id.text };
      } else {
        pos++;
        const index = node(depth + 1);
        expect(']');
        n = { kind: 'index', of: n, index };
      }
    }
    return n;
  };
  const root = node(0);
  if (pos !== tokens.length) throw new ArmExpressionError(`unexpected "${tokens[pos]!.text}" at ${tokens[pos]!.at}`);
  return root;
}

const findKey = (obj: Record<string, unknown>, name: string): string | undefined => {
  if (name in obj) return name;
  const lower = name.toLowerCase();
  return Object.keys(obj).find((k) => k.toLowerCase() === lower);
};

/** Evaluates expressions against one template's parameters and variables, each reference resolved once. */
export class ArmEvaluator {
  private readonly cache = new Map<string, { value: ArmValue; scoped: boolean }>();
  private readonly active: string[] = [];
  /** Whether what is being evaluated read the deployment scope (its placeholders), through references too. */
  private scoped = false;
  /** Set once uniqueString() hashed a value read from the deployment scope: a hash of the placeholders, not the deployed one. */
  hashedScope = false;

  constructor(private readonly scope: ArmScope) {}

  /** A JSON value with every expression string in it evaluated; "[[" literals lose their first "[". */
  resolve(value: unknown): ArmValue {
    let nodes = 0;
    const walk = (v: unknown): ArmValue => {
      if (++nodes > MAX_VALUE_NODES) throw new ArmExpressionError(`a value with more than ${MAX_VALUE_NODES} parts`);
      if (typeof v === 'string') return this.evaluateString(v);
      if (Array.isArray(v)) return v.map(walk);
      if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
      if (typeof v === 'number' || typeof v === 'boolean' || v === null) return v;
      throw new ArmExpressionError('not a JSON value');
    };
    return walk(value);
  }

  /** A string as ARM reads it: an expression is evaluated, "[[…" is the literal "[…", anything else is itself. */
  evaluateString(source: string): ArmValue {
    const trimmed = source.trim();
    if (trimmed.startsWith('[[')) return trimmed.slice(1);
    if (!isArmExpression(trimmed)) return source;
    if (trimmed.length > MAX_EXPRESSION_LENGTH) throw new ArmExpressionError(`the expression is longer than ARM's ${MAX_EXPRESSION_LENGTH} characters`);
    return this.evaluate(parse(trimmed.slice(1, -1)));
  }

  /** evaluateString, and whether the value depends on the deployment scope (subscription, resource group, location). */
  evaluateScoped(source: string): { value: ArmValue; scoped: boolean } {
    return this.tracked(() => this.evaluateString(source));
  }

  /** resolve, and whether the value depends on the deployment scope. */
  resolveScoped(value: unknown): { value: ArmValue; scoped: boolean } {
    return this.tracked(() => this.resolve(value));
  }

  /** `f`'s value and whether it read the deployment scope; what is being evaluated around it keeps its own flag, or'd with it. */
  private tracked(f: () => ArmValue): { value: ArmValue; scoped: boolean } {
    const outer = this.scoped;
    this.scoped = false;
    try {
      const value = f();
      return { value, scoped: this.scoped };
    } finally {
      this.scoped = outer || this.scoped;
    }
  }

  private reference(kind: 'parameters' | 'variables', args: ArmValue[]): ArmValue {
    if (args.length !== 1 || typeof args[0] !== 'string') throw new ArmExpressionError(`${kind}() takes one name in quotes`);
    const section = this.scope[kind];
    const key = findKey(section, args[0]);
    const what = kind === 'parameters' ? 'parameter' : 'variable';
    if (key === undefined) throw new ArmExpressionError(`the template has no ${what} "${args[0]}"`);
    const id = `${kind}:${key.toLowerCase()}`;
    const cached = this.cache.get(id);
    if (cached !== undefined) {
      this.scoped ||= cached.scoped;
      return cached.value;
    }
    if (this.active.includes(id)) throw new ArmExpressionError(`${what} "${key}" refers to itself`);
    if (this.active.length >= MAX_REFERENCE_DEPTH) throw new ArmExpressionError(`references nest deeper than ${MAX_REFERENCE_DEPTH}`);
    let raw = section[key];
    const failed = kind === 'parameters' && this.scope.unresolved !== undefined ? findKey(this.scope.unresolved, key) : undefined;
    if (failed !== undefined) throw new ArmExpressionError(`parameter "${key}" is ${this.scope.unresolved![failed]}`);
    const passed = kind === 'parameters' && this.scope.values !== undefined ? findKey(this.scope.values, key) : undefined;
    if (passed !== undefined) {
      // A value passed at deployment is a literal (ARM evaluates no expression in it), checked against the declaration
      // already; one a parent evaluated may have read (or hashed) the parent's deployment scope.
      const value = this.scope.values![passed] as ArmValue;
      const scoped = this.scope.scopedValues?.has(passed.toLowerCase()) === true;
      if (this.scope.hashedValues?.has(passed.toLowerCase())) this.hashedScope = true;
      this.cache.set(id, { value, scoped });
      this.scoped ||= scoped;
      return value;
    }
    if (kind === 'parameters') {
      const dv = isRecord(raw) ? findKey(raw, 'defaultValue') : undefined;
      if (!isRecord(raw) || dv === undefined) {
        throw new ArmExpressionError(`parameter "${key}" has no defaultValue; pass its value in the deployment parameters (the API's \`parameters\`, the CLI's --parameters FILE)`);
      }
      raw = raw[dv];
    }
    this.active.push(id);
    const outer = this.scoped;
    this.scoped = false;
    try {
      const value = this.resolve(raw);
      this.cache.set(id, { value, scoped: this.scoped });
      return value;
    } catch (e) {
      if (e instanceof ArmExpressionError && !e.message.includes(`${what} "${key}"`)) throw new ArmExpressionError(`${what} "${key}": ${e.message}`);
      throw e;
    } finally {
      this.scoped = outer || this.scoped;
      this.active.pop();
    }
  }

  private evaluate(n: Node): ArmValue {
    switch (n.kind) {
      case 'lit':
        return n.value;
      case 'prop': {
        const of = this.evaluate(n.of);
        const key = isRecord(of) ? findKey(of, n.name) : undefined;
        if (!isRecord(of) || key === undefined) throw new ArmExpressionError(`no property "${n.name}"`);
        return (of as Record<string, ArmValue>)[key]!;
      }
      case 'index': {
        const of = this.evaluate(n.of);
        const index = this.evaluate(n.index);
        if (Array.isArray(of) && typeof index === 'number' && Number.isInteger(index) && index >= 0 && index < of.length) return of[index]!;
        if (isRecord(of) && typeof index === 'string') {
          const key = findKey(of, index);
          if (key !== undefined) return (of as Record<string, ArmValue>)[key]!;
        }
        throw new ArmExpressionError(`no element [${JSON.stringify(index)}]`);
      }
      case 'call': {
        // The outermost unsupported function is the one named, before its arguments are evaluated.
        if (!isSupported(n.name)) throw new ArmExpressionError(unsupported(n.name));
        if (n.name.toLowerCase() === 'if') return this.conditional(n.args);
        const outer = this.scoped;
        this.scoped = false;
        const args = n.args.map((a) => this.evaluate(a));
        if (this.scoped && n.name.toLowerCase() === 'uniquestring') this.hashedScope = true;
        this.scoped ||= outer;
        return this.call(n.name, args);
      }
    }
  }

  /** if(condition, trueValue, falseValue): only the chosen value is evaluated ("Template functions - logical"). */
  private conditional(args: Node[]): ArmValue {
    if (args.length !== 3) throw new ArmExpressionError(`if() takes 3 arguments (condition, trueValue, falseValue), got ${args.length}`);
    const condition = this.evaluate(args[0]!);
    if (typeof condition !== 'boolean') throw new ArmExpressionError(`if() needs a boolean condition, got ${JSON.stringify(condition)}`);
    return this.evaluate(condition ? args[1]! : args[2]!);
  }

  private call(name: string, args: ArmValue[]): ArmValue {
    switch (name.toLowerCase()) {
      case 'parameters':
        return this.reference('parameters', args);
      case 'variables':
        return this.reference('variables', args);
      case 'concat':
        // "Combines multiple arrays and returns the concatenated array, or combines multiple string values"; null is skipped.
        if (args.length > 0 && args.every(Array.isArray)) {
          const joined = args.flat();
          if (joined.length > MAX_VALUE_NODES) throw new ArmExpressionError(`concat(): an array of more than ${MAX_VALUE_NODES} elements`);
          return joined;
        }
        return bounded(args.filter((a) => a !== null).map((a) => asText(a, 'concat')).join(''));
      case 'format': {
        const [fmt, ...rest] = args;
        if (typeof fmt !== 'string') throw new ArmExpressionError('format() takes a format string first');
        const out = fmt.replace(/\{\{|\}\}|\{(\d+)(?:([,:])[^}]*)?\}|[{}]/g, (m, index: string | undefined, spec: string | undefined) => {
          if (m === '{{') return '{';
          if (m === '}}') return '}';
          if (index === undefined) throw new ArmExpressionError(`format(): unmatched "${m}" in ${JSON.stringify(fmt)}`);
          if (spec !== undefined) throw new ArmExpressionError(`format(): alignment and format specifiers ("${m}") are not supported`);
          const v = rest[Number(index)];
          if (v === undefined) throw new ArmExpressionError(`format(): no argument ${index} for ${JSON.stringify(fmt)}`);
          return v === null ? '' : asText(v, 'format'); // String.Format prints null as nothing
        });
        return bounded(out);
      }
      case 'subscription':
        if (args.length !== 0) throw new ArmExpressionError('subscription() takes no arguments');
        this.scoped = true;
        return { id: `/subscriptions/${targetOf(this.scope).subscriptionId}`, subscriptionId: targetOf(this.scope).subscriptionId };
      case 'resourcegroup': {
        if (args.length !== 0) throw new ArmExpressionError('resourceGroup() takes no arguments');
        this.scoped = true;
        const t = targetOf(this.scope);
        return { id: `/subscriptions/${t.subscriptionId}/resourceGroups/${t.resourceGroupName}`, name: t.resourceGroupName, location: t.location };
      }
      case 'resourceid': {
        const id = resourceIdOf(args, targetOf(this.scope));
        if (id.scoped) this.scoped = true;
        return bounded(id.id);
      }
      case 'subscriptionresourceid': {
        const id = subscriptionResourceIdOf(args, targetOf(this.scope));
        if (id.scoped) this.scoped = true;
        return bounded(id.id);
      }
      default: {
        const fn = pureFunction(name);
        if (fn === undefined) throw new ArmExpressionError(unsupported(name));
        return fn(args, name);
      }
    }
  }
}

/** The provider path of a resource type and its names: Microsoft.Network/virtualNetworks/subnets, [vnet, sub] → Microsoft.Network/virtualNetworks/vnet/subnets/sub. */
function typedPath(fn: string, type: string, names: string[]): string {
  const [namespace, ...types] = type.split('/');
  if (types.length === 0 || names.length !== types.length) {
    throw new ArmExpressionError(`${fn}(): type "${type}" takes ${types.length} resource name(s), got ${names.length}`);
  }
  return `${namespace}/${types.map((t, i) => `${t}/${names[i]}`).join('/')}`;
}

/** subscriptionResourceId([subscriptionId], resourceType, resourceName1, …): the type is the first argument holding a "/". */
function subscriptionResourceIdOf(args: ArmValue[], target: { subscriptionId: string }): { id: string; scoped: boolean } {
  const strings = args.map((a) => asText(a, 'subscriptionResourceId'));
  const at = strings.findIndex((s) => s.includes('/'));
  if (at < 0 || at > 1) throw new ArmExpressionError('subscriptionResourceId() needs a resource type such as "Microsoft.Resources/resourceGroups"');
  const sub = at === 1 ? strings[0]! : target.subscriptionId;
  return { id: `/subscriptions/${sub}/providers/${typedPath('subscriptionResourceId', strings[at]!, strings.slice(at + 1))}`, scoped: at === 0 };
}

/**
 * resourceId([subscriptionId], [resourceGroupName], resourceType, resourceName1, …): the resource type
 * is the first argument holding a "/"; before it come at most a resource group or a subscription and a
 * resource group, else the deployment's (placeholders here). A type with n segments after the
 * namespace takes n names: Microsoft.Network/virtualNetworks/subnets → …/virtualNetworks/{n1}/subnets/{n2}.
 */
function resourceIdOf(args: ArmValue[], target: { subscriptionId: string; resourceGroupName: string }): { id: string; scoped: boolean } {
  const strings = args.map((a) => asText(a, 'resourceId'));
  const at = strings.findIndex((s) => s.includes('/'));
  if (at < 0 || at > 2) throw new ArmExpressionError('resourceId() needs a resource type such as "Microsoft.Compute/virtualMachineScaleSets"');
  const sub = at === 2 ? strings[0]! : target.subscriptionId;
  const rg = at >= 1 ? strings[at - 1]! : target.resourceGroupName;
  return { id: `/subscriptions/${sub}/resourceGroups/${rg}/providers/${typedPath('resourceId', strings[at]!, strings.slice(at + 1))}`, scoped: at < 2 };
}
