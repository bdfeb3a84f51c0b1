// Log lines written to a stream together, once per turn of the event loop, instead of one write per line.

/**
 * Flushed at once above this size, so a burst of lines never holds more than this in memory (and a
 * reader of the pipe sees a long burst in pieces, not at its end).
 */
const MAX_PENDING_CHARS = 64 * 1024;

export interface LineWriter {
  write(line: string): void;
  flush(): void;
}

/**
 * stdout and stderr are synchronous on pipes and files under Linux: a write per log line was a
 * system call per line, two per `POST /v1/evaluate` on `edgescale serve`. Lines are collected and
 * written in one call after the current I/O callbacks (setImmediate); `flush()` writes what is
 * pending at once (the server calls it when it stops, and on the process's `exit`).
 */
export function lineWriter(stream: { write(text: string): unknown }): LineWriter {
  let pending = '';
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (pending === '') return;
    const text = pending;
    pending = '';
    stream.write(text);
  };
  return {
    write(line) {
      pending += line;
      if (pending.length >= MAX_PENDING_CHARS) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}
