/**
 * Evaluates a parsed {@link KoordinatesQuery} over the stored catalogue items: view, visibility, filters (values of
 * one name OR-ed, names AND-ed), search relevance and sort. Pure: no HTTP framework, no store.
 *
 * Speed: per-item keys (dates as epoch ms, lower-cased name and search text, publication state) and the rank of
 * every item under each sort are built once per collection array and cached on it (one WeakMap entry per array,
 * checked against an identity snapshot, so pushing/removing/replacing records in the array rebuilds it). Records
 * themselves must not be edited in place (the catalogue is read-only; a reset brings new objects). Pass the
 * stored collection array itself, not a fresh copy per request, to benefit.
 */
import { normaliseTag } from './parse.js';
import type {
  KoordinatesContext,
  KoordinatesFilters,
  KoordinatesQuery,
  KoordinatesRefs,
  KoordinatesSort,
  KoordinatesItem,
  KoordinatesLicense,
} from './types.js';
import { displayName, publishedVersion, latestVersion } from './versions.js';

type Derived = {
  createdMs: number;
  updatedMs: number;
  nameKey: string;
  title: string;
  description: string;
  tags: string[];
  published: boolean;
  latestStatus: string | undefined;
  // the fields filters read, copied once: a large store keeps items on disk (store/lazy.ts), and reading them from
  // the item on every query would read every item again
  kind: string | null;
  isPublic: boolean;
  group: number | null;
  license: number | null;
  categorySlugs: string[];
  geotags: string[];
  popularity: number;
};

function derive(item: KoordinatesItem): Derived {
  return {
    createdMs: Date.parse(item.created_at),
    updatedMs: Date.parse(item.updated_at),
    nameKey: displayName(item).toLowerCase(),
    title: `${item.title ?? ''} ${item.name ?? ''}`.toLowerCase(),
    description: (item.description ?? '').toLowerCase(),
    tags: (item.tags ?? []).map(normaliseTag),
    published: publishedVersion(item) !== undefined,
    latestStatus: latestVersion(item)?.status,
    kind: item.kind ?? null,
    isPublic: item.public,
    group: item.group ?? null,
    license: item.license ?? null,
    categorySlugs: (item.categories ?? []).map((x) => x.slug),
    geotags: item.geotags ?? [],
    popularity: item.popularity,
  };
}

type KoordinatesIndex = {
  snapshot: KoordinatesItem[];
  derived: Derived[];
  /** 1 where the item has a published version (dense, for the view scan) */
  published: Uint8Array;
  /** rank of each position under a sort, built on first use */
  ranks: Map<KoordinatesSort, Int32Array>;
};

const indexCache = new WeakMap<readonly KoordinatesItem[], KoordinatesIndex>();

function indexFor(items: readonly KoordinatesItem[]): KoordinatesIndex {
  const cached = indexCache.get(items);
  if (cached && sameRecords(cached.snapshot, items)) return cached;
  const derived = items.map(derive);
  const published = new Uint8Array(items.length);
  derived.forEach((d, i) => (published[i] = d.published ? 1 : 0));
  const index: KoordinatesIndex = { snapshot: [...items], derived, published, ranks: new Map() };
  indexCache.set(items, index);
  return index;
}

/**
 * Builds the per-collection index now (derived keys; sort ranks stay lazy) so the first request after a start
 * or a reset does not pay for it (~0.5 s at 100,000 items).
 */
export function prepareKoordinatesIndex(items: readonly KoordinatesItem[]): void {
  indexFor(items);
}

function sameRecords(snapshot: readonly KoordinatesItem[], items: readonly KoordinatesItem[]): boolean {
  if (snapshot.length !== items.length) return false;
  for (let i = 0; i < items.length; i++) if (snapshot[i] !== items[i]) return false;
  return true;
}

function score(d: Derived, terms: readonly string[]): number {
  let s = 0;
  for (const term of terms) {
    if (d.title.includes(term)) s++;
    if (d.description.includes(term)) s++;
    if (d.tags.some((t) => t.includes(term))) s++;
  }
  return s;
}

/**
 * Search relevance: for each term, one point per field (title/name, description, tags) containing it.
 * 0 means no term matched. Terms are lower-cased substrings (`road` matches `Roads`).
 */
export function relevance(item: KoordinatesItem, terms: readonly string[]): number {
  return score(
    derive(item),
    terms.map((t) => t.toLowerCase()),
  );
}

type Predicate = (item: KoordinatesItem, d: Derived) => boolean;

const underPath = (paths: readonly string[], value: string) =>
  paths.some((p) => {
    const s = p.toLowerCase();
    return s === value || s.startsWith(`${value}/`);
  });

function versionMatches(licenseVersion: string | null, wanted: string): boolean {
  if (!licenseVersion) return false;
  const [major, minor = '0'] = licenseVersion.split('.');
  const [wMajor, wMinor] = wanted.split('.');
  return major === wMajor && (wMinor === undefined || minor === wMinor);
}

function licenseOf(d: Derived, refs: KoordinatesRefs): KoordinatesLicense | undefined {
  return d.license == null ? undefined : refs.license(d.license);
}

