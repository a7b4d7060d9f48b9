/** Building and changing stored GeoNode records from request bodies (pure over the store). */
import { randomUUID } from 'node:crypto';
import { apiError } from '../../../core/errors.js';
import { blankValue, fieldSet } from '../../../contracts/fields.js';
import type { Contract } from '../../../contracts/load.js';
import type { Store, StoredRecord } from '../../../store/index.js';
import type { EndpointCollection } from '../collections.js';

const RESOURCE_TYPE_OF: Record<string, string> = { datasets: 'dataset', documents: 'document', maps: 'map' };

/**
 * `polymorphic_ctype_id` of each resource model: the Django content type of Dataset, Document, Map and GeoApp
 * (geostubs's fixtures number them as a stock GeoNode 4.4 database does). django-polymorphic sets it on save
 * (polymorphic/models.py `pre_save_polymorphic`), so a new resource carries its type's id, never "".
 */
export const POLYMORPHIC_CTYPE: Record<'dataset' | 'document' | 'map' | 'geoapp', string> = {
  dataset: '58',
  document: '61',
  map: '63',
  geoapp: '71',
};

function ctypeOf(resourceType: string): string {
  return resourceType === 'dataset' || resourceType === 'document' || resourceType === 'map'
    ? POLYMORPHIC_CTYPE[resourceType]
    : POLYMORPHIC_CTYPE.geoapp;
}

/** Keys of a body that a client may write: contract properties that are not read-only. */
export function writableChanges(
  contract: Contract,
  c: EndpointCollection,
  body: Record<string, unknown>,
): StoredRecord {
  const fs = fieldSet(contract, c.itemSchema);
  const out: StoredRecord = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === c.idField || k === 'pk' || k === 'id') continue;
    if (k === 'data' && fs.all.includes('data')) {
      out.data = v; // dynamic-rest renames `data` to `blob`; geostub stores the blob as `data`
      continue;
    }
    if (k === 'blob') {
      out.data = v;
      continue;
    }
    if (k === 'password' || (fs.all.includes(k) && !fs.readOnly.has(k))) out[k] = v;
  }
  return out;
}

export function ownerEmbed(user: StoredRecord): StoredRecord {
  const { pk, username, first_name, last_name, avatar, is_superuser, is_staff, email, link } = user;
  return { pk, username, first_name, last_name, avatar, is_superuser, is_staff, email, link };
}

export function missingRequired(c: EndpointCollection, body: Record<string, unknown>): string | undefined {
  return (c.requiredOnCreate ?? []).find((f) => body[f] === undefined || body[f] === null || body[f] === '');
}

