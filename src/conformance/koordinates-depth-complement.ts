/**
 * Complement cases of the catalogue depth (koordinates-depth.ts): two filters that split the listing between them —
 * `license=True` / `license=false`, `public=True` / `public=false`, `created_at.before=T` / `created_at.after=T` —
 * asked one after the other. Every listed item must be in exactly one of the two answers (an item holding T exactly
 * in neither), including the items that do not show what the filter reads (a set's licence, a source's dates),
 * which the single cases cannot judge.
 */
import { identity } from './checks/paging.js';
import type { KoordinatesFilter, Obj, Tri } from './koordinates-depth-filters.js';
import type { Problem } from './types.js';

export interface ComplementCase {
  params: [string, string][];
  judge: (i: Obj) => Tri;
  other: { params: [string, string][]; judge: (i: Obj) => Tri };
}

/** One complement per filter that has one: its first value that splits the listing. */
export function complementCases(filters: KoordinatesFilter[], items: Obj[]): ComplementCase[] {
  const out: ComplementCase[] = [];
  for (const f of filters) {
    if (!f.complement) continue;
    for (const v of f.values(items)) {
      const pair = f.complement(v);
      const g = pair && filters.find((x) => x.param === pair[0]);
      if (!pair || !g) continue;
      const [a, b] = [(i: Obj) => f.matches(i, v), (i: Obj) => g.matches(i, pair[1])];
      // both sides answer something, and some item is left for the complement to place
      if (!items.some((i) => a(i) === true) || !items.some((i) => b(i) === true)) continue;
      out.push({ params: [[f.param, v]], judge: a, other: { params: [pair], judge: b } });
      break;
    }
  }
  return out;
}

interface Answer {
  items: unknown[];
  total: number;
}

/** `filter_complete` over the two answers of a complement case. */
export function complementProblems(
  name: string,
  listing: Obj[],
  c: ComplementCase,
  a: Answer,
  b: Answer,
  where: string,
): Problem[] {
  const [inA, inB] = [new Set(a.items.map(identity)), new Set(b.items.map(identity))];
  const both: string[] = [];
  const neither: string[] = [];
  const misplaced: string[] = [];
  let expected = 0;
  for (const i of listing) {
    const id = identity(i);
    const [ja, jb] = [c.judge(i), c.other.judge(i)];
    const [ia, ib] = [inA.has(id), inB.has(id)];
    if (ja === false && jb === false) {
      if (ia || ib) misplaced.push(id);
      continue;
    }
    expected++;
    if (ia && ib) both.push(id);
    else if (!ia && !ib) neither.push(id);
    else if ((ia && ja === false) || (ib && jb === false)) misplaced.push(id);
  }
  if (!both.length && !neither.length && !misplaced.length && a.total + b.total === expected) return [];
  const list = (ids: string[]) =>
    `[${ids.slice(0, 12).join(', ')}${ids.length > 12 ? `, … ${ids.length - 12} more` : ''}]`;
  return [
    {
      expected: `${name}: each of the ${expected} items of the listing (pks ${list(listing.map(identity))}) in exactly one of the two answers, totals adding up to ${expected}${listing.length > expected ? ` (the other ${listing.length - expected} hold the bound itself: in neither)` : ''}`,
      actual: [
        both.length ? `in both: pks ${list(both)}` : '',
        neither.length ? `in neither: pks ${list(neither)}` : '',
        misplaced.length ? `on the wrong side: pks ${list(misplaced)}` : '',
        `totals ${a.total} + ${b.total} = ${a.total + b.total}`,
      ]
        .filter(Boolean)
        .join('; '),
      contractPath: where,
    },
  ];
}
