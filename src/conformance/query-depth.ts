/**
 * `· query depth` cases: the dynamic-rest query language checked in depth against the target's own data. The list
 * is read once, read-only (pages walked within `--query-budget` records); cases are generated from those items
 * (query-depth-gen.ts); each is asked of the target and its whole answer (every page) compared with the oracle:
 * geostub's own evaluator over the unfiltered items. Sound (no extra record), complete (no missing record, the
 * same `total`) and, for sorts, in order within the sort keys (ties free; en-US or C collation).
 */
import { queryFieldSchema } from '../contracts/query-schema.js';
import type { Operation } from '../contracts/route-table.js';
import { codeUnitCompareStrings, localeCompareStrings, type FieldSchema } from '../query/dynamic-rest/index.js';
import type { Case, RunContext } from './context.js';
import type { CaseRecorder } from './recorder.js';
import type { CheckedExchange, Problem } from './types.js';
import { listShape, pointer, queryParameter } from './contract-view.js';
import { opKey } from './http.js';
import { firstPage } from './list-cases.js';
import { isSorted } from './checks/query.js';
import { identity } from './checks/paging.js';
import { generateQueryCases, QueryOracle, type QueryCase, type QueryDepth } from './query-depth-gen.js';

type Obj = Record<string, unknown>;
const PAGE = 100;
export const DEFAULT_QUERY_BUDGET = 1000;

const filterable = (op: Operation) =>
  typeof op.ext['query-pattern'] === 'string' && String(op.ext['query-pattern']).startsWith('filter');

/** One depth case per GeoNode list operation whose contract describes dynamic-rest filters. */
export function queryDepthCase(op: Operation): Case | undefined {
  const shape = listShape(op);
  if (!shape?.itemSchema || shape.kind !== 'envelope' || op.method !== 'get' || !filterable(op)) return undefined;
  const schema = queryFieldSchema(op.contract, shape.itemSchema, shape.key ?? 'item');
  return {
    id: `${opKey(op)} · query depth`,
    kind: 'operation',
    api: op.api,
    ops: [op],
    writes: false,
    async run(ctx, rec) {
      const depth: QueryDepth = ctx.options.queryDepth ?? 'normal';
      const budget = ctx.options.queryBudget ?? DEFAULT_QUERY_BUDGET;
      const all = await readAll(ctx, rec, op, [], budget);
      if (!all) return;
      if (all.truncated)
        return void (rec.skipped = `the list holds ${all.total} records, more than --query-budget ${budget}: raise the budget to check it in depth`);
      if (all.items.length < 3)
        return void (rec.skipped = `the list holds ${all.items.length} records: too few to separate matching from non-matching ones`);
      const items = all.items.filter((i): i is Obj => !!i && typeof i === 'object');
      const oracles = [
        new QueryOracle(schema, items, localeCompareStrings),
        new QueryOracle(schema, items, codeUnitCompareStrings),
      ];
      const cases = generateQueryCases(oracles[0], depth, {
        search: !!queryParameter(op, 'search'),
        sort: !!queryParameter(op, 'sort[]'),
      });
      if (!cases.length) return void (rec.skipped = 'no field of the items separates them: nothing to query');
      for (const c of cases) await runQueryCase(ctx, rec, op, schema, c, oracles, budget);
    },
  };
}

export interface Walked {
  items: unknown[];
  total: number;
  truncated: boolean;
  last?: CheckedExchange;
}

/**
 * Every page of a query, within `budget` records: `page(n)` reads page n (undefined: not a list answer) and
 * `totalOf` reads the total the answer announces (GeoNode in its body, the catalogue in `X-Resource-Range`).
 */
export async function readPages(
  page: (n: number) => Promise<{ items: unknown[]; x: CheckedExchange } | undefined>,
  totalOf: (x: CheckedExchange) => number | undefined,
  budget: number,
): Promise<Walked | undefined> {
  const items: unknown[] = [];
  for (let n = 1; ; n++) {
    const got = await page(n);
    if (!got) return undefined;
    const total = totalOf(got.x) ?? items.length + got.items.length;
    items.push(...got.items);
    if (items.length >= total || !got.items.length) return { items, total, truncated: false, last: got.x };
    if (items.length >= budget) return { items, total, truncated: true, last: got.x };
  }
}

