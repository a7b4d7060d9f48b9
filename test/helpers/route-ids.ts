/** Ids from a running mock's fixtures for the placeholders of the route inventories (test/data/geonode-*-routes.ts). */
import type { TestServer } from './server.js';

export function fixtureIds(s: TestServer): Record<string, string> {
  const c = (name: string) => s.store.collection(name).list();
  const ofType = (t: string) =>
    String(c('resources').find((r) => r.resource_type === t && r.metadata_only !== true)!.pk);
  return {
    resource: ofType('dataset'),
    dataset: ofType('dataset'),
    document: ofType('document'),
    map: ofType('map'),
    geoapp: String(c('resources').find((r) => r.resource_type === 'geostory')!.pk),
    user: '1002',
    group: String(c('groups')[0].pk),
    owner: '1002',
    category: String(c('categories')[0].id),
    keyword: String(c('keywords')[0].id),
    tkeyword: String(c('tkeywords')[0].id),
    region: String(c('regions')[0].id),
    upload: String(c('uploads')[0].id),
    sizeLimit: String(c('upload_size_limits')[0].slug),
    parallelismLimit: String(c('upload_parallelism_limits')[0].slug),
    execution: String(c('execution_requests')[0].exec_id),
    harvester: String(c('harvesters')[0].id),
    session: String(c('harvesting_sessions')[0].id),
    command: 'ping_mngmt_commands_http',
    job: String(c('management_jobs')[0].id),
    facet: 'category',
    asset: String(c('assets')[0].pk),
  };
}

/** A route template with its placeholders filled from `ids`. */
export function fillRoute(path: string, ids: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    if (!(name in ids)) throw new Error(`no id for {${name}}`);
    return ids[name];
  });
}

/** Anonymous, so that no write goes through: an existing route answers 401/403 (or its read), a missing one 404/405. */
export async function served(s: TestServer, method: string, path: string) {
  const res = await s.request(method, path, {
    as: null,
    ...(method === 'GET' || method === 'DELETE' ? {} : { body: {} }),
  });
  return { status: res.status, error: res.headers.get('x-geostub-error'), text: res.text.slice(0, 200) };
}
