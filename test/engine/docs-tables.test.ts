// The documentation's code tables against the code's one list of each: every exported list of
// src/schemas/codes.ts has a table (below, TABLES) that names exactly its codes, in docs/codes.md or in
// the doc of its topic (docs/rules.md's decision codes, docs/lint.md's warnings, …). A code added to the
// engine fails here until it is documented; a code documented but not in the engine fails here too; a
// new list fails until it has a table; and the HTTP errors table's statuses are the server's.
import { readFileSync } from 'node:fs';
import * as CODES from '../../src/schemas/codes.js';
import { DECISION_CODES, EXPR_ERROR_CODES, PAYLOAD_NOTE_CODES, WARNING_CODES } from '../../src/schemas/codes.js';
import { statusOf } from '../../src/http/errors.js';
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

/** The cells of the section's code table rows: tables whose first header cell is `header` ("Code" unless told). */
function rowsOfTables(lines: readonly string[], header = 'Code'): string[][] {
  const rows: string[][] = [];
  let inCodeTable = false;
  for (const line of lines) {
    if (!line.startsWith('|')) {
      inCodeTable = false;
      continue;
    }
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    if (cells[0] === header) inCodeTable = true;
    else if (inCodeTable && !/^-+$/.test(cells[0]!)) rows.push(cells);
  }
  return rows;
}

