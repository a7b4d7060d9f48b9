/**
 * Planted query faults (`--fault NAME`, area `query language`): each gets one part of dynamic-rest's query language
 * subtly wrong on GeoNode lists — a lookup's case rule, a bound, a negation, a sort key, the shared to-many row, the
 * integer column — while every page stays well formed, so only the runner's query-depth cases can tell.
 * Most rewrite the request; the two that need a different evaluator answer the list themselves (`around`).
 */
import {
  answerWith,
  conditions,
  isFilter,
  mapConditions,
  renameLookup,
  rewrite,
  rewriteKoordinatesQuery,
  KOORDINATES_FILTER_NAMES,
  type Obj,
  type Pair,
} from './query-kit.js';
import { KOORDINATES_QUERY_FAULTS } from './koordinates-query.js';
import type { Fault } from './types.js';

export const QUERY_FAULTS: Fault[] = [
  {
    name: 'query-contains-case-insensitive',
    area: 'query language',
    description: 'filter{x.contains} is answered case-insensitively (as icontains)',
    request: (req, at) => rewrite(req, at, renameLookup('contains', 'icontains')),
  },
  {
    name: 'query-startswith-as-contains',
    area: 'query language',
    description: 'filter{x.startswith} / istartswith match anywhere in the value (as contains / icontains)',
    request: (req, at) =>
      rewrite(req, at, (p) => renameLookup('istartswith', 'icontains')(renameLookup('startswith', 'contains')(p))),
  },
  {
    name: 'query-endswith-as-contains',
    area: 'query language',
    description: 'filter{x.endswith} / iendswith match anywhere in the value (as contains / icontains)',
    request: (req, at) =>
      rewrite(req, at, (p) => renameLookup('iendswith', 'icontains')(renameLookup('endswith', 'contains')(p))),
  },
  {
    name: 'query-iexact-case-sensitive',
    area: 'query language',
    description: 'filter{x.iexact} is answered case-sensitively (as an exact match)',
    request: (req, at) => rewrite(req, at, renameLookup('iexact', '')),
  },
  {
    name: 'query-gt-as-gte',
    area: 'query language',
    description: 'filter{x.gt} keeps the records equal to the value (as gte)',
    request: (req, at) => rewrite(req, at, renameLookup('gt', 'gte')),
  },
  {
    name: 'query-range-upper-exclusive',
    area: 'query language',
    description: 'filter{x.range}=a&…=b leaves out the records equal to b (gte a, lt b)',
    request: (req, at) =>
      rewrite(req, at, (pairs) => {
        const out: Pair[] = [];
        const seen = new Set<string>();
        for (const [k, v] of pairs) {
          const m = /^filter\{(-?)(.+)\.range\}$/.exec(k);
          if (!m) out.push([k, v]);
          else {
            out.push([`filter{${m[1]}${m[2]}.${seen.has(k) ? 'lt' : 'gte'}}`, v]);
            seen.add(k);
          }
        }
        return out;
      }),
  },
  {
    name: 'query-in-first-value-only',
    area: 'query language',
    description: 'filter{x.in} with several values keeps only the first value',
    request: (req, at) =>
      rewrite(req, at, (pairs) =>
        pairs.filter(([k], i) => !k.endsWith('.in}') || pairs.findIndex(([k2]) => k2 === k) === i),
      ),
  },
  {
    name: 'query-isnull-ignored',
    area: 'query language',
    description: 'filter{x.isnull} is ignored (every record is answered)',
    request: (req, at) => rewrite(req, at, (pairs) => pairs.filter(([k]) => !k.endsWith('.isnull}'))),
  },
  {
    name: 'query-boolean-zero-as-true',
    area: 'query language',
    description: 'a filter{x}=0 on a boolean is read as true (the string "0" is truthy) instead of false',
    request: (req, at) =>
      rewrite(req, at, (pairs) =>
        pairs.map(([k, v]) => [k, isFilter(k) && !/\.[a-z_]+\}$/.test(k) && v === '0' ? 'true' : v]),
      ),
  },
  {
    name: 'query-negation-dropped-in-combination',
    area: 'query language',
    description: 'with two or more filter{…} conditions, the negated ones filter{-x} are dropped',
    request: (req, at) =>
      rewrite(req, at, (pairs) =>
        pairs.filter(([k]) => isFilter(k)).length >= 2 ? pairs.filter(([k]) => !k.startsWith('filter{-')) : pairs,
      ),
  },
  {
    name: 'query-sort-second-key-ignored',
    area: 'query language',
    description: 'sort[] with several keys orders by the first key only',
    request: (req, at) =>
      rewrite(req, at, (pairs) =>
        pairs.filter(([k], i) => k !== 'sort[]' || pairs.findIndex(([k2]) => k2 === 'sort[]') === i),
      ),
  },
  {
    name: 'query-json-filter-last-clause-ignored',
    area: 'query language',
    description: 'the JSON form filter{}={…} ignores its last clause (or the last branch of $or)',
    request: (req, at) =>
      rewrite(req, at, (pairs) =>
        pairs.map(([k, v]) => {
          if (k !== 'filter{}') return [k, v];
          try {
            const o = JSON.parse(v) as Obj;
            if (Array.isArray(o.$or) && o.$or.length > 1) return [k, JSON.stringify({ ...o, $or: o.$or.slice(0, -1) })];
            const keys = Object.keys(o);
            return keys.length > 1
              ? [k, JSON.stringify(Object.fromEntries(keys.slice(0, -1).map((x) => [x, o[x]])))]
              : [k, v];
          } catch {
            return [k, v];
          }
        }),
      ),
  },
  {
    name: 'query-search-first-field-only',
    area: 'query language',
    description: 'search with several search_fields looks in the first field only',
    request: (req, at) =>
      rewrite(req, at, (pairs) =>
        pairs.filter(([k], i) => k !== 'search_fields' || pairs.findIndex(([k2]) => k2 === 'search_fields') === i),
      ),
  },
  {
    name: 'query-to-many-rows-split',
    area: 'query language',
    description:
      'two conditions through one to-many relation (keywords, regions, …) are evaluated on different related rows (a join per condition)',
    around: (req, at, run) =>
      answerWith(req, at, run, (w) => {
        const many = conditions(w).filter((c) => (c.manyAt ?? -1) >= 0);
        const paths = many.map((c) => c.path.slice(0, (c.manyAt ?? 0) + 1).join('.'));
        return paths.some((p, i) => paths.indexOf(p) !== i)
          ? mapConditions(w, (c) => ({ ...c, manyAt: -1 }))
          : undefined;
      }),
  },
  {
    name: 'query-integer-as-text',
    area: 'query language',
    description: 'gt/gte/lt/lte/range on an integer column (pk, popular_count, …) compare the text ("10" < "9")',
    around: (req, at, run) =>
      answerWith(req, at, run, (w) =>
        conditions(w).some((c) => c.valueKind === 'integer' && ['gt', 'gte', 'lt', 'lte', 'range'].includes(c.op))
          ? mapConditions(w, (c) => (c.valueKind === 'integer' ? { ...c, valueKind: 'text' } : c))
          : undefined,
      ),
  },
  {
    name: 'catalog-and-second-name-ignored',
    area: 'query language',
    description: 'catalogue lists filtered by two different names (kind=…&group=…) apply the first name only',
    request: (req, at) =>
      rewriteKoordinatesQuery(req, at, (pairs) => {
        const first = pairs.find(([k]) => KOORDINATES_FILTER_NAMES.has(k))?.[0];
        return pairs.filter(([k]) => !KOORDINATES_FILTER_NAMES.has(k) || k === first);
      }),
  },
  {
    name: 'catalog-sort-created-reversed',
    area: 'query language',
    description:
      "catalogue sort=created_at answers old→new (and -created_at new→old): the help page's direction reversed",
    request: (req, at) =>
      rewriteKoordinatesQuery(req, at, (pairs) =>
        pairs.map(([k, v]) => [
          k,
          k === 'sort' && /^-?created_at$/.test(v) ? (v.startsWith('-') ? v.slice(1) : `-${v}`) : v,
        ]),
      ),
  },
  ...KOORDINATES_QUERY_FAULTS,
];
