/**
 * The dynamic-rest field schema of a contract object: which fields exist, their types, which are deferred and
 * which are embedded relations. Derived from the component schema, so filters and the contract never disagree.
 * Two extensions say what the rendered shape cannot: `x-geostub-column` beside a property (the model column's type,
 * which filters use: GeoNode renders `pk` and the counters as strings over integer columns) and
 * `x-geostub-serializer` on an embedded object's schema (the nested serializer's Meta.name, which its errors name).
 */
import {
  COLUMN_TYPES,
  type ColumnType,
  type FieldSchema,
  type FieldSpec,
  type FieldType,
} from '../query/dynamic-rest/index.js';
import { resolveRef, resolveSchema, type Contract, type JsonObject } from './load.js';

const cache = new WeakMap<Contract, Map<string, FieldSchema>>();

export function queryFieldSchema(contract: Contract, schemaName: string, singular: string): FieldSchema {
  let per = cache.get(contract);
  if (!per) cache.set(contract, (per = new Map()));
  const key = `${schemaName}:${singular}`;
  let fs = per.get(key);
  if (!fs) {
    const schemas = ((contract.doc.components as JsonObject).schemas ?? {}) as JsonObject;
    fs = toFieldSchema(contract, schemas[schemaName] as JsonObject, singular, 0);
    per.set(key, fs);
  }
  return fs;
}

function toFieldSchema(contract: Contract, node: JsonObject, name: string, depth: number): FieldSchema {
  const schema = resolveRef<JsonObject>(contract.doc, node);
  const fields: Record<string, FieldSpec> = {};
  for (const [field, raw] of Object.entries((schema.properties ?? {}) as JsonObject)) {
    const prop = resolveSchema<JsonObject>(contract.doc, raw); // an allOf-wrapped $ref reads as the referenced schema
    const deferred = (raw as JsonObject)['x-geostub-deferred'] === true || prop['x-geostub-deferred'] === true;
    const column = columnOf((raw as JsonObject)['x-geostub-column'] ?? prop['x-geostub-column'], field);
    fields[field] = {
      ...toSpec(contract, prop, field, depth),
      ...(deferred ? { deferred: true } : {}),
      ...(column ? { column } : {}),
    };
  }
  const serializer = schema['x-geostub-serializer'];
  return { name: depth > 0 && typeof serializer === 'string' ? serializer : name, fields };
}

function columnOf(value: unknown, field: string): ColumnType | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && (COLUMN_TYPES as readonly string[]).includes(value)) return value as ColumnType;
  throw new Error(
    `x-geostub-column of "${field}" must be one of ${COLUMN_TYPES.join(', ')}; got ${JSON.stringify(value)}`,
  );
}

function isGeometry(prop: JsonObject): boolean {
  const props = (prop.properties ?? {}) as JsonObject;
  return 'coordinates' in props && 'type' in props;
}

function toSpec(contract: Contract, prop: JsonObject, field: string, depth: number): FieldSpec {
  const type = prop.type as string | undefined;
  if (type === 'string') return { type: (prop.format === 'date-time' ? 'datetime' : 'string') as FieldType };
  if (type === 'integer' || type === 'number' || type === 'boolean') return { type };
  if (type === 'array') {
    const items = prop.items ? resolveRef<JsonObject>(contract.doc, prop.items) : undefined;
    if (items && items.properties && depth < 3)
      return { type: 'array', many: true, nested: toFieldSchema(contract, items, field, depth + 1) };
    return { type: 'array' };
  }
  if (prop.properties && isGeometry(prop)) return { type: 'geometry' };
  if (prop.properties && depth < 3) return { type: 'object', nested: toFieldSchema(contract, prop, field, depth + 1) };
  return { type: 'object' };
}
