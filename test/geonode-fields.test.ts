/**
 * Field selection over HTTP (`dynamic_rest/viewsets.py:227-268`, `dynamic_rest/serializers.py:444-475`,
 * `geonode/base/api/views.py:274-297` (4.4.3), `dynamic_rest/processors.py:44-162`): include[]/exclude[] with `*` and
 * dotted paths, deferred fields, write responses, api_preset (GeoNode's and the web front end's), sideloading.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GEONODE_PRESETS } from '../src/query/dynamic-rest/index.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { expectGeonodeError, q, refused, type Item } from './helpers/geonode.js';

let s: TestServer;
let plain: Item[];
const DEFERRED = ['data', 'metadata', 'executions', 'linked_resources'];

beforeAll(async () => {
  s = await startTestServer();
  plain = (await s.request('GET', '/api/v2/resources?page_size=5')).json.resources;
});
afterAll(() => s.close());

const first = async (query: string, path = '/api/v2/resources') => {
  const res = await s.request('GET', `${path}?page_size=3&${query}`);
  expect(res.status, res.text).toBe(200);
  return res.json;
};
const keysOf = (o: Item) => Object.keys(o).sort();

describe('deferred fields', () => {
  it('are absent by default, in lists and details', async () => {
    for (const f of DEFERRED) expect(plain[0]).not.toHaveProperty(f);
    const detail = await s.request('GET', `/api/v2/resources/${plain[0].pk}`);
    for (const f of DEFERRED) expect(detail.json.resource).not.toHaveProperty(f);
    expect(detail.json.resource.title).toBe(plain[0].title);
  });
  it('appear when asked for by name, or all with include[]=*', async () => {
    const one = (await first(q({ 'include[]': 'data' }))).resources[0];
    expect(one).toHaveProperty('data');
    for (const f of ['metadata', 'executions', 'linked_resources']) expect(one).not.toHaveProperty(f);
    const star = (await first(q({ 'include[]': '*' }))).resources[0];
    for (const f of DEFERRED) expect(star).toHaveProperty(f);
    expect(keysOf(star)).toEqual([...keysOf(plain[0]), ...DEFERRED].sort());
    const detail = await s.request(
      'GET',
      `/api/v2/resources/${plain[0].pk}?include[]=metadata&include[]=linked_resources`,
    );
    expect(detail.json.resource).toHaveProperty('metadata');
    expect(detail.json.resource.linked_resources).toHaveProperty('linked_to');
  });
  it('are always in write responses (PATCH, POST)', async () => {
    const patched = await s.request('PATCH', `/api/v2/resources/${plain[0].pk}`, {
      body: { abstract: 'deferred check' },
    });
    expect(patched.status).toBe(200);
    for (const f of DEFERRED) expect(patched.json.resource).toHaveProperty(f);
    const created = await s.request('POST', '/api/v2/resources', { body: { title: 'deferred on create' } });
    expect(created.status).toBe(201);
    for (const f of DEFERRED) expect(created.json.resource).toHaveProperty(f);
    await s.request('POST', '/__geostub/reset');
  });
});

describe('include[] / exclude[]', () => {
  it('exclude[] removes a field', async () => {
    const one = (await first(q({ 'exclude[]': ['abstract', 'owner'] }))).resources[0];
    expect(keysOf(one)).toEqual(keysOf(plain[0]).filter((k) => k !== 'abstract' && k !== 'owner'));
  });
  it('exclude[]=* then include[] keeps exactly the included fields', async () => {
    const body = await first(q({ 'exclude[]': '*', 'include[]': ['pk', 'title'] }));
    for (const r of body.resources) expect(keysOf(r)).toEqual(['pk', 'title']);
  });
  it('dotted paths reach embedded objects', async () => {
    const one = (await first(q({ 'exclude[]': 'owner.email' }))).resources[0];
    expect(one.owner).not.toHaveProperty('email');
    expect(one.owner.username).toBe(plain[0].owner.username);
    expect(plain[0].owner).toHaveProperty('email');
  });
  it('without the brackets they are ordinary, ignored parameters', async () => {
    const one = (await first('exclude=abstract&include=data')).resources[0];
    expect(keysOf(one)).toEqual(keysOf(plain[0]));
  });
  it('an unknown field is a 400 naming it', async () => {
    for (const query of [q({ 'include[]': 'foo' }), q({ 'exclude[]': 'foo' }), q({ 'include[]': 'owner.foo' })]) {
      const res = await refused(s, () => s.request('GET', `/api/v2/resources?${query}`));
      expectGeonodeError(res, 400, 'parse_error', /^"foo" is not a valid field name for "/);
    }
    expectGeonodeError(
      await s.request('GET', '/api/v2/resources?include[]=foo'),
      400,
      'parse_error',
      '"foo" is not a valid field name for "resource".',
    );
  });
  it('work on every dynamic endpoint (users)', async () => {
    const body = await first(q({ 'exclude[]': '*', 'include[]': 'username' }), '/api/v2/users');
    for (const u of body.users) expect(keysOf(u)).toEqual(['username']);
  });
});

describe('api_preset', () => {
  const keysOfPreset = (name: string) => [...(GEONODE_PRESETS[name]!['include[]'] ?? [])].sort();
  it('bare and basic (GeoNode core)', async () => {
    for (const name of ['bare', 'basic']) {
      for (const r of (await first(`api_preset=${name}`)).resources) expect(keysOf(r)).toEqual(keysOfPreset(name));
    }
  });
  it('the web front end’s presets expand server-side (catalog_list, then viewer presets stacked)', async () => {
    for (const r of (await first('api_preset=catalog_list')).resources)
      expect(keysOf(r)).toEqual(keysOfPreset('catalog_list'));
    const maps = await first('api_preset=viewer_common&api_preset=map_viewer', '/api/v2/maps');
    for (const m of maps.maps) {
      expect(m).toHaveProperty('data');
      expect(m).toHaveProperty('maplayers');
      expect(m).toHaveProperty('linked_resources');
      expect(m).not.toHaveProperty('srid');
    }
  });
  it('explicit include[] values add to a preset', async () => {
    for (const r of (await first('api_preset=bare&include[]=abstract')).resources)
      expect(keysOf(r)).toEqual(['abstract', 'pk', 'title']);
  });
  it('an unknown preset is ignored, and stops the presets after it', async () => {
    expect(keysOf((await first('api_preset=nope')).resources[0])).toEqual(keysOf(plain[0]));
    expect(keysOf((await first('api_preset=nope&api_preset=bare')).resources[0])).toEqual(keysOf(plain[0]));
    expect(keysOf((await first('api_preset=bare&api_preset=nope')).resources[0])).toEqual(['pk', 'title']);
  });
  it('endpoints without GeoNode’s preset initializer ignore it', async () => {
    const users = await first('api_preset=bare', '/api/v2/users');
    expect(users.users[0]).toHaveProperty('username');
  });
});

describe('sideloading', () => {
  it('moves owners, groups, categories, regions, licenses and code lists to top-level keys after the plural key', async () => {
    const res = await s.request('GET', '/api/v2/resources?sideloading=true&page_size=50');
    const body = res.json;
    const embedded: Item[] = (await s.request('GET', '/api/v2/resources?page_size=50')).json.resources;
    expect(Object.keys(body).slice(0, 5)).toEqual(['links', 'total', 'page', 'page_size', 'resources']);
    expect(Object.keys(body).slice(5).sort()).toEqual([
      'Licenses',
      'Regions',
      'RestrictionCodeTypes',
      'SpatialRepresentationTypes',
      'TopicCategories',
      'groups',
      'users',
    ]);
    const byPk = (list: Item[], key = 'pk') => new Map(list.map((x) => [x[key], x]));
    const users = byPk(body.users);
    expect(users.size).toBe(body.users.length);
    embedded.slice(0, 50).forEach((e, i) => {
      const r = body.resources[i];
      expect(r.owner).toBe(e.owner.pk);
      expect(users.get(e.owner.pk)).toEqual(e.owner);
      expect(r.group).toBe(e.group ? e.group.pk : null);
      expect(r.keywords).toEqual(e.keywords); // custom representation: stays inline
      expect(r.poc).toEqual(e.poc);
      const cat = s.store
        .collection('categories')
        .list()
        .find((c) => c.identifier === e.category?.identifier);
      expect(r.category).toBe(e.category ? cat!.id : null);
      if (e.category) expect(body.TopicCategories).toContainEqual(e.category);
      expect(r.regions).toHaveLength(e.regions.length);
      for (const id of r.regions) expect(typeof id).toBe('number');
    });
    const regionCodes = new Set(embedded.slice(0, 50).flatMap((e) => e.regions.map((g: Item) => g.code)));
    expect(new Set(body.Regions.map((g: Item) => g.code))).toEqual(regionCodes);
  });
  it('works on a detail; sideloading=false (or absent) changes nothing', async () => {
    const res = await s.request('GET', `/api/v2/resources/${plain[0].pk}?sideloading=true`);
    expect(Object.keys(res.json)[0]).toBe('resource');
    expect(res.json.resource.owner).toBe(plain[0].owner.pk);
    expect(res.json.users).toEqual([plain[0].owner]);
    const off = await s.request('GET', '/api/v2/resources?sideloading=false&page_size=5');
    expect(Object.keys(off.json)).toEqual(['links', 'total', 'page', 'page_size', 'resources']);
    expect(off.json.resources[0].owner).toEqual(plain[0].owner);
  });
  it('respects exclude[]: an excluded relation is not sideloaded', async () => {
    const res = await s.request('GET', '/api/v2/resources?sideloading=true&exclude[]=owner&page_size=5');
    expect(res.json).not.toHaveProperty('users');
  });
});
