/**
 * `GET /api/v2/facets` and `GET /api/v2/facets/{facet}` (geonode/facets/views.py at 4.4.3): the facet list, one
 * facet with a 0-based page of topics, counted over the caller's visible resources with the request's `filter{…}`
 * parameters pre-applied as `/resources` applies them.
 */
import { apiError } from '../../../core/errors.js';
import { json, type Behaviour, type BehaviourRequest, type Env } from '../../../core/types.js';
import type { StoredRecord } from '../../../store/index.js';
import { GEONODE_COLLECTIONS } from '../collections.js';
import { canSee } from '../context.js';
import { parseListQuery, visibleRecords } from '../reading/queryset.js';
import { facetProviders } from './providers.js';
import type { FacetProvider, TopicQuery } from './topics.js';

/** DEFAULT_FACET_PAGE_SIZE (facets/models.py:21). */
const DEFAULT_PAGE_SIZE = 10;

/** `_resolve_boolean` (views.py:112-126): t…/y…/1 → true, f…/n…/0 → false, else the fallback. */
export function facetBoolean(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const v = raw.toLowerCase();
  if (v.startsWith('t') || v.startsWith('y') || v === '1') return true;
  if (v.startsWith('f') || v.startsWith('n') || v === '0') return false;
  return fallback;
}

/** `_resolve_language`: `lang` when given, else the site language (en). */
function language(query: URLSearchParams): { lang: string; requested: boolean } {
  const lang = query.get('lang');
  return lang ? { lang, requested: true } : { lang: 'en', requested: false };
}

/**
 * `_prefilter_topics` (views.py:72-97): with a `filter{…}` parameter, the resources list's filter backends (filter{},
 * search, extent, favorite, tkeywords) and then get_visible_resources; without one, get_visible_resources alone.
 * get_visible_resources hides metadata-only resources (metadata_only=False by default, security/utils.py:84-86);
 * the advertised rule of the list (AdvertisedListMixin.list) does not apply.
 */
function prefiltered(req: BehaviourRequest, env: Env): StoredRecord[] {
  const c = GEONODE_COLLECTIONS.resources;
  const filtered = [...req.query.keys()].some((k) => k.startsWith('filter{'));
  const base = filtered
    ? visibleRecords(req, env, 'resources', c, parseListQuery(req, 'resources', c, true), { advertised: false })
    : env.store
        .collection('resources')
        .list()
        .filter((r) => canSee(env, c, r, req.user));
  return base.filter((r) => r.metadata_only !== true);
}

/** `_get_topics` (views.py:48-69): a page of items, extended with requested keys no item carries. */
function topicsPage(
  env: Env,
  provider: FacetProvider,
  resources: readonly StoredRecord[],
  page: number,
  pageSize: number,
  q: Omit<TopicQuery, 'start' | 'end'>,
) {
  const start = page * pageSize;
  const { total, items } = provider.items(env.store, resources, { ...q, start, end: start + pageSize });
  let count = total;
  const out = [...items];
  if (q.keys.size) {
    const missing = new Set([...q.keys].filter((k) => !items.some((t) => String(t.key) === k)));
    if (missing.size && provider.topics) {
      const extra = provider.topics(env.store, missing, q.lang);
      out.push(...extra);
      count += extra.length;
    }
  }
  return { page, page_size: pageSize, start, total: count, items: out };
}

/** Python's `int()` of a query value; GeoNode crashes (500) on anything else, geostub answers 400. */
function whole(query: URLSearchParams, name: string, fallback: number): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  if (!/^\s*[+-]?\d+\s*$/.test(raw)) throw apiError('invalid', `${name}: a whole number is required, not "${raw}".`);
  const n = Number(raw.trim());
  if (n < 0) throw apiError('invalid', `${name}: negative values are not supported.`);
  return n;
}

export const facetList: Behaviour = (req, env) => {
  const { lang, requested } = language(req.query);
  const addLinks = facetBoolean(req.query, 'add_links', false);
  const includeTopics = facetBoolean(req.query, 'include_topics', false);
  const includeConfig = facetBoolean(req.query, 'include_config', false);
  let resources: StoredRecord[] | null = null;
  const facets = facetProviders(env.store).map((provider) => {
    const info = provider.info(lang);
    if (includeConfig) info.config = { ...provider.config };
    if (addLinks) {
      const args = new URLSearchParams({ add_links: 'True' });
      if (requested) args.set('lang', lang);
      info.link = `/api/v2/facets/${encodeURIComponent(provider.name)}?${args.toString()}`;
    }
    if (includeTopics) {
      resources ??= prefiltered(req, env);
      info.topics = topicsPage(env, provider, resources, 0, DEFAULT_PAGE_SIZE, {
        lang,
        topicContains: null,
        keys: new Set(),
        user: req.user,
      });
    }
    return info;
  });
  return json(200, { facets });
};

export const facetDetail: Behaviour = (req, env) => {
  const provider = facetProviders(env.store).find((p) => p.name === req.params.facet);
  // HttpResponseNotFound(): an empty text/html 404
  if (!provider) return { status: 404, text: '', contentType: 'text/html; charset=utf-8' };
  const { lang, requested } = language(req.query);
  const addLink = facetBoolean(req.query, 'add_links', false);
  const includeConfig = facetBoolean(req.query, 'include_config', false);
  const topicContains = req.query.get('topic_contains');
  const keys = new Set(req.query.getAll('key'));
  const page = whole(req.query, 'page', 0);
  const pageSize = whole(req.query, 'page_size', DEFAULT_PAGE_SIZE);
  const info = provider.info(lang);
  if (includeConfig) info.config = { ...provider.config };
  const topics = topicsPage(env, provider, prefiltered(req, env), page, pageSize, {
    lang,
    topicContains,
    keys,
    user: req.user,
  });
  if (addLink) {
    const link = `/api/v2/facets/${encodeURIComponent(provider.name)}`;
    const at = (p: number) => {
      const args = new URLSearchParams({ page: String(p), page_size: String(pageSize), lang, add_links: 'True' });
      if (requested) args.set('lang', lang);
      if (topicContains) args.set('topic_contains', topicContains);
      return `${link}?${args.toString()}`;
    };
    info.prev = page > 0 ? at(page - 1) : null;
    info.next = topics.total > (page + 1) * pageSize ? at(page + 1) : null;
  }
  if (topicContains) info.topic_contains = topicContains;
  info.topics = topics;
  return json(200, info);
};
