/**
 * GeoNode list and detail (`geonode/base/api/views.py:300-318` (4.4.3), `dynamic_rest/viewsets.py:315-323`): the
 * page envelope, include[]/exclude[] and sideloading, the answer cache, one-key detail. Which records a list holds,
 * and in which order, is `queryset.ts`.
 */
import { apiError } from '../../../core/errors.js';
import { json, type Behaviour, type BehaviourRequest, type Env } from '../../../core/types.js';
import { MAX_PAGE_RECORDS, listEnvelopeHead, pageSlice, parsePageRequest } from '../../../query/pagination.js';
import {
  isFieldSelected,
  parseSideloading,
  projectFields,
  sideloadObjects,
} from '../../../query/dynamic-rest/index.js';
import type { StoredRecord } from '../../../store/index.js';
import { endpointOf, findRecord, isSuperuser, renderContext, requireUser } from '../context.js';
import { facetListFilter } from './list-filters.js';
import { renderRecord, type RenderOptions } from '../rendering/render.js';
import { TextUnsafe, writeRecordText } from '../rendering/text.js';
import { sideloadRules } from '../rendering/sideload.js';
import { type ParsedListQuery, parseListQuery, visibleRecords } from './queryset.js';

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

/**
 * Whether a read may be answered as text: no field projection, no sideloading, no planted fault (faults edit bodies).
 */
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

/**
 * `?sideloading=true`: related objects move to top-level keys (`dynamic_rest/processors.py:52-75`). geostub puts
 * them after the primary key; the processor's dict puts them before it (key order only).
 */
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
