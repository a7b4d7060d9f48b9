/**
 * `· query depth` for the Koordinates catalogue list: every filter of the contract (koordinates-depth-filters.ts;
 * `geotag`, which no item shows, by metamorphic cases: koordinates-depth-geotag.ts), with values taken from the listing — single values, two values of one name (OR), two
 * names (AND), complementary pairs (koordinates-depth-complement.ts) — and every `sort` choice. Each answer (every page)
 * is compared with the unfiltered listing read at the start (`Expand: list`): the same records and X-Resource-Range
 * total as the listing says match, and for sorts the documented order (ties free). Items that do not show what a
 * filter reads are left open by the single, OR and AND cases and placed by the complements.
 */
import type { Operation } from '../contracts/route-table.js';
import { localeCompareStrings } from '../query/dynamic-rest/index.js';
import { call, type Case, type RunContext } from './context.js';
import type { CaseRecorder } from './recorder.js';
import type { Problem } from './types.js';
import { listItems, listShape, pointer, queryParameter } from './contract-view.js';
import { opKey } from './http.js';
import { firstPage } from './list-cases.js';
import { identity, parseRange } from './checks/paging.js';
import type { QueryDepth } from './query-depth-gen.js';
import { readPages, type Walked } from './query-depth.js';
import { geotagCases, geotagChain } from './koordinates-depth-geotag.js';
import { complementCases, complementProblems, type ComplementCase } from './koordinates-depth-complement.js';
import {
  koordinatesFilters,
  triAnd,
  triOr,
  type KoordinatesFilter,
  type Obj,
  type Tri,
} from './koordinates-depth-filters.js';

const PAGE = 100;
const EXPAND = { Expand: 'list' };
const ms = (v: unknown) => Date.parse(String(v));
/** single-value cases per filter name at each depth */
const SINGLES: Record<QueryDepth, number> = { quick: 1, normal: 2, full: 6 };

interface DepthCase {
  lookup: string;
  params: [string, string][];
  /** per item of the listing: in the answer, not, or either (the listing does not show what it reads) */
  judge: (i: Obj) => Tri;
  /** a complement case: the second filter, whose answer with this one's splits the listing */
  other?: ComplementCase['other'];
}

/** The documented order of each `sort` choice, as a key and a direction (undefined: the item does not show the key). */
const SORT_KEYS: Record<string, ((i: Obj) => string | number) | undefined> = {
  name: (i) => String(i.title ?? i.name ?? '').toLowerCase(),
  created_at: (i) => -ms(i.created_at),
  updated_at: (i) => -ms(i.updated_at),
  popularity: undefined,
};