/** One predicate per filter name present (each OR-s its values). */
function koordinatesPredicates(filters: KoordinatesFilters, refs: KoordinatesRefs): Predicate[] {
  const p: Predicate[] = [];
  const f = filters;
  if (f.kind.length) {
    const kinds = new Set<string>(f.kind);
    p.push((_, d) => d.kind != null && kinds.has(d.kind));
  }
  if (f.public.length) p.push((_, d) => f.public.includes(d.isPublic));
  if (f.group.length) p.push((_, d) => d.group != null && f.group.includes(d.group));
  if (f.license.length) {
    p.push((_, d) =>
      f.license.some((l) => (l === true ? d.license != null : l === false ? d.license == null : d.license === l)),
    );
  }
  if (f['license.type'].length) p.push((_, d) => f['license.type'].includes(licenseOf(d, refs)?.type ?? ''));
  if (f['license.jurisdiction'].length) {
    p.push((_, d) => {
      const j = licenseOf(d, refs)?.jurisdiction?.toLowerCase();
      return !!j && f['license.jurisdiction'].includes(j);
    });
  }
  if (f['license.version'].length) {
    p.push((_, d) => {
      const lic = licenseOf(d, refs);
      return !!lic && f['license.version'].some((v) => versionMatches(lic.version, v));
    });
  }
  if (f.category.length) p.push((_, d) => f.category.some((c) => underPath(d.categorySlugs, c)));
  if (f.geotag.length) p.push((_, d) => f.geotag.some((g) => underPath(d.geotags, g)));
  if (f.tag.length) p.push((_, d) => d.tags.some((t) => f.tag.includes(t)));
  if (f.q.length) p.push((_, d) => score(d, f.q) > 0);
  // OR of "< v" over several values is "< max(v)"; OR of "> v" is "> min(v)".
  const dates = [
    ['created_at.before', 'createdMs', 'before'],
    ['created_at.after', 'createdMs', 'after'],
    ['updated_at.before', 'updatedMs', 'before'],
    ['updated_at.after', 'updatedMs', 'after'],
  ] as const;
  for (const [name, key, dir] of dates) {
    const vs = f[name];
    if (!vs.length) continue;
    if (dir === 'before') {
      const limit = Math.max(...vs);
      p.push((_, d) => d[key] < limit);
    } else {
      const limit = Math.min(...vs);
      p.push((_, d) => d[key] > limit);
    }
  }
  if (f['version.status'].length) {
    const statuses = new Set<string>(f['version.status']);
    p.push((_, d) => d.latestStatus !== undefined && statuses.has(d.latestStatus));
  }
  return p;
}

type Keyed = { id: number; d: Derived; popularity: number; score: number; pos: number };

const byId = (a: Keyed, b: Keyed) => a.id - b.id;
const strAsc = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const COMPARATORS: Record<KoordinatesSort | 'relevance', (a: Keyed, b: Keyed) => number> = {
  name: (a, b) => strAsc(a.d.nameKey, b.d.nameKey) || byId(a, b),
  '-name': (a, b) => strAsc(b.d.nameKey, a.d.nameKey) || byId(a, b),
  // The help page's words: `created_at` is new→old, `-created_at` old→new (the contract's `sort`); updated_at alike.
  created_at: (a, b) => b.d.createdMs - a.d.createdMs || byId(a, b),
  '-created_at': (a, b) => a.d.createdMs - b.d.createdMs || byId(a, b),
  updated_at: (a, b) => b.d.updatedMs - a.d.updatedMs || byId(a, b),
  '-updated_at': (a, b) => a.d.updatedMs - b.d.updatedMs || byId(a, b),
  popularity: (a, b) => b.popularity - a.popularity || byId(a, b),
  '-popularity': (a, b) => a.popularity - b.popularity || byId(a, b),
  relevance: (a, b) => b.score - a.score || byId(a, b),
};

function ranksFor(index: KoordinatesIndex, sort: KoordinatesSort): Int32Array {
  let ranks = index.ranks.get(sort);
  if (!ranks) {
    const keyed: Keyed[] = index.snapshot.map((item, pos) => ({
      id: item.id,
      d: index.derived[pos],
      popularity: index.derived[pos].popularity,
      score: 0,
      pos,
    }));
    keyed.sort(COMPARATORS[sort]);
    ranks = new Int32Array(keyed.length);
    keyed.forEach((k, rank) => (ranks![k.pos] = rank));
    index.ranks.set(sort, ranks);
  }
  return ranks;
}

/**
 * The filtered, sorted list of a catalogue view.
 *
 * Order: the `sort` choice (ties by ascending id); with `q` and no `sort`, relevance (ties by id); with neither,
 * the stored order (the real API calls it undefined).
 */
export function applyKoordinatesQuery(
  items: readonly KoordinatesItem[],
  query: KoordinatesQuery,
  ctx: KoordinatesContext,
): KoordinatesItem[] {
  const index = indexFor(items);
  const latest = ctx.view === 'latest';
  const visible: Predicate | null = ctx.isVisible ?? (ctx.isAnonymous ? (_, d) => d.isPublic === true : null);
  const predicates = koordinatesPredicates(query.filters, ctx.refs);
  const matched: number[] = [];
  const { published, derived } = index;
  const plain = !visible && predicates.length === 0;
  outer: for (let pos = 0; pos < items.length; pos++) {
    if (!latest && published[pos] === 0) continue;
    if (plain) {
      matched.push(pos);
      continue;
    }
    const item = items[pos];
    const d = derived[pos];
    if (visible && !visible(item, d)) continue;
    for (const pred of predicates) if (!pred(item, d)) continue outer;
    matched.push(pos);
  }
  if (query.sort) {
    const ranks = ranksFor(index, query.sort);
    const slots = new Int32Array(items.length).fill(-1);
    for (const pos of matched) slots[ranks[pos]] = pos;
    const out: KoordinatesItem[] = [];
    for (const pos of slots) if (pos >= 0) out.push(items[pos]);
    return out;
  }
  if (!query.filters.q.length) return matched.map((pos) => items[pos]);
  const terms = query.filters.q;
  const keyed: Keyed[] = matched.map((pos) => ({
    id: items[pos].id,
    d: index.derived[pos],
    popularity: 0,
    score: score(index.derived[pos], terms),
    pos,
  }));
  keyed.sort(COMPARATORS.relevance);
  return keyed.map((k) => items[k.pos]);
}
