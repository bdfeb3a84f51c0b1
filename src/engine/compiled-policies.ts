// Everything of a rule set beside its rules, compiled once at load: the policy families, missing data, the governors.
import type { RuleSet } from '../schema.js';
import type { CompiledGovernor } from './governors/governor.js';
import { compileGovernors } from './governors/index.js';
import { compilePolicies } from './policies/index.js';
import { compileMissingData, type CompiledMissingData } from './policies/missing-data.js';
import type { CompiledPolicy } from './policies/policy.js';

export interface CompiledFamilies {
  /** Target tracking, step scaling, …: the registered families the rule set uses (policies/index.ts). */
  readonly policies: readonly CompiledPolicy[];
  readonly missingData: CompiledMissingData;
  /** The governors that apply, in order (governors/index.ts). */
  readonly governors: readonly CompiledGovernor[];
}

export function compileFamilies(spec: RuleSet): CompiledFamilies {
  return { policies: compilePolicies(spec), missingData: compileMissingData(spec), governors: compileGovernors(spec) };
}
