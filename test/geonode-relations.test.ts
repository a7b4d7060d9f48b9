/**
 * Relation lists, the related-object endpoint, resource subsets and resource types over HTTP
 * (`geonode/base/api/views.py:143-505,1304-1358` (4.4.3), `dynamic_rest/viewsets.py:358-419`): bare arrays or envelopes
 * exactly as GeoNode answers them, compared with the store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredRecord } from '../src/store/index.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { expectGeonodeError, listAll, pks, q, refused, type Item } from './helpers/geonode.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

const coll = (name: string) => s.store.collection(name).list();
const sorted = (xs: unknown[]) => xs.map(String).sort();
const ENVELOPE = ['links', 'total', 'page', 'page_size'];

describe('relation lists', () => {
  const layers = () => coll('maplayers');
  const busyDataset = () => {
    const counts = new Map<string, number>();
    for (const l of layers()) if (l.dataset) counts.set(String(l.dataset), (counts.get(String(l.dataset)) ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  };
  it('datasets/{id}/maplayers and datasets/{id}/maps: bare arrays', async () => {
    const ds = busyDataset();
    const ml = await s.request('GET', `/api/v2/datasets/${ds}/maplayers`);
    expect(Array.isArray(ml.json)).toBe(true);
    expect(sorted(ml.json.map((l: Item) => l.pk))).toEqual(
      sorted(
        layers()
          .filter((l) => String(l.dataset) === ds)
          .map((l) => l.pk),
      ),
    );
    expect(ml.json.length).toBeGreaterThan(1);
    // SimpleMapLayerSerializer: no embedded dataset (4.4.3 layers/api/views.py:181-190,
    // maps/api/serializers.py:155-160)
    for (const l of ml.json)
      expect(Object.keys(l)).toEqual(['pk', 'name', 'extra_params', 'current_style', 'order', 'visibility', 'opacity']);
    const maps = await s.request('GET', `/api/v2/datasets/${ds}/maps/`);
    expect(Array.isArray(maps.json)).toBe(true);
    // SimpleMapSerializer + BaseDynamicModelSerializer's link: {pk: int, title, detail_url, link}
    // (4.4.3 layers/api/views.py:192-196, maps/api/serializers.py:183-195, base/api/serializers.py:83-106)
    const mapPks = [
      ...new Set(
        layers()
          .filter((l) => String(l.dataset) === ds)
          .map((l) => Number(l.map)),
      ),
    ];
    expect(sorted(maps.json.map((m: Item) => m.pk))).toEqual(sorted(mapPks));
    for (const m of maps.json) {
      expect(Object.keys(m)).toEqual(['pk', 'title', 'detail_url', 'link']);
      expect(typeof m.pk).toBe('number');
      expect(m.link).toBe(`${s.url}/api/v2/maps/${m.pk}`);
      expect(m.detail_url).toMatch(/^http:\/\/.+\/catalogue\/#\/map\/\d+$/);
    }
  });
  it('maps/{id}/datasets and maps/{id}/maplayers: bare arrays, layers in order', async () => {
    const map = String(layers()[0]!.map);
    const ml = (await s.request('GET', `/api/v2/maps/${map}/maplayers`)).json;
    const mine = layers().filter((l) => String(l.map) === map);
    expect(ml.map((l: Item) => l.pk)).toEqual(mine.sort((a, b) => Number(a.order) - Number(b.order)).map((l) => l.pk));
    const ds = (await s.request('GET', `/api/v2/maps/${map}/datasets`)).json;
    expect(sorted(ds.map((d: Item) => d.pk))).toEqual(
      sorted([...new Set(mine.filter((l) => l.dataset).map((l) => l.dataset))]),
    );
    for (const d of ds) expect(d.resource_type).toBe('dataset');
  });
  it('groups/{id}/members|managers and users/{id}/groups: bare arrays', async () => {
    const members = (await s.request('GET', '/api/v2/groups/3/members')).json;
    const managers = (await s.request('GET', '/api/v2/groups/3/managers')).json;
    const m = coll('memberships').filter((x) => x.group === 3);
    expect(sorted(members.map((u: Item) => u.pk))).toEqual(sorted(m.map((x) => x.user)));
    expect(sorted(managers.map((u: Item) => u.pk))).toEqual(
      sorted(m.filter((x) => x.role === 'manager').map((x) => x.user)),
    );
    expect(managers.length).toBeLessThan(members.length);
    const groups = (await s.request('GET', '/api/v2/users/1002/groups')).json;
    expect(sorted(groups.map((g: Item) => g.pk))).toEqual(
      sorted(
        coll('memberships')
          .filter((x) => x.user === 1002)
          .map((x) => x.group),
      ),
    );
    expect(groups[0]).toHaveProperty('access');
  });
  it('groups/{id}/resources and users/{id}/resources: page envelopes, filter{} ignored', async () => {
    const byGroup = await s.request('GET', '/api/v2/groups/5/resources?page_size=1000');
    expect(Object.keys(byGroup.json)).toEqual([...ENVELOPE, 'resources']);
    expect(sorted(pks(byGroup.json.resources))).toEqual(
      sorted(
        coll('resources')
          .filter((r) => (r.group as Item | null)?.pk === 5)
          .map((r) => r.pk),
      ),
    );
    const byUser = await s.request(
      'GET',
      `/api/v2/users/1003/resources?page_size=1000&${q({ 'filter{resource_type}': 'map' })}`,
    );
    expect(byUser.json.total).toBe(coll('resources').filter((r) => (r.owner as Item).pk === 1003).length);
    expect(new Set(byUser.json.resources.map((r: Item) => r.resource_type)).size).toBeGreaterThan(1);
  });
});

describe('linked resources', () => {
  it('POST links, GET shows linked_to / linked_by, DELETE unlinks; a non-list target is a 400', async () => {
    const [a, b] = coll('resources').filter((r) => r.resource_type === 'document');
    const post = await s.request('POST', `/api/v2/resources/${a!.pk}/linked_resources`, {
      body: { target: [Number(b!.pk)] },
    });
    expect(post.json).toEqual({ success: [Number(b!.pk)], error: [], message: 'Resources updated successfully' });
    const doc = (await s.request('GET', `/api/v2/documents/${a!.pk}/linked_resources`)).json;
    expect(doc.linked_to.map((x: Item) => x.pk)).toContain(Number(b!.pk));
    const back = (await s.request('GET', `/api/v2/resources/${b!.pk}/linked_resources?link_type=linked_by`)).json;
    expect(Object.keys(back)).toEqual(['linked_by']);
    expect(back.linked_by.map((x: Item) => x.pk)).toContain(Number(a!.pk));
    const del = await s.request('DELETE', `/api/v2/resources/${a!.pk}/linked_resources`, {
      body: { target: [Number(b!.pk)] },
    });
    expect(del.json.success).toEqual([Number(b!.pk)]);
    expect(
      (await s.request('GET', `/api/v2/resources/${a!.pk}/linked_resources`)).json.linked_to.map((x: Item) => x.pk),
    ).not.toContain(Number(b!.pk));
    for (const body of [{ target: 5 }, {}]) {
      const bad = await refused(s, () => s.request('POST', `/api/v2/resources/${a!.pk}/linked_resources`, { body }));
      expectGeonodeError(bad, 400, 'invalid', 'Payload is not valid');
    }
  });
});

describe('the related-object endpoint GET /{prefix}/{pk}/{field_name}/', () => {
  const withKeywords = () =>
    coll('resources').find(
      (r) =>
        (r.keywords as unknown[]).length > 1 &&
        (r.regions as unknown[]).length > 0 &&
        (r.tkeywords as unknown[]).length > 0,
    )!;
  it('to-many fields are enveloped by the related serializer’s plural name, not paginated', async () => {
    const r = withKeywords();
    expect((await s.request('GET', `/api/v2/resources/${r.pk}/keywords/`)).json).toEqual({
      HierarchicalKeywords: r.keywords,
    });
    expect((await s.request('GET', `/api/v2/resources/${r.pk}/regions`)).json).toEqual({ Regions: r.regions });
    expect((await s.request('GET', `/api/v2/resources/${r.pk}/tkeywords`)).json).toEqual({
      ThesaurusKeywords: r.tkeywords,
    });
    const meta = coll('extra_metadata')[0]!;
    const m = (await s.request('GET', `/api/v2/resources/${meta.resource}/metadata`)).json;
    expect(Object.keys(m)).toEqual(['ExtraMetadata']);
    expect(m.ExtraMetadata.map((x: Item) => x.id)).toContain(meta.id);
  });
  it('include[]/exclude[] are re-scoped under the field', async () => {
    const r = withKeywords();
    const only = (await s.request('GET', `/api/v2/resources/${r.pk}/keywords?include[]=name&exclude[]=slug`)).json;
    expect(only.HierarchicalKeywords).toEqual((r.keywords as StoredRecord[]).map((k) => ({ name: k.name })));
    const bad = await refused(s, () => s.request('GET', `/api/v2/resources/${r.pk}/keywords?include[]=nope`));
    expectGeonodeError(bad, 400, 'parse_error', /"nope" is not a valid field name/);
  });
  it('filter{} is refused; an unknown parent is a 404', async () => {
    const r = withKeywords();
    expectGeonodeError(
      await refused(s, () => s.request('GET', `/api/v2/resources/${r.pk}/keywords?${q({ 'filter{slug}': 'x' })}`)),
      400,
      'invalid',
      'Filtering is not enabled on relation endpoints.',
    );
    const missing = await s.request('GET', '/api/v2/resources/999999/keywords');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ detail: 'Not found.' });
  });
  it('datasets also relate styles (to-many) under "styles"', async () => {
    const ds = coll('resources').find(
      (r) => r.resource_type === 'dataset' && Array.isArray(r.styles) && (r.styles as unknown[]).length > 0,
    )!;
    const body = (await s.request('GET', `/api/v2/datasets/${ds.pk}/styles`)).json;
    expect(Object.keys(body)).toEqual(['styles']);
    expect(body.styles.map((x: Item) => x.pk)).toEqual((ds.styles as Item[]).map((x) => x.pk));
  });
});

describe('resource subsets', () => {
  for (const [subset, flag] of [
    ['approved', 'is_approved'],
    ['published', 'is_published'],
    ['featured', 'featured'],
  ] as const) {
    it(`/resources/${subset}: the ${flag} resources the caller may see, without request context; filter{} ignored`, async () => {
      const visible = await listAll(s, '/api/v2/resources?advertised=all', 'bob');
      const res = await s.request(
        'GET',
        `/api/v2/resources/${subset}?page_size=1000&${q({ 'filter{resource_type}': 'map' })}`,
        { as: 'bob' },
      );
      expect(Object.keys(res.json)).toEqual([...ENVELOPE, 'resources']);
      const expected = visible.filter((r) => r[flag] === true);
      expect(expected.length).toBeLessThan(visible.length);
      expect(sorted(pks(res.json.resources))).toEqual(sorted(pks(expected)));
      for (const r of res.json.resources) expect(r).toMatchObject({ perms: [], favorite: false });
    });
  }
  it('/resources/favorites: the caller’s favourites under "favorites"; anonymous is refused', async () => {
    const res = await s.request('GET', '/api/v2/resources/favorites?page_size=100', { as: 'alice' });
    expect(Object.keys(res.json)).toEqual([...ENVELOPE, 'favorites']);
    for (const r of res.json.favorites) expect(r).toMatchObject({ perms: [], favorite: false });
    expect(sorted(pks(res.json.favorites))).toEqual(
      sorted(
        coll('favorites')
          .filter((f) => f.user === 1002)
          .map((f) => f.resource),
      ),
    );
    expectGeonodeError(
      await s.request('GET', '/api/v2/resources/favorites', { as: null }),
      403,
      'not_authenticated',
      /credentials/,
    );
  });
});

describe('/resources/resource_types', () => {
  it('counts what the caller may see, per type, with allowed_perms', async () => {
    for (const as of ['admin', null] as const) {
      const visible = await listAll(s, '/api/v2/resources?advertised=all', as);
      const types = (await s.request('GET', '/api/v2/resources/resource_types', { as })).json.resource_types as Item[];
      for (const name of ['dataset', 'map', 'document']) expect(types.map((t) => t.name)).toContain(name);
      for (const t of types)
        expect(t.count, `${as} ${t.name}`).toBe(visible.filter((r) => r.resource_type === t.name).length);
    }
    const types = (await s.request('GET', '/api/v2/resources/resource_types', { as: null })).json
      .resource_types as Item[];
    expect(types.find((t) => t.name === 'dataset')!.count).toBeLessThan(
      coll('resources').filter((r) => r.resource_type === 'dataset').length,
    );
    const doc = types.find((t) => t.name === 'document')!;
    expect(doc.allowed_perms.compact.anonymous.map((p: Item) => p.label)).toEqual([
      'None',
      'View Metadata',
      'View and Download',
    ]);
    expect(types.find((t) => t.name === 'map')!.allowed_perms.compact.anonymous.map((p: Item) => p.name)).toEqual([
      'none',
      'view',
    ]);
  });
});
