/**
 * One filter condition's lookup → a test of a terminal value, as Django's ORM reads the lookup value through the
 * model column (get_prep_value) and compares it on PostgreSQL. Values the ORM refuses raise a QueryError with the
 * message dynamic-rest passes on (filters.py:611-617): Django's own for dates and booleans, '' for the rest.
 */
import { QueryError, type FilterCondition, type ValueKind } from './types.js';
import {
  asBoolean,
  asText,
  datePart,
  datetimeOf,
  djangoBoolean,
  djangoDatetime,
  escapeRegExp,
  isTruthy,
  postgresTimestampText,
  pythonFloat,
  pythonInt,
  refValue,
  toNumber,
} from './values.js';
import { localeCompareStrings } from './sort.js';

export type Test = (value: unknown) => boolean;

export interface LookupOptions {
  /**
   * The related row's pk of an embedded object reached at `path` (the relation field's path), for relation filters
   * (`filter{owner}=1000`, `filter{regions.in}=3`, `filter{keywords.pk}=7`). Default: the object's `pk`, else `id`.
   */
  pkOf?: (path: readonly string[], embedded: Record<string, unknown>) => unknown;
  /** How text columns order for gt/gte/lt/lte/range (the database collation). Default: en-US (see sort.ts). */
  compareStrings?: (a: string, b: string) => number;
}

const defaultPkOf = (_path: readonly string[], embedded: Record<string, unknown>): unknown => refValue(embedded);

/** A value the ORM cannot read: dynamic-rest catches the error and answers 400 with its (empty) message (filters.py:613-617). */
const refused = (): never => {
  throw new QueryError('invalid', '');
};

function needle(c: FilterCondition, index = 0): string {
  const value = c.values[index];
  if (value === undefined)
    throw new QueryError(
      'invalid',
      `filter{${c.path.join('.')}.${c.op}} needs ${c.op === 'range' ? 'two values' : 'a value'}.`,
    );
  return value;
}

type Comparable = number | string | boolean;

/** One lookup value as the column's get_prep_value reads it (Django's messages for dates and booleans). */
function prepared(c: FilterCondition, kind: ValueKind, raw: string): Comparable {
  switch (kind) {
    case 'boolean':
      return c.truthy ? isTruthy(raw) : djangoBoolean(raw);
    case 'datetime':
      return djangoDatetime(raw);
    case 'integer':
    case 'ref': {
      const n = pythonInt(raw);
      return Number.isNaN(n) ? refused() : n;
    }
    case 'float': {
      const n = pythonFloat(raw);
      return Number.isNaN(n) ? refused() : n;
    }
    case 'text':
      return raw;
  }
}

/** A record value in the column's terms (null when it has none). */
function columnValue(
  kind: ValueKind,
  pkAt: readonly string[] | null,
  options: LookupOptions,
): (v: unknown) => Comparable | null {
  const pkOf = options.pkOf ?? defaultPkOf;
  const number = (v: unknown) => {
    const n = toNumber(v);
    return Number.isNaN(n) ? null : n;
  };
  if (pkAt) {
    return (v) =>
      v !== null && typeof v === 'object' && !Array.isArray(v)
        ? number(pkOf(pkAt, v as Record<string, unknown>))
        : number(v);
  }
  switch (kind) {
    case 'boolean':
      return (v) => asBoolean(v);
    case 'datetime':
      return (v) => {
        const t = datetimeOf(v);
        return Number.isNaN(t) ? null : t;
      };
    case 'integer':
    case 'float':
    case 'ref':
      return number;
    case 'text':
      return (v) => asText(v);
  }
}

/** The text Django compares for a string lookup on this column (`col::text` on PostgreSQL). */
function columnText(kind: ValueKind): (v: unknown) => string | null {
  if (kind === 'datetime')
    return (v) => {
      const t = datetimeOf(v);
      return Number.isNaN(t) ? asText(v) : postgresTimestampText(t);
    };
  return asText;
}

function equalityTest(
  c: FilterCondition,
  raws: readonly string[],
  pkAt: readonly string[] | null,
  options: LookupOptions,
): Test {
  const kind = pkAt ? 'integer' : c.valueKind;
  const set = new Set(raws.map((r) => prepared(c, kind, r)));
  const read = columnValue(kind, pkAt, options);
  return (v) => {
    const x = read(v);
    return x !== null && set.has(x);
  };
}

