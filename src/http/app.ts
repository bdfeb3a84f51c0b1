// The HTTP API (hono): routes, validation at the edge, and nothing else; the engine does the work.
import { Hono, type Context } from 'hono';
import type { ProfileChangeDecision } from '../schemas/decision.js';
import type { Env } from '../env.js';
import { ENGINE_VERSION } from '../engine/decide.js';
import { loadRuleSet, zodIssues } from '../engine/ruleset.js';
import { lintRuleSet } from '../engine/lint/index.js';
import { toEpochMs } from '../syntax/duration.js';
import { ScheduledRequest } from '../schema.js';
import { runScheduled } from '../cron/scheduled.js';
import { bundledRuleSets, resolveBundled } from '../rulesets/bundled.js';
import { evaluateBatch } from '../service/batch.js';
import { simulateRequest } from '../service/simulate.js';
import { importWrapped } from '../formats/foreign.js';
import { configuredActuators, deliverAll, liveDeps, unknownActuatorIssue } from '../delivery/wiring.js';
import { consoleSink, type Logger } from '../observability/log.js';
import { envLoggers } from '../observability/env-logger.js';
import { logDecisions, type Observer } from '../observability/outcomes.js';
import { requestLog } from './request-log.js';
import { createAuth, devSwitchOn } from './auth.js';
import { loadCredentials } from './credentials.js';
import { jsonBodiesOnly, originGuard } from './csrf.js';
import { workerdLocality, type Locality } from './locality.js';
import { allowsBundled, batchAccess, credentialOf, deliverRefusal, requestedBy, requireRoute, scheduledDeliverRefusal } from './scopes.js';
import { readJson, requestLimits } from './body.js';
import { limitSource } from '../limits.js';
import { errorResponse, statusOf } from './errors.js';
import { triggerCronProblem } from './cron-pattern.js';
import { internalFailure, type InternalFailure } from '../service/internal-error.js';
import { resultsAtTraceLevel } from '../service/trace-level.js';
import pkg from '../../package.json';
import { docsContentSecurityPolicy, docsHtml, openApiDocument } from './docs-page.js';
import { playgroundContentSecurityPolicy, playgroundHtml } from './playground-page.js';

export interface AppOptions {
  /** The clock, used only when a request carries no `now`. */
  clock?: () => number;
  /** Whether a request came from this machine, for the dev switch: workerd's by default, the TCP peer's under Node (src/http/locality.ts). */
  locality?: Locality;
  /** The logger of an environment (src/observability/env-logger.ts); default: JSON lines through console, as the worker logs. */
  loggerFor?: (env: Env) => Logger;
  /**
   * Who is told each batch's results and each delivery's in an environment: `edgescale serve`'s Prometheus metrics,
   * the worker's Analytics Engine dataset when one is bound (src/observability/analytics.ts), or nobody.
   */
  observerFor?: (env: Env) => Observer | undefined;
  /**
   * GET /metrics's answer (Prometheus text, src/cli/metrics.ts); the route exists only when this is
   * set, under `edgescale serve`. It takes a credential like /v1, with the route `GET /metrics`.
   */
  metrics?: () => Promise<{ contentType: string; body: string }>;
  /** Milliseconds for durations (request records, evaluate latency); default performance.now. */
  now?: () => number;
}

