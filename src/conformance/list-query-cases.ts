/**
 * Filter, sort and field-selection cases for list operations. The runner picks a field and a value from what the
 * target itself returns (a field whose value differs between two items, so an ignored filter shows), asks again
 * with the filter or sort, and evaluates the answer with the mock's own pure query modules.
 */
import { queryFieldSchema } from '../contracts/query-schema.js';
import type { Operation } from '../contracts/route-table.js';
import {
  buildRequestFields,
  expandPresets,
  GEONODE_PRESETS,
  parseDynamicQuery,
  parseSort,
  type FieldSchema,
} from '../query/dynamic-rest/index.js';
import { parseKoordinatesQuery, displayName, type KoordinatesItem } from '../apis/koordinates/query/index.js';
import type { Case, RunContext } from './context.js';
import type { CaseRecorder } from './recorder.js';
import type { CheckedExchange, Problem } from './types.js';
import { componentSchema, listShape, pointer, queryParameter } from './contract-view.js';
import { opKey } from './http.js';
import { firstPage } from './list-cases.js';
import {
  fieldFilterProblems,
  filterProblems,
  keyOrderProblems,
  projectionProblems,
  sortProblems,
} from './checks/query.js';
import { identity, parseRange } from './checks/paging.js';
import { KOORDINATES_FILTERS } from './samples.js';

const SAMPLE = 20;
const SCALAR = new Set(['string', 'integer', 'boolean']);

function fieldSchemaOf(op: Operation): FieldSchema | undefined {
  const shape = listShape(op);
  return shape?.itemSchema
    ? queryFieldSchema(op.contract, shape.itemSchema, shape.kind === 'envelope' ? shape.key : 'item')
    : undefined;
}

/** Fields a filter or sort may safely use: plain scalars, not deferred, not URLs, not the id. */
function plainFields(op: Operation, schema: FieldSchema, types: Set<string>): string[] {
  const props = (componentSchema(op, listShape(op)!.itemSchema!)?.properties ?? {}) as Record<
    string,
    { format?: string }
  >;
  return Object.entries(schema.fields)
    .filter(([name, spec]) => types.has(spec.type) && !spec.deferred && !spec.nested && name !== 'pk' && name !== 'id')
    .filter(([name]) => props[name]?.format !== 'uri' && !/(_url|link|uuid)$/.test(name))
    .map(([name]) => name);
}

/** A field whose value differs between two of the items, with the first item's value. */
function varyingField(
  items: unknown[],
  fields: string[],
): { field: string; value: string | number | boolean } | undefined {
  const recs = items.filter((i): i is Record<string, unknown> => !!i && typeof i === 'object');
  for (const field of fields) {
    const v = recs[0]?.[field];
    if (v === null || v === undefined || typeof v === 'object' || v === '') continue;
    if (typeof v === 'string' && (v.length > 80 || /[\n\r]/.test(v))) continue;
    if (recs.some((r) => r[field] !== v && r[field] !== null && r[field] !== undefined))
      return { field, value: v as string | number | boolean };
  }
  return undefined;
}

const hasFilterKeys = (op: Operation) =>
  typeof op.ext['query-pattern'] === 'string' && String(op.ext['query-pattern']).startsWith('filter');

