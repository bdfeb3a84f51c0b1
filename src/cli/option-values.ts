// Option values parseArgs would misread, settled before it runs: a negative number after an option is its value, and a missing value is a plain usage error.

/** The parts of a parseArgs option table this needs. */
type Options = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** A negative number such as -1, -4.5 or -1e3: a value, never an option (no option is a digit). */
const NEGATIVE_NUMBER = /^-\.?\d/;

/**
 * parseArgs refuses `-c -1` as "ambiguous" (the value looks like an option) and `-c` at the end as
 * "argument missing", in text about its own syntax. Here `-c -1` becomes `--capacity=-1`, so the
 * command's own check can say what range it takes, and a string option without a value is the usage
 * error "--capacity needs a value". Everything after `--` is left alone.
 */
export function settleOptionValues(args: readonly string[], options: Options): { ok: true; args: string[] } | { ok: false; message: string } {
  const byShort = new Map(Object.entries(options).flatMap(([name, o]) => (o.short ? [[o.short, name] as const] : [])));
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    const name = arg.startsWith('--') ? arg.slice(2) : /^-[^-]$/.test(arg) ? byShort.get(arg.slice(1)) : undefined;
    if (name === undefined || options[name]?.type !== 'string') {
      out.push(arg);
      continue;
    }
    const next = args[i + 1];
    if (next === undefined) return { ok: false, message: `${arg} needs a value` };
    if (next.length > 1 && next.startsWith('-')) {
      if (!NEGATIVE_NUMBER.test(next)) return { ok: false, message: `${arg} needs a value (got the option "${next}"; write --${name}=${next} if that is the value)` };
      out.push(`--${name}=${next}`);
      i++;
      continue;
    }
    out.push(arg, next);
    i++;
  }
  return { ok: true, args: out };
}
