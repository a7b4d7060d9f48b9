/**
 * A Where tree → one predicate closure over records in the serializer's field names. Needles are prepared once
 * (parsed, lower-cased, compiled) and every value Django would refuse raises a QueryError here, in the order Django
 * meets the conditions.
 *
 * All conditions of a request are ONE `queryset.filter(q)` call (dynamic-rest filters.py:360, 364, 385, applied at
 * :610). Inside one call Django reuses the join of a to-many relation: conditions through `keywords` (or `regions`,
 * `tkeywords`, …) are about the same related row, and a negated condition met after a condition that joined that
 * relation is tied to the same row too (Query.split_exclude restricts its subquery to the outer join's row when the
 * join is reusable). A negated condition on a relation nothing joined before it is "no related row matches".
 * So: every to-many relation used by two or more such conditions is one row variable; a record matches when some
 * choice of a row per variable (NULL for an empty relation, as a LEFT JOIN gives) satisfies the whole tree.
 * A relation used by one condition alone needs no variable: "some related row matches" is the same thing.
 */
import type { AnyRecord, FilterCondition, Predicate, Where } from './types.js';
import { makeTest, type LookupOptions, type Test } from './lookups.js';
/** A predicate given the record and the related rows chosen for the shared to-many relations. */
type Bound = (record: AnyRecord, rows: readonly unknown[]) => boolean;

/** How relation pks and text order are read (see LookupOptions). */
export type CompileOptions = LookupOptions;

const DEFAULTS: CompileOptions = {};
const cache = new WeakMap<Where, WeakMap<CompileOptions, Predicate>>();

/** Compile once per request; cached per Where object and options. Throws QueryError for values Django would reject. */
export function compileWhere(where: Where | null, options: CompileOptions = DEFAULTS): Predicate {
  if (!where) return () => true;
  let perOptions = cache.get(where);
  if (!perOptions) cache.set(where, (perOptions = new WeakMap()));
  const hit = perOptions.get(options);
  if (hit) return hit;
  const predicate = compileTree(where, options);
  perOptions.set(options, predicate);
  return predicate;
}

export function matchesWhere(record: AnyRecord, where: Where | null, options?: CompileOptions): boolean {
  return compileWhere(where, options)(record);
}

export function applyFilter<T extends AnyRecord>(
  records: readonly T[],
  where: Where | null,
  options?: CompileOptions,
): T[] {
  if (!where) return records.slice();
  const predicate = compileWhere(where, options);
  const out: T[] = [];
  for (let i = 0; i < records.length; i++) if (predicate(records[i]!)) out.push(records[i]!);
  return out;
}

// ---- one filter() call: which conditions share a related row ----

interface Variable {
  /** Path of the to-many relation field, e.g. ['keywords']. */
  path: string[];
  index: number;
}

/** Walk the tree in Django's order; return the row variable of each condition that shares one. */
function bindRows(where: Where): { variables: Variable[]; rowOf: Map<FilterCondition, Variable> } {
  const joined = new Set<string>();
  const uses = new Map<string, FilterCondition[]>();
  const visit = (node: Where): void => {
    if (node.kind !== 'condition') return node.nodes.forEach(visit);
    const at = node.manyAt ?? -1;
    if (at < 0) return;
    const key = node.path.slice(0, at + 1).join('.');
    if (!node.negate) joined.add(key);
    else if (!joined.has(key)) return; // its own subquery: NOT (some related row matches)
    const list = uses.get(key);
    if (list) list.push(node);
    else uses.set(key, [node]);
  };
  visit(where);
  const variables: Variable[] = [];
  const rowOf = new Map<FilterCondition, Variable>();
  for (const [key, conditions] of uses) {
    if (conditions.length < 2) continue;
    const variable = { path: key.split('.'), index: variables.length };
    variables.push(variable);
    for (const c of conditions) rowOf.set(c, variable);
  }
  return { variables, rowOf };
}

const NO_ROWS: readonly unknown[] = [];

function compileTree(where: Where, options: CompileOptions): Predicate {
  const { variables, rowOf } = bindRows(where);
  const bound = compileNode(where, options, rowOf);
  if (variables.length === 0) return (record) => bound(record, NO_ROWS);
  return (record) => {
    const choices = variables.map((v) => relatedRows(record, v.path));
    const rows: unknown[] = new Array(variables.length);
    const pick = (i: number): boolean => {
      if (i === variables.length) return bound(record, rows);
      for (const row of choices[i]!) {
        rows[i] = row;
        if (pick(i + 1)) return true;
      }
      return false;
    };
    return pick(0);
  };
}

