/**
 * A Where tree → one predicate closure over RENDERED records (serializer field names). Needles are prepared
 * once (lower-cased, parsed, compiled); a dotted path walks embedded objects, and through an array (to-many)
 * it matches when any element matches, an empty relation reading as NULL, like Django's LEFT JOIN.
 */
import {
  QueryError, type AnyRecord, type FilterCondition, type Predicate, type ValueKind, type Where,
} from './types.js';
import {
  asBoolean, asText, datePart, datetimeOf, escapeRegExp, invalidDatetimeMessage, isTruthy, parseDatetime,
  refValue, toInteger, toNumber,
} from './values.js';

type Test = (value: unknown) => boolean;

const cache = new WeakMap<Where, Predicate>();

/** Compile once per request; cached per Where object. Throws QueryError for values Django would reject. */
export function compileWhere(where: Where | null): Predicate {
  if (!where) return () => true;
  const hit = cache.get(where);
  if (hit) return hit;
  let predicate: Predicate;
  if (where.kind === 'condition') predicate = compileCondition(where);
  else {
    // Cheap tests first (set lookups before regexes, top-level fields before relations): same result, less work.
    const nodes = [...where.nodes].sort((a, b) => costOf(a) - costOf(b));
    const parts = nodes.map(compileWhere);
    predicate = where.kind === 'and' ? all(parts) : any(parts);
  }
  cache.set(where, predicate);
  return predicate;
}

const OP_COST: Partial<Record<FilterCondition['op'], number>> = {
  eq: 1, in: 1, isnull: 1, any: 1, gt: 2, gte: 2, lt: 2, lte: 2, range: 2, all: 3, regex: 5,
};

function costOf(where: Where): number {
  if (where.kind !== 'condition') return 2 + Math.max(0, ...where.nodes.map(costOf));
  const base = OP_COST[where.op] ?? 3; // string lookups and date parts
  const datetime = where.valueKind === 'datetime' ? 2 : 0;
  return base + datetime + 2 * (where.path.length - 1);
}

export function matchesWhere(record: AnyRecord, where: Where | null): boolean {
  return compileWhere(where)(record);
}

export function applyFilter<T extends AnyRecord>(records: readonly T[], where: Where | null): T[] {
  if (!where) return records.slice();
  const predicate = compileWhere(where);
  const out: T[] = [];
  for (let i = 0; i < records.length; i++) if (predicate(records[i]!)) out.push(records[i]!);
  return out;
}

function all(parts: Predicate[]): Predicate {
  if (parts.length === 0) return () => true;
  if (parts.length === 1) return parts[0]!;
  if (parts.length === 2) {
    const [a, b] = parts as [Predicate, Predicate];
    return (r) => a(r) && b(r);
  }
  return (r) => {
    for (const p of parts) if (!p(r)) return false;
    return true;
  };
}

function any(parts: Predicate[]): Predicate {
  if (parts.length === 0) return () => false;
  if (parts.length === 1) return parts[0]!;
  return (r) => {
    for (const p of parts) if (p(r)) return true;
    return false;
  };
}

