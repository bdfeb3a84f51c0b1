// The HTTP API (hono): routes, validation at the edge, and nothing else; the engine does the work.
import { Hono } from 'hono';
import type { Env } from '../env.js';
import { ENGINE_VERSION } from '../engine/decide.js';
import { loadRuleSet, zodIssues } from '../engine/ruleset.js';
import { toEpochMs } from '../engine/duration.js';
import { ScheduledRequest } from '../schema.js';
import { runScheduled } from '../cron/scheduled.js';
import { bundledRuleSets, resolveBundled } from '../rulesets/bundled.js';
import { evaluateBatch } from '../service/batch.js';
import { importWrapped } from '../formats/foreign.js';
import { deliverAll } from '../delivery/wiring.js';
import { authDisabled, requireAuth } from './auth.js';
import { readJson, requestLimits } from './body.js';
import { limitSource } from '../limits.js';
import { errorResponse, statusOf } from './errors.js';
import { docsContentSecurityPolicy, docsHtml, openApiDocument } from './docs-page.js';

export interface AppOptions {
  /** The clock, used only when a request carries no `now`. */
  clock?: () => number;
}

export function createApp(options: AppOptions = {}) {
  const clock = options.clock ?? (() => Date.now());
  const app = new Hono<{ Bindings: Env }>();

  app.get('/healthz', (c) =>
    c.json({
      status: 'ok',
      engine: ENGINE_VERSION,
      auth: authDisabled(c.env, c.req.url) ? 'DISABLED (dev only)' : c.env.EDGESCALE_WEBHOOK_HMAC_KEY ? 'bearer, webhook signature (POST /v1/evaluate)' : 'bearer',
      ruleSets: bundledRuleSets().size,
    }),
  );

  // The API description, generated from the zod schemas (src/openapi.ts), and a page that renders it; no token needed.
  app.get('/openapi.json', (c) => c.json(openApiDocument()));
  app.get('/docs', (c) => {
    c.header('Content-Security-Policy', docsContentSecurityPolicy());
    return c.html(docsHtml());
  });

  app.use('/v1/*', requireAuth);

  app.get('/v1/rulesets', (c) => {
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

  app.get('/v1/rulesets/:id', (c) => {
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

  app.post('/v1/validate', async (c) => {
    const body = await readJson(c);
    if (!body.ok) return errorResponse(c, body.error);
    // `{ "azure": … }` or `{ "hpa": … }` is imported first; its problems point into the wrapper.
    const converted = importWrapped(body.value, '');
    if (converted && !converted.ok) return c.json({ valid: false, error: converted.issues[0], errors: converted.issues }, statusOf('ImportError'));
    const loaded = converted ? loadRuleSet(converted.ruleSet, '(converted)') : loadRuleSet(body.value);
    if (loaded.ok) {
      const { spec, knownMetrics } = loaded.ruleSet;
      return c.json({
        valid: true,
        id: spec.id,
        ...(converted && { imported: { ...converted.imported, ruleSet: converted.ruleSet } }),
        rules: spec.rules.length,
        metrics: knownMetrics ? [...knownMetrics].sort() : null,
      });
    }
    return c.json({ valid: false, error: loaded.issues[0], errors: loaded.issues }, statusOf(loaded.issues[0]!.code));
  });

  app.post('/v1/evaluate', async (c) => {
    const body = await readJson(c);
    if (!body.ok) return errorResponse(c, body.error);
    // A signed webhook without `now` is decided at its signature's instant, so the signed bytes alone
    // fix the decision: a retry or a replay inside the window gets the same decision and decision id.
    const auth = c.get('edgescaleAuth');
    const instant = auth?.scheme === 'webhook' ? auth.signedAt * 1000 : clock();
    const limits = requestLimits(c);
    const outcome = await evaluateBatch(body.value, resolveBundled, instant, {
      pointsPerSeries: limits.pointsPerSeries,
      pointsPerSeriesSource: limitSource('pointsPerSeries', limits),
    });
    if (!outcome.ok) return errorResponse(c, outcome.error);
    const { now, results, decided, failed } = outcome;
    if (outcome.deliver) {
      const decisions = results.flatMap((r) => (r.ok ? [r.decision] : []));
      const deliveries = await deliverAll(decisions, c.env);
      let i = 0;
      for (const r of results) if (r.ok) Object.assign(r, { delivery: deliveries[i++] });
    }
    // 200 when every target was decided, 207 when some were, and the first error's own status
    // when none were, so a single-target request gets the 4xx it would get on its own.
    const firstError = results.find((r) => !r.ok);
    const status = failed === 0 ? 200 : decided > 0 ? 207 : statusOf(firstError!.ok ? 'InternalError' : firstError!.error.code);
    return c.json({ now, summary: { decided, failed }, ...(outcome.metrics && { metrics: outcome.metrics }), results }, status);
  });

  // Runs the cron trigger's work for a chosen tick: to preview (deliver: false) or replay profile changes.
  app.post('/v1/scheduled', async (c) => {
    const body = await readJson(c);
    if (!body.ok) return errorResponse(c, body.error);
    const parsed = ScheduledRequest.safeParse(body.value);
    if (!parsed.success) {
      const [first, ...rest] = zodIssues(parsed.error);
      return errorResponse(c, { ...first!, ...(rest.length > 0 && { issues: [first, ...rest] }) });
    }
    const { at, cron, deliver } = parsed.data;
    const report = await runScheduled(toEpochMs(at)!, cron, c.env, deliver ? undefined : null);
    return c.json(report);
  });

  app.notFound((c) => errorResponse(c, { code: 'NotFound', message: `no route for ${c.req.method} ${new URL(c.req.url).pathname}`, path: 'url' }));
  app.onError((err, c) => {
    console.error('edgescale: unexpected error', err);
    return errorResponse(c, { code: 'InternalError', message: 'an unexpected error occurred; it has been logged', path: '' });
  });
  return app;
}
