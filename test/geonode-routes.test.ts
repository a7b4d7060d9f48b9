/**
 * The route inventory of GeoNode 4.4.3 (test/data/geonode-4.4.3-routes.ts, each entry citing GeoNode's source): every
 * route it registers is served by the mock — answered by a behaviour, whatever the status (an auth error or a 400 is
 * fine), never a route miss (`X-Geostub-Error: routeNotFound`) nor a 405 — list PUT is refused with 405, relation
 * routes outside the serializers' link fields are route misses, and the seed's own operations stay served.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { startTestServer, type TestServer } from './helpers/server.js';
import { fillRoute, fixtureIds, served as servedBy } from './helpers/route-ids.js';
import { GEONODE_443_ROUTES, LIST_PUT_REFUSED, NOT_RELATION_ROUTES } from './data/geonode-4.4.3-routes.js';

let s: TestServer;
let ids: Record<string, string>;

beforeAll(async () => {
  s = await startTestServer();
  ids = fixtureIds(s);
}, 60_000);
afterAll(() => s.close());

const fill = (path: string) => fillRoute(path, ids);
const served = (method: string, path: string) => servedBy(s, method, path);

describe('the routes GeoNode 4.4.3 registers (test/data/geonode-4.4.3-routes.ts)', () => {
  it('lists each method and path once, with its source', () => {
    const keys = GEONODE_443_ROUTES.map(([m, p]) => `${m} ${p}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const [, , source] of GEONODE_443_ROUTES) expect(source).toMatch(/\.py:\d+/);
    expect(keys.length).toBeGreaterThan(150);
  });

  it('are all served by the mock: no route miss, no 405', async () => {
    const missing: string[] = [];
    for (const [method, template, source] of GEONODE_443_ROUTES) {
      const r = await served(method, fill(template));
      if (r.error === 'routeNotFound' || r.status === 405)
        missing.push(`${method} ${template} (${source}): ${r.status} ${r.error ?? ''} ${r.text}`);
    }
    expect(missing).toEqual([]);
  });

  it('are served with and without the trailing slash where GeoNode takes both (DynamicRouter `/?`)', async () => {
    for (const path of [
      '/api/v2/users/1002/transfer_resources',
      '/api/v2/documents/{document}/keywords',
      '/api/v2/assets/{asset}',
      '/api/v2/datasets/{dataset}/metadata/',
    ]) {
      const r = await served(
        path.includes('transfer') ? 'POST' : path.includes('metadata') ? 'PUT' : 'GET',
        fill(path),
      );
      expect(r.error, path).not.toBe('routeNotFound');
    }
  });
});

describe('what no release registers', () => {
  it.each(LIST_PUT_REFUSED)('PUT /api/v2/%s/ (a list route) is refused with 405 after authentication', async (name) => {
    const res = await s.request('PUT', `/api/v2/${name}/`, { body: [{ id: 1, title: 'x' }] });
    expect(res.status).toBe(405);
    // GeoNode's exception handler rewrites DRF's MethodNotAllowed (base/api/exceptions.py geonode_exception_handler)
    expect(res.json).toEqual({ success: false, errors: ['Method "PUT" not allowed.'], code: 'method_not_allowed' });
  });

  it('relation routes exist only for link fields: a plain or single field is a route miss', async () => {
    for (const template of NOT_RELATION_ROUTES) {
      const res = await s.request('GET', fill(template));
      expect([res.status, res.headers.get('x-geostub-error')], template).toEqual([404, 'routeNotFound']);
    }
  });

  it('a link field of every resource endpoint still answers its related objects', async () => {
    for (const prefix of ['resources', 'datasets', 'documents', 'maps', 'geoapps']) {
      const id = prefix === 'resources' ? ids.resource : ids[prefix.slice(0, -1)];
      const res = await s.request('GET', `/api/v2/${prefix}/${id}/keywords`);
      expect(res.status, prefix).toBe(200);
      expect(Object.keys(res.json)).toEqual(['HierarchicalKeywords']);
    }
  });

  it('GET /datasets/{id}/metadata is a 405: the ISO upload action (PUT only) is listed before the relation route', async () => {
    const res = await s.request('GET', `/api/v2/datasets/${ids.dataset}/metadata`);
    expect(res.status).toBe(405);
  });
});

describe('the seed keeps its operations', () => {
  it('every operation of the seed document is still routed (ratings, ingest, PUT /users/{id} included)', async () => {
    const seed = (await readFile('test/data/geonode-seed-operations.txt', 'utf8')).trim().split('\n');
    const sample: Record<string, string> = {
      id: ids.resource,
      resource_id: ids.resource,
      resource_type: 'dataset',
      field_name: 'keywords',
      slug: ids.sizeLimit,
      exec_id: ids.execution,
      execution_id: ids.execution,
      harvester_id: ids.harvester,
      cmd_name: ids.command,
    };
    const missing: string[] = [];
    for (const line of seed) {
      const [method, template] = line.split(' ');
      const path = template.replace(/\{(\w+)\}/g, (_m, n: string) => sample[n] ?? '1');
      const r = await served(method, path);
      if (
        r.error === 'routeNotFound' ||
        (r.status === 405 && !(method === 'PUT' && template === '/api/v2/users/{id}/'))
      )
        missing.push(`${line}: ${r.status} ${r.text}`);
    }
    expect(missing).toEqual([]);
    for (const op of [
      'POST /api/v2/resources/ingest/{resource_type}/',
      'GET /api/v2/resources/{id}/ratings/',
      'POST /api/v2/resources/{id}/ratings/',
      'PUT /api/v2/users/{id}/',
    ]) {
      expect(seed, op).toContain(op);
    }
  });
});
