/**
 * Facets: the `count` of owners, categories, keywords and regions, which owners and keywords are listed, and the
 * `with_resources` filter of categories and regions (`geonode/base/api/serializers.py:790-806`,
 * `geonode/base/api/filters.py:117-133` (4.4.3)). Counts are over the resources the caller may
 * see (GeoNode's get_resources_with_perms), restricted by the `type` and `title__icontains` query parameters.
 */
import { apiError } from '../../../core/errors.js';
import { lastParam } from '../../../query/dynamic-rest/index.js';
import type { Store, StoredRecord } from '../../../store/index.js';
import { levelFor } from '../permissions/levels.js';

export interface FacetOptions {
  /** `type=<resource_type>` */
  type: string | null;
  /** `title__icontains=<text>` */
  title: string | null;
}

export function facetOptions(query: URLSearchParams): FacetOptions {
  return { type: lastParam(query, 'type') || null, title: lastParam(query, 'title__icontains') || null };
}

function viewer(user: StoredRecord | null): string {
  if (!user) return 'anonymous';
  return user.is_superuser ? 'superuser' : `user:${String(user.pk)}`;
}

/** The resources that count for facets: visible to the caller, of the given type, with the given text in the title. */
export function facetResources(store: Store, user: StoredRecord | null, opts: FacetOptions): StoredRecord[] {
  const key = `facet-resources:${viewer(user)}:${opts.type ?? ''}:${opts.title ?? ''}`;
  return store.memo(key, ['resources', 'grants', 'memberships'], () => {
    const title = opts.title?.toLowerCase();
    return store
      .collection('resources')
      .list()
      .filter(
        (r) =>
          (!opts.type || r.resource_type === opts.type) &&
          (!title ||
            String(r.title ?? '')
              .toLowerCase()
              .includes(title)),
      )
      .filter((r) => levelFor(store, r, user) !== 'none');
  });
}

/** `<facet>:<id>` → number of facet resources using it (owners by pk, categories by identifier, …). */
export function facetCounts(store: Store, user: StoredRecord | null, opts: FacetOptions): Map<string, number> {
  const key = `facet-counts:${viewer(user)}:${opts.type ?? ''}:${opts.title ?? ''}`;
  return store.memo(key, ['resources', 'grants', 'memberships'], () => {
    const counts = new Map<string, number>();
    const bump = (k: string) => counts.set(k, (counts.get(k) ?? 0) + 1);
    for (const r of facetResources(store, user, opts)) {
      const owner = r.owner as StoredRecord | null;
      if (owner) bump(`owners:${String(owner.pk)}`);
      const cat = r.category as StoredRecord | null;
      if (cat) bump(`categories:${String(cat.identifier)}`);
      for (const k of (r.keywords as StoredRecord[] | undefined) ?? []) bump(`keywords:${String(k.slug)}`);
      for (const g of (r.regions as StoredRecord[] | undefined) ?? []) bump(`regions:${String(g.code)}`);
    }
    return counts;
  });
}

/** The id a facet record is counted under. */
export function facetId(key: string, record: StoredRecord): string {
  const id =
    key === 'owners'
      ? record.pk
      : key === 'categories'
        ? record.identifier
        : key === 'keywords'
          ? record.slug
          : record.code;
  return `${key}:${String(id)}`;
}

export function facetCount(
  store: Store,
  key: string,
  record: StoredRecord,
  user: StoredRecord | null,
  opts: FacetOptions,
): number {
  return facetCounts(store, user, opts).get(facetId(key, record)) ?? 0;
}

/**
 * `with_resources` (FacetVisibleResourceFilter): the value is read with Python's `ast.literal_eval`, so `True`/`False`
 * (and `1`/`0`); a true value keeps categories/regions used by at least one resource, an explicit false value keeps
 * the unused ones. "Used" means by any resource (`resourcebase_set.exists()`), visible or not. GeoNode answers 500 for
 * a value literal_eval cannot read (`true`); geostub also accepts lower-case `true`/`false` and answers 400 otherwise.
 */
export function withResourcesFilter(
  query: URLSearchParams,
  store: Store,
  key: string,
): ((r: StoredRecord) => boolean) | undefined {
  if (key !== 'categories' && key !== 'regions') return undefined;
  const raw = lastParam(query, 'with_resources');
  if (raw === null) return undefined;
  const value = raw.trim();
  let want: boolean;
  if (['True', 'true', '1'].includes(value)) want = true;
  else if (['False', 'false', '0', 'None'].includes(value)) want = false;
  else throw apiError('invalid', `Invalid with_resources value "${raw}": use True or False.`);
  const used = store.memo(`facet-used:${key}`, ['resources'], () => {
    const ids = new Set<string>();
    for (const r of store.collection('resources').list()) {
      if (key === 'categories') {
        const cat = r.category as StoredRecord | null;
        if (cat) ids.add(String(cat.identifier));
      } else {
        for (const g of (r.regions as StoredRecord[] | undefined) ?? []) ids.add(String(g.code));
      }
    }
    return ids;
  });
  const idOf = (r: StoredRecord) => String(key === 'categories' ? r.identifier : r.code);
  return (r) => used.has(idOf(r)) === want;
}
