// The logger (src/observability/log.ts): one JSON-safe record per event, levels and the threshold, once, secrets never written, nothing cut short.
import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { consoleSink, createLogger, jsonLine, logThreshold, REDACTED, scrub, textLine, unknownLevel, type LogRecord } from '../../src/observability/log.js';

const T = Date.parse('2026-11-22T10:30:00Z');
function capture(level?: Parameters<typeof createLogger>[0]['level'], secrets?: string[]) {
  const records: LogRecord[] = [];
  const log = createLogger({ sink: (r) => void records.push(r), clock: () => T, ...(level && { level }), ...(secrets && { secrets }) });
  return { log, records };
}

describe('records and levels', () => {
  it('writes time, level, event, message and the fields, in that order', () => {
    const { log, records } = capture();
    log.info('decision', 'web-1: scaleOut 4→5', { target: 'web-1', from: 4, to: 5 });
    expect(jsonLine(records[0]!)).toBe('{"time":"2026-11-22T10:30:00Z","level":"info","event":"decision","message":"web-1: scaleOut 4→5","target":"web-1","from":4,"to":5}');
  });

  it('writes time as answers write instants: milliseconds, none on a whole second (one format, issue #19)', () => {
    const times: string[] = [];
    const log = createLogger({ sink: (r) => void times.push(r.time), clock: () => T + 87 });
    log.info('request', 'a');
    expect(times).toEqual(['2026-11-22T10:30:00.087Z']);
    expect(textLine({ time: '2026-11-22T10:30:00.087Z', level: 'info', event: 'e', message: 'm' })).toBe('10:30:00.087 INFO  e m');
    expect(textLine({ time: '2026-11-22T10:30:00Z', level: 'info', event: 'e', message: 'm' })).toBe('10:30:00.000 INFO  e m');
  });

  it('drops records below the threshold; info by default; off writes nothing', () => {
    const levels = ['debug', 'info', 'warn', 'error'] as const;
    const written = (threshold?: Parameters<typeof capture>[0]) => {
      const { log, records } = capture(threshold);
      for (const l of levels) log.log(l, 'e', l);
      return records.map((r) => r.level);
    };
    expect(written()).toEqual(['info', 'warn', 'error']);
    expect(written('debug')).toEqual(['debug', 'info', 'warn', 'error']);
    expect(written('error')).toEqual(['error']);
    expect(written('off')).toEqual([]);
    expect(capture('warn').log.enabled('info')).toBe(false);
  });

  it('reads EDGESCALE_LOG_LEVEL in any case; anything else is info, and is named to be warned about', () => {
    expect([logThreshold('DEBUG'), logThreshold(' warn '), logThreshold('off'), logThreshold(undefined), logThreshold('verbose')]).toEqual([
      'debug',
      'warn',
      'off',
      'info',
      'info',
    ]);
    expect(unknownLevel('verbose')).toBe('verbose');
    expect(unknownLevel('Error')).toBeUndefined();
    expect(unknownLevel(undefined)).toBeUndefined();
  });

  it('with() adds fields to every record; once() tells a key once across derived loggers', () => {
    const { log, records } = capture();
    const a = log.with({ requestId: 'r-1' });
    const b = log.with({ requestId: 'r-2' });
    a.once('k', 'warn', 'auth.disabled', 'told once');
    b.once('k', 'warn', 'auth.disabled', 'told once');
    a.info('request', 'GET /healthz 200');
    expect(records.map((r) => [r.event, r.requestId])).toEqual([
      ['auth.disabled', 'r-1'],
      ['request', 'r-1'],
    ]);
  });

  it("a record's fields are with()'s then the call's, as one object spread after the other: the call's value wins in place, its undefined removes the key", () => {
    const { log, records } = capture();
    const derived = log.with({ requestId: 'r-1', route: '/v1/evaluate', apiToken: 'not-a-real-one' });
    derived.info('request', 'm', { route: '/healthz', status: 200 });
    derived.info('request', 'm', { requestId: undefined, status: 204 });
    expect(records.map((r) => jsonLine(r).slice(jsonLine(r).indexOf('"message"')))).toEqual([
      `"message":"m","requestId":"r-1","route":"/healthz","apiToken":"${REDACTED}","status":200}`,
      `"message":"m","route":"/v1/evaluate","apiToken":"${REDACTED}","status":204}`,
    ]);
  });

  it('a failing sink does not throw into the caller', () => {
    const log = createLogger({
      sink: () => {
        throw new Error('stdout closed');
      },
    });
    expect(() => log.error('e', 'm')).not.toThrow();
  });
});

