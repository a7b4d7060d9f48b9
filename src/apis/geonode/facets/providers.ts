/**
 * GeoNode's facet providers (geonode/facets/providers/*.py at 4.4.3, registered by settings.py:2347-2356): each
 * turns the prefiltered resources into topics `{key, label, count, …}`, most used first. Plain functions over the
 * store; the HTTP side (parameters, paging, links) is in endpoints.ts.
 */
import type { Store, StoredRecord } from '../../../store/index.js';
import { isAdmin } from '../context.js';
import { type Topic, type FacetProvider, tally, taxonomyItems, embedded } from './topics.js';

/** resourcetype (facets/providers/baseinfo.py:28-83): every type at once, subtypes nested; no paging, no topic_contains. */
const resourceType: FacetProvider = {
  name: 'resourcetype',
  config: {},
  info: () => ({
    name: 'resourcetype',
    filter: 'filter{resource_type.in}',
    label: 'Resource type',
    type: 'base',
    hierarchical: true,
  }),
  items(_store, resources) {
    const types = new Map<string, { count: number; sub: Map<string, number> }>();
    for (const r of resources) {
      const t = String(r.resource_type);
      const entry = types.get(t) ?? { count: 0, sub: new Map<string, number>() };
      entry.count += 1;
      if (r.subtype) entry.sub.set(String(r.subtype), (entry.sub.get(String(r.subtype)) ?? 0) + 1);
      types.set(t, entry);
    }
    const byCount = (a: Topic, b: Topic) => (b.count ?? 0) - (a.count ?? 0) || (String(a.key) < String(b.key) ? -1 : 1);
    const items = [...types.entries()].map(([key, e]) => {
      const t: Topic = { key, label: key, count: e.count };
      if (e.sub.size) {
        t.filter = 'filter{subtype.in}';
        t.items = [...e.sub.entries()].map(([k, count]) => ({ key: k, label: k, count })).sort(byCount);
      }
      return t;
    });
    return { total: items.length, items: items.sort(byCount) };
  },
};

/** featured (baseinfo.py:86-140): `{key: true|false, label: "True"|"False", count}`, total always 2. */
const featured: FacetProvider = {
  name: 'featured',
  config: {},
  info: () => ({
    name: 'featured',
    filter: 'filter{featured}',
    label: 'Featured',
    type: 'base',
    hierarchical: false,
    order: 0,
  }),
  items(_store, resources, q) {
    const all = tally(resources, (r) => [{ key: r.featured === true, label: r.featured === true ? 'True' : 'False' }]);
    return { total: 2, items: all.slice(q.start, q.end) };
  },
};

/** category (providers/category.py): keys are identifiers, labels `gn_description`, plus `fa_class`. */
const category: FacetProvider = {
  name: 'category',
  config: { order: 5, type: 'select' },
  info: () => ({ name: 'category', filter: 'filter{category.identifier.in}', label: 'Category', type: 'category' }),
  items(store, resources, q) {
    const faClass = new Map(
      store
        .collection('categories')
        .list()
        .map((c) => [String(c.identifier), c.fa_class ?? null]),
    );
    const all = tally(resources, (r) => {
      const c = r.category as StoredRecord | null;
      return c
        ? [
            {
              key: String(c.identifier),
              label: (c.gn_description as string | null) ?? null,
              fa_class: faClass.get(String(c.identifier)) ?? null,
            },
          ]
        : [];
    });
    // tally keeps the key order `count`-first; GeoNode's topic dict is key, label, count, fa_class
    return taxonomyItems(
      all.map(({ key, label, count, fa_class }) => ({ key, label, count, fa_class })),
      q,
    );
  },
  topics: (store, keys) =>
    store
      .collection('categories')
      .list()
      .filter((c) => keys.has(String(c.identifier)))
      .map((c) => ({
        key: String(c.identifier),
        label: (c.gn_description as string) ?? null,
        fa_class: c.fa_class ?? null,
      })),
};

/** keyword (providers/keyword.py): slug and name. */
const keyword: FacetProvider = {
  name: 'keyword',
  config: { order: 6, type: 'select' },
  info: () => ({ name: 'keyword', filter: 'filter{keywords.slug.in}', label: 'Keyword', type: 'keyword' }),
  items: (_store, resources, q) =>
    taxonomyItems(
      tally(resources, (r) => embedded(r, 'keywords').map((k) => ({ key: String(k.slug), label: String(k.name) }))),
      q,
    ),
  topics: (store, keys) =>
    store
      .collection('keywords')
      .list()
      .filter((k) => keys.has(String(k.slug)))
      .map((k) => ({ key: String(k.slug), label: String(k.name) })),
};

/** region (providers/region.py): code and name. */
const region: FacetProvider = {
  name: 'region',
  config: { order: 7, type: 'select' },
  info: () => ({ name: 'region', filter: 'filter{regions.code.in}', label: 'Region', type: 'place' }),
  items: (_store, resources, q) =>
    taxonomyItems(
      tally(resources, (r) => embedded(r, 'regions').map((g) => ({ key: String(g.code), label: String(g.name) }))),
      q,
    ),
  topics: (store, keys) =>
    store
      .collection('regions')
      .list()
      .filter((g) => keys.has(String(g.code)))
      .map((g) => ({ key: String(g.code), label: String(g.name) })),
};

