// Size limits on what a request may carry, each sized so one request stays well inside a Workers isolate.

export const LIMITS = {
  /** Request body; 1 MiB of JSON parses to well under 20 MB of objects, far from the 128 MB isolate. */
  bodyBytes: 1_048_576,
  /** Targets in one batch; at ~0.5 ms of CPU each this keeps a full batch far below the 30 s CPU cap. */
  targetsPerBatch: 500,
  /** Points in one metric series; a day of one-minute points from a few instances. */
  pointsPerSeries: 10_000,
  /** Rules in one rule set; Azure allows 10 per profile, so 50 leaves room without inviting abuse. */
  rulesPerSet: 50,
  /** Characters of one JSONata expression; real conditions are a line or two. */
  expressionLength: 4_096,
  /** Ids of targets, rules, rule sets and metric names. */
  idLength: 128,
  /** Instances listed per target for placement; Azure scale sets stop at 1000 VMs. */
  maxInstances: 1_000,
  /** Largest capacity we accept; Azure VM scale sets stop at 1000, Kubernetes deployments far above. */
  maxCapacity: 100_000,
} as const;
