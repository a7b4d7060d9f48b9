/**
 * Fixture records checked against the contracts when they are loaded, so a hand-edited or recorded fixture file that
 * the API could never have answered is refused with the file, the record and the field named, e.g.
 * `geonode.json: resources record 12 (pk 34): field "title" must be string`.
 *
 * What is checked, per record: it is an object; it has its collection's id, of the right kind, not used twice; each
 * field that the contract's schema for the record declares holds a value that schema allows. Fields the schema does
 * not declare are stored data (passwords, grants, references by id) and are not checked, nor are string formats
 * (stored URLs are host-relative paths, made absolute when rendered). Which schema a record has
 * is each API's knowledge (`FixtureSchemas`), passed in.
 */
import type { ValidateFunction } from 'ajv';
import { resolveRef, type Contract, type Json, type JsonObject } from './load.js';
import type { ContractValidators } from './validators.js';

type Rec = Record<string, unknown>;

/** How an API's fixture records map to its contract: the schema of a record of a collection, and fields to leave out. */
export interface FixtureSchema {
  api: Contract['api'];
  /** component schema name for a record (undefined: the record is not checked field by field) */
  schema: (record: Rec) => string | undefined;
  /** fields stored in another form than the contract renders (references by id, computed URLs) */
  skip?: readonly string[];
}
export type FixtureSchemas = Record<string, FixtureSchema>;

export interface IdRule {
  idField: string;
  idKind: 'int' | 'given' | string;
}

/** A problem in a fixture file that keeps the server from starting. */
export class FixtureError extends Error {
  override readonly name = 'FixtureError';
  constructor(
    readonly problems: string[],
    readonly limit = 20,
  ) {
    super(
      `the fixtures cannot be served: ${problems.length} problem(s)\n` +
        problems
          .slice(0, limit)
          .map((p) => `  ${p}`)
          .join('\n') +
        (problems.length > limit ? `\n  … and ${problems.length - limit} more` : '') +
        '\nFix the records (or regenerate the files with `geostub seed`); fixtures are read only on a first start or a reset.',
    );
  }
}

const isObj = (v: unknown): v is JsonObject => !!v && typeof v === 'object' && !Array.isArray(v);

/** The properties a schema declares, through `$ref` and `allOf`. */
function propertiesOf(doc: JsonObject, node: Json, seen = new Set<Json>()): Record<string, Json> {
  const schema = resolveRef<JsonObject>(doc, node);
  if (!isObj(schema) || seen.has(schema)) return {};
  seen.add(schema);
  const out: Record<string, Json> = {};
  for (const part of Array.isArray(schema.allOf) ? schema.allOf : []) Object.assign(out, propertiesOf(doc, part, seen));
  if (isObj(schema.properties)) Object.assign(out, schema.properties);
  return out;
}

/** ajv's first error as words: `must be string`, `"owner.pk" must be integer`, `must be one of: a, b`. */
function words(validate: ValidateFunction, field: string): string {
  const e = validate.errors?.[0];
  if (!e) return `field "${field}" is not valid`;
  const path = [field, ...e.instancePath.split('/').filter(Boolean)].join('.');
  const params = e.params as { allowedValues?: unknown[]; missingProperty?: string };
  if (e.keyword === 'enum' && params.allowedValues)
    return `field "${path}" must be one of: ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  if (e.keyword === 'required' && params.missingProperty) return `field "${path}" lacks "${params.missingProperty}"`;
  return `field "${path}" ${e.message ?? 'is not valid'}`;
}

/**
 * The problems of one fixture file's collections (empty: it can be served). `specs` gives each collection's id rule;
 * `schemas` the contract schema of its records.
 */
export function checkFixtureFile(
  file: string,
  collections: Record<string, unknown>,
  specs: Record<string, IdRule>,
  schemas: FixtureSchemas,
  contracts: Contract[],
  validators: ContractValidators,
): string[] {
  const problems: string[] = [];
  const docs = new Map(contracts.map((c) => [c.api, c.doc]));
  /** per schema: one validator of the declared fields together (fast), and one per field (to name the field) */
  const compiled = new Map<
    string,
    { whole: ValidateFunction; fields: () => Map<string, ValidateFunction> } | undefined
  >();
  const validatorsOf = (api: Contract['api'], schemaName: string, skip: readonly string[]) => {
    const key = `${api}:${schemaName}`;
    if (!compiled.has(key)) {
      const doc = docs.get(api);
      const node =
        doc && isObj(doc.components) && isObj(doc.components.schemas) ? doc.components.schemas[schemaName] : undefined;
      if (!doc || !node) compiled.set(key, undefined);
      else {
        const properties = Object.fromEntries(
          Object.entries(propertiesOf(doc, node)).filter(([name]) => !skip.includes(name)),
        );
        let fields: Map<string, ValidateFunction> | undefined;
        const each = () =>
          (fields ??= new Map(
            Object.entries(properties).map(([name, prop]) => [name, validators.forSchema(api, prop)]),
          ));
        compiled.set(key, { whole: validators.forSchema(api, { type: 'object', properties }), fields: each });
      }
    }
    return compiled.get(key);
  };
  for (const [name, records] of Object.entries(collections)) {
    const spec = specs[name];
    if (!spec) continue; // a collection this version does not know: kept as it is (a warning elsewhere)
    if (!Array.isArray(records)) {
      problems.push(`${file}: "${name}" must be a list of records`);
      continue;
    }
    const rule = schemas[name];
    const seen = new Set<unknown>();
    records.forEach((record: unknown, index) => {
      const where = (id?: unknown) =>
        `${file}: ${name} record ${index}${id === undefined ? '' : ` (${spec.idField} ${JSON.stringify(id)})`}`;
      if (!isObj(record)) {
        problems.push(
          `${where()}: must be an object, not ${record === null ? 'null' : Array.isArray(record) ? 'a list' : typeof record}`,
        );
        return;
      }
      const id = record[spec.idField];
      if (id === undefined || id === null) problems.push(`${where()}: has no "${spec.idField}"`);
      else if (spec.idKind === 'int' && !(Number.isInteger(id) || (typeof id === 'string' && /^\d+$/.test(id)))) {
        problems.push(`${where(id)}: field "${spec.idField}" must be a whole number`);
      } else if (seen.has(String(id)))
        problems.push(`${where(id)}: "${spec.idField}" ${JSON.stringify(id)} is used by an earlier record`);
      else seen.add(String(id));
      const schemaName = rule?.schema(record);
      if (!rule || !schemaName) return;
      const v = validatorsOf(rule.api, schemaName, rule.skip ?? []);
      if (!v || v.whole(record)) return;
      // something is wrong (or only a format: stored URLs are paths the renderer makes absolute): find the fields
      for (const [field, validate] of v.fields()) {
        if (!(field in record) || validate(record[field]) || validate.errors?.[0]?.keyword === 'format') continue;
        problems.push(`${where(id)}: ${words(validate, field)}`);
      }
    });
  }
  return problems;
}