/** Every backticked name in the first cell of the section's `| Code | … |` table rows, in order. */
function codesInTables(lines: readonly string[], header = 'Code', keep: (cells: string[]) => boolean = () => true): string[] {
  return rowsOfTables(lines, header)
    .filter(keep)
    .flatMap((cells) => [...cells[0]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
}

function documented(doc: string, heading: RegExp, depth = 2, header = 'Code', keep?: (cells: string[]) => boolean): string[] {
  const found = sections(readDoc(doc), heading, depth);
  expect(found.length, `${doc}: no section headed ${heading}`).toBeGreaterThan(0);
  return found.flatMap((lines) => codesInTables(lines, header, keep));
}

/** Where each list of src/schemas/codes.ts is documented: a doc, a heading (and its level), the table's first header cell, which rows. */
interface Table {
  doc: string;
  heading: RegExp;
  depth?: number;
  header?: string;
  keep?: (cells: string[]) => boolean;
}
const TABLES: Record<string, Table | Table[]> = {
  EXPR_ERROR_CODES: { doc: 'jsonata.md', heading: /^Limits$/ },
  ISSUE_CODES: { doc: 'codes.md', heading: /^HTTP errors$/, keep: (c) => c[1] === '422' && !['ReservedRuleSetId', 'LimitExceeded'].includes(c[0]!.slice(1, -1)) },
  WARNING_CODES: { doc: 'lint.md', heading: /^Warnings$/ },
  DECISION_CODES: { doc: 'rules.md', heading: /^(More )?decision codes$/i },
  RULE_STATUSES: { doc: 'codes.md', heading: /^Rule statuses$/ },
  BLOCK_CODES: { doc: 'codes.md', heading: /^Block codes$/ },
  COOLDOWN_MODES: { doc: 'codes.md', heading: /^Cooldown modes$/ },
  PROFILE_KINDS: { doc: 'codes.md', heading: /^Profile kinds$/ },
  PROFILE_SELECTION_CODES: { doc: 'codes.md', heading: /^Profile selection codes$/ },
  PROFILE_STATUS_CODES: { doc: 'codes.md', heading: /^Profile codes$/ },
  PROFILE_ENTRY_STATUSES: { doc: 'codes.md', heading: /^Profile statuses$/ },
  DST_NOTE_CODES: { doc: 'codes.md', heading: /^Daylight-saving notes$/ },
  HPA_DESIRED_CODES: { doc: 'codes.md', heading: /^HPA metric outcomes$/ },
  HPA_REASONS: { doc: 'hpa.md', heading: /^Reason codes$/, header: 'Reason' },
  HPA_TOLERANCE_VERDICTS: { doc: 'codes.md', heading: /^HPA tolerance verdicts$/ },
  HPA_METRIC_ERROR_CODES: { doc: 'codes.md', heading: /^HPA metric errors$/ },
  HPA_POD_REBALANCE_OUTCOMES: { doc: 'hpa.md', heading: /^Pods as input$/, keep: (c) => c[1] === '`pods.rebalance.outcome`' },
  STEP_ISSUE_CODES: { doc: 'aws-policies.md', heading: /^Rules on step adjustments/, depth: 3 },
  STEP_SCALING_CODES: { doc: 'codes.md', heading: /^Step scaling outcomes$/ },
  SIMPLE_SCALING_CODES: { doc: 'codes.md', heading: /^Simple scaling outcomes$/ },
  AWS_TARGET_TRACKING_CODES: { doc: 'codes.md', heading: /^AWS target tracking outcomes$/ },
  AWS_IMPORT_CODES: [
    { doc: 'importing.md', heading: /^Scheduled actions$/, depth: 3 },
    { doc: 'importing.md', heading: /^Reported as unsupported$/, depth: 3 },
  ],
  KPA_METRICS: { doc: 'codes.md', heading: /^kpa metrics$/ },
  KPA_MODES: { doc: 'codes.md', heading: /^kpa modes$/ },
  KPA_CODES: { doc: 'kpa.md', heading: /^Trace and codes$/ },
  PREDICTIVE_CODES: { doc: 'predictive.md', heading: /^Trace and codes$/ },
  PREDICTIVE_METHODS: { doc: 'codes.md', heading: /^Predictive methods$/ },
  PREDICTIVE_MODES: { doc: 'codes.md', heading: /^Predictive modes$/ },
  PREDICTIVE_MAX_BEHAVIORS: { doc: 'codes.md', heading: /^Predictive max-capacity behaviours$/ },
  PLACEMENT_ERROR_CODES: { doc: 'codes.md', heading: /^Placement errors$/ },
  SCALE_OUT_CODES: { doc: 'placement.md', heading: /^Codes$/, header: 'Plan code', keep: (c) => !c[0]!.includes('ProtectionLimitsScaleIn') },
  SCALE_IN_CODES: { doc: 'placement.md', heading: /^Codes$/, header: 'Plan code', keep: (c) => !c[0]!.includes('NoZoneAvailable') },
  SCALE_OUT_STEP_CODES: { doc: 'placement.md', heading: /^Codes$/, header: 'Step code', keep: (c) => c[1] !== 'in' },
  SCALE_IN_STEP_CODES: { doc: 'placement.md', heading: /^Codes$/, header: 'Step code', keep: (c) => c[1] !== 'out' },
  TARGET_ERROR_CODES: {
    doc: 'codes.md',
    heading: /^HTTP errors$/,
    keep: (c) =>
      !['400', '401', '404', '405', '413', '415', '503'].includes(c[1]!) &&
      !['RouteNotAllowed', 'DeliverNotAllowed', 'OriginNotAllowed', 'LimitExceeded'].includes(c[0]!.slice(1, -1)),
  },
  SCHEDULED_NOTE_CODES: { doc: 'codes.md', heading: /^Cron tick notes$/ },
  PROFILE_CHANGE_CODES: { doc: 'codes.md', heading: /^Profile change codes$/ },
  DELIVERY_OUTCOMES: { doc: 'codes.md', heading: /^Delivery outcomes$/ },
  DELIVERY_ERROR_CODES: { doc: 'codes.md', heading: /^Delivery errors$/ },
  HTTP_ERROR_CODES: { doc: 'codes.md', heading: /^HTTP errors$/ },
  PAYLOAD_NOTE_CODES: { doc: 'metric-formats.md', heading: /^A target the payload gave nothing$/, depth: 3 },
  UNMATCHED_POINT_CODES: { doc: 'metric-formats.md', heading: /^Issues and unmatched points$/ },
  UNUSED_POINT_CODES: { doc: 'codes.md', heading: /^Unused points$/ },
  TRACE_LEVELS: { doc: 'codes.md', heading: /^Trace levels$/ },
};

const LISTS: Array<[string, readonly string[]]> = Object.entries(CODES as Record<string, unknown>).flatMap(([name, v]) =>
  Array.isArray(v) ? [[name, v as string[]] as [string, string[]]] : [],
);

describe('every code list of src/schemas/codes.ts has a docs table that names exactly its codes', () => {
  it('every list has a table, and every table a list', () => {
    expect(LISTS.length).toBeGreaterThan(20);
    expect(Object.keys(TABLES).sort()).toEqual(LISTS.map(([name]) => name).sort());
  });

  it.each(LISTS)('%s', (name, list) => {
    const tables = [TABLES[name] ?? []].flat();
    const codes = tables.flatMap((t) => documented(t.doc, t.heading, t.depth, t.header, t.keep));
    expect(codes.length, `a code of ${name} is listed twice`).toBe(new Set(codes).size);
    expect([...codes].sort()).toEqual([...list].sort());
  });

  it('the HTTP errors table gives each code the status the server answers with', () => {
    const rows = sections(readDoc('codes.md'), /^HTTP errors$/).flatMap((lines) => rowsOfTables(lines));
    expect(rows.length).toBe(CODES.HTTP_ERROR_CODES.length);
    for (const [code, status] of rows) expect(`${code} ${status}`).toBe(`${code} ${statusOf(code!.slice(1, -1) as (typeof CODES.HTTP_ERROR_CODES)[number])}`);
  });
});

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
