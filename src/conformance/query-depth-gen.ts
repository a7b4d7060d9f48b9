/**
 * Query cases generated from a list's own data (`--query-depth`): per field kind the items have (string,
 * integer-in-a-string, date-time, boolean, to-one and to-many relation) × the dynamic-rest lookups, with values read
 * from the items so that each case separates matching from non-matching items; negations, two-condition
 * combinations (two on one to-many path too), the JSON `filter{}` form, `.in` with several values, `search` +
 * `search_fields`, and sorts by one to three keys with ties. Pure: items and a field schema in, cases out.
 */
import {
  parseDynamicQuery, runDynamicQuery, type DynamicQuery, type FieldSchema, type FieldSpec, type Where,
} from '../query/dynamic-rest/index.js';

export const QUERY_DEPTHS = ['quick', 'normal', 'full'] as const;
export type QueryDepth = (typeof QUERY_DEPTHS)[number];
export const FIELD_KINDS = ['string', 'integer', 'datetime', 'boolean', 'to-one', 'to-many', 'combination', 'search', 'sort'] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

export interface QueryCase {
  /** what a report names: the query string as sent, decoded */
  name: string;
  kind: FieldKind;
  /** the lookup (`eq`, `icontains`, …) or the combination (`and`, `not`, `same-row`, `json`, `sort-2`, …) */
  lookup: string;
  params: [string, string][];
}

type Obj = Record<string, unknown>;
const LIMITS: Record<QueryDepth, { fields: number; values: number }> = {
  quick: { fields: 1, values: 1 },
  normal: { fields: 2, values: 1 },
  full: { fields: 99, values: 2 },
};
/** lookups run at `quick` depth (the others from `normal` on) */
const QUICK = new Set(['eq', 'icontains', 'contains', 'gt', 'in', 'isnull', 'not', 'same-row', 'and', 'json', 'sort-2', 'search']);

const at = (o: unknown, path: string[]): unknown[] => {
  let cur: unknown[] = [o];
  for (const k of path) {
    cur = cur.flatMap((v) => (Array.isArray(v) ? v : [v])).map((v) => (v && typeof v === 'object' ? (v as Obj)[k] : undefined));
  }
  return cur.flatMap((v) => (Array.isArray(v) ? v : [v]));
};

interface FieldRef { path: string[]; kind: FieldKind; spec: FieldSpec; ref?: boolean }

const SKIP_NAME = /(_url|link|links|uuid|thumbnail|blob|srid|bbox|polygon|extent|html)$/i;

