// Go int32 arithmetic for the Kubernetes ports: the int32 bounds, wrap-around, and the float64 → int32 conversion.

/** Replica counts, policy values and proposals are int32 in autoscaling/v2 and in the controller. */
export const INT32_MAX = 2_147_483_647;
export const INT32_MIN = -2_147_483_648;

/** int32 wrap-around, as Go's int32 addition and subtraction. Also turns -0 into 0. */
export const int32 = (x: number): number => x | 0;

/** float64 → int32 after ceil/trunc; Go leaves out-of-range conversions implementation-defined, we saturate. */
export function floatToInt32(x: number): number {
  if (Number.isNaN(x)) return 0;
  if (x >= INT32_MAX) return INT32_MAX;
  if (x <= INT32_MIN) return INT32_MIN;
  return Math.trunc(x) + 0;
}
