// Running a compiled program: jsonata's evaluate entry (the frames, the input wrapping, the errors) under the evaluation's state.
import type { Program } from './compile.js';
import { normalizeError } from './errors.js';
import { Frame } from './frame.js';
import type { Runtime } from './runtime.js';
import { DEPTH, M, MAX_DEPTH, RT, setState } from './state.js';
import { hideFlags, isSeq, seqOf } from './values.js';

export function runProgram(program: Program, globals: Frame, input: unknown, bindings: Readonly<Record<string, unknown>> | undefined, rt: Runtime, maxCallDepth: number): unknown {
  // saved and restored around the run, so that a nested evaluation leaves the outer one's state as it was
  const savedM = M;
  const savedRT = RT;
  const savedDepth = DEPTH;
  const savedMax = MAX_DEPTH;
  setState(rt.meter, rt, 0, maxCallDepth);
  try {
    // The evaluation's own frame, under the globals. Nothing is ever bound in it when there are no
    // bindings, no `$$` and no `:=` in the outermost scope (blocks and lambdas bind in frames of their
    // own), and then the globals frame itself serves: every lookup through it ends the same way.
    let exec = globals;
    if (bindings !== undefined || program.needsFrame) {
      exec = new Frame(globals);
      if (bindings !== undefined) for (const name of Object.keys(bindings)) exec.bind(name, bindings[name]);
      if (program.usesRoot) exec.bind('$', input);
    }
    let value = input;
    if (Array.isArray(input) && !isSeq(input)) {
      const wrapped = seqOf(input);
      wrapped.outerWrapper = true;
      value = wrapped;
    }
    return hideFlags(program.root(value, exec));
  } catch (err) {
    throw normalizeError(err);
  } finally {
    setState(savedM, savedRT, savedDepth, savedMax);
  }
}