/** The filterable fields of the items, by kind: top-level scalars, to-one and to-many relations' scalar fields. */
export function fieldsByKind(schema: FieldSchema, items: Obj[]): FieldRef[] {
  const present = (name: string) => items.some((i) => name in i);
  const out: FieldRef[] = [];
  for (const [name, spec] of Object.entries(schema.fields)) {
    if (spec.deferred || !present(name) || SKIP_NAME.test(name) || name === 'tkeywords') continue;
    if (spec.nested) {
      const kind: FieldKind = spec.many ? 'to-many' : 'to-one';
      if (!spec.many && items.some((i) => i[name] && typeof i[name] === 'object' && 'pk' in (i[name] as Obj))) out.push({ path: [name], kind, spec, ref: true });
      for (const [sub, s] of Object.entries(spec.nested.fields)) {
        if (s.nested || s.deferred || s.type !== 'string' || s.column || SKIP_NAME.test(sub) || sub === 'pk' || sub === 'id') continue;
        if (!items.some((i) => at(i, [name, sub]).some((v) => typeof v === 'string' && v !== ''))) continue;
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
export function mapWhere(w: Where, f: (c: Extract<Where, { kind: 'condition' }>) => Where): Where {
  return w.kind === 'condition' ? f(w) : { ...w, nodes: w.nodes.map((n) => mapWhere(n, f)) };
}

export class QueryOracle {
  constructor(readonly schema: FieldSchema, readonly items: Obj[], readonly compareStrings?: (a: string, b: string) => number) {}

  parse(params: [string, string][]): DynamicQuery | undefined {
    const parsed = parseDynamicQuery(new URLSearchParams(params), this.schema, { presets: null });
    return parsed.ok ? parsed.query : undefined;
  }

  /** The items the query selects (in the oracle's order), or undefined when the query is refused. */
  run(params: [string, string][], twist?: (q: DynamicQuery) => DynamicQuery): Obj[] | undefined {
    const q = this.parse(params);
    if (!q) return undefined;
    try {
      return runDynamicQuery(this.items, twist ? twist(q) : q, this.compareStrings ? { compareStrings: this.compareStrings } : {});
    } catch {
      return undefined;
    }
  }

  count(params: [string, string][]): number | undefined {
    return this.run(params)?.length;
  }

  /** Some items match and some do not. */
  separates(params: [string, string][]): boolean {
    const n = this.count(params);
    return n !== undefined && n > 0 && n < this.items.length;
  }
}

const swapCase = (s: string) => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
const key = (path: string[], op?: string, neg = false) => `filter{${neg ? '-' : ''}${path.join('.')}${op ? `.${op}` : ''}}`;
const clean = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 80 && !/[\n\r,]/.test(v);

/** Distinct values of a path, most common first (ties: first seen). */
function valuesOf(items: Obj[], path: string[]): unknown[] {
  const counts = new Map<string, { v: unknown; n: number }>();
  for (const i of items) for (const v of new Set(at(i, path).map((x) => JSON.stringify(x ?? null)))) {
    const e = counts.get(v);
    if (e) e.n++;
    else counts.set(v, { v: JSON.parse(v) as unknown, n: 1 });
  }
  return [...counts.values()].sort((a, b) => b.n - a.n).map((e) => e.v).filter((v) => v !== null && v !== undefined);
}

/** Case generation for one list. */
export function generateQueryCases(oracle: QueryOracle, depth: QueryDepth, opts: { search: boolean; sort: boolean }): QueryCase[] {
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
    else if (f.kind === 'integer') orderedCases(f, values.map(String).filter((v) => /^-?\d+$/.test(v)), add, oracle, limits.values);
    else if (f.kind === 'datetime') dateCases(f, values.filter(clean), add, limits.values);
    else textCases(f, values.filter(clean), add, oracle, limits.values, depth);
  }
  combinationCases(chosen, fields, items, add, oracle);
  if (opts.search) searchCases(items, add, oracle);
  if (opts.sort) sortCases(chosen.filter((f) => !f.ref && f.kind !== 'to-many'), items, add, depth);
  return cases;
}

type Add = (kind: FieldKind, lookup: string, params: [string, string][], mustSeparate?: boolean) => boolean;

function refCases(f: FieldRef, values: unknown[], add: Add) {
  const pks = values.map((v) => (v && typeof v === 'object' ? (v as Obj).pk : undefined)).filter((v) => v !== undefined).map(String);
  if (!pks.length) return;
  add(f.kind, 'eq', [[key(f.path), pks[0]]]);
  if (pks.length > 1) add(f.kind, 'in', [[key(f.path, 'in'), pks[0]], [key(f.path, 'in'), pks[1]]]);
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
  const numeric = [...new Set(values)].map(Number).sort((a, b) => a - b).map(String);
  const asText = (p: [string, string][]) => oracle.run(p, (q) => ({ ...q, where: q.where && mapWhere(q.where, (c) => ({ ...c, valueKind: 'text' })) }))?.length;
  const tricky = numeric.filter((v) => asText([[key(f.path, 'gt'), v]]) !== oracle.count([[key(f.path, 'gt'), v]]));
  const picks = [...tricky, numeric[Math.floor(numeric.length / 2)]].slice(0, n + 1);
  for (const v of picks) {
    add(f.kind, 'eq', [[key(f.path), v]]);
    for (const op of ['gt', 'gte', 'lt', 'lte']) add(f.kind, op, [[key(f.path, op), v]]);
  }
  const lo = numeric[Math.floor(numeric.length / 4)];
  const hi = numeric[Math.floor((numeric.length * 3) / 4)];
  add(f.kind, 'range', [[key(f.path, 'range'), tricky[0] ?? lo], [key(f.path, 'range'), hi]]);
  add(f.kind, 'in', numeric.slice(0, 3).map((v) => [key(f.path, 'in'), v]));
  add(f.kind, 'not', [[key(f.path, undefined, true), picks[0]]]);
}

function dateCases(f: FieldRef, values: string[], add: Add, n: number) {
  if (values.length < 2) return;
  const sorted = [...values].sort();
  for (const v of [sorted[Math.floor(sorted.length / 2)], sorted[Math.floor(sorted.length / 4)]].slice(0, n)) {
    add(f.kind, 'eq', [[key(f.path), v]]);
    for (const op of ['gt', 'gte', 'lt', 'lte']) add(f.kind, op, [[key(f.path, op), v]]);
  }
  add(f.kind, 'range', [[key(f.path, 'range'), sorted[Math.floor(sorted.length / 4)]], [key(f.path, 'range'), sorted[Math.floor((sorted.length * 3) / 4)]]]);
  const year = sorted[Math.floor(sorted.length / 2)].slice(0, 4);
  add(f.kind, 'year', [[key(f.path, 'year'), year]]);
  add(f.kind, 'contains', [[key(f.path, 'contains'), `${year}-`]]);
  add(f.kind, 'isnull', [[key(f.path, 'isnull'), 'true']]);
  add(f.kind, 'not', [[key(f.path, 'gt', true), sorted[Math.floor(sorted.length / 2)]]]);
}

/** Fragments of the values: words of 3+ letters, in the case they have and swapped. */
function fragments(values: string[]): string[] {
  const words = new Set<string>();
  for (const v of values.slice(0, 60)) for (const w of v.match(/[\p{L}]{3,}/gu) ?? []) words.add(w);
  return [...words].slice(0, 40);
}

function textCases(f: FieldRef, values: string[], add: Add, oracle: QueryOracle, n: number, depth: QueryDepth) {
  if (!values.length) return;
  const eq = values.filter((v) => oracle.separates([[key(f.path), v]])).slice(0, n);
  for (const v of eq) {
    add(f.kind, 'eq', [[key(f.path), v]]);
    if (swapCase(v) !== v) add(f.kind, 'iexact', [[key(f.path, 'iexact'), swapCase(v)]]);
    add(f.kind, 'not', [[key(f.path, undefined, true), v]]);
  }
  add(f.kind, 'in', values.slice(0, 3).map((v) => [key(f.path, 'in'), v]));
  // a fragment whose case differs from some items': contains ≠ icontains on the data
  const cased = (op: string, iop: string, make: (w: string) => string[]) => {
    for (const w of fragments(values)) for (const s of make(w)) {
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
    if ((oracle.count([[key(f.path, 'contains'), s]]) ?? 0) > (oracle.count([[key(f.path, 'endswith'), s]]) ?? 0) && add(f.kind, 'endswith', [[key(f.path, 'endswith'), s]])) break;
  }
  add(f.kind, 'not', [[key(f.path, 'icontains', true), fragments(values)[0] ?? values[0]]]);
  add(f.kind, 'isnull', [[key(f.path, 'isnull'), 'true']]);
  if (depth !== 'quick' && f.path.length === 1) {
    const sorted = [...values].sort();
    add(f.kind, 'gt', [[key(f.path, 'gt'), sorted[Math.floor(sorted.length / 2)]]]);
    add(f.kind, 'range', [[key(f.path, 'range'), sorted[Math.floor(sorted.length / 4)]], [key(f.path, 'range'), sorted[Math.floor((sorted.length * 3) / 4)]]]);
  }
}

/** Two conditions: AND across fields, a condition and a negation, two on one to-many path (one row), the JSON form. */
function combinationCases(fields: FieldRef[], every: FieldRef[], items: Obj[], add: Add, oracle: QueryOracle) {
  const eqOf = (f: FieldRef): [string, string] | undefined => {
    const v = valuesOf(items, f.path).find((x) => (f.kind === 'boolean' ? typeof x === 'boolean' : f.ref ? false : clean(x) || typeof x === 'number'));
    return v === undefined ? undefined : [key(f.path), String(v)];
  };
  const plain = fields.filter((f) => !f.ref && f.path.length === 1 && f.kind !== 'datetime');
  const pairs: [string, string][] = plain.map(eqOf).filter((p): p is [string, string] => !!p);
  for (let i = 0; i + 1 < pairs.length && i < 3; i++) add('combination', 'and', [pairs[i], pairs[i + 1]]);
  // a positive condition and a negated one on another field: a server that drops the negation answers more
  for (let i = 0; i + 1 < pairs.length && i < 3; i++) {
    const [k, v] = pairs[i + 1];
    add('combination', 'not', [pairs[i], [k.replace('filter{', 'filter{-'), v]]);
  }
  // two conditions on one to-many path: the same related row (one filter() call); chosen where a server that
  // evaluates them on different rows answers more
  const many = every.filter((f) => f.kind === 'to-many' && f.path.length === 2);
  for (const a of many) for (const b of many) {
    if (a.path[0] !== b.path[0] || a === b) continue;
    for (const item of items) {
      const rows = (item[a.path[0]] as Obj[] | undefined) ?? [];
      if (rows.length < 2) continue;
      const p: [string, string][] = [[key(a.path), String(rows[0][a.path[1]])], [key(b.path), String(rows[1][b.path[1]])]];
      if (!clean(p[0][1]) || !clean(p[1][1])) continue;
      const split = oracle.run(p, splitRows)?.length ?? 0;
      if (split > (oracle.count(p) ?? 0)) {
        add('combination', 'same-row', p, false);
        break;
      }
    }
    const v = valuesOf(items, a.path).find(clean);
    const w = valuesOf(items, b.path).find(clean);
    if (typeof v === 'string' && typeof w === 'string') add('combination', 'same-row', [[key(a.path), v], [key(b.path, undefined, true), w]], false);
    break;
  }
  if (pairs.length >= 2) {
    const [[k1, v1], [k2, v2]] = pairs;
    const j = (k: string) => k.slice('filter{'.length, -1);
    const typed = (k: string, v: string) => (v === 'true' || v === 'false' ? v === 'true' : v);
    add('combination', 'json', [['filter{}', JSON.stringify({ [j(k1)]: typed(k1, v1), [`-${j(k2)}`]: typed(k2, v2) })]]);
    add('combination', 'json', [['filter{}', JSON.stringify({ $or: [{ [j(k1)]: typed(k1, v1) }, { [j(k2)]: typed(k2, v2) }] })]]);
  }
}

/** The query with every to-many condition on its own related row (what a server that joins per condition answers). */
export function splitRows(q: DynamicQuery): DynamicQuery {
  return { ...q, where: q.where && mapWhere(q.where, (c) => ({ ...c, manyAt: -1 })) };
}

function searchCases(items: Obj[], add: Add, oracle: QueryOracle) {
  const titles = items.map((i) => i.title).filter(clean);
  const words = fragments(titles);
  for (const w of words.slice(0, 10)) if (add('search', 'search', [['search', w.toLowerCase()], ['search_fields', 'title']])) break;
  for (const w of words.slice(0, 10)) if (add('search', 'istartswith', [['search', w.slice(0, 3).toUpperCase()], ['search_fields', '^title']])) break;
  if (items.some((i) => 'abstract' in i)) {
    const both = (w: string): [string, string][] => [['search', w], ['search_fields', 'title'], ['search_fields', 'abstract']];
    const abstracts = fragments(items.map((i) => i.abstract).filter((v): v is string => typeof v === 'string' && v.length > 0));
    // a word the second field adds records for: a server that looks in one field only answers fewer
    const w = abstracts.find((x) => (oracle.count(both(x)) ?? 0) > (oracle.count([['search', x], ['search_fields', 'title']]) ?? 0));
    if (w) add('search', 'or-fields', both(w));
  }
}

/** Sorts by one to three keys; the first key has ties, so the later keys decide. */
function sortCases(fields: FieldRef[], items: Obj[], add: Add, depth: QueryDepth) {
  const distinct = (f: FieldRef) => new Set(items.map((i) => JSON.stringify(at(i, f.path)))).size;
  const tied = fields.filter((f) => distinct(f) > 1 && distinct(f) <= items.length / 3).sort((a, b) => distinct(a) - distinct(b));
  const fine = fields.filter((f) => f.kind !== 'boolean' && distinct(f) > items.length / 2);
  const s = (f: FieldRef, desc = false): [string, string] => ['sort[]', `${desc ? '-' : ''}${f.path.join('.')}`];
  if (fine[0]) add('sort', 'sort-1', [s(fine[0])], false);
  if (fine[0] && depth !== 'quick') add('sort', 'sort-1', [s(fine[0], true)], false);
  if (tied[0] && fine[0]) add('sort', 'sort-2', [s(tied[0]), s(fine[0], true)], false);
  if (tied[0] && tied[1] && fine[0]) add('sort', 'sort-3', [s(tied[0], true), s(tied[1]), s(fine[0])], false);
  if (depth === 'full') for (const f of fields) add('sort', 'sort-1', [s(f, true)], false);
}
