/**
 * GeoNode list and detail (facts §1.3–1.5, §3): visibility, the dynamic-rest query (filter{}, search, extent,
 * sort[], include[]/exclude[], api_preset), default order, page envelope, one-key detail.
 */
import { apiError } from '../../errors/catalogue.js';
import { json, type Behaviour, type BehaviourRequest, type Env } from '../../behaviours/types.js';
import { queryFieldSchema } from '../../contracts/query-schema.js';
import { listEnvelopeHead, pageSlice, parsePageRequest } from '../../query/pagination.js';
import { applySort, compileQueryPredicate, parseDynamicQuery, projectFields, type DynamicQuery, type FieldSchema, type SortTerm } from '../../query/dynamic-rest/index.js';
import type { StoredRecord } from '../../store/collection.js';
import type { EndpointCollection } from './collections.js';
import { canSee, endpointOf, findRecord, isAdmin, renderContext } from './context.js';
import { renderRecord, type RenderOptions } from './render.js';

const RESOURCE_FAMILY = new Set(['resources', 'datasets', 'documents', 'maps', 'geoapps']);

function defaultTerms(c: EndpointCollection): SortTerm[] {
  return c.defaultSort.map((raw) => {
    const path = raw.replace(/^-/, '').split('.');
    const last = path[path.length - 1];
    const valueKind = last === 'id' || last === 'pk' ? 'numeric' : last === 'created' || last.endsWith('_at') ? 'datetime' : 'text';
    return { raw, path, desc: raw.startsWith('-'), valueKind };
  });
}

/** Default-ordered records of an endpoint, cached per store-collection version. */
const orderCache = new WeakMap<object, Map<string, { version: number; records: StoredRecord[] }>>();
function ordered(env: Env, key: string, c: EndpointCollection): StoredRecord[] {
  const coll = env.store.collection(c.store);
  let perStore = orderCache.get(env.store);
  if (!perStore) orderCache.set(env.store, (perStore = new Map()));
  const hit = perStore.get(key);
  if (hit && hit.version === coll.version) return hit.records;
  const scoped = c.scope ? coll.all().filter(c.scope) : [...coll.all()];
  const records = applySort(scoped, defaultTerms(c));
  perStore.set(key, { version: coll.version, records });
  return records;
}

/** GeoNode's advertised rule for resource lists (facts §3.6). */
function advertisedFilter(req: BehaviourRequest): ((r: StoredRecord) => boolean) | undefined {
  const explicit = req.query.get('advertised');
  if (explicit !== null) {
    const v = explicit.toLowerCase();
    if (v === 'all') return undefined;
    const want = !(v === 'false' || v === '0' || v === '');
    return (r) => (r.advertised !== false) === want;
  }
  if (isAdmin(req.user)) return undefined;
  const me = req.user?.pk;
  return (r) => r.advertised !== false || (me !== undefined && (r.owner as StoredRecord | null)?.pk === me);
}

export interface ParsedListQuery {
  schema: FieldSchema;
  query: DynamicQuery;
}

/** Parse the dynamic-rest query of a request against the endpoint's contract schema; 400 on a bad query. */
export function parseListQuery(req: BehaviourRequest, key: string, c: EndpointCollection, listItem: boolean): ParsedListQuery {
  const schemaName = listItem && c.listItemSchema ? c.listItemSchema : c.itemSchema;
  const schema = queryFieldSchema(req.op.contract, schemaName, c.singular);
  const parsed = parseDynamicQuery(req.query, schema, { presets: RESOURCE_FAMILY.has(key) ? undefined : null });
  if (!parsed.ok) throw apiError(parsed.error.code === 'parse_error' ? 'parseError' : 'invalid', parsed.error.message || 'Invalid filter value.');
  return { schema, query: parsed.query };
}

/** The visible records of a list request that match its query, in the requested (or default) order. */
export function visibleRecords(req: BehaviourRequest, env: Env, key: string, c: EndpointCollection, query: DynamicQuery): StoredRecord[] {
  const preds: ((r: StoredRecord) => boolean)[] = [];
  if (c.store === 'resources' || c.store === 'groups' || c.store === 'uploads' || c.store === 'execution_requests') {
    preds.push((r) => canSee(env, c, r, req.user));
  }
  if (c.store === 'resources') {
    const adv = advertisedFilter(req);
    if (adv) preds.push(adv);
  }
  if (key === 'owners') {
    const owners = new Set(env.store.collection('resources').all().map((r) => (r.owner as StoredRecord | null)?.pk));
    preds.push((u) => owners.has(u.pk));
  }
  if (query.where || query.search.terms.length || query.extent) preds.push(compileQueryPredicate(query));
  let records = ordered(env, key, c);
  if (preds.length) records = records.filter((r) => preds.every((p) => p(r)));
  return query.sort.length ? applySort(records, query.sort) : records;
}

/** Slice a page out of records and wrap it in GeoNode's envelope. */
export function pageEnvelope(
  req: BehaviourRequest,
  records: readonly StoredRecord[],
  plural: string,
  render: (r: StoredRecord) => unknown,
): Record<string, unknown> {
  const pr = parsePageRequest(req.query);
  if (!pr.ok) {
    if (pr.problem === 'page') throw apiError('invalidPage');
    throw apiError('invalid', `Invalid page_size "${pr.value}": a positive whole number is required.`);
  }
  const slice = pageSlice(records.length, pr.page, pr.pageSize);
  if (!slice.inRange) throw apiError('invalidPage');
  const head = listEnvelopeHead(req.origin + req.pathname, req.query, records.length, pr.page, pr.pageSize);
  return { ...head, [plural]: records.slice(slice.start, slice.end).map(render) };
}

/** Render with include[]/exclude[] applied: deferred fields only when selected. */
export function projected(key: string, r: StoredRecord, ctx: ReturnType<typeof renderContext>, q: ParsedListQuery, opts: RenderOptions): Record<string, unknown> {
  const tree = q.query.projection.tree;
  if (!tree) return renderRecord(key, r, ctx, opts);
  return projectFields(renderRecord(key, r, ctx, { ...opts, withDeferred: true }), q.query.projection, q.schema);
}

export const list: Behaviour = (req, env) => {
  const { key, c } = endpointOf(req);
  if (key === 'users' && !req.user) throw apiError('notAuthenticated');
  const q = parseListQuery(req, key, c, true);
  const records = visibleRecords(req, env, key, c, q.query);
  const ctx = renderContext(req, env);
  return json(200, pageEnvelope(req, records, c.plural, (r) => projected(key, r, ctx, q, { listItem: true })));
};

export const retrieve: Behaviour = (req, env) => {
  const { key, c } = endpointOf(req);
  if (key === 'users' && !req.user) throw apiError('notAuthenticated');
  const q = parseListQuery(req, key, c, false);
  const rec = findRecord(req, env, c);
  return json(200, { [c.singular]: projected(key, rec, renderContext(req, env), q, {}) });
};
