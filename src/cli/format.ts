// Text the CLI prints: issues as file:PATH lines with a caret under JSONata errors, decisions with a trace table, colours.
import { OPERATOR_SYMBOL } from '../engine/conditions.js';
import type { Decision, RuleTrace } from '../schemas/decision.js';
import { fmt } from '../engine/explain.js';

// ---------------------------------------------------------------------------------------------
// Colours

/**
 * Colour only for people: stdout is a terminal and NO_COLOR is absent or empty (no-color.org: "when
 * present and not an empty string (regardless of its value), prevents the addition of ANSI color").
 */
export function useColor(isTty: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  const noColor = env.NO_COLOR;
  return isTty && (noColor === undefined || noColor === '');
}

export interface Palette {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const sgr = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
const plain = (s: string) => s;

export function palette(enabled: boolean): Palette {
  if (!enabled) return { bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain };
  return { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39), cyan: sgr(36, 39) };
}

/** Printable width, ignoring colour codes, so tables line up with and without colour. */
const ESC = String.fromCharCode(27);
const SGR_RE = new RegExp(`${ESC}\\[[0-9;]*m`, 'g');
export const visibleLength = (s: string): number => [...s.replace(SGR_RE, '')].length;

// ---------------------------------------------------------------------------------------------
// Issues

/** What the CLI reports: an engine Issue, an importer issue, or its own (InvalidJson, ReadError). */
export interface CliIssue {
  code: string;
  message: string;
  /** Engine path inside the file ("rules[0].when.expr"); "" for the whole file. */
  path: string;
  /** 0-based character offset inside the JSONata expression at `path`. */
  position?: number;
  /** An AWS import's reason code, printed beside the code. */
  reason?: string;
  /** 1-based line and column in the file, for syntax errors found before any path exists. */
  line?: number;
  column?: number;
}

/** "rules[0].when.expr" → ["rules", 0, "when", "expr"]. */
function splitPath(path: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const m of path.matchAll(/\[(\d+)\]|([^.[\]]+)/g)) out.push(m[1] !== undefined ? Number(m[1]) : m[2]!);
  return out;
}

