/**
 * The GeoNode 5.0 API families geostub serves in profile 5 (`--geonode 5`) and refuses in profile 4: the metadata
 * editor (schema, instance GET/PUT/PATCH, autocompletes), delete_thumbnail, iso_metadata_xml, dataset timeseries;
 * and the OAuth2 user-info endpoint both profiles serve. Sources: GeoNode 5.0.2 (commit 93492398a27f), file:line.
 */
import { describe, expect, it } from 'vitest';
import type { StoredRecord } from '../src/store/index.js';
import { bothProfiles, type TestServer } from './helpers/server.js';

const servers = bothProfiles({ jobDuration: 0 });

const owned = (s: TestServer, username: string, type = 'dataset', extra: (r: StoredRecord) => boolean = () => true) =>
  s.store
    .collection('resources')
    .list()
    .find((r) => r.resource_type === type && (r.owner as StoredRecord).username === username && extra(r))!;

describe('5.x-only routes are absent in profile 4', () => {
  it('metadata, delete_thumbnail, iso_metadata_xml and timeseries answer 404/405 on 4.4', async () => {
    const ds = owned(servers.v4, 'alice');
    for (const [method, path] of [
      ['GET', '/api/v2/metadata/schema'],
      ['GET', `/api/v2/metadata/instance/${String(ds.pk)}`],
      ['GET', '/api/v2/metadata/autocomplete/categories'],
      ['GET', `/api/v2/resources/${String(ds.pk)}/iso_metadata_xml`],
      ['GET', `/api/v2/datasets/${String(ds.pk)}/timeseries`],
    ] as const) {
      expect((await servers.v4.request(method, path)).status, path).toBe(404);
    }
    // on 4.4 nothing serves the path (`delete_thumbnail` is no link field of a resource)
    expect((await servers.v4.request('POST', `/api/v2/resources/${String(ds.pk)}/delete_thumbnail`)).status).toBe(404);
    expect(Object.keys((await servers.v4.request('GET', '/api/v2/')).json)).not.toContain('metadata');
    expect(Object.keys((await servers.v5.request('GET', '/api/v2/')).json)).toContain('metadata');
  });
});

