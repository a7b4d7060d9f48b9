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
export async function forEachLine(
  file: string,
  onLine: (line: string, lineNo: number, terminated: boolean) => void | false,
): Promise<void> {
  const fh = await open(file, 'r');
  // two buffers: the next chunk is read (in libuv's thread pool) while this one is parsed
  const buffers = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
  let pending: Promise<{ bytesRead: number }> | undefined;
  try {
    let which = 0;
    let carry = 0; // bytes of an unfinished line, moved to the front of the next buffer
    let lineNo = 0;
    let next = fh.read(buffers[0], 0, CHUNK, null);
    for (;;) {
      const { bytesRead } = await next;
      pending = undefined;
      if (!bytesRead) break;
      const buf = buffers[which];
      const end = carry + bytesRead;
      const last = buf.lastIndexOf(10, end - 1);
      const rest = last < 0 ? end : end - last - 1;
      let target = buffers[1 - which];
      if (rest >= CHUNK / 2) {
        // one line longer than half a chunk: grow both buffers (rare: a record of megabytes)
        target = Buffer.allocUnsafe(rest * 2 + CHUNK);
        buffers[1 - which] = target;
      }
      buf.copy(target, 0, end - rest, end);
      next = pending = fh.read(target, rest, target.length - rest, null);
      let start = 0;
      for (let nl = last < 0 ? -1 : buf.indexOf(10, 0); nl >= 0 && nl <= last; nl = buf.indexOf(10, start)) {
        const stop = nl > start && buf[nl - 1] === 13 ? nl - 1 : nl;
        if (onLine(decode(buf, start, stop), ++lineNo, true) === false) return;
        start = nl + 1;
      }
      carry = rest;
      which = 1 - which;
    }
    if (carry) onLine(buffers[which].toString('utf8', 0, carry), ++lineNo, false);
  } finally {
    await pending?.catch(() => undefined);
    await fh.close();
  }
}
