// The documentation's code tables against the code's one list of each: docs/rules.md's decision codes
// (both tables, "Decision codes" and "More decision codes") name exactly DECISION_CODES, and the Limits
// table of docs/jsonata.md names exactly EXPR_ERROR_CODES, and the Warnings table of docs/lint.md names exactly WARNING_CODES. A code added to the engine fails here until
// it is documented; a code documented but not in the engine fails here too.
import { readFileSync } from 'node:fs';
import { DECISION_CODES, EXPR_ERROR_CODES, PAYLOAD_NOTE_CODES, WARNING_CODES } from '../../src/schemas/codes.js';
import { describe, expect, it } from 'vitest';

const readDoc = (name: string) => readFileSync(new URL(`../../docs/${name}`, import.meta.url), 'utf8');

/** The `##` sections whose heading matches, each as its lines up to the next `#`/`##` heading. */
/** The bodies of the sections whose heading (levels 1 to `depth`) matches; a heading of those levels ends a section. */
function sections(markdown: string, heading: RegExp, depth = 2): string[][] {
  const out: string[][] = [];
  let current: string[] | undefined;
  for (const line of markdown.split('\n')) {
    const h = new RegExp(`^#{1,${depth}} (.*)$`).exec(line);
    if (h) {
      current = heading.test(h[1]!.trim()) ? [] : undefined;
      if (current) out.push(current);
    } else current?.push(line);
  }
  return out;
}

/** Every backticked name in the first cell of the section's `| Code | … |` table rows, in order. */
function codesInTables(lines: readonly string[]): string[] {
  const codes: string[] = [];
  let inCodeTable = false;
  for (const line of lines) {
    if (!line.startsWith('|')) {
      inCodeTable = false;
      continue;
    }
    const first = line.split('|')[1]!.trim();
    if (first === 'Code') inCodeTable = true;
    else if (inCodeTable && !/^-+$/.test(first)) codes.push(...[...first.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
  }
  return codes;
}

function documented(doc: string, heading: RegExp, depth = 2): string[] {
  const found = sections(readDoc(doc), heading, depth);
  expect(found.length, `${doc}: no section headed ${heading}`).toBeGreaterThan(0);
  return found.flatMap(codesInTables);
}

describe('docs tables name exactly the codes the engine lists', () => {
  it('docs/rules.md decision-code tables ↔ DECISION_CODES', () => {
    const codes = documented('rules.md', /^(More )?decision codes$/i);
    expect(codes.length, 'a decision code is listed twice in docs/rules.md').toBe(new Set(codes).size);
    expect([...codes].sort()).toEqual([...DECISION_CODES].sort());
  });

  it('docs/jsonata.md Limits table ↔ EXPR_ERROR_CODES', () => {
    const codes = documented('jsonata.md', /^Limits$/);
    expect(codes.length, 'an expression error code is listed twice in docs/jsonata.md').toBe(new Set(codes).size);
    expect([...codes].sort()).toEqual([...EXPR_ERROR_CODES].sort());
  });

  it('docs/lint.md Warnings table ↔ WARNING_CODES', () => {
    const codes = documented('lint.md', /^Warnings$/);
    expect(codes.length, 'a warning code is listed twice in docs/lint.md').toBe(new Set(codes).size);
    expect([...codes].sort()).toEqual([...WARNING_CODES].sort());
  });

  it('docs/metric-formats.md payload-note table ↔ PAYLOAD_NOTE_CODES', () => {
    const codes = documented('metric-formats.md', /^A target the payload gave nothing$/, 3);
    expect(codes.length, 'a payload note code is listed twice in docs/metric-formats.md').toBe(new Set(codes).size);
    expect([...codes].sort()).toEqual([...PAYLOAD_NOTE_CODES].sort());
  });
});
