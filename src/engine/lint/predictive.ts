// Checks of the predictive policy: a history that cannot hold the season it forecasts from, and ForecastOnly, which never changes capacity.
//
// Sources: Hyndman & Athanasopoulos, FPP3 §5.2 and §8.3 (a seasonal forecast reads the slot one season
// back; Holt-Winters is initialised here from two seasons); AWS PredictiveScalingConfiguration Mode
// ("ForecastOnly" is the default, and only generates forecasts) and Azure's predictive autoscale
// ("Forecast only allows you to view your predicted CPU forecast without triggering the scaling action").
import type { Warning } from '../../schemas/decision.js';
import { parseIsoDuration } from '../../syntax/duration.js';
import type { CompiledRuleSet } from '../ruleset.js';
import { warning } from './profile.js';

export function predictiveWarnings(rs: CompiledRuleSet): Warning[] {
  const p = rs.spec.predictive;
  if (p === undefined) return [];
  const out: Warning[] = [];
  const season = parseIsoDuration(p.season) ?? 0;
  const seasons = p.method === 'holtWinters' ? 2 : 1;
  const needed = seasons * season;
  const what = seasons === 2 ? `two seasons of ${p.season} (Holt-Winters is initialised from them)` : `one season of ${p.season}`;
  if ((parseIsoDuration(p.history) ?? 0) < needed) {
    out.push(
      warning(
        'PredictiveHistoryUnderSeason',
        'predictive.history',
        `The predictive policy reads ${p.history} of history but its ${p.method} forecast needs ${what}, so it never forecasts.`,
        `Set history to at least ${what.split(' (')[0]}, or use a shorter season.`,
      ),
    );
  } else if ((parseIsoDuration(p.minimumHistory) ?? 0) < needed) {
    out.push(
      warning(
        'PredictiveHistoryUnderSeason',
        'predictive.minimumHistory',
        `The predictive policy's minimumHistory ${p.minimumHistory} is shorter than the ${what} its ${p.method} forecast needs, so it refuses below that instead.`,
        `Set minimumHistory to at least ${what.split(' (')[0]}.`,
      ),
    );
  }
  if (p.mode === 'ForecastOnly') {
    out.push(
      warning(
        'PredictiveForecastOnly',
        'predictive.mode',
        "The predictive policy is in ForecastOnly mode (AWS's default): its forecast is in the trace, but it never changes capacity.",
        'Compare the forecast and its error (trace.policies.predictive) with the load, then set mode to ForecastAndScale.',
      ),
    );
  }
  return out;
}
