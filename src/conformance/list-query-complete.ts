/**
 * Completeness of the list cases (list-query-cases.ts): a filter answers every record that matches (a negation
 * and its positive add up to the whole list; an OR of two values holds the records of each), and a sort or a field
 * selection answers the same records as the plain list.
 */
import type { Operation } from '../contracts/route-table.js';
import { parseDynamicQuery, type FieldSchema } from '../query/dynamic-rest/index.js';
import type { RunContext } from './context.js';
import type { CaseRecorder } from './recorder.js';
import type { CheckedExchange, Problem } from './types.js';
import { firstPage } from './list-cases.js';
import { filterProblems } from './checks/query.js';
import { identity, parseRange } from './checks/paging.js';

/** `filter_complete`: items of `expected` (by identity) that `got` lacks. */
export function missingProblems(expected: unknown[], got: unknown[], asked: string, where: string): Problem[] {
  const have = new Set(got.map(identity));
  const missing = [...new Set(expected.map(identity))].filter((id) => !have.has(id));
  return missing.length
    ? [
        {
          expected: `every record that matches one of the values is in the answer to ${asked}`,
          actual: `missing: ${missing.slice(0, 5).join(', ')}`,
          contractPath: where,
        },
      ]
    : [];
}

const WIDE = 100;

/** A list's total: the envelope's `total`, or `X-Resource-Range`'s. */
function listTotal(x: { response: { json: unknown; headers: Record<string, string> } }): number | undefined {
  const t = (x.response.json as { total?: unknown } | undefined)?.total;
  return typeof t === 'number' ? t : parseRange(x.response.headers['x-resource-range'])?.total;
}

/**
 * `list_complete`: a sort or a field selection changes how records look or in which order they come, never which
 * records the list holds: the same total as the plain list, and (when `pageSize` pages hold the whole list) the
 * same records.
 */
export function sameRecords(
  plain: { x: CheckedExchange; items: unknown[] },
  got: { x: CheckedExchange; items: unknown[] },
  asked: string,
  pageSize: number,
  where: string,
): Problem[] {
  const [before, after] = [listTotal(plain.x), listTotal(got.x)];
  if (before === undefined || after === undefined) return [];
  if (before !== after)
    return [
      {
        expected: `${asked} answers the same ${before} records as the list without it`,
        actual: `total = ${after}`,
        contractPath: where,
      },
    ];
  if (before > pageSize || plain.items.length !== before) return [];
  return missingProblems(plain.items, got.items, asked, where).map((p) => ({
    ...p,
    expected: `${asked} answers every record of the list without it`,
  }));
}

/**
 * `filter_complete` for GeoNode's filter{}: every record that matches is returned, not only matching records. A
 * negation and its positive add up to the unfiltered total (Django's exclude() keeps NULLs, so they do); an `.in`
 * of two values holds exactly the records of each value (their totals add up, and each value's records are there).
 */
export async function filterCompleteness(
  ctx: RunContext,
  rec: CaseRecorder,
  op: Operation,
  schema: FieldSchema,
  pick: { field: string; value: string | number | boolean },
  other: string | number | undefined,
  known: { all: number; one: number; items?: unknown[] },
  where: string,
): Promise<void> {
  const f = pick.field;
  const v = String(pick.value);
  const totalOf = async (params: URLSearchParams) => {
    params.set('page_size', String(WIDE));
    const got = await firstPage(ctx, rec, op, params.toString());
    const total = (got?.x.response.json as { total?: unknown } | undefined)?.total;
    return got && typeof total === 'number' ? { ...got, total } : undefined;
  };
  const negation = new URLSearchParams({ [`filter{-${f}}`]: v });
  const parsedNeg = parseDynamicQuery(negation, schema, { presets: null });
  if (parsedNeg.ok) {
    const asked = `filter{-${f}}=${v}`;
    const neg = await totalOf(negation);
    if (!neg) return;
    rec.record('filter_honoured', filterProblems(neg.items, parsedNeg.query, asked, where), neg.x);
    rec.record(
      'filter_complete',
      neg.total + known.one === known.all
        ? []
        : [
            {
              expected: `total of ${asked} + total of filter{${f}}=${v} (${known.one}) = the unfiltered total ${known.all}`,
              actual: `${neg.total} + ${known.one} = ${neg.total + known.one}`,
              contractPath: where,
            },
          ],
      neg.x,
    );
  }
  if (other === undefined) return;
  const single = await totalOf(new URLSearchParams({ [`filter{${f}}`]: String(other) }));
  if (!single) return;
  const or = new URLSearchParams([
    [`filter{${f}.in}`, v],
    [`filter{${f}.in}`, String(other)],
  ]);
  const parsedOr = parseDynamicQuery(or, schema, { presets: null });
  if (!parsedOr.ok) return;
  const asked = `filter{${f}.in}=${v}&filter{${f}.in}=${String(other)}`;
  const got = await totalOf(or);
  if (!got) return;
  rec.record('filter_honoured', filterProblems(got.items, parsedOr.query, asked, where), got.x);
  const problems: Problem[] =
    got.total === known.one + single.total
      ? []
      : [
          {
            expected: `total of ${asked} = ${known.one} (filter{${f}}=${v}) + ${single.total} (filter{${f}}=${String(other)})`,
            actual: `total = ${got.total}`,
            contractPath: where,
          },
        ];
  if (!problems.length && got.total <= WIDE)
    problems.push(
      ...missingProblems(
        [...(known.items ?? []), ...(single.total <= WIDE ? single.items : [])],
        got.items,
        asked,
        where,
      ),
    );
  rec.record('filter_complete', problems, got.x);
}
