// Human sentences for decisions and rules; machine codes live beside them in the decision itself.
import { OPERATOR_SYMBOL } from './conditions.js';
import type { RuleTrace } from './decision.js';

/** A number as people read it in a reason: at most two decimals, no trailing zeros. */
export function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(2)));
}

/** "cpu Average over PT10M = 82.4 > 70" or "expression `metrics.q.last > 100` is true". */
export function describeCondition(t: RuleTrace): string {
  const c = t.condition;
  if (c.kind === 'metric') {
    if (c.value === undefined) return `${c.metric} has no data in the last ${c.timeWindow}`;
    const per = c.dividedBy !== undefined ? ` per instance (÷${c.dividedBy})` : '';
    const holds = t.status === 'Fired';
    const op = holds ? OPERATOR_SYMBOL[c.operator] : `not ${OPERATOR_SYMBOL[c.operator]}`;
    return `${c.metric} ${c.timeAggregation.toLowerCase()} over ${c.timeWindow}${per} = ${fmt(c.value)}, ${op} ${fmt(c.threshold)}`;
  }
  if (t.status === 'MissingData') return `${(t.missing ?? []).join(', ')} has no data in the last ${c.window}`;
  if (t.status === 'RuleError') return `its expression failed: ${t.error?.message ?? 'unknown error'}`;
  return `\`${c.expr}\` is ${String(c.value)}`;
}

/** A sentence used as a clause inside a reason: no capital, no full stop. */
export function asClause(sentence: string): string {
  return sentence.charAt(0).toLowerCase() + sentence.slice(1).replace(/\.$/, '');
}

export function ruleList(ids: readonly string[]): string {
  if (ids.length <= 1) return ids.join('');
  return `${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1]}`;
}