/** The value at an engine path inside parsed JSON, or undefined. */
export function valueAtPath(root: unknown, path: string): unknown {
  let node = root;
  for (const key of splitPath(path)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

/** Longest expression line shown whole; longer lines are cut to a window around the caret. */
const CARET_WINDOW = 80;
/** Characters kept before the caret when a long line is cut, so the token's left context stays visible. */
const CARET_LEAD = 40;

/**
 * The expression line holding `position` and a caret under it: ["    $max(metrics.cpu.v) >", "              ^"].
 * Tabs before the position are copied into the caret line so the caret lines up in a terminal.
 */
export function caretLines(expr: string, position: number, indent = '    '): [string, string] {
  const at = Math.max(0, Math.min(position, expr.length));
  const lineStart = expr.lastIndexOf('\n', at - 1) + 1;
  const lineEndRaw = expr.indexOf('\n', at);
  const lineEnd = lineEndRaw === -1 ? expr.length : lineEndRaw;
  let line = expr.slice(lineStart, lineEnd).replace(/\r$/, '');
  let col = at - lineStart;
  if (line.length > CARET_WINDOW) {
    const start = Math.max(0, Math.min(col - CARET_LEAD, line.length - CARET_WINDOW));
    const cut = line.slice(start, start + CARET_WINDOW);
    const prefix = start > 0 ? '…' : '';
    line = `${prefix}${cut}${start + CARET_WINDOW < line.length ? '…' : ''}`;
    col = col - start + prefix.length;
  }
  const pad = [...line.slice(0, col)].map((ch) => (ch === '\t' ? '\t' : ' ')).join('');
  return [`${indent}${line}`, `${indent}${pad}^`];
}

/**
 * One issue as `file:PATH: message (Code)` (PATH is the engine's, "$" for the whole file, or
 * line:column for a syntax error), plus the expression line and a caret for a JSONata error whose
 * expression can be found at PATH in `raw`.
 */
export function formatIssue(file: string, issue: CliIssue, raw: unknown, p: Palette = palette(false)): string {
  const where = issue.line !== undefined ? `${issue.line}:${issue.column ?? 1}` : issue.path === '' ? '$' : issue.path;
  const head = `${p.bold(`${file}:${where}`)}: ${issue.message} ${p.dim(`(${issue.code}${issue.reason !== undefined ? `, ${issue.reason}` : ''})`)}`;
  if (issue.position === undefined) return head;
  const expr = valueAtPath(raw, issue.path);
  if (typeof expr !== 'string') return `${head} ${p.dim(`at character ${issue.position}`)}`;
  const [line, caret] = caretLines(expr, issue.position);
  return `${head}\n${line}\n${p.red(caret)}`;
}

/** Characters V8 quotes on each side of an unexpected token (JsonParser's kMaxContextCharacters). */
const V8_JSON_CONTEXT = 10;

/**
 * Where JSON.parse failed, from V8's message: "… in JSON at position N", "Unexpected end of JSON
 * input" (the end), or "Unexpected token 'x', …"snippet"… is not valid JSON", whose snippet is
 * found in the text (the token sits V8_JSON_CONTEXT characters into a snippet cut on the left).
 * Undefined when the message does not say and the snippet is ambiguous.
 */
export function jsonErrorPosition(text: string, message: string): number | undefined {
  const at = /at position (\d+)/.exec(message);
  if (at) return Number(at[1]);
  if (/Unexpected end of JSON input/.test(message)) return text.length;
  const m = /^Unexpected token '(.+?)', (\.\.\.)?"(.*)"(\.\.\.)? is not valid JSON$/s.exec(message);
  if (!m) return undefined;
  const [, token, cutLeft, snippet] = m as unknown as [string, string, string | undefined, string];
  const first = text.indexOf(snippet);
  if (first < 0 || text.indexOf(snippet, first + 1) >= 0) return undefined;
  if (cutLeft) return first + V8_JSON_CONTEXT;
  // The snippet starts at the text's start: the token is the only occurrence in its first characters.
  const head = snippet.slice(0, V8_JSON_CONTEXT + token.length);
  const i = head.indexOf(token);
  return i >= 0 && head.indexOf(token, i + 1) < 0 ? first + i : undefined;
}

/** A JSON.parse failure as an issue with 1-based line and column where V8's message lets us find them. */
export function jsonSyntaxIssue(text: string, error: unknown): CliIssue {
  const message = error instanceof Error ? error.message : String(error);
  const pos = jsonErrorPosition(text, message);
  const issue: CliIssue = { code: 'InvalidJson', message: `invalid JSON: ${message}`, path: '' };
  if (pos !== undefined) {
    const short = message.replace(/\s*in JSON at position \d+.*$/s, '').replace(/^(Unexpected token '.+?'), .*$/s, '$1');
    issue.message = `invalid JSON: ${short}`;
    const before = text.slice(0, pos);
    issue.line = before.split('\n').length;
    issue.column = pos - before.lastIndexOf('\n');
  }
  return issue;
}

// ---------------------------------------------------------------------------------------------
// Decisions

/** Widest value cell; longer expression values are cut, --json has them whole. */
const VALUE_WIDTH = 24;

function cut(s: string, width: number): string {
  return [...s].length <= width ? s : `${[...s].slice(0, width - 1).join('')}…`;
}

/** The table columns of one rule: rule, status, value, operator, threshold, blocked. */
function traceRow(t: RuleTrace): [string, string, string, string, string, string] {
  const c = t.condition;
  const blocked = t.blocked?.code ?? '';
  if (c.kind === 'metric') {
    const value = c.value === undefined ? '—' : fmt(c.value);
    return [t.rule, t.status, value, OPERATOR_SYMBOL[c.operator], fmt(c.threshold), blocked];
  }
  const value = c.value === undefined ? '—' : cut(typeof c.value === 'number' ? fmt(c.value) : JSON.stringify(c.value) ?? String(c.value), VALUE_WIDTH);
  return [t.rule, t.status, value, 'expr', '', blocked];
}

/** Left-aligned columns two spaces apart; the last column is not padded. */
export function table(rows: ReadonlyArray<readonly string[]>): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell))));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i]! - visibleLength(cell))))
      .join('  ')
      .trimEnd(),
  );
}

const ACTION_WORD: Record<Decision['action'], string> = { scaleOut: 'scale out', scaleIn: 'scale in', none: 'no change' };

function colourStatus(status: string, p: Palette): string {
  if (status === 'Fired') return p.green(status);
  if (status === 'RuleError') return p.red(status);
  if (status === 'MissingData') return p.yellow(status);
  return status;
}

