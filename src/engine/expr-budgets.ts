// The work and memory budgets of JSONata evaluation at its three levels: expression, target, request.
//
// Units (src/engine/jsonata/runtime.ts, Meter): one unit of work is about one element visited,
// produced or compared; one unit of memory is one estimated byte allocated. Allocation is charged
// when it happens and never refunded, so the memory budget bounds everything an evaluation could
// ever hold live at once, whatever the garbage collector does.
//
// How the numbers were chosen: `npm run bench:hostile` drives the worst requests we could design
// (quadratic built-ins, sort comparators, recursion, regexes, string and object growth, many hostile
// rules across many targets) and prints CPU and peak RSS per request; BENCHMARKS.md has the table.
// The most expensive unit measured there costs under 100 nanoseconds on the bench machine, so the
// request budget below is at most REQUEST_WORK × 100 ns of CPU, inside the 2 s a request may take.

/**
 * One expression: 1,000,000 units, at most ~0.1 s. A condition over a full 10,000-point series costs
 * ~30,000 units (map, filter, aggregate), so real rules use a few percent of it.
 */
export const EXPRESSION_WORK = 1_000_000;
/** One expression may allocate 8 MB: ten copies of the largest series a request can carry. */
export const EXPRESSION_MEMORY = 8_000_000;

/**
 * One target (all its rules' expressions together): 4,000,000 units, ~0.4 s at worst. Fifty rules
 * (the per-set limit) of ordinary conditions fit with room; fifty runaway ones cannot take the batch.
 */
export const TARGET_WORK = 4_000_000;
/** One target may allocate 16 MB in expressions. */
export const TARGET_MEMORY = 16_000_000;

/**
 * One request: 10,000,000 units, ~1 s at the worst measured cost per unit, so a request stays
 * inside 2 s of CPU together with the rest of its work (parsing, compiling, deciding, signing),
 * whatever its number of targets × rules.
 */
export const REQUEST_WORK = 10_000_000;
/**
 * One request may allocate 32 MB in expressions: with the parsed body (a 1 MiB body is well under
 * 20 MB of objects) the heap grows by less than 64 MB.
 */
export const REQUEST_MEMORY = 32_000_000;
