// Problems found in input, as values: a machine code, one human sentence and where it was found.
import { EXPR_ERROR_CODES } from './expr.js';

/** Every code an input problem can carry, the expression error codes included. */
export const ISSUE_CODES = [
  'SchemaViolation',
  'InvalidBounds',
  'InvalidWindow',
  'InvalidProfile',
  'DuplicateRuleId',
  'InvalidMetricTarget',
  'UnknownRuleSet',
  'UnknownActuator',
  'UnknownMetric',
  'MetricFormat',
  'ImportError',
  ...EXPR_ERROR_CODES,
] as const;
type IssueCode = (typeof ISSUE_CODES)[number];

export interface Issue {
  code: IssueCode;
  message: string;
  /** Where in the input: "targets[2].ruleSet.rules[0].when.expr". */
  path: string;
  /** 0-based character offset inside a JSONata expression, where one is known. */
  position?: number;
  token?: string;
  jsonataCode?: string;
}