/**
 * A decision for people: action and from→to with the code, the reason, the profile, the rule table,
 * then whatever else decided (policies, HPA behaviour, flapping, placement) and when cooldowns end.
 */
export function formatDecision(d: Decision, p: Palette = palette(false)): string {
  const lines: string[] = [];
  const actionColour = d.action === 'scaleOut' ? p.green : d.action === 'scaleIn' ? p.yellow : p.dim;
  lines.push(`${p.bold(actionColour(ACTION_WORD[d.action]))}  ${d.from} → ${d.to}  ${p.dim(`(${d.code})`)}`);
  lines.push(d.reason);
  lines.push('');
  const next = d.profile.nextChange ? `; next change ${d.profile.nextChange.at} → ${d.profile.nextChange.to}` : '';
  const bounds = d.trace.capacity;
  lines.push(`${p.dim('target')}   ${d.target}   ${p.dim('rule set')} ${d.ruleSet}   ${p.dim('now')} ${d.now}`);
  lines.push(`${p.dim('profile')}  ${d.profile.name} (${d.profile.code}), bounds ${bounds.minimum}–${bounds.maximum}, default ${bounds.default}${next}`);

  if (d.trace.rules.length > 0) {
    lines.push('');
    const header = ['rule', 'status', 'value', 'op', 'threshold', 'blocked'].map((h) => p.dim(h));
    const rows = d.trace.rules.map((t) => {
      const [rule, status, ...rest] = traceRow(t);
      return [rule, colourStatus(status, p), ...rest];
    });
    lines.push(...table([header, ...rows]).map((l) => `  ${l}`));
    // What the table cannot hold: why a rule errored or lacked data, and why it was blocked.
    for (const t of d.trace.rules) {
      if (t.error) lines.push(`  ${p.red(t.rule)}: ${t.error.message}`);
      if (t.missing && t.missing.length > 0) lines.push(`  ${t.rule}: no data for ${t.missing.join(', ')}`);
      if (t.blocked) lines.push(`  ${t.rule}: ${t.blocked.message}`);
    }
  }

  const extra: string[] = [];
  const pol = d.trace.policies;
  if (pol) {
    if (pol.targetTracking) extra.push(`target tracking: ${pol.targetTracking.message} (${pol.targetTracking.code})`);
    for (const s of pol.stepScaling ?? []) extra.push(`step scaling ${s.id}: ${s.result.code}, new capacity ${s.result.newCapacity}`);
    for (const s of pol.simpleScaling ?? []) extra.push(`simple scaling ${s.id}: ${s.result.code}` + (s.result.newCapacity === undefined ? '' : `, new capacity ${s.result.newCapacity}`));
    if (pol.proposals.length > 0) extra.push(`proposals: ${pol.proposals.map((x) => `${x.source} ${x.id} → ${x.capacity}`).join(', ')}${pol.decidedBy ? `; decided by ${pol.decidedBy}` : ''}`);
  }
  if (d.trace.hpa) extra.push(`behavior: ${d.trace.hpa.message} (${d.trace.hpa.reason})`);
  if (d.trace.flapping?.blockedBy) extra.push(`flapping: scale-in limited to ${d.trace.flapping.to}`);
  if (d.trace.activation) {
    const a = d.trace.activation;
    extra.push(`activation: ${a.metric} ${a.value === undefined ? 'has no data' : `= ${fmt(a.value)}`}, threshold ${fmt(a.threshold)} → ${a.active ? 'active' : 'inactive'}`);
  }
  if (d.trace.missingData) extra.push(`missing data: ${d.trace.missingData.metrics.join(', ')} (${d.trace.missingData.behaviour})`);
  if (d.placement) extra.push(`placement: ${d.placement.ok ? d.placement.reason : d.placement.message} (${d.placement.code})`);
  const cooldown = d.state.cooldownUntil;
  if (cooldown.out || cooldown.in) {
    extra.push(`cooldown until: ${[cooldown.out && `out ${cooldown.out}`, cooldown.in && `in ${cooldown.in}`].filter(Boolean).join(', ')}`);
  }
  if (extra.length > 0) lines.push('', ...extra);
  lines.push('', p.dim(`decision ${d.decisionId}`));
  return lines.join('\n');
}
