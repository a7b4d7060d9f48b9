/** `filter{…}` parameters → a Where tree (facts §3.1), validated against the serializer schema. */
import { compileWhere } from './compile.js';
import { resolveFilterPath } from './schema.js';
import { isFilterOperator, QueryError, type FieldSchema, type FilterCondition, type FilterOperator, type Where } from './types.js';

export interface ParsedFilters {
  where: Where | null;
  form: 'params' | 'json';
  relationFilters: Array<[string, string[]]>;
}

const PREFIX = 'filter{';

/**
 * dynamic-rest _extract_object_params: keys starting `filter{` must end `}` (or `}[]`, stripped); keys whose
 * values are all empty are skipped first; a later key with the same spec replaces an earlier one in place.
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
    if (values.every((v) => v === '')) continue;
    let spec: string;
    if (key.endsWith('}')) spec = key.slice(PREFIX.length, -1);
    else if (key.endsWith('}[]')) spec = key.slice(PREFIX.length, -3);
    else throw new QueryError('parse_error', `"${key}" is not a well-formed filter key.`);
    specs.set(spec, values);
  }
  return specs;
}

interface SplitSpec { negate: boolean; path: string[]; op: FilterOperator }

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

function condition(schema: FieldSchema, split: SplitSpec, values: string[]): FilterCondition {
  const valueKind = resolveFilterPath(schema, split.path);
  return { kind: 'condition', path: split.path, op: split.op, negate: split.negate, values, valueKind };
}

/** Repeated values: all for `in`, the first two for `range`, the first for every other operator. */
function pickValues(op: FilterOperator, values: string[]): string[] {
  if (op === 'in') return values;
  if (op === 'range') return values.slice(0, 2);
  return values.slice(0, 1);
}

export function parseFilters(params: URLSearchParams, schema: FieldSchema): ParsedFilters {
  const specs = extractFilterParams(params);
  const relationFilters: Array<[string, string[]]> = [];
  const json = specs.get('');
  if (json !== undefined) {
    const where = parseJsonFilter(json[json.length - 1]!, schema);
    return { where, form: 'json', relationFilters };
  }
  // A TreeMap keyed by include/exclude + field path + operator: `filter{x}` and `filter{x.eq}` are one node.
  const nodes = new Map<string, FilterCondition>();
  for (const [spec, raw] of specs) {
    if (spec.includes('|')) {
      relationFilters.push([spec, raw]);
      continue;
    }
    const split = splitSpec(spec, true);
    const node = condition(schema, split, pickValues(split.op, raw));
    nodes.set(`${split.negate ? '-' : '+'}${split.path.join('.')}.${split.op}`, node);
  }
  const list = [...nodes.values()];
  const where: Where | null = list.length === 0 ? null : { kind: 'and', nodes: list };
  if (where) compileWhere(where); // value checks (datetimes, integers, regexes, range arity) raise here
  return { where, form: 'params', relationFilters };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function jsonScalar(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new QueryError('parse_error', `Invalid filter value: ${JSON.stringify(value)}`);
}

function jsonClause(key: string, value: unknown, schema: FieldSchema): FilterCondition {
  const split = splitSpec(key, false);
  let values: string[];
  if (split.op === 'in' || split.op === 'range') {
    const list = Array.isArray(value) ? value : [value];
    // Django drops None from IN lists.
    values = list.map(jsonScalar).filter((v): v is string => v !== null);
    if (split.op === 'range') values = values.slice(0, 2);
  } else {
    const scalar = jsonScalar(Array.isArray(value) ? value[0] ?? null : value);
    if (scalar === null) {
      // Q(field=None) is IS NULL; any other lookup with None is an error in Django.
      if (split.op !== 'eq') throw new QueryError('invalid', 'Cannot use None as a query value');
      return condition(schema, { ...split, op: 'isnull' }, ['true']);
    }
    values = [scalar];
  }
  return condition(schema, split, values);
}

/**
 * The JSON form: an object whose `.or`/`$or` (array of objects) wins over `.and`/`$and`, which wins over
 * plain clauses (AND-ed; `-key` negates). One clause stands for itself, several become an AND node.
 */
function jsonNode(value: unknown, schema: FieldSchema): Where {
  if (!isPlainObject(value)) throw new QueryError('parse_error', 'filter{} must be a JSON object.');
  for (const [names, kind] of [[['.or', '$or'], 'or'], [['.and', '$and'], 'and']] as const) {
    const group = value[names[0]] || value[names[1]];
    if (group) {
      if (!Array.isArray(group)) throw new QueryError('parse_error', `"${names[1]}" must be a JSON array of objects.`);
      return { kind, nodes: group.map((item) => jsonNode(item, schema)) };
    }
  }
  const clauses = Object.entries(value).map(([key, v]) => jsonClause(key, v, schema));
  return clauses.length === 1 ? clauses[0]! : { kind: 'and', nodes: clauses };
}

export function parseJsonFilter(text: string, schema: FieldSchema): Where {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new QueryError('parse_error', `filter{} is not valid JSON: ${(error as Error).message}`);
  }
  const where = jsonNode(data, schema);
  compileWhere(where);
  return where;
}
