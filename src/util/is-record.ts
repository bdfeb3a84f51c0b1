// The one plain-object test shared by the readers of untrusted JSON (formats, limits, CLI).

/** A non-null object that is not an array: a JSON object once parsed. */
export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