describe('secrets are never written', () => {
  const TOKEN = 'tok-0123456789abcdef0123456789abcdef';
  const KEY = 'hmac-key-0123456789abcdef0123456789ab';

  it('fields named like credentials are redacted, wherever they are', () => {
    const { log, records } = capture();
    log.info('e', 'm', {
      headers: { Authorization: `Bearer ${TOKEN}`, 'x-edgescale-signature': 't=1,v1=ab' },
      hmacKey: KEY,
      EDGESCALE_API_TOKEN: TOKEN,
      nested: [{ secret: KEY, apiKey: KEY }],
    });
    const line = jsonLine(records[0]!);
    expect(line).not.toContain(TOKEN);
    expect(line).not.toContain(KEY);
    expect(line).not.toContain('v1=ab');
    expect(records[0]).toMatchObject({
      headers: { Authorization: REDACTED, 'x-edgescale-signature': REDACTED },
      hmacKey: REDACTED,
      EDGESCALE_API_TOKEN: REDACTED,
      nested: [{ secret: REDACTED, apiKey: REDACTED }],
    });
  });

  it('ids that only look alike are kept: keyId, decisionId, and a JSONata error token', () => {
    expect(scrub({ keyId: 'ci-webhook', decisionId: 'ab12', error: { token: '$sum' } })).toEqual({ keyId: 'ci-webhook', decisionId: 'ab12', error: { token: '$sum' } });
  });

  it('configured secret values are cut out of every string, messages included', () => {
    const { log, records } = capture('info', [TOKEN, KEY, 'short']);
    log.error('internal_error', `failed with ${TOKEN}`, { stack: `Error: bad key ${KEY}\n    at x`, list: [`${KEY}!`] });
    const line = jsonLine(records[0]!);
    expect(line).not.toContain(TOKEN);
    expect(line).not.toContain(KEY);
    expect(records[0]!.message).toBe(`failed with ${REDACTED}`);
    // Values too short to be a secret (secrets are 32+ characters) are not cut: they would cut ordinary words.
    log.info('e', 'a short word');
    expect(records[1]!.message).toBe('a short word');
  });
});

describe('nothing is cut short', () => {
  it('a whole decision is one JSON line, where util.inspect would print [Object]', () => {
    const decision = {
      target: 'web-1',
      state: { version: 1, cooldownUntil: { out: '2026-11-22T10:35:00Z', in: '2026-11-22T10:35:00Z' } },
      trace: { rules: [{ condition: { budget: { level: 'target' } } }] },
    };
    expect(inspect({ decision }, { depth: 2 })).toContain('[Object]');
    const { log, records } = capture();
    log.error('delivery.Undeliverable', 'not delivered', { decision });
    expect(JSON.parse(jsonLine(records[0]!)).decision).toEqual(decision);
  });

  it('errors, bigints and cycles stay JSON-safe', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const { log, records } = capture();
    log.info('e', 'm', { err: new TypeError('boom'), n: 10n, cyclic });
    const parsed = JSON.parse(jsonLine(records[0]!));
    expect(parsed.err).toMatchObject({ name: 'TypeError', message: 'boom' });
    expect(parsed.n).toBe('10');
    expect(JSON.stringify(parsed.cyclic)).toContain('[deeper than the log keeps]');
  });
});

describe('lines', () => {
  afterEach(() => vi.restoreAllMocks());

  it('textLine: one line for a terminal, time, level, event, message, then key=value', () => {
    const { log, records } = capture();
    log.warn('request', 'POST /v1/evaluate 207 3.2 ms', { status: 207, route: '/v1/evaluate', credential: 'ops team' });
    expect(textLine(records[0]!)).toBe('10:30:00.000 WARN  request POST /v1/evaluate 207 3.2 ms status=207 route=/v1/evaluate credential="ops team"');
  });

  it('consoleSink (the worker): one JSON line through the console method of its level', () => {
    const out = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const log = createLogger({ sink: consoleSink, clock: () => T });
    log.info('request', 'GET /healthz 200');
    log.error('internal_error', 'boom');
    expect(out.mock.calls).toEqual([['{"time":"2026-11-22T10:30:00Z","level":"info","event":"request","message":"GET /healthz 200"}']]);
    expect(JSON.parse(err.mock.calls[0]![0] as string)).toMatchObject({ level: 'error', event: 'internal_error' });
  });
});
