/**
 * What a facet provider is (geonode/facets/models.py:38-111 at 4.4.3: topics `{key, label, count, …}` for a query) and the
 * counting, filtering and paging the providers share.
 */
import type { Store, StoredRecord } from '../../../store/index.js';

export type TopicKey = string | number | boolean;
export interface Topic {
  key: TopicKey;
  label: string | null;
  count?: number;
  [extra: string]: unknown;
}

export interface TopicQuery {
  start: number;
  end: number;
  lang: string;
  topicContains: string | null;
  /** `key` parameters (strings, as Django's QueryDict gives them); empty = no key filter */
  keys: Set<string>;
  user: StoredRecord | null;
}

export interface FacetProvider {
  name: string;
  /** the provider's `config` (settings.py FACET_PROVIDERS), shown with `include_config` */
  config: Record<string, unknown>;
  info(lang: string): Record<string, unknown>;
  /** `get_facet_items`: the total matched and the page of topics */
  items(store: Store, resources: readonly StoredRecord[], q: TopicQuery): { total: number; items: Topic[] };
  /** `get_topics`: topics for requested keys no resource uses (no count); undefined where GeoNode has none */
  topics?(store: Store, keys: Set<string>, lang: string): Topic[];
}

const contains = (text: unknown, part: string | null) =>
  !part ||
  String(text ?? '')
    .toLowerCase()
    .includes(part.toLowerCase());

/**
 * Count topics over resources: `values(...).annotate(count=Count(...)).order_by('-count')`. PostgreSQL leaves ties in
 * no defined order; geostub breaks them by the key's text so pages are stable.
 */
export function tally(resources: readonly StoredRecord[], topicsOf: (r: StoredRecord) => Topic[]): Topic[] {
  const byKey = new Map<string, Topic>();
  for (const r of resources) {
    for (const t of topicsOf(r)) {
      const id = String(t.key);
      const seen = byKey.get(id);
      if (seen) seen.count = (seen.count ?? 0) + 1;
      else byKey.set(id, { ...t, count: 1 });
    }
  }
  return [...byKey.values()].sort(
    (a, b) =>
      (b.count ?? 0) - (a.count ?? 0) || (String(a.key) < String(b.key) ? -1 : String(a.key) > String(b.key) ? 1 : 0),
  );
}

/** The common shape of the taxonomy providers: filter by label text and keys, count, slice. */
export function taxonomyItems(all: Topic[], q: TopicQuery, labelOf: (t: Topic) => unknown = (t) => t.label) {
  const kept = all.filter((t) => contains(labelOf(t), q.topicContains) && (!q.keys.size || q.keys.has(String(t.key))));
  return { total: kept.length, items: kept.slice(q.start, q.end) };
}

export const embedded = (r: StoredRecord, field: string) => (r[field] as StoredRecord[] | null | undefined) ?? [];
