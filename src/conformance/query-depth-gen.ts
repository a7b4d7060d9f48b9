/**
 * Query cases generated from a list's own data (`--query-depth`): per field kind the items have (string,
 * integer-in-a-string, date-time, boolean, to-one and to-many relation) × the dynamic-rest lookups, with values read
 * from the items so that each case separates matching from non-matching items; negations, two-condition
 * combinations (two on one to-many path too), the JSON `filter{}` form, `.in` with several values, `search` +
 * `search_fields`, and sorts by one to three keys with ties. Pure: items and a field schema in, cases out.
 */
import type { FieldSchema, FieldSpec } from '../query/dynamic-rest/index.js';
import {
  at,
  clean,
  fragments,
  key,
  mapWhere,
  swapCase,
  valuesOf,
  type Add,
  type FieldKind,
  type FieldRef,
  type Obj,
  type QueryCase,
  type QueryDepth,
  QueryOracle,
} from './query-oracle.js';
import { combinationCases, searchCases, sortCases } from './query-depth-combos.js';

export {
  QueryOracle,
  QUERY_DEPTHS,
  splitRows,
  type QueryCase,
  type QueryDepth,
  type FieldKind,
} from './query-oracle.js';

const LIMITS: Record<QueryDepth, { fields: number; values: number }> = {
  quick: { fields: 1, values: 1 },
  normal: { fields: 2, values: 1 },
  full: { fields: 99, values: 2 },
};
/** lookups run at `quick` depth (the others from `normal` on) */
const QUICK = new Set([
  'eq',
  'icontains',
  'contains',
  'gt',
  'in',
  'isnull',
  'not',
  'same-row',
  'and',
  'json',
  'sort-2',
  'search',
]);

const SKIP_NAME = /(_url|link|links|uuid|thumbnail|blob|srid|bbox|polygon|extent|html|template)$/i;
/**
 * Serializer method fields: rendered, but not model columns, so a filter on them is no test of the query language
 * (`favorite` is per caller; `tkeywords` has its own filter backend). URL-valued fields are rendered from a column
 * with the site's address added (`href`, `logo`, `download_urls.url`): their rendered text is not the column's.
 */
const NOT_COLUMNS = new Set(['tkeywords', 'favorite']);
const isUrl = (v: unknown) => typeof v === 'string' && /^(https?:)?\/\//i.test(v);

/** The filterable fields of the items, by kind: top-level scalars, to-one and to-many relations' scalar fields. */
export function fieldsByKind(schema: FieldSchema, items: Obj[]): FieldRef[] {
  const present = (name: string) => items.some((i) => name in i);
  const out: FieldRef[] = [];
  for (const [name, spec] of Object.entries(schema.fields)) {
    if (
      spec.deferred ||
      !present(name) ||
      SKIP_NAME.test(name) ||
      NOT_COLUMNS.has(name) ||
      items.some((i) => isUrl(i[name]))
    )
      continue;
    if (spec.nested) {
      const kind: FieldKind = spec.many ? 'to-many' : 'to-one';
      if (!spec.many && items.some((i) => i[name] && typeof i[name] === 'object' && 'pk' in (i[name] as Obj)))
        out.push({ path: [name], kind, spec, ref: true });
      for (const [sub, s] of Object.entries(spec.nested.fields)) {
        if (
          s.nested ||
          s.deferred ||
          s.type !== 'string' ||
          s.column ||
          SKIP_NAME.test(sub) ||
          sub === 'pk' ||
          sub === 'id'
        )
          continue;
        if (
          !items.some((i) => at(i, [name, sub]).some((v) => typeof v === 'string' && v !== '')) ||
          items.some((i) => at(i, [name, sub]).some(isUrl))
        )
          continue;
        out.push({ path: [name, sub], kind, spec: s });
      }
      continue;
    }
    const kind = kindOf(spec, name);
    if (kind) out.push({ path: [name], kind, spec });
  }
  return out;
}

function kindOf(spec: FieldSpec, name: string): FieldKind | undefined {
  if (spec.type === 'boolean' || spec.column === 'boolean') return 'boolean';
  if (spec.type === 'datetime' || spec.column === 'datetime') return 'datetime';
  // an integer column is what the contract marks `x-geostub-column: integer`, or a pk; other integers may be computed
  // (a category's `count` is a serializer method field: not a column, nothing to filter)
  if (spec.column === 'integer' || (spec.type === 'integer' && name === 'pk')) return 'integer';
  if (spec.type === 'string' && (!spec.column || spec.column === 'text')) return 'string';
  return undefined;
}

/** A Where with every condition changed by `f` (the oracle's twisted twins: what a wrong server would answer). */
export function generateQueryCases(
  oracle: QueryOracle,
  depth: QueryDepth,
  opts: { search: boolean; sort: boolean },
): QueryCase[] {
  const { items } = oracle;
  const limits = LIMITS[depth];
  const cases: QueryCase[] = [];
  const seen = new Set<string>();
  const add = (kind: FieldKind, lookup: string, params: [string, string][], mustSeparate = true) => {
    if (depth === 'quick' && !QUICK.has(lookup)) return false;
    const name = params.map(([k, v]) => `${k}=${v}`).join('&');
    if (seen.has(name)) return false;
    if (mustSeparate && !oracle.separates(params)) return false;
    if (!mustSeparate && oracle.run(params) === undefined) return false;
    seen.add(name);
    cases.push({ name, kind, lookup, params });
    return true;
  };
  const fields = fieldsByKind(oracle.schema, items);
  const perKind = new Map<FieldKind, number>();
  const chosen = fields.filter((f) => {
    const n = perKind.get(f.kind) ?? 0;
    const ok = (values: unknown[]) => values.length >= 2 || f.kind === 'boolean';
    if (n >= limits.fields * (f.kind.startsWith('to-') ? 2 : 1) || !ok(valuesOf(items, f.path))) return false;
    perKind.set(f.kind, n + 1);
    return true;
  });
  for (const f of chosen) {
    const values = valuesOf(items, f.path);
    if (f.ref) refCases(f, values, add);
    else if (f.kind === 'boolean') booleanCases(f, add);
    else if (f.kind === 'integer')
      orderedCases(
        f,
        values.map(String).filter((v) => /^-?\d+$/.test(v)),
        add,
        oracle,
        limits.values,
      );
    else if (f.kind === 'datetime') dateCases(f, values.filter(clean), add, limits.values);
    else textCases(f, values.filter(clean), add, oracle, limits.values, depth);
  }
  combinationCases(chosen, fields, items, add, oracle, limits.fields);
  if (opts.search) searchCases(items, add, oracle);
  if (opts.sort)
    sortCases(
      chosen.filter((f) => !f.ref && f.kind !== 'to-many'),
      items,
      add,
      depth,
    );
  return cases;
}

function refCases(f: FieldRef, values: unknown[], add: Add) {
  const pks = values
    .map((v) => (v && typeof v === 'object' ? (v as Obj).pk : undefined))
    .filter((v) => v !== undefined)
    .map(String);
  if (!pks.length) return;
  add(f.kind, 'eq', [[key(f.path), pks[0]]]);
  if (pks.length > 1)
    add(f.kind, 'in', [
      [key(f.path, 'in'), pks[0]],
      [key(f.path, 'in'), pks[1]],
    ]);
  add(f.kind, 'not', [[key(f.path, undefined, true), pks[0]]]);
  add(f.kind, 'isnull', [[key(f.path, 'isnull'), 'true']]);
  add(f.kind, 'isnull', [[key(f.path, 'isnull'), 'false']]);
}

function booleanCases(f: FieldRef, add: Add) {
  add(f.kind, 'eq', [[key(f.path), 'true']]);
  add(f.kind, 'eq', [[key(f.path), '0']]);
  add(f.kind, 'not', [[key(f.path, undefined, true), 'true']]);
  add(f.kind, 'isnull', [[key(f.path, 'isnull'), 'false']]);
}

/** Integers: a value some items hold, chosen where comparing as text would answer differently (9 < 10 < 9 as text). */
function orderedCases(f: FieldRef, values: string[], add: Add, oracle: QueryOracle, n: number) {
  if (values.length < 2) return;
  const numeric = [...new Set(values)]
    .map(Number)
    .sort((a, b) => a - b)
    .map(String);
  const asText = (p: [string, string][]) =>
    oracle.run(p, (q) => ({ ...q, where: q.where && mapWhere(q.where, (c) => ({ ...c, valueKind: 'text' })) }))?.length;
  const tricky = numeric.filter((v) => asText([[key(f.path, 'gt'), v]]) !== oracle.count([[key(f.path, 'gt'), v]]));
  const picks = [...tricky, numeric[Math.floor(numeric.length / 2)]].slice(0, n + 1);
  for (const v of picks) {
    add(f.kind, 'eq', [[key(f.path), v]]);
    for (const op of ['gt', 'gte', 'lt', 'lte']) add(f.kind, op, [[key(f.path, op), v]]);
  }
  const lo = numeric[Math.floor(numeric.length / 4)];
  const hi = numeric[Math.floor((numeric.length * 3) / 4)];
  add(f.kind, 'range', [
    [key(f.path, 'range'), tricky[0] ?? lo],
    [key(f.path, 'range'), hi],
  ]);
  add(
    f.kind,
    'in',
    numeric.slice(0, 3).map((v) => [key(f.path, 'in'), v]),
  );
  add(f.kind, 'not', [[key(f.path, undefined, true), picks[0]]]);
}