describe('the metadata editor (5.0.2 metadata/api/views.py)', () => {
  it('serves the JSON schema the handlers build, with required fields and autocomplete URLs', async () => {
    const r = await servers.v5.request('GET', '/api/v2/metadata/schema', { as: null });
    expect(r.status).toBe(200);
    const schema = r.json;
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.required).toEqual([
      'title',
      'abstract',
      'date',
      'date_type',
      'category',
      'language',
      'license',
      'contacts',
    ]);
    const keys = Object.keys(schema.properties);
    // regions after attribution, doi after edition, hkeywords after tkeywords (the handlers' after_what)
    expect(keys.indexOf('regions')).toBe(keys.indexOf('attribution') + 1);
    expect(keys.indexOf('doi')).toBe(keys.indexOf('edition') + 1);
    expect(keys.indexOf('hkeywords')).toBe(keys.indexOf('tkeywords') + 1);
    expect(schema.properties.category['ui:options']['geonode-ui:autocomplete']).toBe(
      '/api/v2/metadata/autocomplete/categories',
    );
    expect(schema.properties.date_type.oneOf.map((o: { const: string }) => o.const)).toEqual([
      'creation',
      'publication',
      'revision',
    ]);
    expect(schema.properties.contacts.required).toEqual(['owner', 'author', 'pointOfContact']);
    expect((await servers.v5.request('GET', '/api/v2/metadata/schema/1/')).json).toEqual(schema);
    expect((await servers.v5.request('GET', '/api/v2/metadata/')).json.schema).toMatch(
      /\/api\/v2\/metadata\/schema\/$/,
    );
  });

  it('GET reads a resource in the schema shape; PATCH writes a field back; GET shows it', async () => {
    const ds = owned(servers.v5, 'alice');
    const get = await servers.v5.request('GET', `/api/v2/metadata/instance/${String(ds.pk)}`, { as: 'alice' });
    expect(get.status).toBe(200);
    expect(get.headers.get('content-type')).toMatch(/^application\/schema-instance\+json/);
    expect(get.json).toMatchObject({
      uuid: ds.uuid,
      title: ds.title,
      contacts: { owner: { label: expect.stringMatching(/^alice/) } },
    });
    const patch = await servers.v5.request('PATCH', `/api/v2/metadata/instance/${String(ds.pk)}`, {
      as: 'alice',
      body: { title: 'Rivers, revised', edition: '2nd' },
    });
    expect(patch.status).toBe(200);
    expect(patch.json).toEqual({ message: 'The resource was updated successfully', extraErrors: {} });
    const again = (await servers.v5.request('GET', `/api/v2/metadata/instance/${String(ds.pk)}`, { as: 'alice' })).json;
    expect(again.title).toBe('Rivers_ revised'); // TitleSubHandler replaces commas (handlers/base.py)
    expect(again.edition).toBe('2nd');
    expect(
      (await servers.v5.request('GET', `/api/v2/resources/${String(ds.pk)}`, { as: 'alice' })).json.resource.title,
    ).toBe('Rivers_ revised');
  });

  it('PUT of the instance read back round-trips; a bad value answers 422 with extraErrors and stores nothing', async () => {
    const ds = owned(servers.v5, 'alice', 'document', (r) => !!r.category && !!r.license);
    const instance = (await servers.v5.request('GET', `/api/v2/metadata/instance/${String(ds.pk)}`, { as: 'alice' }))
      .json;
    for (const k of ['restriction_code_type', 'spatial_representation_type', 'maintenance_frequency'])
      if (instance[k] === null) delete instance[k];
    const put = await servers.v5.request('PUT', `/api/v2/metadata/instance/${String(ds.pk)}`, {
      as: 'alice',
      body: { ...instance, purpose: 'testing' },
    });
    expect(put.status, JSON.stringify(put.json)).toBe(200);
    expect(
      (await servers.v5.request('GET', `/api/v2/metadata/instance/${String(ds.pk)}`, { as: 'alice' })).json.purpose,
    ).toBe('testing');
    const bad = await servers.v5.request('PATCH', `/api/v2/metadata/instance/${String(ds.pk)}`, {
      as: 'alice',
      body: { date_type: 'someday', purpose: 'x' },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.message).toBe('Some errors were found while updating the resource');
    expect(bad.json.extraErrors.date_type.__errors[0]).toMatch(/someday/);
    expect(
      (await servers.v5.request('GET', `/api/v2/metadata/instance/${String(ds.pk)}`, { as: 'alice' })).json.purpose,
    ).toBe('testing');
    const missing = await servers.v5.request('PUT', `/api/v2/metadata/instance/${String(ds.pk)}`, {
      as: 'alice',
      body: { title: 'only' },
    });
    expect(missing.status).toBe(422);
    expect(Object.keys(missing.json.extraErrors)).toEqual(expect.arrayContaining(['abstract', 'category', 'license']));
  });

  it("rights: anonymous writes 401 + challenge, others 403, a missing resource 404 with the view's message", async () => {
    const ds = owned(servers.v5, 'alice');
    const anon = await servers.v5.request('PATCH', `/api/v2/metadata/instance/${String(ds.pk)}`, {
      as: null,
      body: { title: 'x' },
    });
    expect(anon.status).toBe(401);
    expect(anon.headers.get('www-authenticate')).toBe('Basic realm="api"');
    expect(
      (
        await servers.v5.request('PATCH', `/api/v2/metadata/instance/${String(ds.pk)}`, {
          as: 'bob',
          body: { title: 'x' },
        })
      ).status,
    ).toBe(403);
    const gone = await servers.v5.request('GET', '/api/v2/metadata/instance/999999');
    expect(gone.status).toBe(404);
    expect(gone.json).toEqual({ message: 'The dataset was not found' });
  });

  it('the 8 autocompletes answer {results: [{id, label}]} (select2 pages of 10 where dal serves them)', async () => {
    const cats = (await servers.v5.request('GET', '/api/v2/metadata/autocomplete/categories?q=farm')).json;
    expect(cats).toEqual({ results: [{ id: 'farming', label: 'Farming' }] });
    expect((await servers.v5.request('GET', '/api/v2/metadata/autocomplete/licenses')).json.results[0]).toEqual({
      id: expect.any(String),
      label: expect.any(String),
    });
    const users = (await servers.v5.request('GET', '/api/v2/metadata/autocomplete/users?q=alice')).json;
    expect(users.results[0]).toMatchObject({ id: '1002', label: expect.stringMatching(/^alice/) });
    expect(users.pagination).toEqual({ more: false });
    const regions = (await servers.v5.request('GET', '/api/v2/metadata/autocomplete/regions')).json;
    expect(regions.results).toHaveLength(10);
    expect(regions.pagination.more).toBe(true);
    expect(
      (await servers.v5.request('GET', '/api/v2/metadata/autocomplete/regions?page=2')).json.results[0].id,
    ).not.toBe(regions.results[0].id);
    expect(
      (await servers.v5.request('GET', '/api/v2/metadata/autocomplete/hkeywords')).json.results.every(
        (k: unknown) => typeof k === 'string',
      ),
    ).toBe(true);
    expect(
      (await servers.v5.request('GET', '/api/v2/metadata/autocomplete/resources?q=a')).json.results[0].label,
    ).toMatch(/ \[(dataset|document|map|geostory|dashboard|geoapp)\]$/);
    expect(
      (await servers.v5.request('GET', '/api/v2/metadata/autocomplete/groups', { as: null })).json.results,
    ).toEqual([]);
    expect(
      (await servers.v5.request('GET', '/api/v2/metadata/autocomplete/groups', { as: 'alice' })).json.results.length,
    ).toBeGreaterThan(0);
    const tk = (await servers.v5.request('GET', '/api/v2/metadata/autocomplete/thesaurus/1/keywords')).json;
    expect(tk.results[0]).toEqual({ id: expect.stringMatching(/^http/), label: expect.any(String) });
    expect(
      (await servers.v5.request('GET', '/api/v2/metadata/autocomplete/thesaurus/inspire-themes/keywords')).json.results
        .length,
    ).toBeGreaterThan(0);
    // a Django path() without a slash: the slashed URL is not served
    expect((await servers.v5.request('GET', '/api/v2/metadata/autocomplete/categories/')).status).toBe(404);
  });
});

