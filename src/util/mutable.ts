// A type for objects built field by field on a hot path (no spreads), then handed out as their readonly type.

/** `T` without `readonly`, so optional fields can be set one by one in the order the output shows them. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };
