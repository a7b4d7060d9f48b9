/**
 * List PATCH/PUT and DELETE (`dynamic_rest/viewsets.py:436-454`, `:513-609`, `:699-734`): bulk update by ids restricted
 * to the filtered queryset, patch-all over the filtered queryset, bulk delete by ids. Every request is validated in
 * full before anything is written.
 */
import { apiError } from '../../../core/errors.js';
import { json, type Behaviour, type BehaviourRequest, type Env } from '../../../core/types.js';
import { fieldSet } from '../../../contracts/fields.js';
import { parsePatchAll, pyStrRepr, QueryError, type PatchAllMode } from '../../../query/dynamic-rest/index.js';
import type { StoredRecord } from '../../../store/index.js';
import type { EndpointCollection } from '../collections.js';
import { endpointOf, renderContext } from '../context.js';
import { parseListQuery, visibleRecords } from '../reading/queryset.js';
import {
  bulkItems,
  checkChanges,
  checkRemovable,
  isObject,
  removeRecord,
  requireChangeRight,
  writer,
} from './write.js';
import { writableChanges } from './records.js';
import { renderRecord } from '../rendering/render.js';
import { notAuthenticated } from '../people/identity.js';

/** The ids named by a bulk update/delete body (`id`, or `pk` as GeoNode objects carry it). */
function bulkIds(items: unknown[]): (string | undefined)[] {
  return items
    .map((i) => (isObject(i) ? (i.id ?? i.pk) : undefined))
    .map((v) => (v === undefined || v === null || v === '' ? undefined : String(v)));
}

/**
 * PATCH of a list with an object body and no (enabled) patch-all: DRF's missing-pk error
 * (`dynamic_rest/viewsets.py:596-606`).
 */
function notPatchable(req: BehaviourRequest): never {
  throw apiError(
    'invalid',
    `Expected view ${req.op.operationId} to be called with a URL keyword argument named "pk". Fix your URL conf, or set the \`.lookup_field\` attribute on the view correctly.`,
  );
}

/** The `patch-all` feature; its value is checked whenever bulk update is on, even with patch-all disabled. */
function patchAllMode(req: BehaviourRequest): PatchAllMode | null {
  try {
    return parsePatchAll(req.query);
  } catch (error) {
    if (error instanceof QueryError) throw apiError('parseError', error.message);
    throw error;
  }
}

/** The ids of the request's filtered queryset (visibility + filter backends, no advertised rule). */
function querysetIds(req: BehaviourRequest, env: Env, key: string, c: EndpointCollection): Set<string> {
  const q = parseListQuery(req, key, c, false);
  return new Set(visibleRecords(req, env, key, c, q, { advertised: false }).map((r) => String(r[c.idField])));
}

export const bulkUpdate: Behaviour = async (req, env) => {
  const { key, c } = endpointOf(req);
  if (!req.user) throw notAuthenticated(req);
  const mode = patchAllMode(req);
  if (mode && env.settings.patchAll) return patchAll(req, env, mode);
  const items = bulkItems(req.body, c.plural);
  if (!items) return notPatchable(req);
  const ids = bulkIds(items);
  if (ids.some((id) => id === undefined)) throw apiError('invalid', 'Invalid lookup key value.');
  // one entry per id, the last one winning (dynamic-rest builds a dict keyed by the lookup value)
  const byId = new Map<string, Record<string, unknown>>();
  items.forEach((item, i) => byId.set(ids[i]!, item as Record<string, unknown>));
  const queryset = querysetIds(req, env, key, c);
  const coll = env.store.collection(c.store);
  const found = [...byId.keys()]
    .filter((id) => queryset.has(id))
    .map((id) => coll.get(c.idType === 'int' ? Number(id) : id))
    .filter((r): r is StoredRecord => !!r);
  if (found.length !== byId.size)
    throw apiError('invalid', `Could not find all objects to update: ${byId.size} != ${found.length}.`);
  const full = req.method === 'PUT';
  for (const rec of found) requireChangeRight(req, env, key, c, rec, false);
  for (const rec of found) checkChanges(key, c, rec, byId.get(String(rec[c.idField])), full);
  const now = env.now();
  for (const rec of found) {
    const changes = writableChanges(req.op.contract, c, byId.get(String(rec[c.idField]))!);
    if (c.store === 'resources') changes.last_updated = now;
    coll.update(rec[c.idField], changes);
  }
  await env.persist();
  const ctx = renderContext(req, env);
  return json(200, { [c.plural]: found.map((r) => renderRecord(key, r, ctx, { withDeferred: true })) });
};

/** A Python-ish repr of patch-all data, for dynamic-rest's "Data: {...}" error suffix. */
function pyDictRepr(data: Record<string, unknown>): string {
  const value = (v: unknown): string =>
    typeof v === 'string'
      ? pyStrRepr(v)
      : v === null
        ? 'None'
        : typeof v === 'boolean'
          ? v
            ? 'True'
            : 'False'
          : JSON.stringify(v);
  return `{${Object.entries(data)
    .map(([k, v]) => `${pyStrRepr(k)}: ${value(v)}`)
    .join(', ')}}`;
}

/** Fields that are unique in GeoNode's database: patch-all setting one on several records fails like the DB does. */
const UNIQUE: Record<string, string[]> = { users: ['username'], groups: ['slug', 'title'] };

/**
 * Patch-all (`dynamic_rest/viewsets.py:456-524`; off by default, `dynamic_rest/conf.py:36`): the object body applied to
 * every record of the filtered queryset; 200 `{"meta": {"updated": N}}`. Keys must be known and writable serializer
 * fields. `true` saves record by record (auto-now fields such as `last_updated` move); `query` is one UPDATE statement
 * (they do not).
 */
async function patchAll(req: BehaviourRequest, env: Env, mode: PatchAllMode) {
  const { key, c } = endpointOf(req);
  writer(req, c);
  const ids = querysetIds(req, env, key, c);
  const body = req.body === undefined ? {} : req.body; // an empty body is an empty QueryDict
  if (!isObject(body)) throw apiError('invalid', 'Patch-all data must be in object form');
  const fs = fieldSet(req.op.contract, c.itemSchema);
  for (const name of Object.keys(body)) {
    if (!fs.all.includes(name)) throw apiError('invalid', `Unknown field: "${name}"`);
    if (fs.readOnly.has(name)) throw apiError('invalid', `Cannot update field: "${name}"`);
  }
  const changes = writableChanges(req.op.contract, c, body);
  const coll = env.store.collection(c.store);
  for (const field of UNIQUE[key] ?? []) {
    if (!(field in changes)) continue;
    const taken = coll.list().some((r) => r[field] === changes[field] && !ids.has(String(r[c.idField])));
    if (ids.size > 1 || (ids.size === 1 && taken)) {
      const what = mode === 'query' ? 'Failed to bulk-update records' : 'Failed to update records';
      throw apiError(
        'invalid',
        `${what}:\nduplicate key value violates unique constraint: Key (${field})=(${String(changes[field])}) already exists.\nData: ${pyDictRepr(body)}`,
      );
    }
  }
  const now = env.now();
  for (const id of ids) {
    const rec = coll.get(c.idType === 'int' ? Number(id) : id);
    if (rec)
      coll.update(
        rec[c.idField],
        mode === 'loop' && c.store === 'resources' ? { ...changes, last_updated: now } : changes,
      );
  }
  await env.persist();
  return json(200, { meta: { updated: ids.size } });
}

/**
 * Endpoints whose list DELETE works on GeoNode (`dynamic_rest/viewsets.py:699-734`); /users is routed but crashes
 * there (its `destroy` needs a pk, `geonode/people/api/views.py:69-72` (4.4.3)): 405 here.
 */
const BULK_DELETE = new Set(['resources', 'groups', 'assets']);

export const bulkDelete: Behaviour = async (req, env) => {
  const { key, c } = endpointOf(req);
  if (!req.user) throw notAuthenticated(req);
  if (!BULK_DELETE.has(key)) throw apiError('methodNotAllowed', req.method);
  const items = bulkItems(req.body, c.plural);
  if (!items) throw apiError('emptyResponse', 405);
  const ids = bulkIds(items);
  if (ids.some((id) => id === undefined)) throw apiError('invalid', 'Invalid lookup key value.');
  // the unfiltered queryset: unknown ids are skipped, each found record checked before anything is removed
  const coll = env.store.collection(c.store);
  const records = [...new Set(ids as string[])]
    .map((id) => (c.idType === 'int' && !/^\d+$/.test(id) ? undefined : coll.get(c.idType === 'int' ? Number(id) : id)))
    .filter((r): r is StoredRecord => !!r && (!c.scope || c.scope(r)));
  for (const rec of records) requireChangeRight(req, env, key, c, rec, true);
  for (const rec of records) checkRemovable(env, key, rec);
  for (const rec of records) removeRecord(env, key, c, rec);
  await env.persist();
  return { status: 204 };
};
