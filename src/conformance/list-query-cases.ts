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
import type { Case } from './context.js';
import { componentSchema, listShape, pointer, queryParameter } from './contract-view.js';
import { opKey } from './http.js';
import { firstPage } from './list-cases.js';
import { filterProblems, projectionProblems, sortProblems } from './checks/query.js';
import { koordinatesCases } from './list-query-koordinates.js';
import { filterCompleteness, sameRecords } from './list-query-complete.js';

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