export function koordinatesDepthCase(op: Operation): Case | undefined {
  const shape = listShape(op);
  if (shape?.kind !== 'array' || op.method !== 'get' || !queryParameter(op, 'kind')) return undefined;
  return {
    id: `${opKey(op)} · query depth`,
    kind: 'operation',
    api: op.api,
    ops: [op],
    writes: false,
    async run(ctx, rec) {
      const depth: QueryDepth = ctx.options.queryDepth ?? 'normal';
      const budget = ctx.options.queryBudget ?? 1000;
      const all = await readAll(ctx, rec, op, [], budget);
      if (!all) return;
      if (all.truncated)
        return void (rec.skipped = `the list holds ${all.total} items, more than --query-budget ${budget}: raise the budget to check it in depth`);
      const items = all.items.filter((i): i is Obj => !!i && typeof i === 'object');
      // with a key, the anonymous listing tells which items are public (anonymous callers see those only)
      const anonymous = ctx.http.hasCredentials(op.api) ? await readAll(ctx, rec, op, [], budget, true) : undefined;
      const publicIds = anonymous && !anonymous.truncated ? new Set(anonymous.items.map(identity)) : undefined;
      const filters = koordinatesFilters(publicIds, /\/latest\/?$/.test(op.path)).filter(
        (f) => queryParameter(op, f.param) || queryParameter(op, f.param.split('.')[0]),
      );
      const complements = complementCases(filters, items).map((c) => ({ lookup: 'complement', ...c }));
      const cases = [...filterCases(filters, items, depth), ...complements, ...sortCases(op)];
      const where = pointer(op, 'parameters');
      for (const c of cases) {
        rec.tally('catalogue', c.lookup);
        const got = await readAll(ctx, rec, op, c.params, budget);
        if (!got?.last) continue;
        const asked = (ps: [string, string][]) => ps.map(([k, v]) => `${k}=${v}`).join('&');
        const name = `query case [catalogue ${c.lookup}] ${asked(c.params)}${c.other ? ` | ${asked(c.other.params)}` : ''}`;
        if (c.other) {
          const rest = await readAll(ctx, rec, op, c.other.params, budget);
          if (rest?.last)
            rec.record(
              'filter_complete',
              complementProblems(name, items, { ...c, other: c.other }, got, rest, where),
              rest.last,
            );
          continue;
        }
        const want = items.filter((i) => c.judge(i) === true);
        const either = items.filter((i) => c.judge(i) === undefined);
        rec.record(
          c.lookup === 'sort' ? 'list_complete' : 'filter_complete',
          setProblems(name, want, either, got, where),
          got.last,
        );
        if (c.lookup === 'sort') {
          const term = c.params[0][1];
          const keyOf = SORT_KEYS[term.replace(/^-/, '')];
          if (keyOf)
            rec.record(
              'sort_honoured',
              orderProblems(name, got.items as Obj[], keyOf, term.startsWith('-'), where),
              got.last,
            );
        }
      }
      const geotag = queryParameter(op, 'geotag');
      if (geotag)
        await geotagCases(
          geotagChain(typeof geotag.description === 'string' ? geotag.description : undefined),
          items,
          filters.find((f) => f.param === 'kind'),
          depth,
          where,
          async (ps) => ((got) => (got?.truncated ? undefined : got))(await readAll(ctx, rec, op, ps, budget)),
          (lookup, problems, last) => (rec.tally('catalogue', lookup), rec.record('filter_complete', problems, last)),
        );
    },
  };
}

/** Whether a judgement separates the listing: some item surely in the answer, some surely not. */
const separates = (items: Obj[], judge: (i: Obj) => Tri) =>
  items.some((i) => judge(i) === true) && items.some((i) => judge(i) === false);

/** Per filter name: single values, two values OR-ed; then two names AND-ed (the first value of each). */
function filterCases(filters: KoordinatesFilter[], items: Obj[], depth: QueryDepth): DepthCase[] {
  const cases: DepthCase[] = [];
  const picks: { f: KoordinatesFilter; v: string }[] = [];
  for (const f of filters) {
    const values = f.values(items).filter((v) => separates(items, (i) => f.matches(i, v)));
    for (const v of values.slice(0, SINGLES[depth]))
      cases.push({ lookup: f.param, params: [[f.param, v]], judge: (i) => f.matches(i, v) });
    if (values.length) picks.push({ f, v: values[0] });
    const pair = values.filter((v) => f.pairable?.(v) ?? true).slice(0, 2);
    if (pair.length < 2) continue;
    const [v, w] = f.orPair?.(pair[0], pair[1]) ?? pair;
    const judge = (i: Obj) => triOr(f.matches(i, v), f.matches(i, w));
    if (separates(items, judge))
      cases.push({
        lookup: 'or',
        params: [
          [f.param, v],
          [f.param, w],
        ],
        judge,
      });
  }
  // quick: each name with the next; normal: with the next two; full: every pair
  const reach = depth === 'quick' ? 1 : depth === 'normal' ? 2 : picks.length;
  for (let a = 0; a < picks.length; a++)
    for (let b = a + 1; b < picks.length && b <= a + reach; b++) {
      const [x, y] = [picks[a], picks[b]];
      const judge = (i: Obj) => triAnd(x.f.matches(i, x.v), y.f.matches(i, y.v));
      // the second name must leave out some item the first lets in
      if (
        items.some((i) => judge(i) === true) &&
        items.some((i) => x.f.matches(i, x.v) && y.f.matches(i, y.v) === false)
      )
        cases.push({
          lookup: 'and',
          params: [
            [x.f.param, x.v],
            [y.f.param, y.v],
          ],
          judge,
        });
    }
  return cases;
}

