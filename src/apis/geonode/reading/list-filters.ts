/**
 * GeoNode's own filter backends around dynamic-rest's (`geonode/base/api/filters.py:51-133` (4.4.3)): TKeywordsFilter
 * (`filter{tkeywords}` with per-thesaurus semantics and `force_and`), FavoriteFilter (`favorite=true`), and the facet
 * rules of owners, keywords, categories and regions. Each returns a predicate over stored records, or undefined when it
 * filters nothing.
 */
import { apiError } from '../../../core/errors.js';
import { lastParam } from '../../../query/dynamic-rest/index.js';
import type { Store, StoredRecord } from '../../../store/index.js';
import { facetCounts, facetId, facetOptions, withResourcesFilter } from '../facets/counts.js';

export type RecordFilter = (r: StoredRecord) => boolean;

export interface TKeywordsRequest {
  /** the values of the exact key `filter{tkeywords}` (popped from the query before dynamic-rest sees it) */
  ids: string[];
  /** `force_and` present (any value): every keyword required */
  forceAnd: boolean;
}

const TKEYWORDS_KEY = 'filter{tkeywords}';

/**
 * Split `filter{tkeywords}` off a /resources query, as TKeywordsFilter pops it from request.GET. Only the exact key
 * is taken: `filter{tkeywords.in}` or `filter{tkeywords}[]` stay ordinary dynamic filters.
 */
export function takeTKeywords(query: URLSearchParams): { params: URLSearchParams; tkeywords: TKeywordsRequest | null } {
  if (!query.has(TKEYWORDS_KEY)) return { params: query, tkeywords: null };
  const params = new URLSearchParams();
  for (const [k, v] of query) if (k !== TKEYWORDS_KEY) params.append(k, v);
  const ids = query.getAll(TKEYWORDS_KEY);
  return { params, tkeywords: { ids, forceAnd: query.has('force_and') } };
}

/** Thesaurus keyword id → {uri, thesaurus}; resources embed keywords by uri, without their id. */
function tkeywordIndex(store: Store): Map<string, { uri: string; thesaurus: string }> {
  return store.memo('tkeyword-index', ['tkeywords'], () => {
    const index = new Map<string, { uri: string; thesaurus: string }>();
    for (const t of store.collection('tkeywords').list()) {
      index.set(String(t.id), {
        uri: String(t.uri),
        thesaurus: String((t.thesaurus as StoredRecord | null)?.slug ?? ''),
      });
    }
    return index;
  });
}

/** TKeywordsFilter: AND across thesauri, OR within one; one id alone, or `force_and`, requires each id. */
export function tkeywordsFilter(store: Store, request: TKeywordsRequest | null): RecordFilter | undefined {
  if (!request || request.ids.length === 0) return undefined;
  for (const id of request.ids) {
    if (!/^\s*\d+\s*$/.test(id)) throw apiError('invalid', `Field 'id' expected a number but got '${id}'.`);
  }
  const index = tkeywordIndex(store);
  const uriOf = (id: string) => index.get(String(Number(id)))?.uri ?? `missing:${id}`;
  const uris = (r: StoredRecord) =>
    new Set(((r.tkeywords as StoredRecord[] | undefined) ?? []).map((t) => String(t.uri)));
  if (request.forceAnd || request.ids.length === 1) {
    const wanted = request.ids.map(uriOf);
    return (r) => {
      const have = uris(r);
      return wanted.every((u) => have.has(u));
    };
  }
  // ThesaurusKeyword.objects.filter(id__in=…) grouped by thesaurus: unknown ids drop out
  const groups = new Map<string, Set<string>>();
  for (const id of request.ids) {
    const known = index.get(String(Number(id)));
    if (!known) continue;
    let group = groups.get(known.thesaurus);
    if (!group) groups.set(known.thesaurus, (group = new Set()));
    group.add(known.uri);
  }
  if (groups.size === 0) return undefined;
  const perThesaurus = [...groups.values()];
  return (r) => {
    const have = uris(r);
    return perThesaurus.every((group) => [...group].some((u) => have.has(u)));
  };
}

const STRTOBOOL_TRUE = new Set(['y', 'yes', 't', 'true', 'on', '1']);
const STRTOBOOL_FALSE = new Set(['n', 'no', 'f', 'false', 'off', '0']);

/**
 * FavoriteFilter: `favorite` read with Python's strtobool; true keeps the caller's favourites (none for anonymous).
 * GeoNode answers 500 for a value strtobool rejects; geostub answers 400 naming it.
 */
export function favoriteFilter(
  query: URLSearchParams,
  store: Store,
  user: StoredRecord | null,
): RecordFilter | undefined {
  const raw = lastParam(query, 'favorite');
  if (raw === null) return undefined;
  const value = raw.trim().toLowerCase();
  if (STRTOBOOL_FALSE.has(value)) return undefined;
  if (!STRTOBOOL_TRUE.has(value)) throw apiError('invalid', `Invalid favorite value "${raw}": use true or false.`);
  const mine = new Set(
    store
      .collection('favorites')
      .list()
      .filter((f) => user && f.user === user.pk)
      .map((f) => String(f.resource)),
  );
  return (r) => mine.has(String(r.pk));
}

/**
 * Owners and keywords are listed only when some resource visible to the caller uses them (owners: also of the
 * `type` / with `title__icontains`); categories and regions follow `with_resources`.
 */
export function facetListFilter(
  query: URLSearchParams,
  store: Store,
  user: StoredRecord | null,
  key: string,
): RecordFilter | undefined {
  if (key === 'owners' || key === 'keywords') {
    const counts = facetCounts(store, user, key === 'owners' ? facetOptions(query) : { type: null, title: null });
    return (r) => (counts.get(facetId(key, r)) ?? 0) > 0;
  }
  return withResourcesFilter(query, store, key);
}

/** Every GeoNode filter backend of an endpoint beyond dynamic-rest's, in backend order. */
export function geonodeListFilters(
  key: string,
  query: URLSearchParams,
  store: Store,
  user: StoredRecord | null,
  tkeywords: TKeywordsRequest | null,
): RecordFilter[] {
  const out: (RecordFilter | undefined)[] = [];
  if (key === 'resources') out.push(tkeywordsFilter(store, tkeywords), favoriteFilter(query, store, user));
  else out.push(facetListFilter(query, store, user, key));
  return out.filter((f): f is RecordFilter => !!f);
}
