// Problems found in input, as values: a machine code, one human sentence and where it was found.
import type { ExprErrorCode } from './expr.js';

export type IssueCode =
  | 'SchemaViolation'
  | 'InvalidBounds'
  | 'InvalidWindow'
  | 'InvalidProfile'
  | 'DuplicateRuleId'
  | 'InvalidMetricTarget'
  | 'UnknownRuleSet'
  | 'UnknownActuator'
  | 'UnknownMetric'
  | 'MetricFormat'
  | 'ImportError'
  | ExprErrorCode;

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
