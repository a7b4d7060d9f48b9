/**
 * `$ref` siblings. OpenAPI 3.0 ignores every keyword beside a `$ref`, so the contracts write a property that needs
 * `readOnly`, a description or `x-geostub-deferred` as `{allOf: [{$ref: X}], readOnly: true, …}`. geostub must read
 * that exactly as it read the old `{$ref: X, readOnly: true, …}`: same field sets (keys, read-only, deferred, the
 * referenced schema), same dynamic-rest field schemas, same ajv answers. Each is compared against a copy of the
 * contract turned back into the old form.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContracts, type Contract, type Json, type JsonObject } from '../src/contracts/load.js';
import { fieldSet, fieldSetOf } from '../src/contracts/fields.js';
import { queryFieldSchema } from '../src/contracts/query-schema.js';
import { ContractValidators } from '../src/contracts/validators.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const isObject = (n: Json | undefined): n is JsonObject => !!n && typeof n === 'object' && !Array.isArray(n);

/** Every `$ref` node that has other keys beside it, as JSON paths. */
function refsWithSiblings(node: Json, path = '#'): string[] {
  if (Array.isArray(node)) return node.flatMap((n, i) => refsWithSiblings(n, `${path}/${i}`));
  if (!isObject(node)) return [];
  const here = typeof node.$ref === 'string' && Object.keys(node).length > 1 ? [path] : [];
  return [...here, ...Object.entries(node).flatMap(([k, v]) => refsWithSiblings(v, `${path}/${k}`))];
}

/** The old form: `{allOf: [{$ref: X}], …siblings}` → `{$ref: X, …siblings}`; counts the nodes turned back. */
function unwrap(node: Json, count: { n: number }): Json {
  if (Array.isArray(node)) return node.map((n) => unwrap(n, count));
  if (!isObject(node)) return node;
  const { allOf, ...rest } = node;
  if (
    Array.isArray(allOf) &&
    allOf.length === 1 &&
    isObject(allOf[0]) &&
    Object.keys(allOf[0]).length === 1 &&
    typeof allOf[0].$ref === 'string' &&
    !('type' in rest)
  ) {
    count.n++;
    return { $ref: allOf[0].$ref, ...rest };
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, unwrap(v, count)]));
}

const schemasOf = (c: Contract) => ((c.doc.components as JsonObject).schemas ?? {}) as JsonObject;
const withProperties = (c: Contract) =>
  Object.keys(schemasOf(c)).filter(
    (n) => isObject(schemasOf(c)[n]) && isObject((schemasOf(c)[n] as JsonObject).properties),
  );

let contracts: Contract[];
let legacy: Contract[];
let wrapped = 0;
let s: TestServer;

beforeAll(async () => {
  contracts = await loadContracts();
  legacy = contracts.map((c) => {
    const count = { n: 0 };
    const doc = unwrap(structuredClone(c.doc), count) as JsonObject;
    wrapped += count.n;
    return { ...c, doc };
  });
  s = await startTestServer();
});
afterAll(() => s?.close());