/** Every `sort` choice of the contract: the same records as the listing, in the documented order. */
function sortCases(op: Operation): DepthCase[] {
  const choices = ((queryParameter(op, 'sort')?.schema as { enum?: unknown[] } | undefined)?.enum ?? []).map(String);
  return choices.map((s) => ({ lookup: 'sort', params: [['sort', s]], judge: () => true }));
}

function setProblems(name: string, want: Obj[], either: Obj[], got: Walked, where: string): Problem[] {
  const w = want.map(identity);
  const h = got.items.map(identity);
  const ok = new Set([...w, ...either.map(identity)]);
  const hs = new Set(h);
  const extra = h.filter((p) => !ok.has(p));
  const missing = w.filter((p) => !hs.has(p));
  const total = either.length ? got.total === h.length : got.total === w.length;
  if (!extra.length && !missing.length && total) return [];
  const list = (ids: string[]) =>
    `[${ids.slice(0, 12).join(', ')}${ids.length > 12 ? `, … ${ids.length - 12} more` : ''}]`;
  const open = either.length
    ? `, and any of ${either.length} items that do not show what it reads (pks ${list(either.map(identity).sort(byNumber))})`
    : '';
  return [
    {
      expected: `${name}: X-Resource-Range total ${either.length ? `${w.length}–${w.length + either.length}` : w.length}, pks ${list([...w].sort(byNumber))}${open}`,
      actual: `${extra.length ? `extra pks ${list(extra)}; ` : ''}${missing.length ? `missing pks ${list(missing)}; ` : ''}total ${got.total}, pks ${list([...h].sort(byNumber))}`,
      contractPath: where,
    },
  ];
}

const byNumber = (a: string, b: string) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0);

function orderProblems(
  name: string,
  items: Obj[],
  keyOf: (i: Obj) => string | number,
  desc: boolean,
  where: string,
): Problem[] {
  const cmps = [
    (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0),
    (a: string | number, b: string | number) =>
      typeof a === 'string' && typeof b === 'string' ? localeCompareStrings(a, b) : a < b ? -1 : a > b ? 1 : 0,
  ];
  const keys = items.map(keyOf);
  const ok = cmps.some((cmp) =>
    keys.every((k, i) => i === 0 || (desc ? cmp(keys[i - 1], k) >= 0 : cmp(keys[i - 1], k) <= 0)),
  );
  if (ok) return [];
  const at = keys.findIndex((k, i) => i > 0 && (desc ? cmps[0](keys[i - 1], k) < 0 : cmps[0](keys[i - 1], k) > 0));
  return [
    {
      expected: `${name}: pks in the documented order (ties in any order), e.g. pks [${[...items]
        .sort((a, b) => {
          const [x, y] = [keyOf(a), keyOf(b)];
          return (desc ? -1 : 1) * (x < y ? -1 : x > y ? 1 : 0);
        })
        .slice(0, 10)
        .map(identity)
        .join(', ')}]`,
      actual: `pks [${items.slice(0, 10).map(identity).join(', ')}, …] — ${identity(items[at - 1])} comes before ${identity(items[at])}`,
      contractPath: where,
    },
  ];
}

/** Every page of a catalogue query (within `budget` records), read-only; as an anonymous caller when asked. */
function readAll(
  ctx: RunContext,
  rec: CaseRecorder,
  op: Operation,
  params: [string, string][],
  budget: number,
  anonymous = false,
): Promise<Walked | undefined> {
  return readPages(
    (n) => {
      const query = new URLSearchParams([...params, ['page', String(n)], ['page_size', String(PAGE)]]).toString();
      return anonymous ? anonymousPage(ctx, rec, op, query) : firstPage(ctx, rec, op, query, EXPAND, false);
    },
    (x) => parseRange(x.response.headers['x-resource-range'])?.total,
    budget,
  );
}

/** A page as an anonymous caller sees it (undefined unless a 200 list). */
async function anonymousPage(ctx: RunContext, rec: CaseRecorder, op: Operation, query: string) {
  const x = await call(
    ctx,
    rec,
    op.api,
    { method: 'GET', path: `${op.path}?${query}`, op, headers: EXPAND, as: 'anonymous' },
    { schema: false },
  );
  const items = x.response.status === 200 ? listItems(listShape(op)!, x.response.json) : undefined;
  return items && { x, items };
}
