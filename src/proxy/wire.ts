/**
 * The proxy's handling of bytes and headers on the wire: which headers are not forwarded (hop-by-hop), a request body
 * read up to a limit, and an answer's body as text for checking.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

/** Headers that belong to one connection rather than the message, and `host` (the target's own): never forwarded. */
export const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);

export function flatten(h: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) fail(new Error(`request body over ${limit} bytes`));
      else chunks.push(c);
    });
    req.on('end', () => ok(Buffer.concat(chunks)));
    req.on('error', fail);
  });
}

/** The body as text for checking (decompressed when the target compressed it); '' when it is not text. */
export function bodyText(body: Buffer, headers: IncomingHttpHeaders): string {
  try {
    const enc = String(headers['content-encoding'] ?? '').toLowerCase();
    const raw =
      enc === 'gzip'
        ? gunzipSync(body)
        : enc === 'br'
          ? brotliDecompressSync(body)
          : enc === 'deflate'
            ? inflateSync(body)
            : body;
    return raw.toString('utf8');
  } catch {
    return '';
  }
}
