/**
 * GeoNode list and detail (facts §1.3–1.5, §3): visibility, the dynamic-rest query (filter{}, search, extent,
 * sort[], include[]/exclude[], api_preset), default order, page envelope, one-key detail.
 */
import { apiError } from '../../errors/catalogue.js';
import { json, type Behaviour, type BehaviourRequest, type Env } from '../../behaviours/types.js';
import { queryFieldSchema } from '../../contracts/query-schema.js';
import { listEnvelopeHead, pageSlice, parsePageRequest } from '../../query/pagination.js';
import { applySort, compileQueryPredicate, isFieldSelected, parseDynamicQuery, projectFields, type DynamicQuery, type FieldSchema, type SortTerm } from '../../query/dynamic-rest/index.js';
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

/** Default-ordered records of an endpoint, cached until the collection changes. */
function ordered(env: Env, key: string, c: EndpointCollection): StoredRecord[] {
  return env.store.memo(`ordered:${key}`, [c.store], () => {
    const all = env.store.collection(c.store).all();
    return applySort(c.scope ? all.filter(c.scope) : [...all], defaultTerms(c));
  });
}

/** Who is asking, as far as visibility goes. */
function viewerKey(user: StoredRecord | null): string {
  if (!user) return 'anonymous';
  return user.is_superuser ? 'superuser' : `user:${String(user.pk)}`;
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
  // what this viewer may see, in the default order: cached until the data it depends on changes
  const advertised = c.store === 'resources' ? (req.query.get('advertised') ?? 'default') : '-';
  const deps = [c.store, 'grants', 'memberships', ...(key === 'owners' ? ['resources'] : [])];
  let records = env.store.memo(`visible:${key}:${viewerKey(req.user)}:${advertised}`, deps, () => {
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
    const all = ordered(env, key, c);
    return preds.length ? all.filter((r) => preds.every((p) => p(r))) : all;
  });
  const filtered = !!(query.where || query.search.terms.length || query.extent);
  if (!filtered && !query.sort.length) return records;
  // a front end repeats its queries (paging, polling): the matching, sorted list is cached until the data changes
  const shape = JSON.stringify([query.where, query.search.terms, query.search.fields, query.extent, query.sort.map((t) => t.raw)]);
  return env.store.memo(`query:${key}:${viewerKey(req.user)}:${advertised}:${shape}`, deps, () => {
    const kept = filtered ? records.filter(compileQueryPredicate(query)) : records;
    return query.sort.length ? applySort(kept, query.sort) : kept;
  });
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

/** Render with include[]/exclude[] applied: deferred fields are computed only when selected. */
export function projected(key: string, r: StoredRecord, ctx: ReturnType<typeof renderContext>, q: ParsedListQuery, opts: RenderOptions): Record<string, unknown> {
  const tree = q.query.projection.tree;
  if (!tree) return renderRecord(key, r, ctx, opts);
  const include = new Set(Object.entries(q.schema.fields).filter(([f, spec]) => spec.deferred && isFieldSelected(f, tree, q.schema)).map(([f]) => f));
  return projectFields(renderRecord(key, r, ctx, { ...opts, include }), q.query.projection, q.schema);
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
