/** Size limits answered in JSON: body 413, URL 414, headers 431, malformed requests 400, oversized pages 400. */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';
import { pageEnvelope } from '../src/apis/geonode/reading/read.js';
import { MAX_PAGE_RECORDS } from '../src/query/pagination.js';
import type { BehaviourRequest } from '../src/core/types.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

/** Send raw bytes and read the whole answer (the server closes the connection after these errors). */
function raw(port: number, request: string): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((ok, fail) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (d) => (data += d));
    socket.on('error', fail);
    socket.on('close', () => {
      const [head, ...rest] = data.split('\r\n\r\n');
      ok({ status: Number(head.split(' ')[1]), headers: head, body: rest.join('\r\n\r\n') });
    });
    socket.write(request);
  });
}

describe('limits', () => {
  it('a body over --body-limit is a JSON 413', async () => {
    const r = await s.request('POST', '/api/v2/resources/', {
      raw: JSON.stringify({ title: 'x'.repeat(1_100_000) }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(r.status).toBe(413);
    expect(r.json).toMatchObject({ success: false, code: 'payload_too_large' });
  });

  it("a URL over 8 KB is a JSON 414, whether express or node's parser sees it first", async () => {
    for (const length of [9_000, 40_000]) {
      const r = await raw(
        s.port,
        `GET /api/v2/resources/?filter{title.icontains}=${'a'.repeat(length)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      );
      expect(r.status, String(length)).toBe(414);
      expect(r.headers).toMatch(/content-type: application\/json/i);
      expect(JSON.parse(r.body)).toMatchObject({ success: false, code: 'uri_too_long' });
    }
  });

  it('a URL whose reply headers would repeat it past what clients read (the catalogue Link) is a JSON 414', async () => {
    const r = await s.request('GET', `/services/api/v1/data/?format=${'a'.repeat(5000)}`, {
      headers: { Authorization: 'key geostub0koordinates0api0key00001' },
    });
    expect(r.status).toBe(414);
    expect(r.json).toMatchObject({ success: false, code: 'uri_too_long' });
    expect(r.headers.get('link')).toBeNull();
    expect(
      (
        await s.request('GET', `/services/api/v1/data/?q=${'a'.repeat(500)}`, {
          headers: { Authorization: 'key geostub0koordinates0api0key00001' },
        })
      ).status,
    ).toBe(200);
  });

  it("headers over 16 KB are a JSON 431 instead of node's plain text", async () => {
    const r = await raw(
      s.port,
      `GET /api/v2/ HTTP/1.1\r\nHost: x\r\nCookie: ${'c'.repeat(20_000)}\r\nConnection: close\r\n\r\n`,
    );
    expect(r.status).toBe(431);
    expect(JSON.parse(r.body)).toMatchObject({ success: false, code: 'request_header_fields_too_large' });
  });

  it('a request node cannot parse is a JSON 400', async () => {
    const r = await raw(s.port, 'GET /api/v2/ HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n');
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toMatchObject({ success: false, code: 'parse_error' });
  });

  it('any page_size is honoured while the page fits; a page past MAX_PAGE_RECORDS records is a clear 400', async () => {
    const all = await s.request('GET', '/api/v2/resources/?page_size=99999');
    expect(all.status).toBe(200);
    expect(all.json.resources.length).toBe(all.json.total);
    const records = Array.from({ length: MAX_PAGE_RECORDS + 1 }, (_, i) => ({ pk: String(i + 1) }));
    const req = {
      query: new URLSearchParams('page_size=99999'),
      origin: 'http://x',
      pathname: '/api/v2/resources/',
    } as unknown as BehaviourRequest;
    expect(() => pageEnvelope(req, records, 'resources', (r) => r)).toThrow(
      expect.objectContaining({ errorName: 'pageTooLarge', status: 400 }),
    );
    const ok = { ...req, query: new URLSearchParams(`page_size=${MAX_PAGE_RECORDS}`) } as BehaviourRequest;
    expect((pageEnvelope(ok, records, 'resources', (r) => r).resources as unknown[]).length).toBe(MAX_PAGE_RECORDS);
  });
});
