// The variable frames of an evaluation: jsonata's createFrame (bind/lookup up an enclosing chain), kept cheap.
//
// Semantics of jsonata 2.2.2's createFrame (src/jsonata.js; MIT, © IBM Corp. 2016, 2017): a binding to
// undefined still shadows the enclosing frames. The Map is created on the first bind, so frames that
// never bind anything (most blocks, the root frame of a condition without variables) cost one object.
export class Frame {
  private vars: Map<string, unknown> | null = null;
  constructor(readonly parent: Frame | null) {}

  bind(name: string, value: unknown): void {
    (this.vars ??= new Map()).set(name, value);
  }

  lookup(name: string): unknown {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    let frame: Frame | null = this;
    do {
      const vars = frame.vars;
      if (vars !== null) {
        const value = vars.get(name);
        if (value !== undefined || vars.has(name)) return value;
      }
      frame = frame.parent;
    } while (frame !== null);
    return undefined;
  }

  /** Frame from a tuple of a tuple stream (jsonata's createFrameFromTuple): every key bound. */
  static fromTuple(parent: Frame, tuple: Record<string, unknown>): Frame {
    const frame = new Frame(parent);
    const vars = new Map<string, unknown>();
    for (const key of Object.keys(tuple)) vars.set(key, tuple[key]);
    frame.vars = vars;
    return frame;
  }
}