export function createApp(options: AppOptions = {}) {
  const clock = options.clock ?? (() => Date.now());
  const locality = options.locality ?? workerdLocality();
  const loggerFor = options.loggerFor ?? envLoggers(consoleSink);
  const now = options.now ?? (() => performance.now());
  const observerFor = options.observerFor ?? (() => undefined);
  const app = new Hono<{ Bindings: Env }>();

  // First: every request gets its id (X-Request-Id) and logger, and one `request` record once answered.
  app.use('*', requestLog(loggerFor, now));
  const auth = createAuth({ clock, locality });

  // What auth a request from here would meet; no secret and no credential id is told.
  const authSummary = (c: Context<{ Bindings: Env }>): string => {
    const env = c.env ?? {};
    const set = loadCredentials(env);
    if (!set.ok) return 'NOT CONFIGURED (see the server log)';
    if (devSwitchOn(env) && locality(c)) return 'DISABLED (dev only)';
    const schemes = [set.tokens.length > 0 && 'bearer', set.webhooks.length > 0 && 'webhook signature (POST /v1/evaluate)'].filter(Boolean);
    return schemes.length > 0 ? schemes.join(', ') : 'NOT CONFIGURED (see the server log)';
  };

  app.get('/healthz', (c) => c.json({ status: 'ok', version: pkg.version, engine: ENGINE_VERSION, auth: authSummary(c), ruleSets: bundledRuleSets().size }));

  // The API description, generated from the zod schemas (src/openapi.ts), and a page that renders it; no token needed.
  app.get('/openapi.json', (c) => c.json(openApiDocument()));
  app.get('/docs', (c) => {
    c.header('Content-Security-Policy', docsContentSecurityPolicy());
    return c.html(docsHtml());
  });
  // The playground: a static page (no secret in it); its API calls carry the token the user pastes, same origin only.
  app.get('/playground', (c) => {
    c.header('Content-Security-Policy', playgroundContentSecurityPolicy());
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    return c.html(playgroundHtml());
  });

  // Order: a foreign web page is refused before anything else (and an allowed one's preflight answered
  // without credentials); then who is calling; then POST bodies only as JSON unless signed. Each route
  // then checks its own scope (requireRoute) before reading anything.
  // A page of this server itself (the playground) is not a foreign one: a request its browser marks
  // `Sec-Fetch-Site: same-origin` (a header no page can set) whose Origin is the request's own origin
  // skips the Origin check, and still needs credentials like any other.
  app.use('/v1/*', (c, next) => (sameOriginPage(c) ? next() : originGuard(c, next)), auth, jsonBodiesOnly);

  // Prometheus text exposition (`edgescale serve` only): authenticated as /v1 is, so a scoped token
  // granted only `GET /metrics` is what a Prometheus server needs (docs/operations.md).
  const metrics = options.metrics;
  if (metrics) {
    app.get('/metrics', (c, next) => (sameOriginPage(c) ? next() : originGuard(c, next)), auth, requireRoute('GET /metrics'), async (c) => {
      const { contentType, body } = await metrics();
      return c.body(body, 200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
    });
  }

  app.get('/v1/rulesets', requireRoute('GET /v1/rulesets'), (c) => {
    const ruleSets = [...bundledRuleSets().values()].map((e) => ({
      id: e.id,
      file: `rules/${e.file}`,
      valid: e.ruleSet !== undefined,
      ...(e.imported && { imported: e.imported }),
      ...(e.ruleSet && {
        description: e.ruleSet.spec.description,
        capacity: e.ruleSet.spec.capacity,
        rules: e.ruleSet.spec.rules.map((r) => ({ id: r.id, direction: r.direction })),
      }),
      ...(e.issues && { issues: e.issues }),
    }));
    return c.json({ ruleSets });
  });

  app.get('/v1/rulesets/:id', requireRoute('GET /v1/rulesets'), (c) => {
    const entry = bundledRuleSets().get(c.req.param('id'));
    if (!entry) {
      return errorResponse(c, { code: 'NotFound', message: `no bundled rule set has the id "${c.req.param('id')}"`, path: 'params.id' });
    }
    return c.json(
      entry.ruleSet
        ? { id: entry.id, valid: true, ...(entry.imported && { imported: entry.imported }), ruleSet: entry.ruleSet.spec }
        : { id: entry.id, valid: false, issues: entry.issues },
    );
  });

  app.post('/v1/validate', requireRoute('POST /v1/validate'), async (c) => {
    const body = await readJson(c);
    if (!body.ok) return errorResponse(c, body.error);
    // An exception while importing or loading the document is a defect: answered as the document's
    // InternalError (JSON, its stack logged under a correlation id), never as a bare 500.
    const checked = checkDocument(body.value, c.get('log'));
    if (!checked.ok) return c.json({ valid: false, error: checked.failure, errors: [checked.failure] }, statusOf('InternalError'));
    const { converted, loaded } = checked;
    if (converted && !converted.ok) return c.json({ valid: false, error: converted.issues[0], errors: converted.issues }, statusOf('ImportError'));
    // The rule set may only name an actuator this deployment configures (ACTUATOR_URL_<NAME>).
    const noActuator = loaded.ok ? unknownActuatorIssue(loaded.ruleSet.spec.actuator, configuredActuators(c.env), 'actuator') : undefined;
    if (noActuator) return c.json({ valid: false, error: noActuator, errors: [noActuator] }, statusOf(noActuator.code));
    if (loaded.ok) {
      const { spec, knownMetrics } = loaded.ruleSet;
      return c.json({
        valid: true,
        id: spec.id,
        ...(converted && { imported: { ...converted.imported, ruleSet: converted.ruleSet } }),
        rules: spec.rules.length,
        metrics: knownMetrics ? [...knownMetrics].sort() : null,
        warnings: lintRuleSet(loaded.ruleSet),
      });
    }
    return c.json({ valid: false, error: loaded.issues[0], errors: loaded.issues }, statusOf(loaded.issues[0]!.code));
  });

  app.post('/v1/evaluate', requireRoute('POST /v1/evaluate'), async (c) => {
    const body = await readJson(c);
    if (!body.ok) return errorResponse(c, body.error);
    const credential = credentialOf(c);
    const noDelivery = deliverRefusal(credential, body.value);
    if (noDelivery) return errorResponse(c, noDelivery);
    // A signed webhook without `now` is decided at its signature's instant, so the signed bytes alone
    // fix the decision: a retry or a replay inside the window gets the same decision and decision id.
    const auth = c.get('edgescaleAuth');
    const instant = auth?.scheme === 'webhook' ? auth.signedAt * 1000 : clock();
    const limits = requestLimits(c);
    const log = c.get('log');
    const started = now();
    const outcome = await evaluateBatch(
      body.value,
      resolveBundled,
      instant,
      { pointsPerSeries: limits.pointsPerSeries, pointsPerSeriesSource: limitSource('pointsPerSeries', limits), actuators: configuredActuators(c.env) },
      // Every bundled id is reserved, valid or not: an inline rule set never poses as a bundled one.
      batchAccess(credential, (id) => bundledRuleSets().has(id)),
      log,
    );
    if (!outcome.ok) return errorResponse(c, outcome.error);
    const { results, decided, failed } = outcome;
    // The adapter observes what the engine returned: a record per decision, and the metrics.
    const observer = observerFor(c.env);
    observer?.evaluated(results, (now() - started) / 1000);
    logDecisions(log, results);
    if (outcome.deliver) {
      const decisions = results.flatMap((r) => (r.ok ? [r.decision] : []));
      const deliveries = await deliverAll(decisions, c.env, liveDeps(c.env, log));
      observer?.delivered(deliveries);
      let i = 0;
      for (const r of results) if (r.ok) Object.assign(r, { delivery: deliveries[i++] });
    }
    // 200 when every target was decided, 207 when some were, and the first error's own status
    // when none were, so a single-target request gets the 4xx it would get on its own.
    const firstError = results.find((r) => !r.ok);
    const status = failed === 0 ? 200 : decided > 0 ? 207 : statusOf(firstError!.ok ? 'InternalError' : firstError!.error.code);
    // Whole decisions were delivered; the answer carries as much of each as the request's `trace` asks for.
    return c.json({ now: outcome.now, summary: { decided, failed }, ...(outcome.metrics && { metrics: outcome.metrics }), results: resultsAtTraceLevel(results, outcome.trace) }, status);
  });

  // Replays rule sets over a metric history (docs/simulate.md); each rule set passes the same scope checks as an evaluate target.
  app.post('/v1/simulate', requireRoute('POST /v1/simulate'), async (c) => {
    const body = await readJson(c);
    if (!body.ok) return errorResponse(c, body.error);
    const outcome = simulateRequest(body.value, resolveBundled, batchAccess(credentialOf(c), (id) => bundledRuleSets().has(id)), c.get('log'));
    return outcome.ok ? c.json(outcome.response) : errorResponse(c, outcome.error);
  });

  // Runs the cron trigger's work for a chosen tick: to preview (deliver: false) or replay profile changes.
  app.post('/v1/scheduled', requireRoute('POST /v1/scheduled'), async (c) => {
    const body = await readJson(c);
    if (!body.ok) return errorResponse(c, body.error);
    const credential = credentialOf(c);
    const delivering = (body.value as { deliver?: unknown } | null)?.deliver === true;
    const noDelivery = delivering ? (deliverRefusal(credential, body.value) ?? scheduledDeliverRefusal(credential)) : undefined;
    if (noDelivery) return errorResponse(c, noDelivery);
    const parsed = ScheduledRequest.safeParse(body.value);
    if (!parsed.success) {
      const [first, ...rest] = zodIssues(parsed.error);
      return errorResponse(c, { ...first!, ...(rest.length > 0 && { issues: [first, ...rest] }) });
    }
    const { at, cron, deliver } = parsed.data;
    // A pattern the trigger could not read would silently fall back to five minutes (tickInterval): refuse it.
    const cronProblem = triggerCronProblem(cron, toEpochMs(at)!);
    if (cronProblem) return errorResponse(c, { code: 'SchemaViolation', message: `cron: ${cronProblem}`, path: 'cron' });
    const log = c.get('log');
    const report = await runScheduled(toEpochMs(at)!, cron, c.env, log, deliver ? liveDeps(c.env, log) : null, requestedBy(credential));
    if (deliver) observerFor(c.env)?.delivered(report.deliveries);
    // A preview shows only what the credential could ask decisions for (a delivered tick needed full scope).
    const mine = (d: ProfileChangeDecision) => allowsBundled(credential, d.target, d.ruleSet);
    return c.json(deliver ? report : { ...report, decisions: report.decisions.filter(mine), catchUp: report.catchUp.filter(mine) });
  });

  app.notFound((c) => errorResponse(c, { code: 'NotFound', message: `no route for ${c.req.method} ${new URL(c.req.url).pathname}`, path: 'url' }));
  // Whatever escapes a route or middleware: still JSON, in the shape of every error, with a correlation
  // id that is logged beside the stack (src/service/internal-error.ts).
  app.onError((err, c) => {
    const where = `answering ${c.req.method} ${new URL(c.req.url).pathname}`;
    return errorResponse(c, internalFailure(err, where, '', c.get('log')));
  });
  return app;
}

/** A browser's request from a page of this very origin (SECURITY.md, "Browsers"). */
function sameOriginPage(c: Context): boolean {
  const origin = c.req.header('origin');
  return origin !== undefined && c.req.header('sec-fetch-site') === 'same-origin' && origin === new URL(c.req.url).origin;
}

/** POST /v1/validate's work on one document: imported when it is a wrapper, then loaded; an exception becomes its InternalError. */
function checkDocument(
  value: unknown,
  log: Logger,
): { ok: true; converted: ReturnType<typeof importWrapped>; loaded: ReturnType<typeof loadRuleSet> } | { ok: false; failure: InternalFailure } {
  try {
    // `{ "azure": … }` or `{ "hpa": … }` is imported first; its problems point into the wrapper.
    const converted = importWrapped(value, '');
    if (converted && !converted.ok) return { ok: true, converted, loaded: { ok: false, issues: converted.issues } };
    // An import comes back compiled, so only a native document is loaded here.
    return { ok: true, converted, loaded: converted ? { ok: true, ruleSet: converted.compiled } : loadRuleSet(value) };
  } catch (error) {
    return { ok: false, failure: internalFailure(error, 'validating the document', '', log) };
  }
}