describe('$ref siblings', () => {
  it('no $ref in either contract has sibling keywords (OpenAPI 3.0 would ignore them)', () => {
    for (const c of contracts) expect(refsWithSiblings(c.doc), c.file).toEqual([]);
    // the old form really had them: the comparisons below are between two different documents
    expect(wrapped).toBeGreaterThanOrEqual(32);
    expect(refsWithSiblings(legacy[0].doc).length).toBe(wrapped);
  });

  it('a wrapped property keeps its flags and reads as the referenced schema', () => {
    const geonode = contracts.find((c) => c.api === 'geonode')!;
    const schemas = schemasOf(geonode);
    for (const name of ['Resource', 'Dataset', 'DatasetListItem', 'Document', 'Map', 'GeoApp']) {
      const fs = fieldSet(geonode, name);
      expect(fs.readOnly.has('owner'), name).toBe(true);
      expect(fs.props.owner, name).toBe(schemas.UserEmbed); // the referenced component itself, not the wrapper
      expect(fs.readOnly.has('bbox_polygon'), name).toBe(true);
      expect(fs.props.bbox_polygon, name).toBe(schemas.GeoJSONPolygon);
      expect(fs.deferred.has('linked_resources'), name).toBe(true);
      expect(fs.props.linked_resources, name).toBe(schemas.LinkedResources);
      expect(fs.props.extent, name).toBe(schemas.Extent);
    }
    // documents and geoapps take a written extent: no readOnly on their wrapper
    expect(fieldSet(geonode, 'Document').readOnly.has('extent')).toBe(false);
    expect(fieldSet(geonode, 'Dataset').readOnly.has('extent')).toBe(true);
    expect(fieldSet(geonode, 'Dataset').props.default_style).toBe(schemas.NullableStyle);
  });

  it('every field set and every dynamic-rest field schema is the same as with the old $ref-with-siblings form', () => {
    for (const [i, c] of contracts.entries()) {
      const names = withProperties(c);
      expect(names.length).toBeGreaterThan(5);
      for (const name of names) {
        // fieldSetOf on the node itself (not cached by name); a property's schema is compared in the old form, as
        // the schemas nested inside it hold wrappers of their own
        const a = fieldSetOf(c, schemasOf(c)[name]);
        const b = fieldSetOf(legacy[i], schemasOf(legacy[i])[name]);
        expect({ ...a, props: unwrap(a.props, { n: 0 }) }, `${c.api} ${name}`).toEqual(b);
        expect(queryFieldSchema(c, name, 'x'), `${c.api} ${name}`).toEqual(queryFieldSchema(legacy[i], name, 'x'));
      }
    }
  });

  it('ajv answers the same for real responses and for each wrapped field broken on purpose', async () => {
    const now = new ContractValidators(contracts);
    const old = new ContractValidators(legacy);
    const bodies: [string, unknown][] = [];
    for (const [plural, schema] of [
      ['resources', 'Resource'],
      ['datasets', 'DatasetListItem'],
      ['documents', 'Document'],
      ['maps', 'Map'],
      ['geoapps', 'GeoApp'],
    ]) {
      const res = await s.request('GET', `/api/v2/${plural}/?page_size=20&include[]=linked_resources`);
      expect(res.status, res.text.slice(0, 200)).toBe(200);
      expect(res.json[plural].length, plural).toBeGreaterThan(0);
      for (const item of res.json[plural]) bodies.push([schema, item]);
    }
    const ds = (await s.request('GET', '/api/v2/datasets/?page_size=1')).json.datasets[0];
    bodies.push([
      'Dataset',
      (await s.request('GET', `/api/v2/datasets/${ds.pk}/?include[]=linked_resources`)).json.dataset,
    ]);
    let valid = 0;
    let broken = 0;
    for (const [schema, body] of bodies) {
      const variants: unknown[] = [body];
      for (const field of ['owner', 'bbox_polygon', 'll_bbox_polygon', 'extent', 'linked_resources', 'default_style']) {
        if (body && typeof body === 'object' && field in body)
          variants.push({ ...body, [field]: 'not an object' }, { ...body, [field]: null });
      }
      for (const v of variants) {
        const a = now.forSchema('geonode', { $ref: `#/components/schemas/${schema}` });
        const b = old.forSchema('geonode', { $ref: `#/components/schemas/${schema}` });
        const okA = a(v);
        const okB = b(v);
        expect(okA, `${schema}: ${JSON.stringify(a.errors)}`).toBe(okB);
        expect(a.errors ?? null).toEqual(b.errors ?? null);
        if (okA) valid++;
        else broken++;
      }
    }
    // both outcomes were exercised: real bodies pass, broken fields fail
    expect(valid).toBeGreaterThan(10);
    expect(broken).toBeGreaterThan(10);
  });
});