function dateCases(f: FieldRef, values: string[], add: Add, n: number) {
  if (values.length < 2) return;
  const sorted = [...values].sort();
  for (const v of [sorted[Math.floor(sorted.length / 2)], sorted[Math.floor(sorted.length / 4)]].slice(0, n)) {
    add(f.kind, 'eq', [[key(f.path), v]]);
    for (const op of ['gt', 'gte', 'lt', 'lte']) add(f.kind, op, [[key(f.path, op), v]]);
  }
  add(f.kind, 'range', [
    [key(f.path, 'range'), sorted[Math.floor(sorted.length / 4)]],
    [key(f.path, 'range'), sorted[Math.floor((sorted.length * 3) / 4)]],
  ]);
  const year = sorted[Math.floor(sorted.length / 2)].slice(0, 4);
  add(f.kind, 'year', [[key(f.path, 'year'), year]]);
  add(f.kind, 'contains', [[key(f.path, 'contains'), `${year}-`]]);
  add(f.kind, 'isnull', [[key(f.path, 'isnull'), 'true']]);
  add(f.kind, 'not', [[key(f.path, 'gt', true), sorted[Math.floor(sorted.length / 2)]]]);
}

function textCases(f: FieldRef, values: string[], add: Add, oracle: QueryOracle, n: number, depth: QueryDepth) {
  if (!values.length) return;
  const eq = values.filter((v) => oracle.separates([[key(f.path), v]])).slice(0, n);
  for (const v of eq) {
    add(f.kind, 'eq', [[key(f.path), v]]);
    if (swapCase(v) !== v) add(f.kind, 'iexact', [[key(f.path, 'iexact'), swapCase(v)]]);
    add(f.kind, 'not', [[key(f.path, undefined, true), v]]);
  }
  add(
    f.kind,
    'in',
    values.slice(0, 3).map((v) => [key(f.path, 'in'), v]),
  );
  // a fragment whose case differs from some items': contains ≠ icontains on the data
  const cased = (op: string, iop: string, make: (w: string) => string[]) => {
    for (const w of fragments(values))
      for (const s of make(w)) {
        const sensitive = oracle.count([[key(f.path, op), s]]);
        const insensitive = oracle.count([[key(f.path, iop), s]]);
        if (sensitive && insensitive && sensitive < insensitive && insensitive < oracle.items.length) {
          add(f.kind, op, [[key(f.path, op), s]]);
          add(f.kind, iop, [[key(f.path, iop), swapCase(s)]]);
          return;
        }
      }
    for (const v of values.slice(0, 10)) {
      const s = make(v)[0];
      if (s && add(f.kind, op, [[key(f.path, op), s]])) return void add(f.kind, iop, [[key(f.path, iop), swapCase(s)]]);
    }
  };
  const variants = (w: string) => [w, w.toLowerCase(), w[0].toUpperCase() + w.slice(1).toLowerCase()];
  cased('contains', 'icontains', variants);
  cased('startswith', 'istartswith', (w) => variants(w).map((x) => x.slice(0, 4)));
  cased('endswith', 'iendswith', (w) => variants(w).map((x) => x.slice(-3)));
  for (const v of values.slice(0, 30)) {
    const s = v.slice(-3);
    if (
      (oracle.count([[key(f.path, 'contains'), s]]) ?? 0) > (oracle.count([[key(f.path, 'endswith'), s]]) ?? 0) &&
      add(f.kind, 'endswith', [[key(f.path, 'endswith'), s]])
    )
      break;
  }
  add(f.kind, 'not', [[key(f.path, 'icontains', true), fragments(values)[0] ?? values[0]]]);
  add(f.kind, 'isnull', [[key(f.path, 'isnull'), 'true']]);
  if (depth !== 'quick' && f.path.length === 1) {
    const sorted = [...values].sort();
    add(f.kind, 'gt', [[key(f.path, 'gt'), sorted[Math.floor(sorted.length / 2)]]]);
    add(f.kind, 'range', [
      [key(f.path, 'range'), sorted[Math.floor(sorted.length / 4)]],
      [key(f.path, 'range'), sorted[Math.floor((sorted.length * 3) / 4)]],
    ]);
  }
}