/** Every page of a GeoNode query (within `budget` records), read-only. */
function readAll(
  ctx: RunContext,
  rec: CaseRecorder,
  op: Operation,
  params: [string, string][],
  budget: number,
): Promise<Walked | undefined> {
  return readPages(
    (n) => {
      const q = new URLSearchParams([...params, ['page', String(n)], ['page_size', String(PAGE)]]);
      return firstPage(ctx, rec, op, q.toString(), undefined, false);
    },
    (x) => {
      const t = (x.response.json as { total?: unknown }).total;
      return typeof t === 'number' ? t : undefined;
    },
    budget,
  );
}

const pks = (items: unknown[]) => items.map(identity);
const list = (ids: string[], max = 12) =>
  `[${ids.slice(0, max).join(', ')}${ids.length > max ? `, … ${ids.length - max} more` : ''}]`;

async function runQueryCase(
  ctx: RunContext,
  rec: CaseRecorder,
  op: Operation,
  schema: FieldSchema,
  c: QueryCase,
  oracles: QueryOracle[],
  budget: number,
) {
  rec.tally(c.kind, c.lookup);
  const where = pointer(op, 'parameters');
  const got = await readAll(ctx, rec, op, c.params, budget);
  if (!got || !got.last) return;
  const answers = oracles.map((o) => o.run(c.params)).filter((a): a is Obj[] => !!a);
  if (!answers.length) return;
  const have = pks(got.items);
  const haveSet = new Set(have);
  // the oracle's answer closest to what came back (the collations differ only on text order)
  const score = (a: Obj[]) => {
    const want = new Set(pks(a));
    return have.filter((p) => !want.has(p)).length + [...want].filter((p) => !haveSet.has(p)).length;
  };
  const best = answers.reduce((a, b) => (score(b) < score(a) ? b : a));
  const want = pks(best);
  const wantSet = new Set(want);
  const extra = have.filter((p) => !wantSet.has(p));
  const missing = want.filter((p) => !haveSet.has(p));
  const head = `query case [${c.kind} ${c.lookup}] ${c.name}`;
  const expected = `${head}: total ${want.length}, pks ${list([...want].sort(byNumber))}`;
  const sound: Problem[] = extra.length
    ? [
        {
          expected,
          actual: `extra pks ${list(extra)} (total ${got.total}, pks ${list([...have].sort(byNumber))})`,
          contractPath: where,
        },
      ]
    : [];
  const complete: Problem[] =
    missing.length || got.total !== want.length
      ? [
          {
            expected,
            actual: `${missing.length ? `missing pks ${list(missing)}; ` : ''}total ${got.total}, pks ${list([...have].sort(byNumber))}`,
            contractPath: where,
          },
        ]
      : [];
  if (c.kind === 'sort') {
    rec.record('list_complete', [...sound, ...complete], got.last);
    const terms = oracles[0].parse(c.params)?.sort ?? [];
    const ordered = isSorted(got.items, terms);
    rec.record(
      'sort_honoured',
      ordered
        ? []
        : [
            {
              expected: `${head}: pks in the order of the sort keys (ties in any order), e.g. pks ${list(want, 10)}`,
              actual: `pks ${list(have, 10)} in this order${firstDisorder(got.items, terms)}`,
              contractPath: where,
            },
          ],
      got.last,
    );
    return;
  }
  rec.record('filter_honoured', sound, got.last);
  rec.record('filter_complete', complete, got.last);
}

const byNumber = (a: string, b: string) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0);

/** Where the order first breaks (the two neighbours). */
function firstDisorder(items: unknown[], terms: Parameters<typeof isSorted>[1]): string {
  for (let i = 1; i < items.length; i++)
    if (!isSorted([items[i - 1], items[i]], terms))
      return ` — ${identity(items[i - 1])} comes before ${identity(items[i])}`;
  return '';
}
