/**
 * The filtered queryset of a GeoNode list: which records the caller may see (visibility, the advertised rule), the
 * dynamic-rest query parsed against the contract, GeoNode's own filter backends, and the requested or default order.
 */
import { apiError } from '../../../core/errors.js';
import type { BehaviourRequest, Env } from '../../../core/types.js';
import { queryFieldSchema } from '../../../contracts/query-schema.js';
import {
  applySort,
  compileQueryPredicate,
  lastParam,
  parseDynamicQuery,
  type DynamicQuery,
  type FieldSchema,
  type SortTerm,
} from '../../../query/dynamic-rest/index.js';
import type { StoredRecord } from '../../../store/index.js';
import type { EndpointCollection } from '../collections.js';
import { canSee, isAdmin } from '../context.js';
import { geonodeListFilters, takeTKeywords, type TKeywordsRequest } from './list-filters.js';
import { relationPk } from '../rendering/sideload.js';

const RESOURCE_FAMILY = new Set(['resources', 'datasets', 'documents', 'maps', 'geoapps']);

function defaultTerms(c: EndpointCollection): SortTerm[] {
  return c.defaultSort.map((raw) => {
    const path = raw.replace(/^-/, '').split('.');
    const last = path[path.length - 1];
    const valueKind =
      last === 'id' || last === 'pk' ? 'integer' : last === 'created' || last.endsWith('_at') ? 'datetime' : 'text';
    return { raw, path, desc: raw.startsWith('-'), valueKind };
  });
}

/** Default-ordered records of an endpoint, cached until the collection changes. */
function ordered(env: Env, key: string, c: EndpointCollection): StoredRecord[] {
  return env.store.memo(`ordered:${key}`, [c.store], () => {
    const all = env.store.collection(c.store).list();
    return applySort(c.scope ? all.filter(c.scope) : [...all], defaultTerms(c));
  });
}

/** Who is asking, as far as visibility goes. */
function viewerKey(user: StoredRecord | null): string {
  if (!user) return 'anonymous';
  return user.is_superuser ? 'superuser' : `user:${String(user.pk)}`;
}

/** GeoNode's advertised rule for resource lists (`geonode/base/api/mixins.py:24-47` (4.4.3)). */
function advertisedFilter(req: BehaviourRequest): ((r: StoredRecord) => boolean) | undefined {
  const explicit = lastParam(req.query, 'advertised');
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
  /** `filter{tkeywords}` of /resources, taken out of the dynamic-rest query (TKeywordsFilter) */
  tkeywords: TKeywordsRequest | null;
}

/** Parse the dynamic-rest query of a request against the endpoint's contract schema; 400 on a bad query. */
export function parseListQuery(
  req: BehaviourRequest,
  key: string,
  c: EndpointCollection,
  listItem: boolean,
): ParsedListQuery {
  const schemaName = listItem && c.listItemSchema ? c.listItemSchema : c.itemSchema;
  const schema = queryFieldSchema(req.op.contract, schemaName, c.singular);
  const { params, tkeywords } = key === 'resources' ? takeTKeywords(req.query) : { params: req.query, tkeywords: null };
  const parsed = parseDynamicQuery(params, schema, { presets: RESOURCE_FAMILY.has(key) ? undefined : null });
  // an ORM error caught by dynamic-rest keeps its (often empty) message: `[""]` (filters.py:613-617)
  if (!parsed.ok) throw apiError(parsed.error.code === 'parse_error' ? 'parseError' : 'invalid', parsed.error.message);
  return { schema, query: parsed.query, tkeywords };
}

export interface QuerysetOptions {
  /**
   * Apply GeoNode's advertised rule (AdvertisedListMixin.list): true for lists; false for the filtered queryset of
   * bulk update and patch-all, which only go through the filter backends.
   */
  advertised: boolean;
}

/**
 * The filtered queryset of a request: the records the caller may see, through GeoNode's and dynamic-rest's filter
 * backends (tkeywords, filter{}, search, extent, favorite, facet rules), in the requested (or default) order.
 */
export function visibleRecords(
  req: BehaviourRequest,
  env: Env,
  key: string,
  c: EndpointCollection,
  q: ParsedListQuery,
  options: QuerysetOptions = { advertised: true },
): StoredRecord[] {
  const { query } = q;
  // what this viewer may see, in the default order: cached until the data it depends on changes
  const advertised =
    c.store === 'resources' && options.advertised ? (lastParam(req.query, 'advertised') ?? 'default') : '-';
  const deps = [c.store, 'grants', 'memberships'];
  const records = env.store.memo(`visible:${key}:${viewerKey(req.user)}:${advertised}`, deps, () => {
    const preds: ((r: StoredRecord) => boolean)[] = [];
    if (c.store === 'resources' || c.store === 'groups' || c.store === 'uploads' || c.store === 'execution_requests') {
      preds.push((r) => canSee(env, c, r, req.user));
    }
    if (advertised !== '-') {
      const adv = advertisedFilter(req);
      if (adv) preds.push(adv);
    }
    const all = ordered(env, key, c);
    return preds.length ? all.filter((r) => preds.every((p) => p(r))) : all;
  });
  const extra = geonodeListFilters(key, req.query, env.store, req.user, q.tkeywords);
  const filtered = extra.length > 0 || !!(query.where || query.search.terms.length || query.extent);
  if (!filtered && !query.sort.length) return records;
  // a front end repeats its queries (paging, polling): the matching, sorted list is cached until the data changes
  const shape = [...req.query]
    .filter(([k]) => !PAGE_AND_FIELD_PARAMS.has(k))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return env.store.memo(
    `query:${key}:${viewerKey(req.user)}:${advertised}:${JSON.stringify(shape)}`,
    [...deps, 'favorites', 'tkeywords'],
    () => {
      let kept = records;
      if (extra.length) kept = kept.filter((r) => extra.every((f) => f(r)));
      const options = { pkOf: relationPk(env.store) };
      if (query.where || query.search.terms.length || query.extent) {
        const matches = compileQueryPredicate(query, options);
        const view = withMapLayers(env, key, req.query);
        kept = kept.filter(view ? (r) => matches(view(r)) : matches);
      }
      return query.sort.length ? applySort(kept, query.sort, options) : kept;
    },
  );
}

/**
 * A map's layers live in their own collection (`maplayers`), not in the map record: a query through
 * `filter{maplayers.…}` on /maps/ sees them joined in, as the Map model's `maplayers` relation is in GeoNode.
 */
function withMapLayers(env: Env, key: string, query: URLSearchParams): ((r: StoredRecord) => StoredRecord) | undefined {
  if (key !== 'maps' || ![...query.keys()].some((k) => k.includes('maplayers'))) return undefined;
  const layers = env.store.collection('maplayers');
  return (r) => ({ ...r, maplayers: layers.where('map', r.pk) });
}

/** Parameters that do not change which records match, or their order. */
const PAGE_AND_FIELD_PARAMS = new Set([
  'page',
  'page_size',
  'include[]',
  'exclude[]',
  'api_preset',
  'sideloading',
  'format',
  'debug',
]);
