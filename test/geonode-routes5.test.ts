/**
 * The route inventory of GeoNode 5.0.2 (test/data/geonode-5.0.2-routes.ts, each entry citing GeoNode's source):
 * `--geonode 5` serves every route 5.0.2 registers and refuses the ones it dropped; the 4.4 profile does not serve
 * what only 5.0 added.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';
import { ADDED_IN_5, DROPPED_IN_5, GEONODE_502_ROUTES } from './data/geonode-5.0.2-routes.js';

let v5: TestServer;
let v4: TestServer;
let ids: Record<string, string>;

beforeAll(async () => {
  [v5, v4] = await Promise.all([startTestServer({ geonode: 5 }), startTestServer()]);
  const c = (name: string) => v5.store.collection(name).all();
  const ofType = (t: string) => String(c('resources').find((r) => r.resource_type === t && r.metadata_only !== true)!.pk);
  ids = {
    resource: ofType('dataset'), dataset: ofType('dataset'), document: ofType('document'), map: ofType('map'),
    geoapp: String(c('resources').find((r) => r.resource_type === 'geostory')!.pk),
    user: '1002', group: String(c('groups')[0].pk), owner: '1002', category: String(c('categories')[0].id),
    keyword: String(c('keywords')[0].id), tkeyword: String(c('tkeywords')[0].id), region: String(c('regions')[0].id),
    upload: String(c('uploads')[0].id), sizeLimit: String(c('upload_size_limits')[0].slug),
    parallelismLimit: String(c('upload_parallelism_limits')[0].slug), execution: String(c('execution_requests')[0].exec_id),
    harvester: String(c('harvesters')[0].id), session: String(c('harvesting_sessions')[0].id), command: 'ping_mngmt_commands_http',
    job: String(c('management_jobs')[0].id), facet: 'category', asset: String(c('assets')[0].pk),
  };
}, 60_000);
afterAll(async () => {
  await Promise.all([v5.close(), v4.close()]);
});

const fill = (path: string) => path.replace(/\{(\w+)\}/g, (_m, name: string) => {
  if (!(name in ids)) throw new Error(`no id for {${name}}`);
  return ids[name];
});

/** anonymous, so that no write goes through: an existing route answers 401/403 (or its read), a missing one 404/405 */
async function served(s: TestServer, method: string, path: string) {
  const res = await s.request(method, path, { as: null, ...(method === 'GET' || method === 'DELETE' ? {} : { body: {} }) });
  return { status: res.status, error: res.headers.get('x-geostub-error'), text: res.text.slice(0, 160) };
}

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
      if (r.error === 'routeNotFound' || r.status === 405) missing.push(`${method} ${template} (${source}): ${r.status} ${r.error ?? ''} ${r.text}`);
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
      expect(r.error === 'routeNotFound' || r.status === 405, `${method} ${template} in 4: ${r.status} ${r.error}`).toBe(true);
    }
  });
});