describe("bad input to the metadata editor gets GeoNode's answers, never a 5xx", () => {
  it('a body that is not an object or a wrong field is a 422 with extraErrors; bad pages and schema numbers are 404s', async () => {
    const ds = owned(servers.v5, 'alice');
    for (const body of [[1, 2], 'text', { regions: [{ id: 7 }] }]) {
      const r = await servers.v5.request('PATCH', `/api/v2/metadata/instance/${String(ds.pk)}`, { as: 'alice', body });
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(r.json.message).toBe('Some errors were found while updating the resource');
    }
    for (const page of ['0', '-5', 'abc', '999'])
      expect(
        (await servers.v5.request('GET', `/api/v2/metadata/autocomplete/regions?page=${page}`)).json,
        page,
      ).toEqual({ detail: 'Not found.' });
    expect(
      (await servers.v5.request('GET', '/api/v2/metadata/autocomplete/users?q=no-such-user-anywhere', { as: 'alice' }))
        .json,
    ).toEqual({ results: [], pagination: { more: false } });
    expect((await servers.v5.request('GET', '/api/v2/metadata/schema/abc')).status).toBe(404);
  });
});

describe('delete_thumbnail (5.0.2 base/api/views.py:739-792)', () => {
  it("clears the thumbnail; a second call says it is empty; others are refused with the view's bodies", async () => {
    const doc = owned(
      servers.v5,
      'alice',
      'document',
      (r) => typeof r.thumbnail_url === 'string' && /\.png$/.test(r.thumbnail_url),
    );
    const path = `/api/v2/resources/${String(doc.pk)}/delete_thumbnail`;
    expect((await servers.v5.request('POST', path, { as: null })).status).toBe(401);
    expect((await servers.v5.request('POST', path, { as: 'bob' })).json).toEqual({
      message: 'You do not have permission to delete this thumbnail.',
      success: false,
    });
    const ok = await servers.v5.request('POST', path, { as: 'alice' });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ message: 'Thumbnail deleted successfully.', success: true });
    expect(
      (await servers.v5.request('GET', `/api/v2/resources/${String(doc.pk)}`, { as: 'alice' })).json.resource
        .thumbnail_url,
    ).toBeNull();
    expect((await servers.v5.request('POST', path, { as: 'alice' })).json).toEqual({
      message: 'The thumbnail URL field is already empty.',
      success: false,
    });
    const gone = await servers.v5.request('POST', '/api/v2/resources/999999/delete_thumbnail');
    expect(gone.status).toBe(404);
    expect(gone.json).toEqual({ message: 'Resource not found.', success: false });
  });
});

