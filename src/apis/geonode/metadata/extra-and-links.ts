/**
 * Extra metadata (`geonode/base/api/views.py:1213-1285` (4.4.3)) and linked resources (`:1304-1358`).
 *
 * Links are stored on the source resource record as the internal field `linked_to: ["<pk>", …]` (never rendered:
 * no contract schema lists it); map → dataset links through map layers are derived (`internal: true`).
 * `linkedResourcesPayload` builds the `{linked_to, linked_by}` object for the endpoint and for the deferred
 * `linked_resources` field of resources.
 */
import { apiError } from '../../../core/errors.js';
import { json, type Behaviour } from '../../../core/types.js';
import type { Store, StoredRecord } from '../../../store/index.js';
import { denied, hasLevel, isObject, param, requireResourceLevel, resourceById } from '../actions/common.js';
import { levelFor } from '../permissions/levels.js';

/** Python's `repr` of JSON data (for GeoNode's schema error texts). */
function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true || v === false) return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string')
    return v.includes("'") && !v.includes('"') ? `"${v}"` : `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  return `{${Object.entries(v as object)
    .map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`)
    .join(', ')}}`;
}

/** Python's `json.dumps` with its default separators and ASCII escaping. */
function pyDumps(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(pyDumps).join(', ')}]`;
  if (isObject(v))
    return `{${Object.entries(v)
      .map(([k, x]) => `${pyDumps(k)}: ${pyDumps(x)}`)
      .join(', ')}}`;
  return JSON.stringify(v ?? null).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

const METADATA_KEYS = ['filter_header', 'field_name', 'field_label', 'field_value'];

/** `validate_extra_metadata` against the default schema; returns the error text of the first bad item. */
function metadataProblem(data: unknown, needId: boolean): string | undefined {
  if (!data || (Array.isArray(data) && !data.length) || (isObject(data) && !Object.keys(data).length)) return undefined;
  if (typeof data !== 'object')
    return `'${typeof data === 'number' ? (Number.isInteger(data) ? 'int' : 'float') : 'bool'}' object is not iterable`;
  const items: unknown[] = Array.isArray(data) ? data : Object.keys(data as object);
  for (const [index, item] of items.entries()) {
    const at = ` at index ${index} for input json: ${pyDumps(item)}`;
    if (!isObject(item)) return `${pyRepr(item)} should be instance of 'dict'${at}`;
    const missing = [...METADATA_KEYS, ...(needId ? ['id'] : [])]
      .filter((k) => !(k in item))
      .map((k) => `'${k}'`)
      .sort();
    if (missing.length) return `Missing key${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}${at}`;
    const wrong = Object.keys(item)
      .filter((k) => k !== 'id' && !METADATA_KEYS.includes(k))
      .map((k) => `'${k}'`)
      .sort();
    if (wrong.length) return `Wrong key${wrong.length > 1 ? 's' : ''} ${wrong.join(', ')} in ${pyRepr(item)}${at}`;
    if ('id' in item && !Number.isInteger(item.id))
      return `Key 'id' error:\n${pyRepr(item.id)} should be instance of 'int'${at}`;
  }
  return undefined;
}

/**
 * `GET|POST|PUT|DELETE /resources/{pk}/extra_metadata`. Rights as GeoNode's `UserHasPerms`: GET view, POST any
 * authenticated user, PUT edit, DELETE manage. A schema violation is a 500 JSON string in GeoNode; geostub answers
 * the same string with 400.
 */
export const extraMetadata: Behaviour = async (req, env) => {
  const res = resourceById(env, param(req, 'id', 'pk', 'resource_id'));
  if (req.method === 'POST') {
    if (!req.user) denied(req);
  } else {
    requireResourceLevel(req, env, res, req.method === 'GET' ? 'view' : req.method === 'PUT' ? 'edit' : 'manage');
  }
  const coll = env.store.collection('extra_metadata');
  const pk = String(res.pk);
  const mine = () =>
    coll
      .list()
      .filter((m) => String(m.resource) === pk)
      .sort((a, b) => Number(a.id) - Number(b.id));
  const render = (list: readonly StoredRecord[]) =>
    list.map((m) => ({ id: m.id, ...Object.fromEntries(METADATA_KEYS.map((k) => [k, m[k]])) }));
  if (req.method === 'GET') {
    const first = [...req.query][0];
    const list = first ? mine().filter((m) => m[first[0]] !== undefined && String(m[first[0]]) === first[1]) : mine();
    return json(200, render(list));
  }
  let body = req.body;
  if (req.method !== 'DELETE') {
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body) as unknown;
      } catch {
        throw apiError('jsonString', 400, 'The value provided for the Extra metadata field is not a valid JSON');
      }
    }
    const problem = metadataProblem(body, req.method === 'PUT');
    if (problem) throw apiError('jsonString', 400, problem);
  }
  const items = (Array.isArray(body) ? body : []) as Record<string, unknown>[];
  if (req.method === 'POST') {
    for (const m of items) coll.insert({ resource: pk, ...Object.fromEntries(METADATA_KEYS.map((k) => [k, m[k]])) });
  } else if (req.method === 'PUT') {
    const own = new Set(mine().map((m) => Number(m.id)));
    for (const m of items)
      if (own.has(Number(m.id))) coll.update(m.id, Object.fromEntries(METADATA_KEYS.map((k) => [k, m[k]])));
  } else {
    const ids = new Set(items.map((i) => Number(i)));
    coll.deleteWhere((m) => String(m.resource) === pk && ids.has(Number(m.id)));
  }
  await env.persist();
  return json(req.method === 'POST' ? 201 : 200, render(mine()));
};

interface Link {
  pk: string;
  internal: boolean;
}

function uniqueLinks(links: Link[]): Link[] {
  const seen = new Set<string>();
  return links.filter((l) => !seen.has(l.pk) && !!seen.add(l.pk));
}

/** Records in ascending numeric id order (the order the collections store them in). */
const byStoredOrder = (records: StoredRecord[], id: string) => records.sort((a, b) => Number(a[id]) - Number(b[id]));

function linksFrom(store: Store, r: StoredRecord): Link[] {
  // the maplayers index by map (kept up to date by the collection) instead of a scan per resource: linked_by of
  // every write response would otherwise scan maplayers once per map (minutes at 100,000 resources)
  const internal =
    r.resource_type === 'map'
      ? byStoredOrder(store.collection('maplayers').where('map', r.pk), 'pk')
          .filter((l) => l.dataset !== null && l.dataset !== undefined)
          .map((l) => ({ pk: String(l.dataset), internal: true }))
      : [];
  const external = ((r.linked_to as unknown[] | undefined) ?? []).map((pk) => ({ pk: String(pk), internal: false }));
  return uniqueLinks([...internal, ...external]);
}

/**
 * `{linked_to, linked_by}` of a resource as the caller may see it (`base_linked_resources_payload`,
 * `geonode/base/api/views.py:1368` (4.4.3)), with GeoNode's optional filters.
 */
export function linkedResourcesPayload(
  store: Store,
  resource: StoredRecord,
  user: StoredRecord | null,
  origin: string,
  query = new URLSearchParams(),
): Record<string, unknown> {
  const types = (query.get('resource_type') ?? '').split(',').filter(Boolean);
  const linkType = query.get('link_type');
  const resources = store.collection('resources');
  const keep = (r: StoredRecord | undefined): r is StoredRecord =>
    !!r && levelFor(store, r, user) !== 'none' && (!types.length || types.includes(String(r.resource_type)));
  const item = (r: StoredRecord, internal: boolean) => {
    const thumb = r.thumbnail_url as string | null | undefined;
    return {
      internal,
      pk: Number(r.pk),
      title: r.title,
      resource_type: r.resource_type,
      detail_url: r.detail_url ?? null,
      thumbnail_url: thumb && thumb.startsWith('/') ? origin + thumb : (thumb ?? null),
    };
  };
  const out: Record<string, unknown> = {};
  if (query.has('page') || query.has('page_size'))
    out.WARNINGS = { PAGINATION: 'Pagination is not supported on this call' };
  if (!linkType || linkType === 'linked_to') {
    out.linked_to = linksFrom(store, resource)
      .map((l) => ({ r: resources.get(l.pk), l }))
      .filter((x): x is { r: StoredRecord; l: Link } => keep(x.r))
      .map(({ r, l }) => item(r, l.internal));
  }
  if (!linkType || linkType === 'linked_by') {
    const pk = String(resource.pk);
    // only resources that can link here: maps with a layer of it, and resources whose linked_to names it
    const maps = store
      .collection('maplayers')
      .where('dataset', pk)
      .map((l) => resources.get(l.map));
    const candidates = new Set([...maps, ...resources.where('linked_to', pk)].filter((r): r is StoredRecord => !!r));
    out.linked_by = byStoredOrder([...candidates], 'pk')
      .map((r) => ({ r, l: linksFrom(store, r).find((x) => x.pk === pk) }))
      .filter((x): x is { r: StoredRecord; l: Link } => !!x.l && keep(x.r))
      .map(({ r, l }) => item(r, l.internal));
  }
  return out;
}

/**
 * `GET|POST|DELETE /resources/{pk}/linked_resources`. GET needs view; POST any authenticated user (GeoNode's
 * `UserHasPerms` accepts `add_resourcebase`), DELETE manage; the resource must then be visible (else 404).
 * Writes take `{"target": [pks]}` and answer `{"success", "error", "message"}` (400 when any target failed).
 */
export const linkedResources: Behaviour = async (req, env) => {
  const res = resourceById(env, param(req, 'id', 'pk', 'resource_id'), req);
  if (req.method === 'POST') {
    if (!req.user) denied(req);
  } else {
    requireResourceLevel(req, env, res, req.method === 'GET' ? 'view' : 'manage');
  }
  if (!hasLevel(env, res, req.user, 'view')) throw apiError('notFound');
  if (req.method === 'GET') return json(200, linkedResourcesPayload(env.store, res, req.user, req.origin, req.query));
  const target = isObject(req.body) ? req.body.target : undefined;
  if (!Array.isArray(target)) throw apiError('invalid', 'Payload is not valid');
  const ids = [...new Set(target.map((t) => (typeof t === 'string' && /^\d+$/.test(t) ? Number(t) : t)))].sort(
    (a, b) => Number(a) - Number(b),
  );
  const success: unknown[] = [];
  const error: unknown[] = [];
  const resources = env.store.collection('resources');
  const linked = ((res.linked_to as unknown[] | undefined) ?? []).map(String);
  for (const id of ids) {
    const exists = Number.isInteger(id) && resources.get(String(id)) !== undefined;
    const key = String(id);
    const has = linked.includes(key);
    if (!exists || key === String(res.pk) || has === (req.method === 'POST')) {
      error.push(id);
      continue;
    }
    success.push(id);
    if (req.method === 'POST') linked.push(key);
    else linked.splice(linked.indexOf(key), 1);
  }
  if (success.length) {
    // GeoNode saves the targets that worked even when others failed (a 400); when none did, nothing changes
    resources.update(res.pk, { linked_to: linked });
    await env.persist();
  }
  const failed = error.length > 0;
  return json(failed ? 400 : 200, {
    success,
    error,
    message: failed ? 'Some error has occurred during the saving' : 'Resources updated successfully',
  });
};