/** The rows a join through `path` (to-one steps, then the to-many field) gives: NULL alone when there are none. */
function relatedRows(record: AnyRecord, path: readonly string[]): readonly unknown[] {
  let value: unknown = record;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return [null];
    value = (value as Record<string, unknown>)[key];
  }
  return Array.isArray(value) && value.length > 0 ? value : [null];
}

function compileNode(where: Where, options: CompileOptions, rowOf: Map<FilterCondition, Variable>): Bound {
  if (where.kind === 'condition') return compileCondition(where, options, rowOf.get(where));
  // Compiled in Django's order (the first refused value is the one reported), then run cheap tests first.
  const parts = where.nodes.map((node) => ({ cost: costOf(node), test: compileNode(node, options, rowOf) }));
  const tests = parts.sort((a, b) => a.cost - b.cost).map((p) => p.test);
  return where.kind === 'and' ? all(tests) : any(tests);
}

const OP_COST: Partial<Record<FilterCondition['op'], number>> = {
  eq: 1,
  in: 1,
  isnull: 1,
  gt: 2,
  gte: 2,
  lt: 2,
  lte: 2,
  range: 2,
  regex: 5,
};

function costOf(where: Where): number {
  if (where.kind !== 'condition') return 2 + Math.max(0, ...where.nodes.map(costOf));
  const base = OP_COST[where.op] ?? 3; // string lookups and date parts
  const datetime = where.valueKind === 'datetime' ? 2 : 0;
  return base + datetime + 2 * (where.path.length - 1);
}

function all(parts: Bound[]): Bound {
  if (parts.length === 0) return () => true;
  if (parts.length === 1) return parts[0]!;
  if (parts.length === 2) {
    const [a, b] = parts as [Bound, Bound];
    return (r, rows) => a(r, rows) && b(r, rows);
  }
  return (r, rows) => {
    for (const p of parts) if (!p(r, rows)) return false;
    return true;
  };
}

function any(parts: Bound[]): Bound {
  if (parts.length === 0) return () => false;
  if (parts.length === 1) return parts[0]!;
  return (r, rows) => {
    for (const p of parts) if (p(r, rows)) return true;
    return false;
  };
}

/** Does some terminal value reached by `path` pass `test`? An empty relation reads as NULL (a LEFT JOIN's row). */
export function anyAlongPath(path: readonly string[], test: Test): Predicate {
  const n = path.length;
  if (n === 0) return (value) => test(value);
  if (n === 1) {
    const key = path[0]!;
    return (record) => {
      const v = (record as Record<string, unknown>)[key];
      return Array.isArray(v) ? anyElement(v, test) : test(v);
    };
  }
  const step = (value: unknown, i: number): boolean => {
    if (Array.isArray(value)) {
      if (value.length === 0) return test(null);
      for (const element of value) if (step(element, i)) return true;
      return false;
    }
    if (i === n) return test(value);
    if (value === null || typeof value !== 'object') return test(null);
    return step((value as Record<string, unknown>)[path[i]!], i + 1);
  };
  return (record) => step(record, 0);
}

function anyElement(values: unknown[], test: Test): boolean {
  if (values.length === 0) return test(null);
  for (const v of values) if (test(v)) return true;
  return false;
}

function compileCondition(c: FilterCondition, options: CompileOptions, row: Variable | undefined): Bound {
  // `filter{regions.pk}`: the relation's own pk, which an embedded object may not carry (regions embed code, name)
  const trailingPk = c.path.length > 1 && c.path[c.path.length - 1] === 'pk';
  const reach = trailingPk ? c.path.slice(0, -1) : c.path;
  const test = makeTest(c, options, trailingPk || c.valueKind === 'ref' ? reach : null);
  let matches: Bound;
  if (row) {
    const rest = reach.slice(row.path.length);
    const along = rest.length === 0 ? test : anyAlongPath(rest, test);
    const i = row.index;
    matches = (_r, rows) => (rows[i] === null || rows[i] === undefined ? test(null) : along(rows[i] as AnyRecord));
  } else {
    const along = anyAlongPath(reach, test);
    matches = (r) => along(r);
  }
  return c.negate ? (r, rows) => !matches(r, rows) : matches;
}
