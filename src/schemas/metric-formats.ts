// Zod schema for the options that say how to read metrics sent in OTLP/JSON, Prometheus or Azure Monitor form.
import { z } from 'zod';
import { LIMITS } from '../limits.js';

export type MetricFormat = 'otlp' | 'prometheus' | 'azureMonitor';
export type AzureAggregation = 'average' | 'minimum' | 'maximum' | 'total' | 'count';

export const METRIC_FORMATS: readonly MetricFormat[] = ['otlp', 'prometheus', 'azureMonitor'];
export const AZURE_AGGREGATIONS: readonly AzureAggregation[] = ['average', 'minimum', 'maximum', 'total', 'count'];

/** Azure pseudo-dimension: the target is the resource the metric belongs to (the name in the metric's `id`). */
export const AZURE_RESOURCE_TARGET = '@resource';

// Label, attribute and dimension names are short in every source; 256 leaves room for OTLP's dotted names.
const LABEL_LENGTH = 256;

const MetricFormatName = z
  .enum(METRIC_FORMATS as [MetricFormat, ...MetricFormat[]])
  .meta({
    description:
      'otlp: an OTLP/JSON ExportMetricsServiceRequest. prometheus: a /api/v1/query or /api/v1/query_range response. ' +
      'azureMonitor: a Metrics - List response (api-version 2018-01-01), or an array of them.',
  });

const AzureAggregationName = z
  .enum(AZURE_AGGREGATIONS as [AzureAggregation, ...AzureAggregation[]])
  .meta({ description: 'Which aggregation of each Azure data point becomes the value; points without it are counted as unmatched.' });

const LabelName = z.string().min(1).max(LABEL_LENGTH);

const MetricFormatOptionsShape = {
  format: MetricFormatName,
  targetLabel: LabelName.meta({
    description:
      `Label (Prometheus), attribute (OTLP: data point first, then resource) or dimension (Azure, any case) whose value is the target id. ` +
      `Azure also accepts "${AZURE_RESOURCE_TARGET}": the target is the name of the resource in the metric's id.`,
  }),
  instanceLabel: LabelName.optional().meta({
    description:
      'Label naming the instance of each point. Default: OTLP service.instance.id, then host.name; Prometheus instance; Azure VMName, then Instance.',
  }),
  metric: z
    .string()
    .min(1)
    .max(LIMITS.idLength)
    .optional()
    .meta({ description: 'Prometheus only: the metric name for every series of the result (expression results have no __name__).' }),
  aggregation: AzureAggregationName.optional().meta({ description: 'Azure Monitor only; default "average".' }),
  metricNames: z
    .record(z.string().min(1).max(LABEL_LENGTH), z.string().min(1).max(LIMITS.idLength))
    .optional()
    .meta({
      description:
        'Source metric name -> edgescale metric name. Unlisted names pass through. OTLP histograms also match "<name>.count", ".sum", ".avg".',
    }),
};

export const MetricFormatOptions = z
  .strictObject(MetricFormatOptionsShape)
  .superRefine((o, ctx) => {
    if (o.metric !== undefined && o.format !== 'prometheus') {
      ctx.addIssue({ code: 'custom', path: ['metric'], message: '`metric` applies only to format "prometheus"; OTLP and Azure name their metrics' });
    }
    if (o.aggregation !== undefined && o.format !== 'azureMonitor') {
      ctx.addIssue({ code: 'custom', path: ['aggregation'], message: '`aggregation` applies only to format "azureMonitor"' });
    }
    if (o.targetLabel === AZURE_RESOURCE_TARGET && o.format !== 'azureMonitor') {
      ctx.addIssue({ code: 'custom', path: ['targetLabel'], message: `"${AZURE_RESOURCE_TARGET}" is only meaningful for format "azureMonitor"` });
    }
  })
  .meta({ description: 'How to read metrics sent in another system\'s format (see docs/metric-formats.md).' });

export type MetricFormatOptions = z.infer<typeof MetricFormatOptions>;
