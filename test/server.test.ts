/** The mock's generic HTTP behaviour: endpoints list, schema, trailing slashes, CORS, admin routes, writes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { startTestServer, type TestServer } from './helpers/server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

describe('GeoNode API root and schema', () => {
  it('GET /api/v2/ lists every DynamicRouter endpoint as an absolute URL without trailing slash', async () => {
    const res = await s.request('GET', '/api/v2/', { as: null });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json)).toEqual([...Object.keys(res.json)].sort());
    expect(res.json.resources).toBe(`${s.url}/api/v2/resources`);
    expect(res.json.group_profiles).toBeUndefined();
    for (const url of Object.values(res.json) as string[])
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v2\/[a-z-]+$/);
    expect(res.json).not.toHaveProperty('harvesters');
  });

  it('GET /api/v2/schema/ serves the contract as YAML, or JSON on request', async () => {
    const yaml = await s.request('GET', '/api/v2/schema/');
    expect(yaml.headers.get('content-type')).toMatch(/^application\/vnd\.oai\.openapi/);
    expect(parseYaml(yaml.text).openapi).toBe('3.0.3');
    const byQuery = await s.request('GET', '/api/v2/schema/?format=json');
    expect(byQuery.json.openapi).toBe('3.0.3');
    const byAccept = await s.request('GET', '/api/v2/schema/', {
      headers: { Accept: 'application/vnd.oai.openapi+json' },
    });
    expect(byAccept.headers.get('content-type')).toMatch(/openapi\+json/);
    expect(Object.keys(byAccept.json.paths)).toContain('/api/v2/resources/');
  });
});

describe('trailing slashes as the real routers have them', () => {
  it('GeoNode DynamicRouter paths answer with and without the slash (no redirect)', async () => {
    const pk = (await s.request('GET', '/api/v2/datasets/?page_size=1')).json.datasets[0].pk;
    for (const path of [
      '/api/v2/resources',
      '/api/v2/resources/',
      `/api/v2/datasets/${pk}`,
      `/api/v2/datasets/${pk}/`,
    ]) {
      const res = await s.request('GET', path);
      expect(res.status, path).toBe(200);
    }
  });

  it('the catalogue and GeoNode harvesting redirect a slash-less URL with 301, query kept', async () => {
    const res = await s.request('GET', '/services/api/v1/data?kind=vector&page=2');
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/services/api/v1/data/?kind=vector&page=2');
    const h = await s.request('GET', '/api/v2/harvesters');
    expect(h.status).toBe(301);
    expect(h.headers.get('location')).toBe('/api/v2/harvesters/');
  });

  it('the execution-status path has no trailing slash: a slashed URL is a JSON 404', async () => {
    const res = await s.request(
      'GET',
      '/api/v2/resource-service/execution-status/00000000-0000-0000-0000-000000000000/',
    );
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/json/);
  });
});

describe('lists and raw query keys', () => {
  it('pages with GeoNode’s envelope and DRF links (sorted, re-encoded, no page on the way back to page 1)', async () => {
    const p1 = await s.request('GET', '/api/v2/resources/?page_size=5&sort_by=title');
    expect(Object.keys(p1.json)).toEqual(['links', 'total', 'page', 'page_size', 'resources']);
    expect(p1.json.page_size).toBe(5);
    expect(p1.json.resources).toHaveLength(5);
    expect(p1.json.links.previous).toBeNull();
    expect(p1.json.links.next).toBe(`${s.url}/api/v2/resources/?page=2&page_size=5&sort_by=title`);
    const p2 = await fetch(p1.json.links.next, {
      headers: { Authorization: 'Basic ' + Buffer.from('admin:admin').toString('base64') },
    }).then((r) => r.json());
    expect(p2.links.previous).toBe(`${s.url}/api/v2/resources/?page_size=5&sort_by=title`);
    const ids = new Set([...p1.json.resources, ...p2.resources].map((r: { pk: string }) => r.pk));
    expect(ids.size).toBe(10);
  });

  it('search only searches with search_fields, AND over terms, OR over fields', async () => {
    const all = await s.request('GET', '/api/v2/resources/?page_size=1');
    const without = await s.request('GET', '/api/v2/resources/?search=zzzz-no-such-word&page_size=1');
    expect(without.json.total).toBe(all.json.total);
    const title = all.json.resources[0].title as string;
    const word = title.split(/\s+/)[0];
    const hit = await s.request(
      'GET',
      `/api/v2/resources/?search=${encodeURIComponent(word)}&search_fields=title&search_fields=abstract&page_size=100`,
    );
    expect(hit.json.total).toBeGreaterThan(0);
    for (const r of hit.json.resources) expect(`${r.title} ${r.abstract}`.toLowerCase()).toContain(word.toLowerCase());
    const none = await s.request(
      'GET',
      `/api/v2/resources/?search=${encodeURIComponent(word)}%20zzzz-no-such-word&search_fields=title`,
    );
    expect(none.json.total).toBe(0);
  });

  it('include[] is read only with its brackets; a bare include is ignored as an unknown parameter', async () => {
    const withBrackets = await s.request('GET', '/api/v2/resources/?page_size=1&include[]=data');
    expect(withBrackets.json.resources[0]).toHaveProperty('data');
    const bare = await s.request('GET', '/api/v2/resources/?page_size=1&include=data');
    expect(bare.json.resources[0]).not.toHaveProperty('data');
  });
});

describe('writes', () => {
  it('create → read → update → delete → 404, stored in between', async () => {
    const created = await s.request('POST', '/api/v2/resources/', { body: { title: 'Round trip', abstract: 'a' } });
    expect(created.status).toBe(201);
    const pk = created.json.resource.pk;
    expect(pk).toMatch(/^\d+$/);
    expect(created.json.resource.owner.username).toBe('admin');
    expect(created.json.resource.created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    expect((await s.request('GET', `/api/v2/resources/${pk}`)).json.resource.title).toBe('Round trip');
    const patched = await s.request('PATCH', `/api/v2/resources/${pk}/`, { body: { title: 'Renamed', pk: 'ignored' } });
    expect(patched.json.resource).toMatchObject({ pk, title: 'Renamed' });
    expect((await s.request('DELETE', `/api/v2/resources/${pk}`)).status).toBe(204);
    expect((await s.request('GET', `/api/v2/resources/${pk}`)).status).toBe(404);
  });

  it('anonymous writes are refused with the GeoNode body and change nothing', async () => {
    const before = s.store.snapshot();
    const res = await s.request('PATCH', '/api/v2/resources/1/', { body: { title: 'x' }, as: null });
    expect(res.status).toBe(403);
    expect(res.json).toEqual({
      success: false,
      errors: ['Authentication credentials were not provided.'],
      code: 'not_authenticated',
    });
    expect(s.store.snapshot()).toBe(before);
  });

  it('Bearer tokens and ?access_token= identify the fixture accounts', async () => {
    const bearer = await s.request('GET', '/api/v2/users/1002', {
      headers: { Authorization: 'Bearer geostub-alice-token' },
      as: null,
    });
    expect(bearer.json.user.username).toBe('alice');
    const query = await s.request('GET', '/api/v2/users/1002?access_token=geostub-alice-token', { as: null });
    expect(query.status).toBe(200);
    const wrong = await s.request('GET', '/api/v2/users/', {
      headers: { Authorization: 'Basic ' + Buffer.from('alice:nope').toString('base64') },
      as: null,
    });
    expect(wrong.status).toBe(403);
    expect(wrong.json.code).toBe('authentication_failed');
  });
});

describe('admin routes and CORS', () => {
  it('health reports the collections, reset restores the seed', async () => {
    const health = await s.request('GET', '/__geostub/health');
    expect(health.json.status).toBe('ok');
    expect(health.json.collections.resources).toBeGreaterThan(100);
    await s.request('DELETE', '/api/v2/resources/1');
    expect((await s.request('GET', '/api/v2/resources/1')).status).toBe(404);
    expect((await s.request('POST', '/__geostub/reset')).status).toBe(200);
    expect((await s.request('GET', '/api/v2/resources/1')).status).toBe(200);
  });

  it('answers CORS preflights and exposes the pagination headers', async () => {
    const pre = await fetch(`${s.url}/api/v2/resources/`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:3000',
        'Access-Control-Request-Method': 'PATCH',
        'Access-Control-Request-Headers': 'authorization,content-type',
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(pre.headers.get('access-control-allow-methods')).toMatch(/PATCH/);
    const res = await fetch(`${s.url}/services/api/v1/data/`, { headers: { Origin: 'http://localhost:3000' } });
    expect(res.headers.get('access-control-expose-headers')).toMatch(/X-Resource-Range/);
  });
});
