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
import {
  QueryError, type AnyRecord, type FilterCondition, type Predicate, type ValueKind, type Where,
} from './types.js';
import {
  asBoolean, asText, datePart, datetimeOf, djangoBoolean, djangoDatetime, escapeRegExp, isTruthy,
  postgresTimestampText, pythonFloat, pythonInt, refValue, toNumber,
} from './values.js';
import { localeCompareStrings } from './sort.js';

type Test = (value: unknown) => boolean;
/** A predicate given the record and the related rows chosen for the shared to-many relations. */
type Bound = (record: AnyRecord, rows: readonly unknown[]) => boolean;

export interface CompileOptions {
  /**
   * The related row's pk of an embedded object reached at `path` (the relation field's path), for relation filters
   * (`filter{owner}=1000`, `filter{regions.in}=3`, `filter{keywords.pk}=7`). Default: the object's `pk`, else `id`.
   */
  pkOf?: (path: readonly string[], embedded: Record<string, unknown>) => unknown;
  /** How text columns order for gt/gte/lt/lte/range (the database collation). Default: en-US (see sort.ts). */
  compareStrings?: (a: string, b: string) => number;
}

const defaultPkOf = (_path: readonly string[], embedded: Record<string, unknown>): unknown => refValue(embedded);

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

export function applyFilter<T extends AnyRecord>(records: readonly T[], where: Where | null, options?: CompileOptions): T[] {
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
  eq: 1, in: 1, isnull: 1, gt: 2, gte: 2, lt: 2, lte: 2, range: 2, regex: 5,
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

// ---- values: each read by the model column's type ----

/** A value the ORM cannot read: dynamic-rest catches the error and answers 400 with its (empty) message (filters.py:613-617). */
const refused = (): never => {
  throw new QueryError('invalid', '');
};

function needle(c: FilterCondition, index = 0): string {
  const value = c.values[index];
  if (value === undefined) throw new QueryError('invalid', `filter{${c.path.join('.')}.${c.op}} needs ${c.op === 'range' ? 'two values' : 'a value'}.`);
  return value;
}

type Comparable = number | string | boolean;

/** One lookup value as the column's get_prep_value reads it (Django's messages for dates and booleans). */
function prepared(c: FilterCondition, kind: ValueKind, raw: string): Comparable {
  switch (kind) {
    case 'boolean': return c.truthy ? isTruthy(raw) : djangoBoolean(raw);
    case 'datetime': return djangoDatetime(raw);
    case 'integer': case 'ref': {
      const n = pythonInt(raw);
      return Number.isNaN(n) ? refused() : n;
    }
    case 'float': {
      const n = pythonFloat(raw);
      return Number.isNaN(n) ? refused() : n;
    }
    case 'text': return raw;
  }
}

/** A record value in the column's terms (null when it has none). */
function columnValue(kind: ValueKind, pkAt: readonly string[] | null, options: CompileOptions): (v: unknown) => Comparable | null {
  const pkOf = options.pkOf ?? defaultPkOf;
  const number = (v: unknown) => { const n = toNumber(v); return Number.isNaN(n) ? null : n; };
  if (pkAt) {
    return (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? number(pkOf(pkAt, v as Record<string, unknown>)) : number(v));
  }
  switch (kind) {
    case 'boolean': return (v) => asBoolean(v);
    case 'datetime': return (v) => { const t = datetimeOf(v); return Number.isNaN(t) ? null : t; };
    case 'integer': case 'float': case 'ref': return number;
    case 'text': return (v) => asText(v);
  }
}

/** The text Django compares for a string lookup on this column (`col::text` on PostgreSQL). */
function columnText(kind: ValueKind): (v: unknown) => string | null {
  if (kind === 'datetime') return (v) => { const t = datetimeOf(v); return Number.isNaN(t) ? asText(v) : postgresTimestampText(t); };
  return asText;
}

function equalityTest(c: FilterCondition, raws: readonly string[], pkAt: readonly string[] | null, options: CompileOptions): Test {
  const kind = pkAt ? 'integer' : c.valueKind;
  const set = new Set(raws.map((r) => prepared(c, kind, r)));
  const read = columnValue(kind, pkAt, options);
  return (v) => {
    const x = read(v);
    return x !== null && set.has(x);
  };
}

function orderingTest(c: FilterCondition, pkAt: readonly string[] | null, options: CompileOptions): Test {
  const kind = pkAt ? 'integer' : c.valueKind;
  const lo = prepared(c, kind, needle(c));
  const hi = c.op === 'range' ? prepared(c, kind, needle(c, 1)) : lo;
  const read = columnValue(kind, pkAt, options);
  const compareStrings = options.compareStrings ?? localeCompareStrings;
  const cmp = (x: Comparable, n: Comparable): number => {
    if (typeof x === 'string' && typeof n === 'string') return compareStrings(x, n);
    const a = Number(x), b = Number(n);
    return a < b ? -1 : a > b ? 1 : 0;
  };
  const test = (pass: (x: Comparable) => boolean): Test => (v) => { const x = read(v); return x !== null && pass(x); };
  switch (c.op) {
    case 'gt': return test((x) => cmp(x, lo) > 0);
    case 'gte': return test((x) => cmp(x, lo) >= 0);
    case 'lt': return test((x) => cmp(x, lo) < 0);
    case 'lte': return test((x) => cmp(x, lo) <= 0);
    default: return test((x) => cmp(x, lo) >= 0 && cmp(x, hi) <= 0);
  }
}

/**
 * The text a string lookup reads. A relation has none: Django refuses `owner__icontains` ("Related Field got
 * invalid lookup"); a trailing `pk` (`owner.pk.contains`) is the integer pk as text.
 */
function textReader(c: FilterCondition, pkAt: readonly string[] | null, options: CompileOptions): (v: unknown) => string | null {
  if (c.valueKind === 'ref') refused();
  if (!pkAt) return columnText(c.valueKind);
  const pk = columnValue('integer', pkAt, options);
  return (v) => { const n = pk(v); return n === null ? null : String(n); };
}

function stringTest(c: FilterCondition, text: (v: unknown) => string | null): Test {
  let raw = needle(c);
  // dynamic-rest's is_truthy made the value a Python bool, which the LIKE pattern spells 'True' / 'False'
  if (c.truthy) raw = isTruthy(raw) ? 'True' : 'False';
  const insensitive = c.op.startsWith('i');
  const base = insensitive ? c.op.slice(1) : c.op;
  if (!insensitive) {
    if (base === 'contains') return (v) => { const s = text(v); return s !== null && s.includes(raw); };
    if (base === 'startswith') return (v) => { const s = text(v); return s !== null && s.startsWith(raw); };
    if (base === 'endswith') return (v) => { const s = text(v); return s !== null && s.endsWith(raw); };
  }
  const source = escapeRegExp(raw);
  const pattern = base === 'contains' ? source : base === 'startswith' ? `^${source}` : base === 'endswith' ? `${source}$` : `^${source}$`;
  const re = new RegExp(pattern, insensitive ? 'i' : '');
  return (v) => { const s = text(v); return s !== null && re.test(s); };
}

function makeTest(c: FilterCondition, options: CompileOptions, pkAt: readonly string[] | null): Test {
  switch (c.op) {
    // listed by dynamic-rest (filters.py:204-205) but no Django lookup: a FieldError caught at filters.py:613
    case 'any': case 'all': return refused();
    case 'eq': return equalityTest(c, [needle(c)], pkAt, options);
    case 'in':
      // is_truthy of the value list is True, and `featured__in=True` is not a list (filters.py:164)
      if (c.truthy) refused();
      return equalityTest(c, c.values, pkAt, options);
    case 'iexact': case 'contains': case 'icontains': case 'startswith': case 'istartswith':
    case 'endswith': case 'iendswith':
      return stringTest(c, textReader(c, pkAt, options));
    case 'regex': {
      const text = textReader(c, pkAt, options);
      let re: RegExp;
      try {
        re = new RegExp(needle(c));
      } catch (error) {
        throw new QueryError('invalid', `Invalid regular expression: ${(error as Error).message}`);
      }
      return (v) => { const s = text(v); return s !== null && re.test(s); };
    }
    case 'range':
      if (c.truthy) refused();
      return orderingTest(c, pkAt, options);
    case 'gt': case 'gte': case 'lt': case 'lte': return orderingTest(c, pkAt, options);
    case 'year': case 'month': case 'day': case 'week_day': {
      // date parts exist on date columns only ("Unsupported lookup 'year' for IntegerField")
      if (c.valueKind !== 'datetime' || pkAt) refused();
      const part = c.op;
      const n = pythonInt(needle(c));
      if (Number.isNaN(n)) refused();
      return (v) => { const t = datetimeOf(v); return !Number.isNaN(t) && datePart(t, part) === n; };
    }
    case 'isnull': {
      const wanted = isTruthy(needle(c));
      return (v) => (v === null || v === undefined) === wanted;
    }
  }
}
