/**
 * Reading a file line by line in large chunks, without ever holding the whole file in one string (a 600 MB file is
 * longer than V8's longest string). Used for snapshots, fixtures and journal segments.
 */
import { isAscii } from 'node:buffer';
import { open } from 'node:fs/promises';

const CHUNK = 4 << 20;

/** Decode one line: latin1 (a plain copy, and a compact one-byte string) when it is ASCII, else UTF-8. */
function decode(buf: Buffer, start: number, end: number): string {
  return isAscii(buf.subarray(start, end)) ? buf.toString('latin1', start, end) : buf.toString('utf8', start, end);
}

/**
 * Call `onLine` for every line of `file` (without its `\n`, and without a trailing `\r`). `terminated` is false only
 * for a last line that has no newline after it (a journal tail cut short by a crash). Returning `false` stops.
 */
export async function forEachLine(file: string, onLine: (line: string, lineNo: number, terminated: boolean) => void | false): Promise<void> {
  const fh = await open(file, 'r');
  try {
    const chunk = Buffer.allocUnsafe(CHUNK);
    let carry: Buffer = Buffer.alloc(0);
    let lineNo = 0;
    for (;;) {
      const { bytesRead } = await fh.read(chunk, 0, CHUNK, null);
      if (!bytesRead) break;
      const buf = carry.length ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      let start = 0;
      for (let nl = buf.indexOf(10, start); nl >= 0; nl = buf.indexOf(10, start)) {
        const end = nl > start && buf[nl - 1] === 13 ? nl - 1 : nl;
        if (onLine(decode(buf, start, end), ++lineNo, true) === false) return;
        start = nl + 1;
      }
      carry = Buffer.from(buf.subarray(start)); // the chunk buffer is reused: copy what is left
    }
    if (carry.length) onLine(carry.toString('utf8'), ++lineNo, false);
  } finally {
    await fh.close();
  }
}
