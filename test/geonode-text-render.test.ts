/**
 * List pages and details are answered as JSON text built from each record's cached viewer-independent text, links
 * cut where they begin and the request's origin written between the pieces (src/apis/geonode/rendering/text.ts
 * `writeRecordText`). These
 * tests hold that text to the object rendering it replaced: the same values as the include[]=* / sideloading
 * answers (which still render objects), links absolute for every origin, and stored strings that look like the
 * link mark passed through untouched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';
import type { Item } from './helpers/geonode.js';

let s: TestServer;

beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

describe('GeoNode answers rendered as text', () => {
  it('a page holds what the object rendering holds, for the anonymous caller, alice and the admin', async () => {
    for (const as of [undefined, 'alice', 'admin'] as const) {
      const text = await s.request('GET', '/api/v2/resources/?page_size=20&page=2', as ? { as } : {});
      // sideloading=false still goes through the object path (a different query, the same records)
      const objects = await s.request(
        'GET',
        '/api/v2/resources/?page_size=20&page=2&sideloading=false',
        as ? { as } : {},
      );
      expect(text.status).toBe(200);
      expect(text.json.resources).toEqual(objects.json.resources);
      expect(Object.keys(text.json)).toEqual(Object.keys(objects.json));
      const pk = (text.json.resources as Item[])[0].pk;
      const detail = await s.request('GET', `/api/v2/resources/${pk}`, as ? { as } : {});
      const detailObjects = await s.request('GET', `/api/v2/resources/${pk}?sideloading=false`, as ? { as } : {});
      expect(detail.json).toEqual(detailObjects.json);
      expect(detail.headers.get('content-type')).toMatch(/^application\/json/);
    }
  });

  it('links are absolute for each origin, from one cached rendering', async () => {
    const local = await s.request('GET', '/api/v2/resources/?page_size=3&page=3');
    const proxied = await s.request('GET', '/api/v2/resources/?page_size=3&page=3', {
      headers: { 'X-Forwarded-Host': 'maps.example.org', 'X-Forwarded-Proto': 'https' },
    });
    const a = local.json.resources as Item[];
    const b = proxied.json.resources as Item[];
    expect(a[0].link).toMatch(/^http:\/\/(127\.0\.0\.1|localhost)/);
    expect(b[0].link).toMatch(/^https:\/\/maps\.example\.org\/api\/v2\/resources\//);
    expect(local.text).not.toContain('\\u0001');
    expect(proxied.text).not.toContain('\\u0001');
  });

  it('a stored string that begins with the link mark is answered as stored, links still absolute', async () => {
    const list = await s.request('GET', '/api/v2/resources/?page_size=1', { as: 'admin' });
    const pk = (list.json.resources as Item[])[0].pk;
    const odd = '\u0001/looks-like-a-link';
    const patched = await s.request('PATCH', `/api/v2/resources/${pk}/`, { body: { title: odd } });
    expect(patched.status, patched.text).toBe(200);
    const detail = await s.request('GET', `/api/v2/resources/${pk}`, { as: 'admin' });
    expect(detail.json.resource.title).toBe(odd);
    expect(detail.json.resource.link).toMatch(/^http:\/\//);
    const page = await s.request('GET', `/api/v2/resources/?filter{pk}=${pk}`, { as: 'admin' });
    expect((page.json.resources as Item[])[0].title).toBe(odd);
    expect((page.json.resources as Item[])[0].link).toMatch(/^http:\/\//);
    await s.request('POST', '/__geostub/reset');
  });

  it('a mark inside a stored string (after an escaped quote) is not a link: answered as stored', async () => {
    const list = await s.request('GET', '/api/v2/resources/?page_size=1', { as: 'admin' });
    const pk = (list.json.resources as Item[])[0].pk;
    const odd = 'say "\u0001/not-a-link" and ,"\u0001/nor-this"';
    const patched = await s.request('PATCH', `/api/v2/resources/${pk}/`, { body: { title: odd } });
    expect(patched.status, patched.text).toBe(200);
    const detail = await s.request('GET', `/api/v2/resources/${pk}`, { as: 'admin' });
    expect(detail.json.resource.title).toBe(odd);
    expect(detail.json).toEqual(
      (await s.request('GET', `/api/v2/resources/${pk}?sideloading=false`, { as: 'admin' })).json,
    );
    await s.request('POST', '/__geostub/reset');
  });

  it('an origin holding `$`, `&` or a quote is written as it is, JSON-escaped, as the object rendering writes it', async () => {
    for (const host of ['maps$&.example.org', "a$1$'b", 'x"y']) {
      const headers = { 'X-Forwarded-Host': host, 'X-Forwarded-Proto': 'https' };
      const text = await s.request('GET', '/api/v2/resources/?page_size=2&page=4', { headers });
      const objects = await s.request('GET', '/api/v2/resources/?page_size=2&page=4&sideloading=false', { headers });
      expect(text.status, text.text).toBe(200);
      expect((text.json.resources as Item[])[0].link).toBe(
        `https://${host}/api/v2/resources/${(text.json.resources as Item[])[0].pk}`,
      );
      expect(text.json.resources).toEqual(objects.json.resources);
      const pk = (text.json.resources as Item[])[0].pk;
      const detail = await s.request('GET', `/api/v2/resources/${pk}`, { headers });
      expect(detail.json).toEqual(
        (await s.request('GET', `/api/v2/resources/${pk}?sideloading=false`, { headers })).json,
      );
    }
  });
});
