/**
 * Making and changing resource records for the asynchronous actions (create, ingest, copy, update, import). With the
 * contract, new records get its blank fields (writing/records.ts); without it (a caller that has only the store) they get the
 * server-set fields and empty lists for the list-valued ones.
 */
import { randomUUID } from 'node:crypto';
import type { Contract } from '../../../contracts/load.js';
import { copyRecord, type Store, type StoredRecord } from '../../../store/index.js';
import { embedOwner } from './common.js';
import { GEONODE_COLLECTIONS } from '../collections.js';
import { newRecord, writableChanges } from '../writing/records.js';

const GEOAPP_TYPES = new Set(['geostory', 'dashboard', 'geoapp', 'mapviewer']);

/** The endpoint key of a resource type, or undefined for a type GeoNode does not know. */
export function keyOfType(type: unknown): string | undefined {
  if (type === 'dataset' || type === 'document' || type === 'map') return `${type}s`;
  return typeof type === 'string' && GEOAPP_TYPES.has(type) ? 'geoapps' : undefined;
}

const LIST_FIELDS = ['poc', 'metadata_author', 'keywords', 'tkeywords', 'regions', 'links', 'download_urls'];
const PROTECTED = new Set([
  'pk',
  'id',
  'uuid',
  'owner',
  'resource_type',
  'polymorphic_ctype_id',
  'created',
  'link',
  'perms',
]);

export function slugName(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 60);
}

/** Body keys a write may set on a resource of this type. */
function changesFor(contract: Contract | undefined, key: string, body: Record<string, unknown>): StoredRecord {
  if (contract) return writableChanges(contract, GEONODE_COLLECTIONS[key], body);
  return Object.fromEntries(Object.entries(body).filter(([k]) => !PROTECTED.has(k)));
}

/** Insert a new (empty) resource of a type, owned by `owner`, with default grants. */
export function buildResource(
  store: Store,
  contract: Contract | undefined,
  type: string,
  body: Record<string, unknown>,
  owner: StoredRecord,
  now: string,
  uuid: string = randomUUID(),
): StoredRecord {
  const key = keyOfType(type)!;
  let rec: StoredRecord;
  if (contract) {
    rec = newRecord(store, contract, key, GEONODE_COLLECTIONS[key], body, owner, now);
  } else {
    const pk = String(store.collection('resources').nextId());
    rec = Object.fromEntries(LIST_FIELDS.map((f) => [f, []]));
    Object.assign(
      rec,
      {
        title: '',
        abstract: '',
        category: null,
        group: null,
        thumbnail_url: null,
        featured: false,
        metadata_only: false,
      },
      changesFor(undefined, key, body),
      {
        pk,
        owner: embedOwner(owner),
        created: now,
        last_updated: now,
        date: now,
        date_type: 'publication',
        state: 'PROCESSED',
        processed: true,
        sourcetype: 'LOCAL',
        language: 'eng',
        advertised: true,
        is_published: true,
        is_approved: true,
        is_copyable: true,
        popular_count: '0',
        share_count: '0',
        rating: '0',
      },
    );
    store.collection('grants').insert({
      resource: pk,
      users: [{ id: owner.pk, permissions: 'owner' }],
      groups: [],
      anonymous: 'download',
      registered: 'none',
    });
  }
  const pk = String(rec.pk);
  Object.assign(rec, {
    uuid,
    resource_type: type,
    detail_url: `/catalogue/#/${type}/${pk}`,
    link: `/api/v2/resources/${pk}`,
  });
  if (type === 'dataset' || key === 'geoapps') {
    const taken = new Set(
      store
        .collection('resources')
        .list()
        .map((r) => r.name),
    );
    let name =
      typeof body.name === 'string' && body.name ? body.name : slugName(String(rec.title || '')) || `${type}_${pk}`;
    if (taken.has(name)) name = `${name}_${pk}`;
    rec.name = name;
    if (type === 'dataset')
      Object.assign(rec, { alternate: `geonode:${name}`, workspace: 'geonode', subtype: rec.subtype || 'vector' });
  }
  if (rec.is_copyable === undefined || rec.is_copyable === null) rec.is_copyable = true;
  return store.collection('resources').insert(rec);
}

/** Apply an update's `vals` (and keyword names) to a resource. */
export function applyVals(
  store: Store,
  contract: Contract | undefined,
  resource: StoredRecord,
  vals: Record<string, unknown>,
  keywords: unknown,
  now: string,
): void {
  const key = keyOfType(resource.resource_type) ?? 'resources';
  const changes: StoredRecord = { ...changesFor(contract, key, vals), last_updated: now };
  if (Array.isArray(keywords) && keywords.length) {
    const known = store.collection('keywords').list();
    changes.keywords = keywords.map((k) => {
      const name = String(k);
      const hit = known.find((x) => x.name === name || x.slug === name);
      return { name: hit ? hit.name : name, slug: hit ? hit.slug : slugName(name).replace(/_/g, '-') };
    });
  }
  store.collection('resources').update(resource.pk, changes);
}

/** Copy a resource (the `copy` effect): a new pk, uuid and owner; map layers are copied with a map. */
export function copyResource(
  store: Store,
  contract: Contract | undefined,
  source: StoredRecord,
  owner: StoredRecord,
  defaults: Record<string, unknown>,
  now: string,
): StoredRecord {
  const resources = store.collection('resources');
  const pk = String(resources.nextId());
  const type = String(source.resource_type);
  const rec: StoredRecord = copyRecord(source);
  delete rec.linked_to;
  Object.assign(rec, changesFor(contract, keyOfType(type) ?? 'resources', defaults), {
    pk,
    uuid: randomUUID(),
    owner: embedOwner(owner),
    created: now,
    last_updated: now,
    popular_count: '0',
    share_count: '0',
    rating: '0',
    featured: false,
    detail_url: `/catalogue/#/${type}/${pk}`,
    link: `/api/v2/resources/${pk}`,
  });
  if (typeof source.name === 'string' && source.name) {
    rec.name = `${source.name}_${pk}`;
    if (type === 'dataset') rec.alternate = `${String(source.workspace || 'geonode')}:${rec.name}`;
  }
  resources.insert(rec);
  store.collection('grants').insert({
    resource: pk,
    users: [{ id: owner.pk, permissions: 'owner' }],
    groups: [],
    anonymous: 'download',
    registered: 'none',
  });
  if (type === 'map') {
    const layers = store.collection('maplayers');
    for (const l of layers.list().filter((x) => String(x.map) === String(source.pk))) {
      layers.insert({ ...copyRecord(l), pk: undefined, map: pk });
    }
  }
  return rec;
}
