/**
 * The Koordinates catalogue's filter and sort cases (list-query-cases.ts asks for them): one value of each filter
 * whose field the detailed item (`Expand: list`) shows, an OR of two values, and the name sort both ways.
 */
import type { Operation } from '../contracts/route-table.js';
import { parseKoordinatesQuery, displayName, type KoordinatesItem } from '../apis/koordinates/query/index.js';
import type { Case } from './context.js';
import type { Problem } from './types.js';
import { pointer, queryParameter } from './contract-view.js';
import { opKey } from './http.js';
import { firstPage } from './list-cases.js';
import { fieldFilterProblems, keyOrderProblems } from './checks/query.js';
import { parseRange } from './checks/paging.js';
import { KOORDINATES_FILTERS } from './samples.js';
import { missingProblems, sameRecords } from './list-query-complete.js';

/** The catalogue's filters (on the detailed item shape, `Expand: list`) and its name sort. */
export function koordinatesCases(op: Operation, base: Omit<Case, 'id' | 'run'>): Case[] {
  const cases: Case[] = [];
  const where = pointer(op, 'parameters');
  const view = op.ext.view === 'latest' ? 'latest' : 'published';
  const expand = { Expand: 'list' };
  for (const f of KOORDINATES_FILTERS.filter((c) => queryParameter(op, c.param))) {
    cases.push({
      ...base,
      id: `${opKey(op)} · filter ${f.param}`,
      async run(ctx, rec) {
        const all = await firstPage(ctx, rec, op, `page_size=100`, expand);
        if (!all) return;
        const values = all.items.map((i) =>
          f.field
            .split('.')
            .reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), i),
        );
        const value = values.find((v, i) => v !== null && v !== undefined && values.some((w, j) => j !== i && w !== v));
        if (value === undefined) return void (rec.skipped = `no two items differ in ${f.field}: nothing to filter on`);
        const params = new URLSearchParams({ [f.param]: String(value), page_size: '100' });
        const parsed = parseKoordinatesQuery(params, view);
        if (!parsed.ok)
          return void (rec.skipped = `${f.param}=${String(value)} is not a valid filter: ${JSON.stringify(parsed.errors)}`);
        const got = await firstPage(ctx, rec, op, params.toString(), expand);
        if (!got) return;
        const asked = `${f.param}=${String(value)}`;
        rec.record('filter_honoured', fieldFilterProblems(got.items, f.field, [value], asked, where), got.x);
        const before = parseRange(all.x.response.headers['x-resource-range'])?.total;
        const after = parseRange(got.x.response.headers['x-resource-range'])?.total;
        if (before !== undefined && after !== undefined) {
          rec.record(
            'filter_honoured',
            after >= 1 && after < before
              ? []
              : [
                  {
                    expected: `1 ≤ total < ${before} for ${asked}`,
                    actual: `X-Resource-Range total = ${after}`,
                    contractPath: where,
                  },
                ],
            got.x,
          );
          // completeness: an OR of two values (the name repeated) holds exactly the records of each value
          const other = values.find(
            (v) => v !== null && v !== undefined && typeof v !== 'object' && String(v) !== String(value),
          );
          if (other === undefined) return;
          const single = await firstPage(
            ctx,
            rec,
            op,
            new URLSearchParams({ [f.param]: String(other), page_size: '100' }).toString(),
            expand,
          );
          const both = new URLSearchParams([
            [f.param, String(value)],
            [f.param, String(other)],
            ['page_size', '100'],
          ]);
          const or = single && (await firstPage(ctx, rec, op, both.toString(), expand));
          if (!single || !or) return;
          const orAsked = `${f.param}=${String(value)}&${f.param}=${String(other)}`;
          rec.record('filter_honoured', fieldFilterProblems(or.items, f.field, [value, other], orAsked, where), or.x);
          const t = (x: typeof or.x) => parseRange(x.response.headers['x-resource-range'])?.total;
          const [tOne, tOr] = [t(single.x), t(or.x)];
          if (tOne === undefined || tOr === undefined) return;
          const problems: Problem[] =
            tOr === after + tOne
              ? []
              : [
                  {
                    expected: `X-Resource-Range total of ${orAsked} = ${after} (${asked}) + ${tOne} (${f.param}=${String(other)})`,
                    actual: `total = ${tOr}`,
                    contractPath: where,
                  },
                ];
          if (!problems.length && tOr <= 100)
            problems.push(...missingProblems([...got.items, ...single.items], or.items, orAsked, where));
          rec.record('filter_complete', problems, or.x);
        }
      },
    });
  }
  const sort = queryParameter(op, 'sort');
  const choices = ((sort?.schema as { enum?: unknown[] } | undefined)?.enum ?? []) as string[];
  if (choices.includes('name') && choices.includes('-name')) {
    cases.push({
      ...base,
      id: `${opKey(op)} · sort`,
      async run(ctx, rec) {
        const plain = await firstPage(ctx, rec, op, `page_size=50`);
        if (!plain) return;
        for (const term of ['name', '-name']) {
          const got = await firstPage(ctx, rec, op, `sort=${term}&page_size=50`);
          if (!got) return;
          const keys = got.items.map((i) => displayName(i as KoordinatesItem).toLowerCase());
          rec.record('sort_honoured', keyOrderProblems(keys, term.startsWith('-'), `sort=${term}`, where), got.x);
          rec.record('list_complete', sameRecords(plain, got, `sort=${term}`, 50, where), got.x);
        }
      },
    });
  }
  return cases;
}
