/**
 * The ceiling for the front-end walk (`bench-walk.ts`): bare node:http answering each recorded URL with the very
 * bytes geostub sent for it (same status, same content type), looked up by the request line's path. What it costs is
 * a map lookup and the socket, so geostub ÷ replay is the share of the ceiling left after routing, rendering and
 * serialising.
 * Usage: node replay-server.js <recording.json> <port>; the recording is `[[path, contentType, base64 body], …]`.
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const [file, port] = process.argv.slice(2);
const answers = new Map<string, { type: string; body: Buffer }>();
for (const [path, type, body] of JSON.parse(readFileSync(file, 'utf8')) as [string, string, string][]) {
  answers.set(path, { type, body: Buffer.from(body, 'base64') });
}

createServer((req, res) => {
  const a = answers.get(req.url ?? '');
  if (!a) {
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end('{"detail":"not recorded"}');
    return;
  }
  res.writeHead(200, { 'Content-Type': a.type, 'Content-Length': a.body.length });
  res.end(a.body);
}).listen(Number(port), '127.0.0.1', () => process.stdout.write(`listening ${port}\n`));
