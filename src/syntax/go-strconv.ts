// Go's strconv.ParseFloat (decimal forms) and ParseBool: the number and boolean syntaxes of Kubernetes annotations and KEDA trigger metadata.
//
// Source: golang/go src/strconv/atof.go (decimal mantissa, optional exponent, optional sign; hex floats, "inf"
// and "nan" are not accepted here: no Knative or KEDA setting means them) and atob.go ParseBool ("1", "t", "T",
// "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"; anything else is an error).

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** strconv.ParseFloat of `text` as written (no surrounding space: Go refuses it); undefined when it does not parse. */
export function goParseFloat(text: string): number | undefined {
  return DECIMAL.test(text) ? Number(text) : undefined;
}

const BOOLS: Readonly<Record<string, boolean>> = {
  '1': true,
  t: true,
  T: true,
  TRUE: true,
  true: true,
  True: true,
  '0': false,
  f: false,
  F: false,
  FALSE: false,
  false: false,
  False: false,
};

/** strconv.ParseBool; undefined when `text` is none of its twelve spellings. */
export function goParseBool(text: string): boolean | undefined {
  return Object.hasOwn(BOOLS, text) ? BOOLS[text] : undefined;
}