export function listQueryCases(op: Operation): Case[] {
  const shape = listShape(op);
  if (!shape?.itemSchema || op.method !== 'get') return [];
  const cases: Case[] = [];
  const base = { kind: 'operation' as const, api: op.api, ops: [op], writes: false };
  const where = pointer(op, 'parameters');
  const schema = shape.kind === 'envelope' ? fieldSchemaOf(op) : undefined;
  if (schema && hasFilterKeys(op)) {
    cases.push({
      ...base,
      id: `${opKey(op)} · filter`,
      async run(ctx, rec) {
        const all = await firstPage(ctx, rec, op, `page_size=${SAMPLE}`);
        if (!all) return;
        const pick = varyingField(all.items, plainFields(op, schema, SCALAR));
        if (!pick) return void (rec.skipped = 'no field varies across the first items: nothing to filter on');
        const params = new URLSearchParams({
          [`filter{${pick.field}}`]: String(pick.value),
          page_size: String(SAMPLE),
        });
        const parsed = parseDynamicQuery(params, schema, { presets: null });
        if (!parsed.ok)
          return void (rec.skipped = `the contract's field schema rejects filter{${pick.field}}: ${parsed.error.message}`);
        const asked = `filter{${pick.field}}=${String(pick.value)}`;
        const got = await firstPage(ctx, rec, op, params.toString());
        if (!got) return;
        rec.record('filter_honoured', filterProblems(got.items, parsed.query, asked, where), got.x);
        const total = (got.x.response.json as { total?: unknown }).total;
        const before = (all.x.response.json as { total?: unknown }).total;
        if (typeof total === 'number' && typeof before === 'number') {
          rec.record(
            'filter_honoured',
            total >= 1 && total < before
              ? []
              : [
                  {
                    expected: `1 ≤ total < ${before} for ${asked} (one listed item matches, another does not)`,
                    actual: `total = ${total}`,
                    contractPath: where,
                  },
                ],
            got.x,
          );
          await filterCompleteness(
            ctx,
            rec,
            op,
            schema,
            pick,
            secondValue(all.items, pick),
            { all: before, one: total, items: total <= SAMPLE ? got.items : undefined },
            where,
          );
        }
      },
    });
  }
  if (schema && queryParameter(op, 'sort[]')) {
    cases.push({
      ...base,
      id: `${opKey(op)} · sort`,
      async run(ctx, rec) {
        const all = await firstPage(ctx, rec, op, `page_size=${SAMPLE}`);
        if (!all) return;
        const pick = varyingField(all.items, plainFields(op, schema, new Set([...SCALAR, 'datetime'])));
        if (!pick) return void (rec.skipped = 'no field varies across the first items: nothing to sort on');
        for (const term of [pick.field, `-${pick.field}`]) {
          const got = await firstPage(ctx, rec, op, `sort[]=${encodeURIComponent(term)}&page_size=${SAMPLE}`);
          if (!got) return;
          rec.record(
            'sort_honoured',
            sortProblems(got.items, parseSort([term], schema), `sort[]=${term}`, where),
            got.x,
          );
          rec.record('list_complete', sameRecords(all, got, `sort[]=${term}`, SAMPLE, where), got.x);
        }
      },
    });
  }
  if (schema && queryParameter(op, 'include[]')) {
    cases.push({
      ...base,
      id: `${opKey(op)} · include/exclude`,
      async run(ctx, rec) {
        const deferred = Object.entries(schema.fields)
          .filter(([, s]) => s.deferred)
          .map(([f]) => f);
        const plain = await firstPage(ctx, rec, op, `page_size=5`);
        if (!plain) return;
        if (deferred.length) {
          const f = deferred[0];
          rec.record(
            'include_exclude',
            projectionProblems(plain.items, null, schema, [], 'the default field set', where),
            plain.x,
          );
          const got = await firstPage(ctx, rec, op, `include[]=${encodeURIComponent(f)}&page_size=5`);
          if (got)
            rec.record(
              'include_exclude',
              projectionProblems(got.items, buildRequestFields([f], []), schema, [f], `include[]=${f}`, where),
              got.x,
            );
          if (got) rec.record('list_complete', sameRecords(plain, got, `include[]=${f}`, 0, where), got.x);
        }
        const present = plainFields(op, schema, SCALAR).find((f) =>
          plain.items.every((i) => i && typeof i === 'object' && f in i),
        );
        if (!present) return;
        const got = await firstPage(
          ctx,
          rec,
          op,
          `exclude[]=${encodeURIComponent(present)}&page_size=5`,
          undefined,
          false,
        );
        if (got)
          rec.record(
            'include_exclude',
            projectionProblems(got.items, buildRequestFields([], [present]), schema, [], `exclude[]=${present}`, where),
            got.x,
          );
        if (got) rec.record('list_complete', sameRecords(plain, got, `exclude[]=${present}`, 0, where), got.x);
      },
    });
  }
  if (schema && queryParameter(op, 'api_preset')) {
    const preset = Object.keys(GEONODE_PRESETS)[0];
    cases.push({
      ...base,
      id: `${opKey(op)} · api_preset`,
      async run(ctx, rec) {
        const plain = await firstPage(ctx, rec, op, `page_size=5`);
        const got = plain && (await firstPage(ctx, rec, op, `api_preset=${preset}&page_size=5`, undefined, false));
        if (!got) return;
        rec.record('list_complete', sameRecords(plain, got, `api_preset=${preset}`, 0, where), got.x);
        const { include, exclude } = expandPresets([preset], [], [], GEONODE_PRESETS);
        rec.record(
          'api_preset',
          projectionProblems(
            got.items,
            buildRequestFields(include, exclude),
            schema,
            include.filter((f) => f !== '*'),
            `api_preset=${preset}`,
            where,
          ),
          got.x,
        );
      },
    });
  }
  if (shape.kind === 'array') cases.push(...koordinatesCases(op, base));
  return cases;
}

/** Another value of the picked field among the items (a plain one: no comma, which `.in` could split), if any. */
function secondValue(
  items: unknown[],
  pick: { field: string; value: string | number | boolean },
): string | number | undefined {
  if (typeof pick.value === 'boolean') return undefined; // `.in` of true and false is a 400 in dynamic-rest (filters.py:164)
  for (const i of items) {
    const v = (i as Record<string, unknown> | null)?.[pick.field];
    if (
      (typeof v === 'string' || typeof v === 'number') &&
      String(v) !== String(pick.value) &&
      !String(v).includes(',') &&
      v !== '' &&
      String(v).length <= 80 &&
      !/[\n\r]/.test(String(v))
    )
      return v;
  }
  return undefined;
}

/** `filter_complete`: items of `expected` (by identity) that `got` lacks. */
function missingProblems(expected: unknown[], got: unknown[], asked: string, where: string): Problem[] {
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
function sameRecords(
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
async function filterCompleteness(
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

/** The catalogue's filters (on the detailed item shape, `Expand: list`) and its name sort. */
function koordinatesCases(op: Operation, base: Omit<Case, 'id' | 'run'>): Case[] {
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