/** Does some terminal value reached by `path` pass `test`? */
export function anyAlongPath(path: readonly string[], test: Test): Predicate {
  const n = path.length;
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

/** Every terminal value passes `test` (and there is at least one non-null): the `all` operator. */
function everyAlongPath(path: readonly string[], test: Test): Predicate {
  const collect = (value: unknown, i: number, out: unknown[]): void => {
    if (Array.isArray(value)) {
      for (const element of value) collect(element, i, out);
      return;
    }
    if (i === path.length) out.push(value);
    else if (value !== null && typeof value === 'object') collect((value as Record<string, unknown>)[path[i]!], i + 1, out);
  };
  return (record) => {
    const values: unknown[] = [];
    collect(record, 0, values);
    const present = values.filter((v) => v !== null && v !== undefined);
    return present.length > 0 && present.every(test);
  };
}

function compileCondition(c: FilterCondition): Predicate {
  const test = makeTest(c);
  const matches = c.op === 'all' ? everyAlongPath(c.path, test) : anyAlongPath(c.path, test);
  return c.negate ? (r) => !matches(r) : matches;
}

/** A Django lookup value the field type cannot read: dynamic-rest turns the ORM error into a 400. */
function needle(c: FilterCondition, index = 0): string {
  const value = c.values[index];
  if (value === undefined) throw new QueryError('invalid', `filter{${c.path.join('.')}.${c.op}} needs ${c.op === 'range' ? 'two values' : 'a value'}.`);
  return value;
}

/** The comparable form of a needle for an ordering lookup or an equality, per value kind. */
function comparableNeedle(c: FilterCondition, raw: string): number | string | boolean {
  switch (c.valueKind) {
    case 'boolean': return isTruthy(raw);
    case 'datetime': {
      const t = parseDatetime(raw);
      if (Number.isNaN(t)) throw new QueryError('invalid', invalidDatetimeMessage(raw));
      return t;
    }
    case 'numeric': {
      const n = toNumber(raw);
      // ValueError from an integer field: dynamic-rest re-raises it as ValidationError(e.message), i.e. ''.
      if (Number.isNaN(n)) throw new QueryError('invalid', '');
      return n;
    }
    default: {
      const n = toNumber(raw);
      return Number.isNaN(n) ? raw : n;
    }
  }
}

/** A record value in the same space as comparableNeedle's result (NaN/null when not comparable). */
function comparableValue(kind: ValueKind, needleIsNumber: boolean): (v: unknown) => number | string | boolean | null {
  switch (kind) {
    case 'boolean': return (v) => asBoolean(v);
    case 'datetime': return (v) => { const t = datetimeOf(v); return Number.isNaN(t) ? null : t; };
    case 'numeric': return (v) => { const n = toNumber(refValue(v)); return Number.isNaN(n) ? null : n; };
    case 'ref':
    case 'text':
      return (v) => {
        const s = kind === 'ref' ? refValue(v) : v;
        if (needleIsNumber) { const n = toNumber(s); if (!Number.isNaN(n)) return n; }
        return asText(s);
      };
  }
}

function equalityTest(c: FilterCondition, raws: readonly string[]): Test {
  if (c.valueKind === 'text' || c.valueKind === 'ref') {
    const set = new Set(raws);
    const ref = c.valueKind === 'ref';
    return (v) => {
      const s = asText(ref ? refValue(v) : v);
      return s !== null && set.has(s);
    };
  }
  const set = new Set(raws.map((r) => comparableNeedle(c, r)));
  const read = comparableValue(c.valueKind, true);
  return (v) => {
    const x = read(v);
    return x !== null && set.has(x);
  };
}

function orderingTest(c: FilterCondition): Test {
  const lo = comparableNeedle(c, needle(c));
  const hi = c.op === 'range' ? comparableNeedle(c, needle(c, 1)) : lo;
  const read = comparableValue(c.valueKind, typeof lo === 'number');
  const same = (x: unknown, n: unknown) => typeof x === typeof n;
  switch (c.op) {
    case 'gt': return (v) => { const x = read(v); return x !== null && same(x, lo) && x > lo; };
    case 'gte': return (v) => { const x = read(v); return x !== null && same(x, lo) && x >= lo; };
    case 'lt': return (v) => { const x = read(v); return x !== null && same(x, lo) && x < lo; };
    case 'lte': return (v) => { const x = read(v); return x !== null && same(x, lo) && x <= lo; };
    default: return (v) => {
      const x = read(v);
      return x !== null && same(x, lo) && same(x, hi) && x >= lo && x <= hi;
    };
  }
}

function stringTest(c: FilterCondition): Test {
  const raw = needle(c);
  const insensitive = c.op.startsWith('i');
  const base = insensitive ? c.op.slice(1) : c.op;
  const source = escapeRegExp(raw);
  const pattern = base === 'contains' ? source : base === 'startswith' ? `^${source}` : base === 'endswith' ? `${source}$` : `^${source}$`;
  if (!insensitive) {
    if (base === 'contains') return (v) => { const s = asText(v); return s !== null && s.includes(raw); };
    if (base === 'startswith') return (v) => { const s = asText(v); return s !== null && s.startsWith(raw); };
    if (base === 'endswith') return (v) => { const s = asText(v); return s !== null && s.endsWith(raw); };
  }
  const re = new RegExp(pattern, insensitive ? 'i' : '');
  return (v) => { const s = asText(v); return s !== null && re.test(s); };
}

function makeTest(c: FilterCondition): Test {
  switch (c.op) {
    case 'eq': case 'any': case 'all': return equalityTest(c, [needle(c)]);
    case 'in': return equalityTest(c, c.values);
    case 'iexact': case 'contains': case 'icontains': case 'startswith': case 'istartswith':
    case 'endswith': case 'iendswith':
      return stringTest(c);
    case 'regex': {
      let re: RegExp;
      try {
        re = new RegExp(needle(c));
      } catch (error) {
        throw new QueryError('invalid', `Invalid regular expression: ${(error as Error).message}`);
      }
      return (v) => { const s = asText(v); return s !== null && re.test(s); };
    }
    case 'gt': case 'gte': case 'lt': case 'lte': case 'range': return orderingTest(c);
    case 'year': case 'month': case 'day': case 'week_day': {
      const part = c.op;
      const n = toInteger(needle(c));
      if (Number.isNaN(n)) throw new QueryError('invalid', '');
      return (v) => { const t = datetimeOf(v); return !Number.isNaN(t) && datePart(t, part) === n; };
    }
    case 'isnull': {
      const wanted = isTruthy(needle(c));
      return (v) => (v === null || v === undefined) === wanted;
    }
  }
}
