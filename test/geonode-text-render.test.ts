/**
 * List pages and details are answered as JSON text built from each record's cached viewer-independent text, links
 * kept relative and made absolute per reply (src/apis/geonode/render.ts `renderRecordText`, `withOrigin`). These
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
});

describe('withOrigin', () => {
  it('makes every marked link absolute and leaves marks that do not open a string', async () => {
    const { withOrigin } = await import('../src/apis/geonode/render-text.js');
    const text = '{"a":"\\u0001/x","b":["\\u0001/y","\\u0001/z"],"c":"q\\"\\u0001/w"}';
    expect(JSON.parse(withOrigin(text, 'http://h'))).toEqual({
      a: 'http://h/x',
      b: ['http://h/y', 'http://h/z'],
      c: 'q"\u0001/w',
    });
    expect(withOrigin('{"a":1}', 'http://h')).toBe('{"a":1}');
  });

  it('writes an origin holding `$` or a quote as it is (no replacement patterns, JSON-escaped)', async () => {
    const { withOrigin } = await import('../src/apis/geonode/render-text.js');
    for (const origin of ['http://a$&b', "http://$1$'$`$$", 'http://x"y']) {
      expect(JSON.parse(withOrigin('{"a":"\\u0001/p"}', origin))).toEqual({ a: `${origin}/p` });
    }
  });
});
