/**
 * The Koordinates catalogue's filters as the depth cases (koordinates-depth.ts) ask and judge them: for each filter name
 * of the contract, the values worth asking (taken from the listing, most telling first) and, per listed item,
 * whether it matches — read from what the detailed item (`Expand: list`) shows, by the contract's rule.
 *
 * An item's answer is `undefined` where the listing does not show what the filter reads (a set shows no `license`,
 * a source no dates): such items may be in the answer or not. Each view is judged against its own listing, so the
 * version an item shows there (the published one on `/data/`, the latest on `/data/latest/`) is the version whose
 * licence, dates and status the filter is checked against. `geotag` is not here: no item shows its geotags, so its
 * answers are judged against each other (koordinates-depth-geotag.ts).
 */
import { normaliseTag } from '../apis/koordinates/query/parse.js';
import type { Obj } from '../core/types.js';

export type { Obj };
/** true / false, or undefined: the listing does not show what the filter reads */
export type Tri = boolean | undefined;

export interface KoordinatesFilter {
  param: string;
  /** the values worth asking, most telling first (the caller keeps those that separate the items) */
  values(items: Obj[]): string[];
  matches(i: Obj, v: string): Tri;
  /** two values of the name, in the order to send them (default: as picked) */
  orPair?(v: string, w: string): [string, string];
  /** whether a value may be one of the two OR-ed (default: any) */
  pairable?(v: string): boolean;
  /** the filter and value that answer the rest of the listing (koordinates-depth-complement.ts), if any */
  complement?(v: string): [string, string] | undefined;
}

const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const obj = (v: unknown) => (v && typeof v === 'object' ? (v as Obj) : {});
const defined = <T>(xs: (T | undefined | null)[]) => xs.filter((x): x is T => x !== undefined && x !== null);
const under = (values: string[], wanted: string) =>
  values.some((p) => p.toLowerCase() === wanted || p.toLowerCase().startsWith(`${wanted}/`));
/** distinct values, the most frequent first (ties: first seen) */
const byCount = (xs: string[]) => {
  const n = new Map<string, number>();
  for (const x of xs) n.set(x, (n.get(x) ?? 0) + 1);
  return [...n.keys()].sort((a, b) => n.get(b)! - n.get(a)!);
};

const kindOf = (i: Obj) => str(i.kind) ?? (/\/sources\/\d+\/?$/.test(str(i.url) ?? '') ? str(i.type) : undefined);

/** The licence an item shows: an object, null (none), or undefined (the item does not show one). */
const licenceOf = (i: Obj): Obj | null | undefined =>
  'license' in i ? ((i.license as Obj | null) ?? null) : undefined;
const withLicence = (i: Obj, f: (l: Obj) => boolean): Tri => {
  const l = licenceOf(i);
  return l === undefined ? undefined : l !== null && f(l);
};
const licences = (items: Obj[]) => defined(items.map(licenceOf)).filter((l) => l.id !== undefined);
const idOfLicenceRef = (v: string) => (/^\d+$/.test(v) ? v : /\/licenses\/(\d+)\/?$/.exec(v)?.[1]);
const bool = (v: string) => v.toLowerCase() === 'true';

/** `3` matches every 3.x, `3.0` only 3.0 (the contract's license.version). */
function versionMatches(have: unknown, wanted: string): boolean {
  if (typeof have !== 'string' && typeof have !== 'number') return false;
  const [major, minor = '0'] = String(have).split('.');
  const [wMajor, wMinor] = wanted.split('.');
  return major === wMajor && (wMinor === undefined || minor === wMinor);
}

/** What `q` searches: title/name, description and tags (spaces as dashes), lower-case, one per line. */
const searchText = (i: Obj) =>
  [i.title, i.name, i.description, ...((i.tags as string[] | undefined) ?? []).map(normaliseTag)]
    .map((x) => str(x) ?? '')
    .join('\n')
    .toLowerCase();

const ms = (v: unknown) => (typeof v === 'string' ? Date.parse(v) : NaN);
/** A date filter: the item's shown date strictly before/after the value; values are dates items hold. */
function dateFilter(field: 'created_at' | 'updated_at', dir: 'before' | 'after'): KoordinatesFilter {
  return {
    param: `${field}.${dir}`,
    // the middle date first, then the quartiles: a bound some item holds exactly, so strict and inclusive differ
    values: (items) => {
      const held = [...new Set(defined(items.map((i) => str(i[field]))))].sort((a, b) => ms(a) - ms(b));
      const at = (f: number) => held[Math.floor((held.length - 1) * f)];
      return [...new Set(defined([at(0.5), at(0.25), at(0.75)]))];
    },
    matches: (i, v) => {
      if (!(field in i)) return undefined;
      const [have, bound] = [ms(i[field]), ms(v)];
      return dir === 'before' ? have < bound : have > bound;
    },
    // the wider bound last: repeated values OR-ed and the last value alone answer the same
    orPair: (v, w) => (ms(v) < ms(w) === (dir === 'before') ? [v, w] : [w, v]),
    complement: (v) => (dir === 'before' ? [`${field}.after`, v] : undefined),
  };
}

/** The filters of the listing; `publicIds`: the ids an anonymous caller is listed (undefined: not known). */
export function koordinatesFilters(publicIds: Set<string> | undefined, latestView: boolean): KoordinatesFilter[] {
  const filters: KoordinatesFilter[] = [
    {
      // a layer's or table's `kind`; a source shows its kind as `type`
      param: 'kind',
      values: (items) => byCount(defined(items.map(kindOf))),
      matches: (i, v) => kindOf(i) === v,
    },
    {
      // an anonymous caller is listed the public items only (the contract), so `public` is judged by that listing
      param: 'public',
      values: () => (publicIds ? ['True', 'false'] : []),
      matches: (i, v) => (publicIds ? publicIds.has(String(i.id)) === bool(v) : undefined),
      complement: (v) => (bool(v) ? ['public', 'false'] : undefined),
    },
    {
      param: 'group',
      values: (items) => byCount(defined(items.map((i) => str(obj(i.group).id)))),
      matches: (i, v) => str(obj(i.group).id) === v,
    },
    {
      param: 'license',
      // a licence whose type another licence shares first (matching by id differs from matching by type), then
      // `true`/`false`, a licence API URL and the other ids
      values: (items) => {
        const ls = licences(items);
        const ids = byCount(ls.map((l) => String(l.id)));
        const typeOf = (id: string) => ls.find((l) => String(l.id) === id)?.type;
        const shared = ids.filter((id) => ids.some((x) => x !== id && typeOf(x) === typeOf(id)));
        const first = shared[0] ?? ids[0];
        const url = str(ls.find((l) => String(l.id) !== first && l.url)?.url);
        return [...defined([first]), 'True', 'false', ...defined([url]), ...ids.filter((x) => x !== first)];
      },
      pairable: (v) => /^\d+$/.test(v),
      complement: (v) => (/^true$/i.test(v) ? ['license', 'false'] : undefined),
      matches: (i, v) => {
        if (/^(true|false)$/i.test(v)) {
          const l = licenceOf(i);
          return l === undefined ? undefined : (l !== null) === bool(v);
        }
        return withLicence(i, (l) => String(l.id) === idOfLicenceRef(v));
      },
    },
    {
      param: 'license.type',
      // a type another present type extends first (`cc-by` before `cc-by-nc`): an exact match differs from a prefix
      values: (items) => {
        const types = byCount(licences(items).map((l) => `${l.type}`));
        const extended = (t: string) => types.some((x) => x.startsWith(`${t}-`));
        return [...types.filter(extended), ...types.filter((t) => !extended(t))];
      },
      matches: (i, v) => withLicence(i, (l) => l.type === v),
    },
    {
      param: 'license.jurisdiction',
      // sent upper-case (the contract: case-insensitive; licences show lower-case codes)
      values: (items) =>
        byCount(
          licences(items)
            .map((l) => `${l.jurisdiction ?? ''}`)
            .filter((j) => /^[a-z]{2}$/i.test(j)),
        ).map((j) => j.toUpperCase()),
      matches: (i, v) => withLicence(i, (l) => `${l.jurisdiction ?? ''}`.toLowerCase() === v.toLowerCase()),
    },
    {
      param: 'license.version',
      // one digit (every x.y of it) and one decimal place (exactly), alternately
      values: (items) => {
        const vs = byCount(defined(licences(items).map((l) => str(l.version))).filter((v) => /^\d(\.\d)?$/.test(v)));
        return [...new Set(vs.flatMap((v, n) => (n % 2 ? [v, v.split('.')[0]] : [v.split('.')[0], v])))];
      },
      matches: (i, v) => withLicence(i, (l) => versionMatches(l.version, v)),
    },
    {
      param: 'category',
      values: (items) =>
        byCount(
          items.flatMap((i) => ((i.categories as Obj[] | undefined) ?? []).map((c) => String(c.slug).split('/')[0])),
        ),
      matches: (i, v) =>
        under(
          ((i.categories as Obj[] | undefined) ?? []).map((c) => String(c.slug)),
          v,
        ),
    },
    {
      param: 'tag',
      values: (items) => byCount(items.flatMap((i) => ((i.tags as string[] | undefined) ?? []).map(normaliseTag))),
      matches: (i, v) => ((i.tags as string[] | undefined) ?? []).map(normaliseTag).includes(v),
    },
    {
      // space-separated terms, each a case-insensitive substring of the title/name, description or a tag; sent
      // upper-case (words of the titles, which hold them in another case)
      param: 'q',
      // title words that occur nowhere inside a longer word, so a substring search and a whole-word search agree
      values: (items) => {
        const texts = items.map(searchText);
        const whole = (w: string) => texts.every((t) => !new RegExp(`[a-z0-9]${w}|${w}[a-z0-9]`).test(t));
        const words = byCount(
          items.flatMap((i) => [
            ...new Set(
              `${str(i.title) ?? ''} ${str(i.name) ?? ''}`
                .toLowerCase()
                .split(/[^a-z]+/)
                .filter((w) => w.length >= 4),
            ),
          ]),
        )
          .filter(whole)
          .map((w) => w.toUpperCase());
        return words.length > 1 ? [words[0], `${words[1]} ${words[2] ?? words[0]}`, ...words.slice(1)] : words;
      },
      matches: (i, v) => {
        const text = searchText(i);
        return v
          .toLowerCase()
          .split(/\s+/)
          .filter(Boolean)
          .some((t) => text.includes(t));
      },
    },
    dateFilter('created_at', 'before'),
    dateFilter('created_at', 'after'),
    dateFilter('updated_at', 'before'),
    dateFilter('updated_at', 'after'),
  ];
  if (latestView)
    filters.push({
      // the status of the latest version, which /data/latest/ shows as `version`
      param: 'version.status',
      values: (items) => byCount(defined(items.map((i) => str(obj(i.version).status)))),
      matches: (i, v) => ('version' in i ? str(obj(i.version).status) === v : undefined),
    });
  return filters;
}

/** Tri-state AND and OR (false wins AND, true wins OR). */
export const triAnd = (a: Tri, b: Tri): Tri => (a === false || b === false ? false : a && b ? true : undefined);
export const triOr = (a: Tri, b: Tri): Tri =>
  a === true || b === true ? true : a === false && b === false ? false : undefined;
