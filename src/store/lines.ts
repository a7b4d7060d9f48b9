/**
 * Reading a file line by line in large chunks, without ever holding the whole file in one string (a 600 MB file is
 * longer than V8's longest string). Used for snapshots, fixtures and journal segments.
 */
import { open } from 'node:fs/promises';

const CHUNK = 4 << 20;

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
      const last = buf.lastIndexOf(10);
      if (last < 0) {
        carry = Buffer.from(buf); // the chunk buffer is reused: copy
        continue;
      }
      // decode only up to the last newline, so a multi-byte character is never split between chunks
      const text = buf.toString('utf8', 0, last);
      carry = Buffer.from(buf.subarray(last + 1));
      for (const line of text.split('\n')) if (onLine(line.endsWith('\r') ? line.slice(0, -1) : line, ++lineNo, true) === false) return;
    }
    if (carry.length) onLine(carry.toString('utf8'), ++lineNo, false);
  } finally {
    await fh.close();
  }
}
