/**
 * `filter{…}` parameters → a Where tree (`dynamic_rest/filters.py:262-324`), validated against the serializer schema.
 */
import { compileWhere } from './compile.js';
import { resolveFilterField } from './schema.js';
import {
  isFilterOperator,
  QueryError,
  type FieldSchema,
  type FilterCondition,
  type FilterOperator,
  type ValueKind,
  type Where,
} from './types.js';

export interface ParsedFilters {
  where: Where | null;
  form: 'params' | 'json';
  relationFilters: Array<[string, string[]]>;
}

const PREFIX = 'filter{';

/**
 * dynamic-rest _extract_object_params (viewsets.py:179-215): keys starting `filter{` must end `}` (or `}[]`,
 * stripped); a later key with the same spec replaces an earlier one in place. Empty values are kept
 * (viewsets.py:213; Django's QueryDict keeps blank values): `filter{title}=` is `title = ''`.
 */
export function extractFilterParams(params: URLSearchParams): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) {
    if (!key.startsWith(PREFIX)) continue;
    const list = grouped.get(key);
    if (list) list.push(value);
    else grouped.set(key, [value]);
  }
  const specs = new Map<string, string[]>();
  for (const [key, values] of grouped) {
    if (key === 'filter{}') continue; // the JSON form, read on its own (viewsets.py:190-196)
    // `filter{}[]` reaches dynamic-rest as the spec '' and fails at `spec[0]` (filters.py:283, a 500 there)
    if (key === 'filter{}[]')
      throw new QueryError(
        'parse_error',
        '"filter{}[]" is not a well-formed filter key: send the JSON form as filter{}.',
      );
    let spec: string;
    if (key.endsWith('}')) spec = key.slice(PREFIX.length, -1);
    else if (key.endsWith('}[]')) spec = key.slice(PREFIX.length, -3);
    else throw new QueryError('parse_error', `"${key}" is not a well-formed filter key.`);
    specs.set(spec, values);
  }
  return specs;
}

interface SplitSpec {
  negate: boolean;
  path: string[];
  op: FilterOperator;
}

function splitSpec(spec: string, operatorNeedsPath: boolean): SplitSpec {
  const negate = spec.startsWith('-');
  const parts = (negate ? spec.slice(1) : spec).split('.');
  const last = parts[parts.length - 1]!;
  let op: FilterOperator = 'eq';
  if ((!operatorNeedsPath || parts.length > 1) && isFilterOperator(last)) {
    op = last;
    parts.pop();
  }
  return { negate, path: parts, op };
}

function condition(schema: FieldSchema, split: SplitSpec, values: string[], form: 'params' | 'json'): FilterCondition {
  const { valueKind, manyAt, serializerBoolean } = resolveFilterField(schema, split.path);
  const c: FilterCondition = {
    kind: 'condition',
    path: split.path,
    op: split.op,
    negate: split.negate,
    values,
    valueKind,
  };
  if (manyAt >= 0) c.manyAt = manyAt;
  if (form === 'params' && serializerBoolean) c.truthy = true;
  return c;
}

/** Repeated values: all for `in`, the first two for `range`, the first for every other operator. */
function pickValues(op: FilterOperator, values: string[]): string[] {
  if (op === 'in') return values;
  if (op === 'range') return values.slice(0, 2);
  return values.slice(0, 1);
}

/** Django's key for a filter node (filters.py:88-91): the sort key of `Q(**includes)`, which sorts its kwargs. */
const djangoKey = (c: FilterCondition) => c.path.join('__') + (c.op === 'eq' ? '' : `__${c.op}`);

export function parseFilters(params: URLSearchParams, schema: FieldSchema): ParsedFilters {
  const specs = extractFilterParams(params);
  const relationFilters: Array<[string, string[]]> = [];
  const json = jsonFilterText(params);
  if (json !== null) {
    // filters.py:348: a falsy JSON value (`{}`, `null`, `0`, `""`, `[]`, `false`) leaves the simple keys in charge
    const where = parseJsonFilter(json, schema);
    if (where) return { where, form: 'json', relationFilters };
  }
  // A TreeMap keyed by include/exclude + field path + operator: `filter{x}` and `filter{x.eq}` are one node.
  const includes = new Map<string, FilterCondition>();
  const excludes = new Map<string, FilterCondition>();
  for (const [spec, raw] of specs) {
    if (spec.includes('|')) {
      relationFilters.push([spec, raw]);
      continue;
    }
    const split = splitSpec(spec, true);
    const node = condition(schema, split, pickValues(split.op, raw), 'params');
    (split.negate ? excludes : includes).set(`${split.path.join('.')}.${split.op}`, node);
  }
  // The order Django meets them in one filter() call: Q(**includes) sorts by key (filters.py:360), then each
  // exclude in turn (filters.py:363-364). It decides which value error is reported first, and an exclude on a
  // to-many path meets the join an include made (see compile.ts).
  const list = [
    ...[...includes.values()].sort((a, b) => (djangoKey(a) < djangoKey(b) ? -1 : djangoKey(a) > djangoKey(b) ? 1 : 0)),
    ...excludes.values(),
  ];
  const where: Where | null = list.length === 0 ? null : { kind: 'and', nodes: list };
  if (where) compileWhere(where); // value checks (datetimes, integers, booleans, regexes, lookups) raise here
  return { where, form: 'params', relationFilters };
}

