/**
 * Metamorphic `geotag` cases of the catalogue depth (koordinates-depth.ts). No listed item shows its geotags, so no
 * single answer can be judged against the listing; answers are judged against each other instead, by the contract's
 * rules ("A parent matches its descendants. Case-insensitive."):
 *
 * - `geotag-parent`: for the contract's example path and each of its ancestors, a child's answer is a subset of its
 *   parent's;
 * - `geotag-case`: the same path in another case answers exactly the same set;
 * - `geotag-or`: `geotag=a&geotag=b` answers the union of the two singles;
 * - `geotag-and`: `geotag=p&kind=K` answers `geotag=p`'s answer less the items the listing shows are not of kind K.
 *
 * A case that cannot separate anything (an empty child, an empty path in another case, a union no larger than its
 * first value's answer, a kind that keeps all or none of the answer) is not asked.
 */
import { identity } from './checks/paging.js';
import type { KoordinatesFilter, Obj, Tri } from './koordinates-depth-filters.js';
import type { QueryDepth } from './query-depth-gen.js';
import type { CheckedExchange, Problem } from './types.js';

export interface GeotagAnswer {
  items: unknown[];
  total: number;
  last?: CheckedExchange;
}

/** The contract's example when its description holds none (`global/oceania/new-zealand/auckland`). */
const EXAMPLE = 'global/oceania/new-zealand/auckland';
/** mixed-case paths per depth (the deepest non-empty first), kinds AND-ed per depth */
const CASES: Record<QueryDepth, number> = { quick: 1, normal: 2, full: 4 };
const KINDS: Record<QueryDepth, number> = { quick: 1, normal: 2, full: 6 };

/** The example path of the contract's `geotag` description, decoded, and its ancestors: the top first. */
export function geotagChain(description: string | undefined): string[] {
  const m = /e\.g\.\s*`([^`]+)`/.exec(description ?? '');
  const path = (m ? decodeURIComponent(m[1]) : EXAMPLE).replace(/^\/+|\/+$/g, '');
  const parts = path.split('/');
  return parts.map((_, n) => parts.slice(0, n + 1).join('/'));
}

/** `global/oceania/new-zealand` → `GLOBAL/Oceania/New-Zealand`: every segment's letters in another case. */
export const otherCase = (path: string) =>
  path
    .split('/')
    .map((s, n) =>
      n === 0 ? s.toUpperCase() : s.replace(/(^|-)([a-z])/g, (_, d: string, c: string) => d + c.toUpperCase()),
    )
    .join('/');

const list = (ids: string[]) =>
  `[${ids.slice(0, 12).join(', ')}${ids.length > 12 ? `, … ${ids.length - 12} more` : ''}]`;
const byNumber = (a: string, b: string) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0);
const pks = (a: GeotagAnswer) => a.items.map(identity);

/**
 * The answer `got` against the pks it must hold (`want`) and may hold (`open`); `within`: only a subset is asked (a
 * child's answer within its parent's), so nothing is missing.
 */
function compare(name: string, want: string[], open: string[], got: GeotagAnswer, where: string, within = false) {
  const h = pks(got);
  const ok = new Set([...want, ...open]);
  const hs = new Set(h);
  const extra = h.filter((p) => !ok.has(p));
  const missing = within ? [] : want.filter((p) => !hs.has(p));
  const total = got.total === h.length && (within || open.length || h.length === want.length);
  if (!extra.length && !missing.length && total) return [];
  const expected = within
    ? `every pk within the parent's answer, pks ${list([...open].sort(byNumber))}`
    : `X-Resource-Range total ${open.length ? `${want.length}–${want.length + open.length}` : want.length}, pks ${list([...want].sort(byNumber))}${open.length ? `, and any of pks ${list([...open].sort(byNumber))} (kind not shown)` : ''}`;
  const problem: Problem = {
    expected: `${name}: ${expected}`,
    actual: `${extra.length ? `extra pks ${list(extra)}; ` : ''}${missing.length ? `missing pks ${list(missing)}; ` : ''}total ${got.total}, pks ${list([...h].sort(byNumber))}`,
    contractPath: where,
  };
  return [problem];
}

/**
 * Runs the geotag cases: `ask` reads every page of an answer, `report` counts a case (its lookup) and records its
 * problems. `kind` is the listing's kind filter (the AND cases' oracle), if the list has one.
 */
export async function geotagCases(
  chain: string[],
  items: Obj[],
  kind: KoordinatesFilter | undefined,
  depth: QueryDepth,
  where: string,
  ask: (params: [string, string][]) => Promise<GeotagAnswer | undefined>,
  report: (lookup: string, problems: Problem[], last: CheckedExchange) => void,
): Promise<void> {
  const name = (lookup: string, q: string) => `query case [catalogue ${lookup}] ${q}`;
  const answers = new Map<string, GeotagAnswer>();
  for (const p of chain) {
    const a = await ask([['geotag', p]]);
    if (a) answers.set(p, a);
  }
  // parent ⊇ child, wherever the child answers something
  for (let n = 1; n < chain.length; n++) {
    const [parent, child] = [answers.get(chain[n - 1]), answers.get(chain[n])];
    if (!parent?.last || !child?.last || !child.items.length) continue;
    const q = `geotag=${chain[n]} ⊆ geotag=${chain[n - 1]}`;
    report('geotag-parent', compare(name('geotag-parent', q), [], pks(parent), child, where, true), child.last);
  }
  const nonEmpty = chain.filter((p) => answers.get(p)?.items.length).reverse();
  // the same path in another case: the same set
  for (const p of nonEmpty.slice(0, CASES[depth])) {
    const [same, got] = [answers.get(p)!, await ask([['geotag', otherCase(p)]])];
    if (!got?.last) continue;
    const q = `geotag=${otherCase(p)} = geotag=${p}`;
    report('geotag-case', compare(name('geotag-case', q), pks(same), [], got, where), got.last);
  }
  // OR: the deepest non-empty path first, then the nearest ancestor answering more
  const [a] = nonEmpty;
  const b = nonEmpty.find((p) => answers.get(p)!.items.length > (answers.get(a)?.items.length ?? 0));
  if (a && b) {
    const got = await ask([
      ['geotag', a],
      ['geotag', b],
    ]);
    if (got?.last) {
      const union = [...new Set([...pks(answers.get(a)!), ...pks(answers.get(b)!)])];
      report('geotag-or', compare(name('geotag-or', `geotag=${a}&geotag=${b}`), union, [], got, where), got.last);
    }
  }
  // AND: the deepest non-empty path with each kind that keeps some of its answer and leaves out some
  if (!a || !kind) return;
  const base = answers.get(a)!;
  const byId = new Map(items.map((i) => [identity(i), i]));
  const judge = (v: string, id: string): Tri => {
    const i = byId.get(id);
    return i ? kind.matches(i, v) : undefined;
  };
  const ids = pks(base);
  const kinds = kind
    .values(items)
    .filter((v) => ids.some((id) => judge(v, id) === true) && ids.some((id) => judge(v, id) === false));
  for (const v of kinds.slice(0, KINDS[depth])) {
    const got = await ask([
      ['geotag', a],
      ['kind', v],
    ]);
    if (!got?.last) continue;
    const [want, open] = [ids.filter((id) => judge(v, id) === true), ids.filter((id) => judge(v, id) === undefined)];
    report('geotag-and', compare(name('geotag-and', `geotag=${a}&kind=${v}`), want, open, got, where), got.last);
  }
}
