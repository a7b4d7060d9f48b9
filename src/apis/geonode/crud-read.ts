/**
 * GeoNode list and detail (facts §1.3–1.5, §3): visibility, the dynamic-rest query (filter{}, search, extent,
 * sort[], include[]/exclude[], api_preset), default order, page envelope, one-key detail.
 */
import { apiError } from '../../errors/catalogue.js';
import { json, type Behaviour, type BehaviourRequest, type Env } from '../../behaviours/types.js';
import { queryFieldSchema } from '../../contracts/query-schema.js';
import { MAX_PAGE_RECORDS, listEnvelopeHead, pageSlice, parsePageRequest } from '../../query/pagination.js';
import {
  applySort,
  compileQueryPredicate,
  isFieldSelected,
  lastParam,
  parseDynamicQuery,
  parseSideloading,
  projectFields,
  sideloadObjects,
  type DynamicQuery,
  type FieldSchema,
  type SortTerm,
} from '../../query/dynamic-rest/index.js';
import type { StoredRecord } from '../../store/collection.js';
import type { EndpointCollection } from './collections.js';
import { canSee, endpointOf, findRecord, isAdmin, isSuperuser, renderContext, requireUser } from './context.js';
import { facetListFilter, geonodeListFilters, takeTKeywords, type TKeywordsRequest } from './list-filters.js';
import { renderRecord, type RenderOptions } from './render.js';
import { TextUnsafe, writeRecordText } from './render-text.js';
import { relationPk, sideloadRules } from './sideload.js';

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
    // GeoNode's int(page_size) raises: a 500 there (a deliberate difference, docs/query-semantics.md)
    throw apiError('invalid', `Invalid page_size "${pr.value}": a whole number is required.`);
  }
  const slice = pageSlice(records.length, pr.page, pr.pageSize);
  if (!slice.inRange) throw apiError('invalidPage');
  if (slice.end - slice.start > MAX_PAGE_RECORDS)
    throw apiError('pageTooLarge', pr.pageSize, slice.end - slice.start, MAX_PAGE_RECORDS);
  const head = listEnvelopeHead(
    req.origin + req.pathname,
    req.query,
    records.length,
    pr.page,
    pr.pageSize,
    pr.echoedPageSize,
  );
  return { ...head, [plural]: records.slice(slice.start, slice.end).map(render) };
}

/** `pageEnvelope` as JSON text, the records written as text (`writeRecordText`): the same bytes, fewer objects. */
function pageEnvelopeText(
  req: BehaviourRequest,
  records: readonly StoredRecord[],
  plural: string,
  write: (out: string[], r: StoredRecord) => void,
): PageText {
  // the records' pieces, after a place for the envelope; one join copies the page once into a flat string
  const out = [''];
  let count = 0;
  // the envelope with the checks and links of `pageEnvelope`; its (empty) item list is replaced by the texts
  const envelope = pageEnvelope(req, records, plural, (r) => {
    if (count++) out.push(',');
    write(out, r);
    return 0;
  });
  envelope[plural] = [];
  out[0] = `${JSON.stringify(envelope).slice(0, -3)}[`;
  out.push(']}');
  return new PageText(out.join(''), count);
}

/** A page answered as JSON text (kept by the answer cache like an envelope). */
class PageText {
  constructor(
    readonly text: string,
    readonly items: number,
  ) {}
}

/** The text answer, or null when a value would be mistaken for a link mark (the object path answers then). */
function textOrNull<T>(make: () => T): T | null {
  try {
    return make();
  } catch (err) {
    if (err instanceof TextUnsafe) return null;
    throw err;
  }
}

/** Whether a read may be answered as text: no field projection, no sideloading, no planted fault (faults edit bodies). */
function answersText(req: BehaviourRequest, env: Env, q: ParsedListQuery): boolean {
  return !q.query.projection.tree && !parseSideloading(req.query) && !env.settings.faults?.length;
}

/** Render with include[]/exclude[] applied: deferred fields are computed only when selected. */
export function projected(
  key: string,
  r: StoredRecord,
  ctx: ReturnType<typeof renderContext>,
  q: ParsedListQuery,
  opts: RenderOptions,
): Record<string, unknown> {
  const tree = q.query.projection.tree;
  if (!tree) return renderRecord(key, r, ctx, opts);
  const include = new Set(
    Object.entries(q.schema.fields)
      .filter(([f, spec]) => spec.deferred && isFieldSelected(f, tree, q.schema))
      .map(([f]) => f),
  );
  return projectFields(renderRecord(key, r, ctx, { ...opts, include }), q.query.projection, q.schema);
}

/** `?sideloading=true`: related objects move to top-level keys after the primary key (facts §3.7). */
function sideloads(key: string, env: Env, req: BehaviourRequest, plural: string, items: Record<string, unknown>[]) {
  if (!parseSideloading(req.query)) return { primary: items, sideloaded: {} };
  return sideloadObjects(plural, items, sideloadRules(key, env.store));
}

export const list: Behaviour = (req, env) => {
  const { key, c } = endpointOf(req);
  if (c.readers === 'authenticated') requireUser(req);
  // a page depends on the data, the contract (watch mode reloads it), the caller, the origin (absolute links) and
  // the query: asked again while nothing changed, the same never-mutated envelope is answered and its JSON text
  // reused (`Reply.sharedBody`)
  const answerKey = `list:${key}:${contractId(req.op.contract)}:${req.user ? String(req.user.pk) : '-'}:${req.origin}:${req.query.toString()}`;
  const body = env.store.memoAnswer(
    answerKey,
    () => {
      const q = parseListQuery(req, key, c, true);
      const records = visibleRecords(req, env, key, c, q);
      const ctx = renderContext(req, env);
      if (answersText(req, env, q)) {
        const page = textOrNull(() =>
          pageEnvelopeText(req, records, c.plural, (out, r) => writeRecordText(out, key, r, ctx, { listItem: true })),
        );
        if (page) return page;
      }
      const envelope = pageEnvelope(req, records, c.plural, (r) => projected(key, r, ctx, q, { listItem: true }));
      const { primary, sideloaded } = sideloads(
        key,
        env,
        req,
        c.plural,
        envelope[c.plural] as Record<string, unknown>[],
      );
      return { ...envelope, [c.plural]: primary, ...sideloaded };
    },
    (b) => (b instanceof PageText ? b.items : (b[c.plural] as unknown[]).length) <= CACHED_PAGE_RECORDS,
  );
  if (body instanceof PageText) {
    // planted faults edit bodies: they get a fresh object of the cached text (the cached page stays honest)
    if (env.settings.faults?.length) return json(200, JSON.parse(body.text) as unknown);
    return { status: 200, text: body.text, contentType: 'application/json' };
  }
  return { ...json(200, body), sharedBody: true };
};

const contractIds = new WeakMap<object, number>();
let contractCount = 0;
function contractId(contract: object): number {
  let id = contractIds.get(contract);
  if (id === undefined) contractIds.set(contract, (id = ++contractCount));
  return id;
}

/** Pages up to this many records are kept for repeated requests (bigger ones cost more memory than they save). */
const CACHED_PAGE_RECORDS = 100;

export const retrieve: Behaviour = (req, env) => {
  const { key, c } = endpointOf(req);
  if (c.readers === 'authenticated') requireUser(req);
  if (c.detailReaders === 'superuser' && !isSuperuser(requireUser(req))) throw apiError('permissionDenied');
  const q = parseListQuery(req, key, c, false);
  const rec = findRecord(req, env, c, undefined, { permsFirst: true });
  // DRF's get_object filters the same queryset as the list: an owner (or keyword) no visible resource uses is a 404
  if (key === 'owners' || key === 'keywords') {
    const used = facetListFilter(req.query, env.store, req.user, key);
    if (used && !used(rec)) throw apiError('notFound');
  }
  const text = answersText(req, env, q)
    ? textOrNull(() => {
        const out = [`{${JSON.stringify(c.singular)}:`];
        writeRecordText(out, key, rec, renderContext(req, env), {});
        out.push('}');
        return out.join('');
      })
    : null;
  if (text !== null) return { status: 200, text, contentType: 'application/json' };
  const { primary, sideloaded } = sideloads(key, env, req, c.plural, [
    projected(key, rec, renderContext(req, env), q, {}),
  ]);
  return json(200, { [c.singular]: primary[0], ...sideloaded });
};
