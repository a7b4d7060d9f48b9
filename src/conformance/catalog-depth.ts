/**
 * `· query depth` for the Koordinates catalogue list: every filter of the seed whose field the detailed item
 * (`Expand: list`) shows, one value, two values of one name (OR), two names (AND), every `sort` choice — each answer
 * (every page) compared with the unfiltered listing read at the start: the same records, the same
 * X-Resource-Range total, and for sorts the documented order (ties free).
 */
import type { Operation } from '../contracts/route-table.js';
import { normaliseTag } from '../apis/koordinates/query/parse.js';
import { localeCompareStrings } from '../query/dynamic-rest/index.js';
import type { Case, RunContext } from './context.js';
import type { CaseRecorder } from './recorder.js';
import type { Exchange, Problem } from './types.js';
import { listShape, pointer, queryParameter } from './contract-view.js';
import { opKey } from './http.js';
import { firstPage } from './list-cases.js';
import { identity, parseRange } from './checks/paging.js';
import type { QueryDepth } from './query-depth-gen.js';

type Obj = Record<string, unknown>;
const PAGE = 100;
const EXPAND = { Expand: 'list' };

const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const obj = (v: unknown) => (v && typeof v === 'object' ? (v as Obj) : {});
const under = (values: string[], wanted: string) =>
  values.some((p) => p.toLowerCase() === wanted || p.toLowerCase().startsWith(`${wanted}/`));

/** A filter name, the values an item offers for it, and whether an item matches a value (the catalogue's rule). */
interface Filter {
  param: string;
  offered(i: Obj): string[];
  matches(i: Obj, v: string): boolean;
}
const ms = (v: unknown) => Date.parse(String(v));
// license and the date filters read the stored item, which the rendered one does not show faithfully (a rendered
// item's license and dates are its shown version's), so the runner cannot compute their answer from the listing
const FILTERS: Filter[] = [
  { param: 'kind', offered: (i) => [str(i.kind)].filter((x): x is string => !!x), matches: (i, v) => i.kind === v },
  {
    param: 'group',
    offered: (i) => [str(obj(i.group).id)].filter((x): x is string => !!x),
    matches: (i, v) => str(obj(i.group).id) === v,
  },
  {
    param: 'category',
    offered: (i) => ((i.categories as Obj[] | undefined) ?? []).map((c) => String(c.slug).split('/')[0]),
    matches: (i, v) =>
      under(
        ((i.categories as Obj[] | undefined) ?? []).map((c) => String(c.slug)),
        v,
      ),
  },
  {
    param: 'tag',
    offered: (i) => ((i.tags as string[] | undefined) ?? []).map(normaliseTag),
    matches: (i, v) => ((i.tags as string[] | undefined) ?? []).map(normaliseTag).includes(v),
  },
];

/** The documented order of each `sort` choice, as a key and a direction (undefined: the item does not show the key). */
const SORT_KEYS: Record<string, ((i: Obj) => string | number) | undefined> = {
  name: (i) => String(i.title ?? i.name ?? '').toLowerCase(),
  created_at: (i) => -ms(i.created_at),
  updated_at: (i) => -ms(i.updated_at),
  popularity: undefined,
};

export function catalogDepthCase(op: Operation): Case | undefined {
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
      const where = pointer(op, 'parameters');
      const cases: { lookup: string; params: [string, string][]; want: Obj[] }[] = [];
      const picks: { f: Filter; v: string; w: string | undefined }[] = [];
      for (const f of FILTERS.filter((x) => queryParameter(op, x.param.split('.')[0]) || queryParameter(op, x.param))) {
        const counts = new Map<string, number>();
        for (const i of items) for (const v of new Set(f.offered(i))) counts.set(v, (counts.get(v) ?? 0) + 1);
        const values = [...counts.keys()].filter((v) => {
          const n = items.filter((i) => f.matches(i, v)).length;
          return n > 0 && n < items.length;
        });
        if (f.param.includes('_at.')) values.sort();
        const v = f.param.includes('_at.') ? values[Math.floor(values.length / 2)] : values[0];
        if (v === undefined) continue;
        const w = values.find((x) => x !== v && !f.param.includes('_at.'));
        picks.push({ f, v, w });
        cases.push({ lookup: f.param, params: [[f.param, v]], want: items.filter((i) => f.matches(i, v)) });
        if (w !== undefined)
          cases.push({
            lookup: 'or',
            params: [
              [f.param, v],
              [f.param, w],
            ],
            want: items.filter((i) => f.matches(i, v) || f.matches(i, w)),
          });
      }
      for (let a = 0; a < picks.length; a++)
        for (let b = a + 1; b < picks.length && (depth !== 'quick' || b === a + 1); b++) {
          const [x, y] = [picks[a], picks[b]];
          const want = items.filter((i) => x.f.matches(i, x.v) && y.f.matches(i, y.v));
          if (want.length && want.length < items.filter((i) => x.f.matches(i, x.v)).length)
            cases.push({
              lookup: 'and',
              params: [
                [x.f.param, x.v],
                [y.f.param, y.v],
              ],
              want,
            });
        }
      const choices = ((queryParameter(op, 'sort')?.schema as { enum?: unknown[] } | undefined)?.enum ?? []).map(
        String,
      );
      for (const s of choices) cases.push({ lookup: 'sort', params: [['sort', s]], want: items });
      for (const c of cases) {
        rec.tally('catalogue', c.lookup);
        const got = await readAll(ctx, rec, op, c.params, budget);
        if (!got?.last) continue;
        const name = `query case [catalogue ${c.lookup}] ${c.params.map(([k, v]) => `${k}=${v}`).join('&')}`;
        rec.record(
          c.lookup === 'sort' ? 'list_complete' : 'filter_complete',
          setProblems(name, c.want, got, where),
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
    },
  };
}

function setProblems(name: string, want: Obj[], got: Walked, where: string): Problem[] {
  const w = want.map(identity);
  const h = got.items.map(identity);
  const ws = new Set(w);
  const hs = new Set(h);
  const extra = h.filter((p) => !ws.has(p));
  const missing = w.filter((p) => !hs.has(p));
  if (!extra.length && !missing.length && got.total === w.length) return [];
  const list = (ids: string[]) =>
    `[${ids.slice(0, 12).join(', ')}${ids.length > 12 ? `, … ${ids.length - 12} more` : ''}]`;
  return [
    {
      expected: `${name}: X-Resource-Range total ${w.length}, pks ${list([...w].sort())}`,
      actual: `${extra.length ? `extra pks ${list(extra)}; ` : ''}${missing.length ? `missing pks ${list(missing)}; ` : ''}total ${got.total}`,
      contractPath: where,
    },
  ];
}

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

interface Walked {
  items: unknown[];
  total: number;
  truncated: boolean;
  last?: Exchange;
}

async function readAll(
  ctx: RunContext,
  rec: CaseRecorder,
  op: Operation,
  params: [string, string][],
  budget: number,
): Promise<Walked | undefined> {
  const items: unknown[] = [];
  let last: Exchange | undefined;
  for (let page = 1; ; page++) {
    const got = await firstPage(
      ctx,
      rec,
      op,
      new URLSearchParams([...params, ['page', String(page)], ['page_size', String(PAGE)]]).toString(),
      EXPAND,
      false,
    );
    if (!got) return undefined;
    last = got.x;
    const total = parseRange(got.x.response.headers['x-resource-range'])?.total ?? items.length + got.items.length;
    items.push(...got.items);
    if (items.length >= total || !got.items.length) return { items, total, truncated: false, last };
    if (items.length >= budget) return { items, total, truncated: true, last };
  }
}
