/**
 * Types of the dynamic-rest query language as GeoNode exposes it (`dynamic_rest/viewsets.py:81-91`,
 * `dynamic_rest/filters.py:191`, and GeoNode's backends at `geonode/base/api/views.py:307-315` (4.4.3)).
 * Pure data: a parsed query is plain JSON-able objects, evaluated by compile.ts and written back by serialize.ts.
 */

/** Serializer field types, as far as filtering, sorting and projection need them. */
export const FIELD_TYPES = [
  'string',
  'integer',
  'number',
  'boolean',
  'datetime',
  'object',
  'array',
  'geometry',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/**
 * The model column behind a serializer field, where it differs from what the serializer renders: dynamic-rest hands
 * filter values to the ORM, so they are read by the column's type (GeoNode renders `pk` and the counters with
 * CharFields over integer columns; the filter is applied at `dynamic_rest/filters.py:610`). Relations (`nested`) filter
 * by the related row's integer pk.
 */
export const COLUMN_TYPES = ['integer', 'float', 'boolean', 'datetime', 'text'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

export interface FieldSpec {
  type: FieldType;
  /** The model column's type when it is not the serializer type's natural column (contract: `x-geostub-column`). */
  column?: ColumnType;
  /** Only rendered with `include[]=<field>` or `include[]=*`. */
  deferred?: boolean;
  /** Fields of an embedded relation (owner → user, keywords → {name, slug}, …). */
  nested?: FieldSchema;
  /** To-many relation: the rendered value is an array of nested objects. */
  many?: boolean;
}

/** A serializer: its singular name (used in error messages) and its fields, in output order. */
export interface FieldSchema {
  name: string;
  fields: Readonly<Record<string, FieldSpec>>;
}

/** dynamic-rest's VALID_FILTER_OPERATORS (plus GeoNode's `iexact`); no operator means `eq`. */
export const FILTER_OPERATORS = [
  'in',
  'any',
  'all',
  'icontains',
  'contains',
  'startswith',
  'istartswith',
  'endswith',
  'iendswith',
  'year',
  'month',
  'day',
  'week_day',
  'regex',
  'range',
  'gt',
  'lt',
  'gte',
  'lte',
  'isnull',
  'eq',
  'iexact',
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

const OPERATOR_SET: ReadonlySet<string> = new Set(FILTER_OPERATORS);
export function isFilterOperator(value: string): value is FilterOperator {
  return OPERATOR_SET.has(value);
}

/**
 * How a value is compared: the model column's type, resolved from the schema when the query is parsed.
 * `integer` for integer columns and every `pk` (Python int() of the value, else a 400 with an empty message),
 * `float` for float columns, `ref` for relations (the related row's integer pk).
 */
export type ValueKind = 'text' | 'integer' | 'float' | 'boolean' | 'datetime' | 'ref';

export interface FilterCondition {
  kind: 'condition';
  /** Serializer field names, e.g. ['owner', 'username']. */
  path: string[];
  op: FilterOperator;
  /** `filter{-x}` / `{"-x": …}`: NOT of the whole condition. */
  negate: boolean;
  /** `in`: every value; `range`: the first two; every other operator: exactly one. */
  values: string[];
  valueKind: ValueKind;
  /**
   * Index in `path` of the first to-many relation (keywords, regions, …), or -1 / absent. All conditions of one
   * request are one `filter()` call (filters.py:360, 610), so conditions through the same to-many relation are
   * about the same related row (Django reuses the join inside one call).
   */
  manyAt?: number;
  /**
   * `filter{x}` params on a serializer BooleanField: dynamic-rest replaces the value by is_truthy(value) before the
   * ORM sees it (filters.py:163-164); a list (`in`, `range`) becomes True, which the ORM refuses.
   */
  truthy?: boolean;
}

export interface WhereAnd {
  kind: 'and';
  nodes: Where[];
}
export interface WhereOr {
  kind: 'or';
  nodes: Where[];
}
export type Where = FilterCondition | WhereAnd | WhereOr;

/** dynamic-rest's request-fields tree: `true` include, `false` exclude, object = nested selection; key `*` = all. */
export interface RequestFields {
  [field: string]: boolean | RequestFields;
}

export interface Projection {
  /** Effective `include[]` / `exclude[]` values (explicit ones, then preset expansions). */
  include: string[];
  exclude: string[];
  /** What the request itself carried, before `api_preset` expansion. */
  requestedInclude: string[];
  requestedExclude: string[];
  /** Null when there is neither include[] nor exclude[]: the serializer's default field set. */
  tree: RequestFields | null;
}

export interface SortTerm {
  /** The term as sent (trimmed), e.g. '-owner.username'. */
  raw: string;
  path: string[];
  desc: boolean;
  valueKind: ValueKind;
}

/** DRF SearchFilter prefixes: none → icontains, `^` istartswith, `=` iexact, `@` full-text, `$` iregex. */
export type SearchMode = 'icontains' | 'istartswith' | 'iexact' | 'search' | 'iregex';

export interface SearchField {
  raw: string;
  path: string[];
  mode: SearchMode;
}

export interface SearchQuery {
  /** The last `search` value as sent, or null. */
  text: string | null;
  /** Terms split on whitespace and commas (AND over terms, OR over fields). */
  terms: string[];
  /** `search_fields` values, repeatable, never comma-split. */
  fields: SearchField[];
}

/** One `extent` box, EPSG:4326, as sent (a box with minx > maxx crosses the antimeridian). */
export interface Box {
  minx: number;
  miny: number;
  maxx: number;
  maxy: number;
}

export interface DynamicQuery {
  /** Null: no filter. */
  where: Where | null;
  /** `params`: simple `filter{x}` keys; `json`: the `filter{}` JSON form (simple keys then ignored). */
  filterForm: 'params' | 'json';
  /** Relation-scoped `filter{rel|field}` keys: carried for serialization, not evaluated (they filter sideloads). */
  relationFilters: Array<[key: string, values: string[]]>;
  projection: Projection;
  sort: SortTerm[];
  search: SearchQuery;
  /** Null: no extent filter. */
  extent: Box[] | null;
  /** `api_preset` values as sent. */
  presets: string[];
  /** Unknown preset names met (processing stopped at the first): for the caller to log. */
  unknownPresets: string[];
}

export interface DynamicQueryError {
  code: 'invalid' | 'parse_error';
  message: string;
}

export type ParseResult = { ok: true; query: DynamicQuery } | { ok: false; error: DynamicQueryError };

/** Thrown inside the module, turned into `{ ok: false, error }` by parseDynamicQuery. */
export class QueryError extends Error {
  constructor(
    readonly code: DynamicQueryError['code'],
    message: string,
  ) {
    super(message);
    this.name = 'QueryError';
  }
  toJSON(): DynamicQueryError {
    return { code: this.code, message: this.message };
  }
}

/** Any rendered object (interfaces included); fields are read by name. */
export type AnyRecord = object;
export type Predicate = (record: AnyRecord) => boolean;