/** owner (providers/users.py): the owner's integer id and username. */
const owner: FacetProvider = {
  name: 'owner',
  config: { order: 8, type: 'select' },
  info: () => ({ name: 'owner', filter: 'filter{owner.pk.in}', label: 'Owner', type: 'user' }),
  items: (_store, resources, q) =>
    taxonomyItems(
      tally(resources, (r) => {
        const o = r.owner as StoredRecord | null;
        return o ? [{ key: Number(o.pk), label: String(o.username) }] : [];
      }),
      q,
    ),
  topics: (store, keys) =>
    store
      .collection('users')
      .list()
      .filter((u) => keys.has(String(u.pk)))
      .map((u) => ({ key: Number(u.pk), label: String(u.username) })),
};

/** The auth-group ids of the group profiles a user may see (security/utils.py:242-268 get_user_visible_groups). */
function visibleGroupIds(store: Store, user: StoredRecord | null): Set<number> {
  const groups = store.collection('groups').list();
  const mine = new Set(
    user
      ? store
          .collection('memberships')
          .list()
          .filter((m) => m.user === user.pk)
          .map((m) => m.group)
      : [],
  );
  return new Set(
    groups
      .filter((g) => isAdmin(user) || g.access === 'public' || mine.has(g.pk))
      .map((g) => Number((g.group as StoredRecord | null)?.pk)),
  );
}

/** group (providers/group.py): the auth group's id and name, only groups the caller may see. */
const group: FacetProvider = {
  name: 'group',
  config: { order: 9, type: 'select' },
  info: () => ({ name: 'group', filter: 'filter{group.in}', label: 'Group', type: 'group' }),
  items(store, resources, q) {
    const visible = visibleGroupIds(store, q.user);
    const all = tally(resources, (r) => {
      const g = r.group as StoredRecord | null;
      return g && visible.has(Number(g.pk)) ? [{ key: Number(g.pk), label: String(g.name) }] : [];
    });
    return taxonomyItems(all, q);
  },
  // GroupProfile.resources(): every resource of the group, whoever asks (providers/group.py get_topics)
  topics: (store, keys) =>
    store
      .collection('groups')
      .list()
      .filter((g) => keys.has(String((g.group as StoredRecord | null)?.pk)))
      .map((g) => {
        const pk = Number((g.group as StoredRecord).pk);
        return {
          key: pk,
          label: String(g.slug),
          count: store
            .collection('resources')
            .list()
            .filter((r) => Number((r.group as StoredRecord | null)?.pk) === pk).length,
        };
      }),
};

/** One provider per thesaurus (providers/thesaurus.py): keyword ids, labels in the asked language or `alt_label`. */
function thesaurusProvider(slug: string, title: string): FacetProvider {
  const label = (k: StoredRecord, lang: string) => (k.i18n as Record<string, string> | undefined)?.[lang] ?? null;
  const topic = (k: StoredRecord, lang: string): Topic => {
    const localized = label(k, lang);
    return { key: Number(k.id), label: localized ?? String(k.slug), is_localized: localized !== null };
  };
  const ofThesaurus = (store: Store) =>
    store
      .collection('tkeywords')
      .list()
      .filter((k) => (k.thesaurus as StoredRecord | null)?.slug === slug);
  return {
    name: slug,
    config: { type: 'select', order: 0 },
    info: () => ({ name: slug, filter: 'filter{tkeywords}', label: title, is_localized: false, type: 'thesaurus' }),
    items(store, resources, q) {
      const bySlug = new Map(ofThesaurus(store).map((k) => [String(k.slug), k]));
      const all = tally(resources, (r) =>
        embedded(r, 'tkeywords')
          .filter((t) => (t.thesaurus as StoredRecord | null)?.slug === slug && bySlug.has(String(t.slug)))
          .map((t) => topic(bySlug.get(String(t.slug))!, q.lang)),
      ).map((t) => ({ key: t.key, label: t.label, is_localized: t.is_localized, count: t.count, image: null }));
      // `label__icontains`: the keyword's labels, in any language (an inference: the model's label relation)
      const labels = new Map(
        ofThesaurus(store).map((k) => [
          Number(k.id),
          [String(k.slug), ...Object.values((k.i18n as Record<string, string>) ?? {})].join('\n'),
        ]),
      );
      return taxonomyItems(all, q, (t) => labels.get(Number(t.key)));
    },
    topics: (store, keys, lang) =>
      ofThesaurus(store)
        .filter((k) => keys.has(String(k.id)))
        .map((k) => topic(k, lang)),
  };
}

/** The registry in settings order; thesaurus providers come from the thesauri present (Thesaurus.order 0, then slug). */
export function facetProviders(store: Store): FacetProvider[] {
  const thesauri = new Map<string, string>();
  for (const k of store.collection('tkeywords').list()) {
    const t = k.thesaurus as StoredRecord | null;
    if (t?.slug && !thesauri.has(String(t.slug))) thesauri.set(String(t.slug), String(t.name ?? t.slug));
  }
  const own = [...thesauri.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([slug, title]) => thesaurusProvider(slug, title));
  return [resourceType, featured, category, keyword, region, owner, group, ...own];
}