describe('iso_metadata_xml (5.0.2 base/api/views.py:1345-1368)', () => {
  it('answers a gmd:MD_Metadata document of the resource as application/xml', async () => {
    const ds = owned(servers.v5, 'alice');
    const r = await servers.v5.request('GET', `/api/v2/resources/${String(ds.pk)}/iso_metadata_xml`, { as: 'alice' });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/xml/);
    expect(r.text).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<gmd:MD_Metadata /);
    expect(r.text).toContain(
      `<gmd:fileIdentifier><gco:CharacterString>${String(ds.uuid)}</gco:CharacterString></gmd:fileIdentifier>`,
    );
    expect(r.text).toContain('<gmd:westBoundLongitude>');
    expect((await servers.v5.request('GET', '/api/v2/resources/999999/iso_metadata_xml')).json).toEqual({
      detail: 'Not found.',
    });
  });
});

describe('dataset timeseries (5.0.2 layers/api/views.py:198-296)', () => {
  const dateAttrs = (d: StoredRecord) =>
    ((d.attribute_set as StoredRecord[] | undefined) ?? []).filter(
      (a) => a.attribute_type === 'xsd:dateTime' || a.attribute_type === 'xsd:date',
    );
  it('PUT enables time on a date attribute, GET reads it back, has_time false disables it', async () => {
    const ds =
      owned(
        servers.v5,
        'alice',
        'dataset',
        (d) =>
          (d.subtype === 'vector' || d.subtype === 'vector_time') && dateAttrs(d).length > 0 && d.has_time !== true,
      ) ??
      servers.v5.store
        .collection('resources')
        .list()
        .find(
          (d) =>
            d.resource_type === 'dataset' && d.subtype === 'vector' && dateAttrs(d).length > 0 && d.has_time !== true,
        )!;
    const path = `/api/v2/datasets/${String(ds.pk)}/timeseries`;
    expect((await servers.v5.request('GET', path, { as: null })).status).toBe(401);
    expect((await servers.v5.request('GET', path)).json).toEqual({ message: 'No time information available.' });
    const attr = Number(dateAttrs(ds)[0].pk);
    const put = await servers.v5.request('PUT', path, {
      body: {
        has_time: true,
        attribute: attr,
        presentation: 'DISCRETE_INTERVAL',
        precision_value: 2,
        precision_step: 'months',
      },
    });
    expect(put.json).toEqual({ message: 'the time information data was updated successfully' });
    expect((await servers.v5.request('GET', path)).json).toEqual({
      has_time: true,
      attribute: attr,
      end_attribute: null,
      presentation: 'DISCRETE_INTERVAL',
      precision_value: 2,
      precision_step: 'months',
    });
    expect((await servers.v5.request('PUT', path, { body: { has_time: true } })).json).toEqual({
      message: 'Please select at least one option between the attribute and end_attribute',
    });
    const bad = await servers.v5.request('PUT', path, { body: { has_time: true, attribute: 999999 } });
    expect(bad.status).toBe(400);
    expect((await servers.v5.request('PUT', path, { body: { has_time: false } })).json).toEqual({
      message: 'The time dimension information for this layer was disabled',
    });
    expect((await servers.v5.request('GET', path)).status).toBe(404);
    const raster = servers.v5.store
      .collection('resources')
      .list()
      .find((d) => d.resource_type === 'dataset' && d.subtype === 'raster')!;
    expect((await servers.v5.request('GET', `/api/v2/datasets/${String(raster.pk)}/timeseries`)).json).toEqual({
      message: 'The time dimension is not supported for this dataset.',
    });
  });
});

describe('OAuth2 user info, both profiles (api/views.py:56-87)', () => {
  it("a Bearer token gets the caller; no token gets GeoNode's 401 body without a challenge", async () => {
    for (const s of [servers.v4, servers.v5]) {
      const r = await s.request('GET', '/api/o/v4/userinfo', {
        as: null,
        headers: { Authorization: 'Bearer geostub-alice-token' },
      });
      expect(r.status).toBe(200);
      expect(r.headers.get('cache-control')).toBe('no-store');
      expect(r.json).toMatchObject({
        sub: '1002',
        preferred_username: 'alice',
        email: expect.any(String),
        access_token: 'geostub-alice-token',
      });
      expect(r.json.groups).toContain('hydrology-team');
      const admin = await s.request('GET', '/api/o/v4/userinfo/', { as: 'admin' });
      expect(admin.json.groups).toContain('admin');
      const anon = await s.request('GET', '/api/o/v4/userinfo', { as: null });
      expect(anon.status).toBe(401);
      expect(anon.headers.get('www-authenticate')).toBeNull();
      expect(anon.json).toEqual({ success: false, status: 'error', errors: { user: ['User is not authenticated'] } });
    }
  });
});