/** viewsets.py:189-194: the first value of the first `filter{}` key, or null when there is none. */
function jsonFilterText(params: URLSearchParams): string | null {
  for (const [key, value] of params) if (key === 'filter{}') return value;
  return null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function jsonScalar(value: unknown, kind: ValueKind): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  // The raw JSON value reaches the ORM (filters.py:185): int(10.5) is 10 and int(True) is 1 on an integer column;
  // BooleanField.to_python takes True/False/1/0; a text column reads str(True) as 'True'.
  if (typeof value === 'boolean') {
    if (kind === 'integer' || kind === 'ref' || kind === 'float') return value ? '1' : '0';
    return value ? 'True' : 'False';
  }
  if (typeof value === 'number') {
    if (kind === 'integer' || kind === 'ref') return String(Math.trunc(value));
    if (kind === 'boolean') return value === 1 ? 'True' : value === 0 ? 'False' : String(value);
    return String(value);
  }
  throw new QueryError('parse_error', `Invalid filter value: ${JSON.stringify(value)}`);
}

function jsonClause(key: string, value: unknown, schema: FieldSchema): FilterCondition {
  const split = splitSpec(key, false);
  const c = condition(schema, split, [], 'json');
  if (split.op === 'in' || split.op === 'range') {
    const list = Array.isArray(value) ? value : [value];
    // Django drops None from IN lists.
    c.values = list.map((v) => jsonScalar(v, c.valueKind)).filter((v): v is string => v !== null);
    if (split.op === 'range') c.values = c.values.slice(0, 2);
  } else {
    const scalar = jsonScalar(Array.isArray(value) ? (value[0] ?? null) : value, c.valueKind);
    if (scalar === null) {
      // Q(field=None) is IS NULL; any other lookup with None is an error in Django.
      if (split.op !== 'eq') throw new QueryError('invalid', 'Cannot use None as a query value');
      return { ...c, op: 'isnull', values: ['true'] };
    }
    c.values = [scalar];
  }
  return c;
}

/**
 * The JSON form: an object whose `.or`/`$or` (array of objects) wins over `.and`/`$and`, which wins over
 * plain clauses (AND-ed; `-key` negates). One clause stands for itself, several become an AND node.
 */
function jsonNode(value: unknown, schema: FieldSchema): Where {
  if (!isPlainObject(value)) throw new QueryError('parse_error', 'filter{} must be a JSON object.');
  for (const [names, kind] of [
    [['.or', '$or'], 'or'],
    [['.and', '$and'], 'and'],
  ] as const) {
    const group = value[names[0]] || value[names[1]];
    if (group) {
      if (!Array.isArray(group)) throw new QueryError('parse_error', `"${names[1]}" must be a JSON array of objects.`);
      return { kind, nodes: group.map((item) => jsonNode(item, schema)) };
    }
  }
  const clauses = Object.entries(value).map(([key, v]) => jsonClause(key, v, schema));
  return clauses.length === 1 ? clauses[0]! : { kind: 'and', nodes: clauses };
}

/** Python's truthiness of a parsed JSON value. */
function pyTruthy(value: unknown): boolean {
  if (value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/**
 * The `filter{}` JSON text → a Where, or null for a falsy JSON value (then the simple keys apply, filters.py:348).
 * Text that is not JSON (the empty value too) is a clean 400 here; GeoNode answers 500 from json.loads
 * (viewsets.py:194) — a deliberate difference.
 */
export function parseJsonFilter(text: string, schema: FieldSchema): Where | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new QueryError('parse_error', `filter{} is not valid JSON: ${(error as Error).message}`);
  }
  if (!pyTruthy(data)) return null;
  const where = jsonNode(data, schema);
  compileWhere(where);
  return where;
}