function orderingTest(c: FilterCondition, pkAt: readonly string[] | null, options: LookupOptions): Test {
  const kind = pkAt ? 'integer' : c.valueKind;
  const lo = prepared(c, kind, needle(c));
  const hi = c.op === 'range' ? prepared(c, kind, needle(c, 1)) : lo;
  const read = columnValue(kind, pkAt, options);
  const compareStrings = options.compareStrings ?? localeCompareStrings;
  const cmp = (x: Comparable, n: Comparable): number => {
    if (typeof x === 'string' && typeof n === 'string') return compareStrings(x, n);
    const a = Number(x),
      b = Number(n);
    return a < b ? -1 : a > b ? 1 : 0;
  };
  const test =
    (pass: (x: Comparable) => boolean): Test =>
    (v) => {
      const x = read(v);
      return x !== null && pass(x);
    };
  switch (c.op) {
    case 'gt':
      return test((x) => cmp(x, lo) > 0);
    case 'gte':
      return test((x) => cmp(x, lo) >= 0);
    case 'lt':
      return test((x) => cmp(x, lo) < 0);
    case 'lte':
      return test((x) => cmp(x, lo) <= 0);
    default:
      return test((x) => cmp(x, lo) >= 0 && cmp(x, hi) <= 0);
  }
}

/**
 * The text a string lookup reads. A relation has none: Django refuses `owner__icontains` ("Related Field got
 * invalid lookup"); a trailing `pk` (`owner.pk.contains`) is the integer pk as text.
 */
function textReader(
  c: FilterCondition,
  pkAt: readonly string[] | null,
  options: LookupOptions,
): (v: unknown) => string | null {
  if (c.valueKind === 'ref') refused();
  if (!pkAt) return columnText(c.valueKind);
  const pk = columnValue('integer', pkAt, options);
  return (v) => {
    const n = pk(v);
    return n === null ? null : String(n);
  };
}

function stringTest(c: FilterCondition, text: (v: unknown) => string | null): Test {
  let raw = needle(c);
  // dynamic-rest's is_truthy made the value a Python bool, which the LIKE pattern spells 'True' / 'False'
  if (c.truthy) raw = isTruthy(raw) ? 'True' : 'False';
  const insensitive = c.op.startsWith('i');
  const base = insensitive ? c.op.slice(1) : c.op;
  if (!insensitive) {
    if (base === 'contains')
      return (v) => {
        const s = text(v);
        return s !== null && s.includes(raw);
      };
    if (base === 'startswith')
      return (v) => {
        const s = text(v);
        return s !== null && s.startsWith(raw);
      };
    if (base === 'endswith')
      return (v) => {
        const s = text(v);
        return s !== null && s.endsWith(raw);
      };
  }
  const source = escapeRegExp(raw);
  const pattern =
    base === 'contains'
      ? source
      : base === 'startswith'
        ? `^${source}`
        : base === 'endswith'
          ? `${source}$`
          : `^${source}$`;
  const re = new RegExp(pattern, insensitive ? 'i' : '');
  return (v) => {
    const s = text(v);
    return s !== null && re.test(s);
  };
}

export function makeTest(c: FilterCondition, options: LookupOptions, pkAt: readonly string[] | null): Test {
  switch (c.op) {
    // listed by dynamic-rest (filters.py:204-205) but no Django lookup: a FieldError caught at filters.py:613
    case 'any':
    case 'all':
      return refused();
    case 'eq':
      return equalityTest(c, [needle(c)], pkAt, options);
    case 'in':
      // is_truthy of the value list is True, and `featured__in=True` is not a list (filters.py:164)
      if (c.truthy) refused();
      return equalityTest(c, c.values, pkAt, options);
    case 'iexact':
    case 'contains':
    case 'icontains':
    case 'startswith':
    case 'istartswith':
    case 'endswith':
    case 'iendswith':
      return stringTest(c, textReader(c, pkAt, options));
    case 'regex': {
      const text = textReader(c, pkAt, options);
      let re: RegExp;
      try {
        re = new RegExp(needle(c));
      } catch (error) {
        throw new QueryError('invalid', `Invalid regular expression: ${(error as Error).message}`);
      }
      return (v) => {
        const s = text(v);
        return s !== null && re.test(s);
      };
    }
    case 'range':
      if (c.truthy) refused();
      return orderingTest(c, pkAt, options);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return orderingTest(c, pkAt, options);
    case 'year':
    case 'month':
    case 'day':
    case 'week_day': {
      // date parts exist on date columns only ("Unsupported lookup 'year' for IntegerField")
      if (c.valueKind !== 'datetime' || pkAt) refused();
      const part = c.op;
      const n = pythonInt(needle(c));
      if (Number.isNaN(n)) refused();
      return (v) => {
        const t = datetimeOf(v);
        return !Number.isNaN(t) && datePart(t, part) === n;
      };
    }
    case 'isnull': {
      const wanted = isTruthy(needle(c));
      return (v) => (v === null || v === undefined) === wanted;
    }
  }
}
