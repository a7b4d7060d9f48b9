/** Filling an operation's path parameters and body from the live store, for walks over every operation. */
import type { Operation } from '../../src/contracts/route-table.js';
import type { Store, StoredRecord } from '../../src/store/index.js';
import { GEONODE_COLLECTIONS } from '../../src/apis/geonode/collections.js';
import { SAMPLE_REQUESTS, type SampleRequest } from '../data/self-check-requests.js';

const first = <T>(xs: readonly T[], pred: (x: T) => boolean = () => true): T => {
  const hit = xs.find(pred);
  if (hit === undefined) throw new Error('the fixtures have no record for this walk step');
  return hit;
};

function owners(store: Store): Set<unknown> {
  return new Set(
    store
      .collection('resources')
      .list()
      .map((r) => (r.owner as StoredRecord).pk),
  );
}

/** A user who owns nothing (made on the spot when the fixtures have none). */
function idleUser(store: Store): StoredRecord {
  const busy = owners(store);
  const users = store.collection('users');
  return (
    users.list().find((u) => !busy.has(u.pk) && !u.is_superuser) ??
    users.insert({
      username: 'idle-walker',
      first_name: 'Idle',
      last_name: 'Walker',
      email: 'idle@example.org',
      avatar: null,
      is_superuser: false,
      is_staff: false,
      password: 'idle',
      link: '/api/v2/users/0',
    })
  );
}

export function sampleFor(op: Operation): SampleRequest {
  return SAMPLE_REQUESTS[`${op.method.toUpperCase()} ${op.path}`] ?? {};
}

/** A valid id for each path parameter of an operation. */
export function fillParams(op: Operation, store: Store): Record<string, string> {
  const sample = sampleFor(op);
  const values: Record<string, string> = {};
  const names = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  const key = String(op.ext.collection ?? '');
  for (const name of names) {
    if (sample.params?.[name]) {
      values[name] = sample.params[name];
      continue;
    }
    values[name] = paramValue(op, store, key, name, sample);
  }
  return values;
}

function paramValue(op: Operation, store: Store, key: string, name: string, sample: SampleRequest): string {
  const resources = store.collection('resources').list();
  if (op.api === 'koordinates') {
    const kind = String(op.ext.kind);
    const parent = String(op.ext.parent ?? kind);
    if (kind === 'license') return String(first(store.collection('kx_licenses').list()).id);
    if (kind === 'group') return String(first(store.collection('kx_groups').list()).id);
    if (kind === 'user') return String(first(store.collection('kx_users').list()).id);
    const item = first(
      store.collection('kx_items').list(),
      (i) => i.type === parent && i.public === true && (i.versions as unknown[]).length > 0,
    );
    if (name === 'version_id') return String((item.versions as StoredRecord[])[0].id);
    return String(item.id);
  }
  switch (name) {
    case 'field_name':
      return 'keywords';
    case 'cmd_name':
      return 'ping_mngmt_commands_http';
    case 'resource_type':
      return 'dataset';
    case 'facet':
      return 'category';
    case 'path':
      // a file of the asset the walk picks for {id} (the first): its stored location, as GeoNode joins it
      return String((first(store.collection('assets').list()).subinfo as { locations: string[] }).locations[0]);
    case 'execution_id':
    case 'exec_id':
      return String(first(store.collection('execution_requests').list(), (e) => e.user === 1000).exec_id);
    case 'harvester_id':
      return String(first(store.collection('harvesters').list()).id);
    case 'slug':
      return String(first(store.collection(GEONODE_COLLECTIONS[key].store).list()).slug);
  }
  if (sample.pick === 'userWithoutResources') return String(idleUser(store).pk);
  if (key === 'management_jobs') {
    const jobs = store.collection('management_jobs').list();
    const byCommand = op.path.includes('{cmd_name}')
      ? (j: StoredRecord) => j.command === 'ping_mngmt_commands_http'
      : () => true;
    if (sample.pick === 'createdJob') {
      const created = jobs.find((j) => byCommand(j) && j.status === 'CREATED');
      if (created) return String(created.id);
      const job = store.collection('management_jobs').insert({
        command: 'ping_mngmt_commands_http',
        app_name: 'management_commands_http',
        user: 1000,
        status: 'CREATED',
        created_at: '2025-01-01T00:00:00.000000Z',
        start_time: null,
        end_time: null,
        args: [],
        kwargs: {},
        celery_result_id: null,
        output_message: null,
      });
      return String(job.id);
    }
    return String(first(jobs, byCommand).id);
  }
  const c = GEONODE_COLLECTIONS[key];
  if (!c) throw new Error(`${op.operationId}: no collection to fill {${name}} from`);
  if (c.store === 'resources') {
    const type =
      sample.pick && ['map', 'dataset', 'document', 'geoapp'].includes(sample.pick) ? sample.pick : undefined;
    const ok = (r: StoredRecord) =>
      (c.scope ? c.scope(r) : true) &&
      (!type || r.resource_type === type || (type === 'geoapp' && r.resource_type === 'geostory'));
    return String(
      first(resources, (r) =>
        ok(r) && r.resource_type !== 'geostory' && r.resource_type !== 'dashboard' ? true : ok(r) && key === 'geoapps',
      ).pk,
    );
  }
  return String(first(store.collection(c.store).list())[c.idField]);
}

/** The body of a sample with its placeholders replaced by ids from the store. */
export function fillBody(body: unknown, store: Store, params: Record<string, string>): unknown {
  const resources = store.collection('resources').list();
  const ofType = (t: string) =>
    first(resources, (r) =>
      t === 'geoapp' ? r.resource_type === 'geostory' || r.resource_type === 'dashboard' : r.resource_type === t,
    ).pk;
  if (body === 'HARVESTABLE') {
    const h = first(
      store.collection('harvestable_resources').list(),
      (r) => String(r.harvester) === params.harvester_id,
    );
    return [{ unique_identifier: h.unique_identifier, should_be_harvested: !h.should_be_harvested }];
  }
  const text = JSON.stringify(body ?? null)
    .replace(/"DATASET"/g, JSON.stringify(ofType('dataset')))
    .replace(/"DOCUMENT"/g, JSON.stringify(ofType('document')))
    .replace(/"MAP"/g, JSON.stringify(ofType('map')))
    .replace(/"GEOAPP"/g, JSON.stringify(ofType('geoapp')))
    .replace(/"USER_WITHOUT_RESOURCES"/g, () => String(idleUser(store).pk));
  return body === undefined ? undefined : JSON.parse(text);
}

export function expandPath(path: string, params: Record<string, string>): string {
  return path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(params[name]));
}
