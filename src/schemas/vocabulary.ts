// The closed vocabularies of a metric trigger and a rule, each listed once. The zod schemas
// (src/schema.ts, src/schemas/decision.ts) build their enums from these arrays with z.enum, and the
// importers read against them, so a new member is added here and nowhere else.

/** Azure's comparison operators of a metric trigger. */
export const OPERATORS = ['GreaterThan', 'GreaterThanOrEqual', 'LessThan', 'LessThanOrEqual', 'Equals', 'NotEquals'] as const;
export type Operator = (typeof OPERATORS)[number];

/** Azure's `statistic`: how the samples inside one time grain (from all instances) are combined. */
export const GRAIN_STATISTICS = ['Average', 'Min', 'Max', 'Sum', 'Count'] as const;
export type GrainStatistic = (typeof GRAIN_STATISTICS)[number];

/** Azure's `timeAggregation`: how the grain values inside the time window are combined. */
export const TIME_AGGREGATIONS = ['Average', 'Minimum', 'Maximum', 'Total', 'Count', 'Last'] as const;
export type TimeAggregation = (typeof TIME_AGGREGATIONS)[number];

/** Which way a rule scales. */
export const DIRECTIONS = ['out', 'in'] as const;
export type Direction = (typeof DIRECTIONS)[number];
