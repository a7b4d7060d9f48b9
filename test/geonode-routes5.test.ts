/**
 * The route inventory of GeoNode 5.0.2 (test/data/geonode-5.0.2-routes.ts, each entry citing GeoNode's source):
 * `--geonode 5` serves every route 5.0.2 registers and refuses the ones it dropped; the 4.4 profile does not serve
 * what only 5.0 added.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';
import { fillRoute, fixtureIds, served } from './helpers/route-ids.js';
import { ADDED_IN_5, DROPPED_IN_5, GEONODE_502_ROUTES } from './data/geonode-5.0.2-routes.js';

let v5: TestServer;
let v4: TestServer;
let ids: Record<string, string>;

beforeAll(async () => {
  [v5, v4] = await Promise.all([startTestServer({ geonode: 5 }), startTestServer()]);
  ids = fixtureIds(v5);
}, 60_000);
afterAll(async () => {
  await Promise.all([v5.close(), v4.close()]);
});

const fill = (path: string) => fillRoute(path, ids);

describe('the routes GeoNode 5.0.2 registers (test/data/geonode-5.0.2-routes.ts)', () => {
  it('lists each method and path once, with its source', () => {
    const keys = GEONODE_502_ROUTES.map(([m, p]) => `${m} ${p}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const [, , source] of GEONODE_502_ROUTES) expect(source).toMatch(/\.py/);
  });

  it('are all served in profile 5: no route miss, no 405', async () => {
    const missing: string[] = [];
    for (const [method, template, source] of GEONODE_502_ROUTES) {
      const r = await served(v5, method, fill(template));
      if (r.error === 'routeNotFound' || r.status === 405)
        missing.push(`${method} ${template} (${source}): ${r.status} ${r.error ?? ''} ${r.text}`);
    }
    expect(missing).toEqual([]);
  });

  it('the routes 5.0 dropped are route misses in profile 5 and served in 4', async () => {
    for (const [method, template] of DROPPED_IN_5) {
      expect((await served(v5, method, fill(template))).error, `${method} ${template} in 5`).toBe('routeNotFound');
      expect((await served(v4, method, fill(template))).error, `${method} ${template} in 4`).not.toBe('routeNotFound');
    }
  });

  it('what only 5.0 added is not served by the 4.4 profile', async () => {
    for (const [method, template] of ADDED_IN_5) {
      const r = await served(v4, method, fill(template));
      expect(
        r.error === 'routeNotFound' || r.status === 405,
        `${method} ${template} in 4: ${r.status} ${r.error}`,
      ).toBe(true);
    }
  });
});
