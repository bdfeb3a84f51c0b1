// scripts/check-lock.mjs, which CI runs after npm ci: the real lock passes; a lock entry without integrity, a dependency
// whose engines refuse the lowest Node package.json allows, or a second workerd each fail it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

type Lock = { packages: Record<string, Record<string, unknown>> };
const script = join(process.cwd(), 'scripts/check-lock.mjs');
const real = (): Lock => JSON.parse(readFileSync('package-lock.json', 'utf8')) as Lock;
const dir = mkdtempSync(join(tmpdir(), 'edgescale-check-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function check(lock: Lock): { code: number; out: string } {
  const file = join(dir, 'package-lock.json');
  writeFileSync(file, JSON.stringify(lock));
  try {
    return { code: 0, out: execFileSync(process.execPath, [script, file], { encoding: 'utf8', stdio: 'pipe' }) };
  } catch (e) {
    const err = e as { status: number; stderr: string };
    return { code: err.status, out: err.stderr };
  }
}

describe('check-lock', () => {
  it('passes the committed lock and names the Node floors it checked', () => {
    const r = check(real());
    expect(r.code).toBe(0);
    expect(r.out).toContain('accepts Node 20.19.0, 22.13.0, 24.0.0');
  });

  it('fails an entry without integrity', () => {
    const lock = real();
    delete lock.packages['node_modules/hono']!.integrity;
    const r = check(lock);
    expect(r.code).toBe(1);
    expect(r.out).toContain('node_modules/hono@');
    expect(r.out).toContain('1 entries without integrity');
  });

  it('fails a dependency whose engines refuse the lowest Node package.json allows', () => {
    const lock = real();
    lock.packages['node_modules/hono']!.engines = { node: '>=23' };
    const r = check(lock);
    expect(r.code).toBe(1);
    expect(r.out).toContain('node_modules/hono@');
    expect(r.out).toContain('package.json allows 20.19.0');
    // The same dependency is fine when package.json's own floor is raised to match.
    lock.packages['']!.engines = { node: '>=24' };
    expect(check(lock).code).toBe(0);
  });

  it('fails a second workerd', () => {
    const lock = real();
    lock.packages['node_modules/some-plugin/node_modules/workerd'] = { ...lock.packages['node_modules/workerd']!, version: '1.20250101.0' };
    const r = check(lock);
    expect(r.code).toBe(1);
    expect(r.out).toContain('2 workerd versions');
  });
});
