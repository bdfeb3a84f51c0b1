// The codes a batch entry's error can carry, each listed once. A leaf module: src/http/errors.ts and
// src/schemas/decision.ts read these arrays without importing the batch (and through it src/schema.ts).
import { ISSUE_CODES } from '../engine/issues.js';

/** Per-target refusals of the caller's scope (403) and of an inline rule set posing as a bundled one (422); SECURITY.md. */
const ACCESS_CODES = ['TargetNotAllowed', 'RuleSetNotAllowed', 'ReservedRuleSetId'] as const;

/** Every code a target's error entry can carry: input problems, access refusals, and an internal failure (a defect, logged). */
export const TARGET_ERROR_CODES = [...ISSUE_CODES, ...ACCESS_CODES, 'InternalError'] as const;
export type TargetErrorCode = (typeof TARGET_ERROR_CODES)[number];
