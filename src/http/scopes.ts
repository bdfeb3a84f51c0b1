// What the request's credential may do: routes, delivery, targets and rule sets; each refusal is a 403 whose code names what was refused.
//
// Where each is checked (SECURITY.md, "Credentials and scopes"):
//   - the route (RouteNotAllowed) and `deliver: true` (DeliverNotAllowed) refuse the whole request
//     before anything is decided;
//   - a target id (TargetNotAllowed) or a rule set (RuleSetNotAllowed) outside the scope refuses that
//     target's entry only, like any other bad target: the rest of the batch is decided (207), and a
//     batch whose every target is refused answers the first refusal's 403.
import type { Context, MiddlewareHandler } from 'hono';
import type { ErrorBody, RequestedBy, TargetError } from '../schemas/decision.js';
import type { Env } from '../env.js';
import type { BatchAccess } from '../service/batch.js';
import type { Credential, RouteName } from './credentials.js';
import { errorResponse } from './errors.js';

/**
 * Glob match over a whole id: `*` any run of characters (also none), `?` exactly one, anything else
 * itself. Iterative with one backtrack point (the last `*`), so the time is O(pattern × id) at worst,
 * never exponential, whatever the pattern.
 */
export function globMatch(pattern: string, id: string): boolean {
  let p = 0;
  let s = 0;
  let star = -1;
  let mark = 0;
  while (s < id.length) {
    if (p < pattern.length && (pattern[p] === '?' || (pattern[p] !== '*' && pattern[p] === id[s]))) {
      p++;
      s++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = s;
    } else if (star >= 0) {
      p = star + 1;
      s = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

const matchesAny = (patterns: readonly string[], id: string) => patterns.some((p) => globMatch(p, id));

/** `requestedBy` of the decisions a credential asks for. */
export function requestedBy(credential: Credential): RequestedBy {
  return { credential: credential.id, kind: credential.kind };
}

const listed = (patterns: readonly string[]) => (patterns.length === 0 ? 'none' : patterns.map((p) => `"${p}"`).join(', '));

/** The credential of the request; the auth middleware always sets it before a /v1 route runs. */
export function credentialOf(c: Context): Credential {
  return c.get('edgescaleAuth').credential;
}

/** Route middleware: 403 RouteNotAllowed unless the credential was granted `route`. */
export function requireRoute(route: RouteName): MiddlewareHandler<{ Bindings: Env }> {
  return async (c, next) => {
    const credential = credentialOf(c);
    if (!credential.routes.includes(route)) {
      return errorResponse(c, {
        code: 'RouteNotAllowed',
        message: `credential "${credential.id}" may not call ${route} (it may call: ${credential.routes.join(', ')})`,
        path: 'url',
      });
    }
    return next();
  };
}

/** 403 DeliverNotAllowed for `deliver: true` from a credential without delivery; undefined when allowed or not asked. */
export function deliverRefusal(credential: Credential, body: unknown): ErrorBody | undefined {
  const asked = typeof body === 'object' && body !== null && (body as { deliver?: unknown }).deliver === true;
  if (!asked || credential.deliver) return undefined;
  return { code: 'DeliverNotAllowed', message: `credential "${credential.id}" may not ask for delivery to the actuator; send "deliver": false or use a credential with delivery`, path: 'deliver' };
}

/**
 * A cron tick's deliveries go to every target of every bundled rule set, so `POST /v1/scheduled`
 * with `deliver: true` needs a credential whose targets and bundled rule sets are unrestricted ("*").
 */
export function scheduledDeliverRefusal(credential: Credential): ErrorBody | undefined {
  if (credential.targets.includes('*') && credential.ruleSets.bundled.includes('*')) return undefined;
  return {
    code: 'TargetNotAllowed',
    message: `a delivered cron tick reaches every target of every bundled rule set; credential "${credential.id}" is limited to targets ${listed(credential.targets)} and bundled rule sets ${listed(credential.ruleSets.bundled)} (preview with "deliver": false instead)`,
    path: 'deliver',
  };
}

/** Whether a credential may see or change `target` decided by the bundled rule set `ruleSet` (used to filter previews). */
export function allowsBundled(credential: Credential, target: string, ruleSet: string): boolean {
  return matchesAny(credential.targets, target) && matchesAny(credential.ruleSets.bundled, ruleSet);
}

/** The per-target checks of POST /v1/evaluate for src/service/batch.ts, and who asked. */
export function batchAccess(credential: Credential, reserved: (id: string) => boolean): BatchAccess {
  return {
    requestedBy: requestedBy(credential),
    reserved,
    allow: ({ id, ruleSet }, prefix): TargetError | undefined => {
      if (!matchesAny(credential.targets, id)) {
        return { code: 'TargetNotAllowed', message: `credential "${credential.id}" may not ask for decisions for target "${id}" (its targets: ${listed(credential.targets)})`, path: `${prefix}.id` };
      }
      const { bundled, inline, imported } = credential.ruleSets;
      if (ruleSet.source === 'bundled' && !matchesAny(bundled, ruleSet.id)) {
        return { code: 'RuleSetNotAllowed', message: `credential "${credential.id}" may not decide with the bundled rule set "${ruleSet.id}" (its bundled rule sets: ${listed(bundled)})`, path: `${prefix}.ruleSet` };
      }
      if ((ruleSet.source === 'inline' && !inline) || (ruleSet.source === 'imported' && !imported)) {
        const what = ruleSet.source === 'inline' ? 'an inline rule set' : 'an imported rule set ({ "azure": … } or { "hpa": … })';
        return { code: 'RuleSetNotAllowed', message: `credential "${credential.id}" may not decide with ${what}; name a bundled rule set instead`, path: `${prefix}.ruleSet` };
      }
      return undefined;
    },
  };
}
