/**
 * Request size limits answered in JSON, like every other geostub error:
 * - a URL longer than `MAX_URL_BYTES` → 414 `uriTooLong` (checked by express before anything else reads it);
 * - a request line plus headers past node's `maxHeaderSize` (16 KB by default) never reaches express: node's HTTP
 *   parser rejects it and would answer a plain-text 431. `answerClientErrors` writes the catalogued JSON instead
 *   (414 when the request line alone is too long), and a JSON 400 for any other malformed request.
 * - a reply whose own headers would pass `REPLY_HEADER_BYTES` (the catalogue's `Link` repeats the URL up to five
 *   times, so a 4 KB query makes a 20 KB header that node and browsers refuse to read) → 414 `urlTooLongForHeaders`.
 * Body size is express's `limit` (`--body-limit`, 1 MB by default) → 413 `payloadTooLarge` in app.ts.
 */
import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { NextFunction, Request, Response } from 'express';
import { apiError, type ApiError } from '../core/errors.js';
import type { Reply } from '../core/types.js';
import { errorReply } from './pipeline.js';

/** Longest request target (path and query) served; nginx and Apache refuse request lines past 8 KB as well. */
export const MAX_URL_BYTES = 8192;
/** node's default `maxHeaderSize`: request line and headers together. */
export const MAX_HEADER_BYTES = 16384;

/** Most bytes a reply's own headers may take: clients read at most 16 KB of headers, CORS and the rest included. */
export const REPLY_HEADER_BYTES = 12_288;

/** The reply, or a 414 when its headers (URLs built from the request's) would be too long for a client to read. */
export function replyHeadersFit(reply: Reply): Reply {
  let bytes = 0;
  for (const [k, v] of Object.entries(reply.headers ?? {})) bytes += k.length + Buffer.byteLength(v) + 4;
  if (bytes > REPLY_HEADER_BYTES) throw apiError('urlTooLongForHeaders', bytes, REPLY_HEADER_BYTES);
  return reply;
}

/** Express middleware: 414 for a URL over the limit. */
export function urlLimit(limit = MAX_URL_BYTES) {
  return (req: Request, _res: Response, next: NextFunction) =>
    req.url.length > limit ? next(apiError('uriTooLong', limit)) : next();
}

/** The error written straight to the socket (there is no express response): its headers are errorReply's. */
function writeError(socket: Duplex, e: ApiError): void {
  const reply = errorReply(e);
  const body = JSON.stringify(reply.body);
  const headers = Object.entries(reply.headers ?? {}).map(([k, v]) => `${k}: ${v}\r\n`);
  socket.end(
    `HTTP/1.1 ${reply.status} ${STATUS_CODES[reply.status]}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n${headers.join('')}Connection: close\r\n\r\n${body}`,
  );
}

/** Replace node's plain-text answers to requests its parser refuses (oversized headers, garbage) with JSON. */
export function answerClientErrors(server: Server, urlBytes = MAX_URL_BYTES, headerBytes = MAX_HEADER_BYTES): void {
  server.on('clientError', (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex) => {
    const code = err.code ?? '';
    if (!socket.writable || code === 'ECONNRESET' || !code.startsWith('HPE_')) {
      socket.destroy();
      return;
    }
    if (code === 'HPE_HEADER_OVERFLOW') {
      const raw = err.rawPacket;
      const eol = raw ? raw.indexOf('\r\n') : -1;
      writeError(
        socket,
        eol < 0 || eol > urlBytes ? apiError('uriTooLong', urlBytes) : apiError('headersTooLarge', headerBytes),
      );
      return;
    }
    writeError(socket, apiError('parseError', `Malformed HTTP request (${code}).`));
  });
}
