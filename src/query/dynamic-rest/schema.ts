/** Resolving serializer field paths the way dynamic-rest does, for filters, sort terms, search fields and include/exclude. */
import { QueryError, type FieldSchema, type FieldSpec, type RequestFields, type ValueKind } from './types.js';

function kindOf(spec: FieldSpec | undefined, isPk: boolean): ValueKind {
  if (isPk) return 'integer';
  if (!spec) return 'text';
  if (spec.column) return spec.column;
  switch (spec.type) {
    case 'integer':
      return 'integer';
    case 'number':
      return 'float';
    case 'boolean':
      return 'boolean';
    case 'datetime':
      return 'datetime';
    default:
      return spec.nested ? 'ref' : 'text';
  }
}

export interface ResolvedFilterPath {
  valueKind: ValueKind;
  /** Index of the first to-many relation on the path, or -1. */
  manyAt: number;
  /** The last serializer field reached is a BooleanField (a trailing `pk` reaches none). */
  serializerBoolean: boolean;
}

/**
 * dynamic-rest FilterNode.generate_query_key: `pk` is accepted at any level, an unknown segment is
 * "Invalid filter field: <segment>", and walking on through a field that is not a relation is
 * "Invalid nested filter field: <field>" (so `filter{title.foo}` names `title`).
 */
export function resolveFilterField(schema: FieldSchema, path: readonly string[]): ResolvedFilterPath {
  // `{"in": …}` in the JSON form: no field at all, a Django FieldError re-raised by dynamic-rest with no message.
  if (path.length === 0) throw new QueryError('invalid', '');
  let s = schema;
  let spec: FieldSpec | undefined;
  let lastIsPk = false;
  let manyAt = -1;
  for (let i = 0; i < path.length; i++) {
    const name = path[i]!;
    if (name === 'pk') {
      lastIsPk = true;
      spec = s.fields.pk;
      continue;
    }
    lastIsPk = false;
    spec = Object.hasOwn(s.fields, name) ? s.fields[name] : undefined;
    if (!spec) throw new QueryError('invalid', `Invalid filter field: ${name}`);
    if (spec.many && manyAt < 0) manyAt = i;
    if (i === path.length - 1) break;
    if (!spec.nested) throw new QueryError('invalid', `Invalid nested filter field: ${name}`);
    s = spec.nested;
  }
  return { valueKind: kindOf(spec, lastIsPk), manyAt, serializerBoolean: !lastIsPk && spec?.type === 'boolean' };
}

export function resolveFilterPath(schema: FieldSchema, path: readonly string[]): ValueKind {
  return resolveFilterField(schema, path).valueKind;
}

/**
 * dynamic-rest DynamicSortingFilter.ordering_for: every segment but the last must be a relation field,
 * the last must be a field of the serializer reached. Null when the term is not valid.
 */
export function resolveSortPath(schema: FieldSchema, path: readonly string[]): ValueKind | null {
  let s = schema;
  for (let i = 0; i < path.length - 1; i++) {
    const spec = Object.hasOwn(s.fields, path[i]!) ? s.fields[path[i]!] : undefined;
    if (!spec?.nested) return null;
    s = spec.nested;
  }
  const last = path[path.length - 1]!;
  const spec = Object.hasOwn(s.fields, last) ? s.fields[last] : undefined;
  if (!spec) return null;
  return kindOf(spec, last === 'pk');
}

/** Whether a search field path (`owner__username` or `owner.username`) resolves like a filter path. */
export function resolveSearchPath(schema: FieldSchema, path: readonly string[]): boolean {
  try {
    resolveFilterPath(schema, path);
    return true;
  } catch {
    return false;
  }
}

/**
 * dynamic-rest get_request_fields: include[] values then exclude[] values, dotted paths nested; an empty
 * segment is only allowed last (where it is ignored).
 */
export function buildRequestFields(include: readonly string[], exclude: readonly string[]): RequestFields | null {
  if (include.length === 0 && exclude.length === 0) return null;
  const root: RequestFields = Object.create(null) as RequestFields;
  const passes: Array<[readonly string[], boolean]> = [
    [include, true],
    [exclude, false],
  ];
  for (const [values, flag] of passes) {
    for (const field of values) {
      const segments = field.split('.');
      let current = root;
      for (let i = 0; i < segments.length; i++) {
        const segment = segments[i]!;
        const last = i === segments.length - 1;
        if (segment) {
          if (last) {
            current[segment] = flag;
          } else {
            const next = current[segment];
            if (typeof next !== 'object') current[segment] = Object.create(null) as RequestFields;
            current = current[segment] as RequestFields;
          }
        } else if (!last) {
          throw new QueryError('parse_error', `"${field}" is not a valid field.`);
        }
      }
    }
  }
  return root;
}

/** The serializer's check of requested field names, recursing into embedded serializers. */
export function validateRequestFields(tree: RequestFields, schema: FieldSchema): void {
  for (const name of Object.keys(tree)) {
    if (name === '*') continue;
    const spec = Object.hasOwn(schema.fields, name) ? schema.fields[name] : undefined;
    if (!spec) throw new QueryError('parse_error', `"${name}" is not a valid field name for "${schema.name}".`);
    const sub = tree[name];
    if (typeof sub === 'object' && spec.nested) validateRequestFields(sub, spec.nested);
  }
}
