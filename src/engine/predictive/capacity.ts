// From a load forecast to capacity, as AWS predictive scaling sizes a group: load ÷ target value, the scheduling buffer, the max-capacity buffer.

/**
 * Quotients this close above a whole number count as it: 3000 ÷ 300 computed through a forecast's
 * floating point can come out 10.000000000000002, which must not ask for an eleventh instance.
 */
const CEIL_TOLERANCE = 1e-9;

/**
 * AWS PredictiveScalingMetricSpecification: the load metric is the group's total, TargetValue what one
 * instance should carry (ALBRequestCount with target 1000: 1000 requests per instance), so the capacity
 * the forecast needs is ceil(load ÷ target). A negative forecast (Holt-Winters on a falling trend) needs none.
 */
export function requiredCapacity(load: number, targetValue: number): number {
  if (!(load > 0)) return 0;
  return Math.ceil(load / targetValue - CEIL_TOLERANCE);
}

/**
 * The forecast slots whose capacity is asked for now: the coming slot, and every slot that starts
 * within the scheduling buffer (AWS SchedulingBufferTime: "the forecast says to add capacity at 10:00 AM,
 * and you choose to pre-launch instances by 5 minutes … the instances will be launched at 9:55 AM").
 */
export function leadSlots(schedulingBufferMs: number, stepMs: number): number {
  return 1 + Math.floor(schedulingBufferMs / stepMs);
}

/**
 * AWS MaxCapacityBreachBehavior. HonorMaxCapacity: the maximum stays. IncreaseMaxCapacity: when the
 * forecast capacity with its buffer passes the maximum, the maximum becomes forecast × (1 + buffer ÷ 100),
 * rounded up ("if the forecast capacity is 50, and the maximum capacity is 40, then the effective maximum
 * capacity is 55"; with 0, "equal but not exceed forecast capacity").
 */
export function effectiveMaximum(forecastCapacity: number, maximum: number, behavior: 'HonorMaxCapacity' | 'IncreaseMaxCapacity', bufferPercent: number): number {
  if (behavior === 'HonorMaxCapacity') return maximum;
  return Math.max(maximum, Math.ceil((forecastCapacity * (100 + bufferPercent)) / 100 - CEIL_TOLERANCE));
}
