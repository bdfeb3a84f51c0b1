// The OpenTelemetry JS SDK as a real client (issue #17): metrics recorded with @opentelemetry/sdk-metrics, serialized by
// the SDK's own OTLP/JSON serializer (@opentelemetry/otlp-transformer's JsonMetricsSerializer, what the OTLP/HTTP JSON
// exporter sends), then sent as an evaluate request's metricsPayload. The export carries metrics no rule reads (an
// up-down counter, a histogram): they are ignored and counted, never refused, and the gauge the rules read decides.
import { JsonMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { resolveBundled } from '../../src/rulesets/bundled.js';
import { evaluateBatch } from '../../src/service/batch.js';

/** A reader the test collects from when it wants, as a periodic exporting reader would on its timer. */
class CollectingReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

/** One export of the SDK for a service instance: CPU percent as a gauge, plus what an HTTP server instrumentation records. */
async function sdkExport(cpu: number): Promise<unknown> {
  const reader = new CollectingReader();
  const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': 'web-a', 'service.instance.id': 'web-a-0' }), readers: [reader] });
  const meter = provider.getMeter('web-app-metrics', '1.4.0');
  meter.createGauge('app.cpu.percent', { unit: '%' }).record(cpu);
  meter.createUpDownCounter('http.server.active_requests', { unit: '{request}' }).add(412);
  const duration = meter.createHistogram('http.server.duration', { unit: 's' });
  for (const s of [0.2, 0.3, 0.4, 0.6]) duration.record(s, { 'http.route': '/api' });
  const { resourceMetrics, errors } = await reader.collect();
  expect(errors).toEqual([]);
  await provider.shutdown();
  return JSON.parse(new TextDecoder().decode(JsonMetricsSerializer.serializeRequest(resourceMetrics)));
}

const FORMAT = { format: 'otlp', targetLabel: 'service.name', metricNames: { 'app.cpu.percent': 'cpu' } };

/** One export at `cpu` %, sent for web-a at `capacity` with the bundled web-tier. */
async function evaluateExport(cpu: number, capacity: number) {
  const payload = await sdkExport(cpu);
  // The SDK stamps points with its clock: decide at the next whole second after the export, as a webhook batch would.
  const now = Math.ceil(Date.now() / 1000) * 1000;
  const out = await evaluateBatch(
    { now: new Date(now).toISOString(), metricsFormat: FORMAT, metricsPayload: payload, targets: [{ id: 'web-a', ruleSet: 'web-tier', capacity }] },
    resolveBundled,
    now,
  );
  if (!out.ok) throw new Error(JSON.stringify(out.error));
  return out;
}

describe('an OTLP/JSON export of the OpenTelemetry JS SDK', () => {
  it('decides from the gauge the rules read; the SDK’s other metrics are ignored and counted, not a 422 UnknownMetric', async () => {
    const out = await evaluateExport(81.5, 2);
    const [r] = out.results;
    if (!r?.ok) throw new Error(JSON.stringify(r));
    // web-tier: average CPU over 10 minutes above 70 → +1.
    expect(r.decision).toMatchObject({ action: 'scaleOut', from: 2, to: 3, rule: 'cpu-high' });
    const ignored = out.metrics!.ignored.map((i) => `${i.metric} ${i.points}`).sort();
    expect(ignored).toEqual(['http.server.active_requests 1', 'http.server.duration.avg 1', 'http.server.duration.count 1', 'http.server.duration.sum 1']);
  });

  it('at 20 % CPU the same export scales web-a in', async () => {
    const out = await evaluateExport(20, 4);
    expect(out.results[0]!.ok && out.results[0]!.decision).toMatchObject({ action: 'scaleIn', from: 4, to: 3 });
  });
});
