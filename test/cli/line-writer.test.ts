// The server's log writer: lines of one turn of the event loop in one write, in order, none lost, bounded.
import { describe, expect, it } from 'vitest';
import { lineWriter } from '../../src/cli/line-writer.js';

const nextTurn = () => new Promise((r) => setImmediate(r));

describe('lineWriter', () => {
  it('writes the lines of one turn in one call, in order, after the turn', async () => {
    const writes: string[] = [];
    const w = lineWriter({ write: (t: string) => writes.push(t) });
    w.write('a\n');
    w.write('b\n');
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toEqual(['a\nb\n']);
    w.write('c\n');
    await nextTurn();
    expect(writes).toEqual(['a\nb\n', 'c\n']);
  });

  it('flush() writes what is pending at once, and the scheduled flush then writes nothing more', async () => {
    const writes: string[] = [];
    const w = lineWriter({ write: (t: string) => writes.push(t) });
    w.write('last words\n');
    w.flush();
    expect(writes).toEqual(['last words\n']);
    await nextTurn();
    expect(writes).toEqual(['last words\n']);
  });

  it('writes at once past 64 KiB pending, so a burst is never held whole', () => {
    const writes: string[] = [];
    const w = lineWriter({ write: (t: string) => writes.push(t) });
    const line = `${'x'.repeat(1023)}\n`;
    for (let i = 0; i < 64; i++) w.write(line);
    expect(writes.map((t) => t.length)).toEqual([64 * 1024]);
  });
});
