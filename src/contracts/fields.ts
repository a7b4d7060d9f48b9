/**
 * Field sets taken from the contract: the `properties` of a component schema decide which keys an object has.
 * A property written `{allOf: [{$ref: X}], readOnly: true, …}` has X's schema and the wrapper's flags.
 * Cached per schema name.
 */
import { resolveRef, resolveSchema, type Contract, type Json, type JsonObject } from './load.js';

export interface FieldSet {
  /** every property, in contract order */
  all: string[];
  /** properties marked `x-geostub-deferred: true` */
  deferred: Set<string>;
  readOnly: Set<string>;
  writeOnly: Set<string>;
  /** the resolved schema of each property */
  props: Record<string, JsonObject>;
}

const cache = new WeakMap<Contract, Map<string, FieldSet>>();

export function fieldSet(contract: Contract, schemaName: string): FieldSet {
  let perContract = cache.get(contract);
  if (!perContract) cache.set(contract, (perContract = new Map()));
  let fs = perContract.get(schemaName);
  if (fs) return fs;
  const schemas = ((contract.doc.components as JsonObject | undefined)?.schemas ?? {}) as JsonObject;
  const schema = schemas[schemaName];
  if (!schema) throw new Error(`${contract.file}: no component schema ${schemaName}`);
  fs = fieldSetOf(contract, schema);
  perContract.set(schemaName, fs);
  return fs;
}

export function fieldSetOf(contract: Contract, schemaNode: Json): FieldSet {
  const schema = resolveRef<JsonObject>(contract.doc, schemaNode);
  const properties = (schema.properties ?? {}) as JsonObject;
  const fs: FieldSet = { all: [], deferred: new Set(), readOnly: new Set(), writeOnly: new Set(), props: {} };
  for (const [name, raw] of Object.entries(properties)) {
    const prop = raw as JsonObject;
    // `{allOf: [{$ref}], readOnly, x-geostub-deferred}` reads as the referenced schema, flags taken from the wrapper
    const resolved = resolveSchema<JsonObject>(contract.doc, prop);
    fs.all.push(name);
    fs.props[name] = resolved;
    if (prop['x-geostub-deferred'] === true || resolved['x-geostub-deferred'] === true) fs.deferred.add(name);
    if (prop.readOnly === true || resolved.readOnly === true) fs.readOnly.add(name);
    if (prop.writeOnly === true || resolved.writeOnly === true) fs.writeOnly.add(name);
  }
  return fs;
}

/** A blank value for a property schema: null when nullable, else the type's empty value. */
export function blankValue(prop: JsonObject): Json {
  if (prop.default !== undefined) return structuredClone(prop.default);
  if (prop.nullable === true) return null;
  if (Array.isArray(prop.enum) && prop.enum.length) return prop.enum[0];
  switch (prop.type) {
    case 'string':
      return '';
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'object':
      return {};
    default:
      return null;
  }
}