/** A new record for an endpoint: blank contract fields, the body's writable fields, and server-set fields. */
export function newRecord(
  store: Store,
  contract: Contract,
  key: string,
  c: EndpointCollection,
  body: Record<string, unknown>,
  user: StoredRecord,
  now: string,
): StoredRecord {
  const fs = fieldSet(contract, c.itemSchema);
  const rec: StoredRecord = {};
  for (const f of fs.all) if (!fs.writeOnly.has(f)) rec[f] = blankValue(fs.props[f]);
  Object.assign(rec, writableChanges(contract, c, body));
  const coll = store.collection(c.store);
  if (c.idField === 'slug') {
    rec.slug = body.slug; // the slug is the id (`geonode/upload/models.py:256-263` (4.4.3)): writable on create only
    if (coll.get(rec.slug) !== undefined)
      throw apiError('invalid', `slug: an object with slug "${String(rec.slug)}" already exists.`);
  } else {
    rec[c.idField] = coll.nextId();
  }
  if (c.store === 'resources') {
    const pk = String(rec.pk);
    rec.resource_type = RESOURCE_TYPE_OF[key] ?? rec.resource_type ?? 'dataset';
    const world = {
      type: 'Polygon',
      coordinates: [
        [
          [-180, -90],
          [-180, 90],
          [180, 90],
          [180, -90],
          [-180, -90],
        ],
      ],
    };
    const extent = rec.extent as { coords?: number[] } | null;
    if (!extent || !Array.isArray(extent.coords)) rec.extent = { coords: [-180, -90, 180, 90], srid: 'EPSG:4326' };
    rec.bbox_polygon ??= world;
    rec.ll_bbox_polygon ??= world;
    if (!rec.srid) rec.srid = 'EPSG:4326';
    Object.assign(rec, {
      uuid: randomUUID(),
      owner: ownerEmbed(user),
      created: now,
      last_updated: now,
      date: rec.date || now,
      date_type: rec.date_type || 'publication',
      state: 'PROCESSED',
      processed: true,
      sourcetype: 'LOCAL',
      is_copyable: true,
      language: rec.language || 'eng',
      // ResourceBase.advertised is a BooleanField(default=True) (base/models.py): a body without it gets true
      advertised: typeof body.advertised === 'boolean' ? body.advertised : true,
      polymorphic_ctype_id: ctypeOf(String(rec.resource_type)),
      is_published: true,
      is_approved: true,
      popular_count: '0',
      share_count: '0',
      rating: '0',
      detail_url: `/catalogue/#/${rec.resource_type}/${pk}`,
      link: `/api/v2/resources/${pk}`,
    });
    store.collection('grants').insert({
      resource: pk,
      users: [{ id: user.pk, permissions: 'owner' }],
      groups: [],
      anonymous: 'download',
      registered: 'none',
    });
  } else if (c.store === 'users') {
    rec.link = `/api/v2/users/${rec.pk}`;
    rec.avatar = rec.avatar || `https://www.gravatar.com/avatar/${String(rec.pk)}?s=240`;
  } else if (c.store === 'harvesters') {
    const base = `/api/v2/harvesters/${String(rec.id)}/`;
    rec.links = { self: base, harvestable_resources: `${base}harvestable-resources/` };
    rec.default_owner ??= user.pk;
    if (!rec.default_owner) rec.default_owner = user.pk;
    rec.harvester_type ||= 'geonode.harvesting.harvesters.geonodeharvester.GeonodeUnifiedHarvesterWorker';
    rec.harvester_type_specific_configuration ??= {};
    rec.last_updated = now;
  } else if (c.store === 'groups') {
    // GeoNode creates the Django auth group behind the profile, named by the slug
    rec.slug ||= String(rec.title)
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    const groupPks = store
      .collection('groups')
      .list()
      .map((g) => Number((g.group as StoredRecord | null)?.pk ?? 0));
    rec.group = { pk: Math.max(0, ...groupPks) + 1, name: rec.slug };
    rec.link = `/api/v2/groups/${String(rec.pk)}`;
  } else if (c.store === 'uploads') {
    Object.assign(rec, {
      user: user.pk,
      date: now,
      create_date: now,
      state: 'READY',
      progress: 0,
      complete: false,
      link: `/api/v2/uploads/${String(rec.id)}`,
    });
  } else if (c.store === 'assets') {
    // a LocalAsset without files yet; the owner is the caller (geonode/assets/serializers.py: `{pk, username}`)
    Object.assign(rec, {
      owner: { pk: user.pk, username: user.username },
      created: now,
      asset_type: 'LocalAsset',
      subinfo: { locations: [] },
    });
    if (rec.description === undefined || rec.description === '') rec.description = null;
  } else if ('link' in rec || fs.all.includes('link')) {
    rec.link = `/api/v2/${c.path}/${String(rec[c.idField])}`;
  }
  return rec;
}

/** Remove a resource and everything that hangs off it. */
export function deleteResource(store: Store, pk: string): void {
  store.collection('resources').delete(pk);
  store.collection('grants').delete(pk);
  for (const name of ['favorites', 'ratings', 'extra_metadata'])
    store.collection(name).deleteWhere((r) => String(r.resource) === pk);
  store.collection('maplayers').deleteWhere((l) => String(l.map) === pk);
  for (const l of store.collection('maplayers').list()) if (String(l.dataset) === pk) l.dataset = null;
}
