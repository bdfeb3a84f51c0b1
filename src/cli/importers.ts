// The foreign rule set formats the CLI reads (Azure autoscale settings, Kubernetes HPAs, KEDA ScaledObjects, AWS Auto Scaling, Knative Services) and how a file's format is recognised.
import { detectFormat as detectForeignOrNative } from '../formats/foreign.js';
import { importAny } from '../formats/hpa-manifest.js';
import { importKeda } from '../formats/keda/import.js';
import type { ImportResult } from '../formats/import-context.js';
import type { ImportFormat, RuleSetFormat } from './args.js';

export interface ImporterOptions {
  id?: string;
  /** hpa, knative: which HorizontalPodAutoscaler or Service when the file holds several. */
  name?: string;
  /** azure: the template's deployment parameter values (--parameters FILE, already checked). */
  parameters?: Record<string, unknown>;
}

/** Text of a file (JSON, or YAML for hpa) → a native rule set, validated by the importer itself. */
export type Importer = (text: string, options: ImporterOptions) => ImportResult;

/**
 * The hook for foreign formats: `validate`, `eval` and `import` look formats up here, so a format
 * missing from this map is reported as "not available" instead of failing the build.
 */
const IMPORTERS: Partial<Record<ImportFormat, Importer>> = {
  // --name chooses one autoscale setting of a template that holds several (src/formats/azure/read.ts).
  azure: (text, options) => importAny('azure', text, options),
  hpa: (text, options) => importAny('hpa', text, options),
  keda: (text, options) => importKeda(text, options),
  // --name chooses one Auto Scaling group (or one policy) of a template or describe output (src/formats/aws/import.ts).
  aws: (text, options) => importAny('aws', text, options),
  knative: (text, options) => importAny('knative', text, options),
};

export function importerFor(format: ImportFormat): Importer | undefined {
  return IMPORTERS[format];
}

/** Which format a file holds, for `--format auto` (src/formats/foreign.ts; also used by the worker's bundle). */
export function detectFormat(file: string, parsed: unknown, text?: string): Exclude<RuleSetFormat, 'auto'> {
  return detectForeignOrNative(file, parsed, text);
}
