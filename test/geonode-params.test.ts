/**
 * GeoNode's own list parameters over HTTP (`geonode/base/api/filters.py:35-133`, `geonode/base/api/mixins.py:24-47`,
 * `geonode/base/api/serializers.py:790-806` (4.4.3)): search, extent, advertised,
 * favorite, metadata_only, filter{tkeywords} (+ force_and), with_resources, and the owners' / taxonomies' `type` and
 * `title__icontains` with their `count`s. Expected results are computed here from the unfiltered lists and the store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from './helpers/server.js';
import {
  ALL_RESOURCES,
  expectGeonodeError,
  expectSubset,
  listAll,
  pks,
  q,
  refused,
  type Item,
  startWithAllResources,
} from './helpers/geonode.js';

let s: TestServer;
let all: Item[];
const LIST = ALL_RESOURCES;

beforeAll(async () => void ({ s, all } = await startWithAllResources()));
afterAll(() => s.close());

const get = (query: string, as: 'admin' | 'alice' | 'bob' | null = 'admin') => listAll(s, `${LIST}&${query}`, as);

describe('search and search_fields', () => {
  it('search needs search_fields; terms AND-ed, fields OR-ed', async () => {
    expect(await get(q({ search: 'road' }))).toHaveLength(300);
    const got = await get(q({ search: 'field photo', search_fields: ['title', 'abstract'] }));
    const has = (r: Item, w: string) => r.title.toLowerCase().includes(w) || r.abstract.toLowerCase().includes(w);
    expectSubset(got, all, (r) => has(r, 'field') && has(r, 'photo'), 'search');
  });
});

describe('extent', () => {
  const envelope = (r: Item) => {
    const pts: number[][] = r.ll_bbox_polygon.coordinates[0];
    const xs = pts.map((p) => p[0]),
      ys = pts.map((p) => p[1]);
    return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  };
  const hits = (r: Item, [a, b, c, d]: number[]) => {
    const [x0, y0, x1, y1] = envelope(r);
    return x0 <= c && x1 >= a && y0 <= d && y1 >= b;
  };
  it('keeps resources whose ll_bbox_polygon intersects the box', async () =>
    expectSubset(await get(q({ extent: '-125,45,-120,50' })), all, (r) => hits(r, [-125, 45, -120, 50]), 'one box'));
  it('several boxes are OR-ed', async () => {
    const got = await get(q({ extent: '-125,45,-120,50,10,40,15,45' }));
    expectSubset(got, all, (r) => hits(r, [-125, 45, -120, 50]) || hits(r, [10, 40, 15, 45]), 'two boxes');
    expect(got.length).toBeGreaterThan((await get(q({ extent: '-125,45,-120,50' }))).length);
  });
  it('a malformed extent is a 400 naming it', async () => {
    const res = await refused(s, () => s.request('GET', `${LIST}&extent=1,2,3`));
    expectGeonodeError(res, 400, 'invalid', /extent/);
  });
});

describe('advertised', () => {
  it('anonymous sees only advertised resources; advertised=false the others; admins all by default', async () => {
    const anon = await listAll(s, '/api/v2/resources', null);
    expect(anon.length).toBeGreaterThan(0);
    expect(anon.every((r) => r.advertised === true)).toBe(true);
    const admin = await listAll(s, '/api/v2/resources');
    expect(admin).toHaveLength(300);
    expectSubset(await get('advertised=false'), all, (r) => r.advertised === false, 'advertised=false');
  });
  it('a logged-in user also sees their own unadvertised resources', async () => {
    const mine = (await listAll(s, '/api/v2/resources', 'alice')).filter((r) => r.advertised === false);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((r) => r.owner.username === 'alice')).toBe(true);
  });
});

describe('favorite=true', () => {
  it("keeps only the caller's favourites", async () => {
    const favs = s.store
      .collection('favorites')
      .list()
      .filter((f) => f.user === 1002)
      .map((f) => String(f.resource));
    expectSubset(
      await get('favorite=true', 'alice'),
      await get('', 'alice'),
      (r) => favs.includes(r.pk),
      'alice favourites',
    );
    expect(await get('favorite=false', 'alice')).toHaveLength((await get('', 'alice')).length);
    expect(await get('favorite=true', null)).toEqual([]);
  });
  it('an unreadable value is a 400', async () =>
    expectGeonodeError(await s.request('GET', `${LIST}&favorite=maybe`), 400, 'invalid', /favorite/));
});

describe('filter{metadata_only}', () => {
  it('without it metadata-only resources are listed; filter{metadata_only}=false hides them', async () => {
    expect(all.filter((r) => r.metadata_only).length).toBeGreaterThan(0);
    expectSubset(
      await get(q({ 'filter{metadata_only}': 'false' })),
      all,
      (r) => r.metadata_only === false,
      'metadata_only',
    );
  });
});

describe('filter{tkeywords}: AND across thesauri, OR within one', () => {
  const tk = () => s.store.collection('tkeywords').list();
  const uri = (id: number) => String(tk().find((k) => k.id === id)!.uri);
  const has = (r: Item, id: number) => r.tkeywords.some((k: Item) => k.uri === uri(id));
  const inUse = () => tk().filter((k) => all.filter((r) => r.tkeywords.some((x: Item) => x.uri === k.uri)).length >= 2);
  it('one id', async () => {
    const k = inUse()[0]!;
    expectSubset(await get(q({ 'filter{tkeywords}': String(k.id) })), all, (r) => has(r, Number(k.id)), 'one');
  });
  it('two ids of one thesaurus: either', async () => {
    const [a, b] = inUse().filter((k) => (k.thesaurus as Item).slug === 'inspire-themes');
    const got = await get(q({ 'filter{tkeywords}': [String(a!.id), String(b!.id)] }));
    expectSubset(got, all, (r) => has(r, Number(a!.id)) || has(r, Number(b!.id)), 'or');
  });
  it('ids of two thesauri: one of each; force_and: all of them', async () => {
    const pairs = inUse()
      .filter((k) => (k.thesaurus as Item).slug === 'inspire-themes')
      .flatMap((a) =>
        inUse()
          .filter((k) => (k.thesaurus as Item).slug === 'spatial-scope')
          .map((b) => [a, b] as const),
      );
    const [a, b] = pairs.find(([x, y]) => all.some((r) => has(r, Number(x.id)) && has(r, Number(y.id))))!;
    const ids = [String(a.id), String(b.id)];
    expectSubset(
      await get(q({ 'filter{tkeywords}': ids })),
      all,
      (r) => has(r, Number(a.id)) && has(r, Number(b.id)),
      'and across',
    );
    const [c, d] = inUse().filter((k) => (k.thesaurus as Item).slug === 'inspire-themes');
    const same = [String(c!.id), String(d!.id)];
    const forced = await get(q({ 'filter{tkeywords}': same, force_and: '' }));
    expect(pks(forced)).toEqual(pks(all.filter((r) => has(r, Number(c!.id)) && has(r, Number(d!.id)))));
    expect(forced.length).toBeLessThan((await get(q({ 'filter{tkeywords}': same }))).length);
  });
});

describe('owners: type and title__icontains', () => {
  it('lists owners of visible resources with their count, restricted by type and title__icontains', async () => {
    for (const query of ['', 'type=map', `title__icontains=${encodeURIComponent('pho')}`]) {
      const params = new URLSearchParams(query);
      const counted = (await listAll(s, '/api/v2/resources?advertised=all', 'bob')).filter(
        (r) =>
          (!params.get('type') || r.resource_type === params.get('type')) &&
          (!params.get('title__icontains') || r.title.toLowerCase().includes('pho')),
      );
      const expected = new Map<string, number>();
      for (const r of counted) expected.set(r.owner.username, (expected.get(r.owner.username) ?? 0) + 1);
      const owners = await listAll(s, `/api/v2/owners?${query}`, 'bob');
      expect(new Map(owners.map((o) => [o.username, o.count])), query).toEqual(expected);
      expect(owners.map((o) => o.username)).toEqual([...expected.keys()].sort());
    }
  });
  it('a detail answers only for an owner the list would show (get_object filters the same queryset)', async () => {
    const created = await s.request('POST', '/api/v2/users', {
      body: { username: 'owns.nothing', password: 'a-Long-passw0rd!', email: 'owns.nothing@example.org' },
    });
    expect(created.status, created.text).toBe(201);
    const pk = created.json.user.pk;
    try {
      const hidden = await s.request('GET', `/api/v2/owners/${pk}`, { as: 'bob' });
      expect([hidden.status, hidden.json]).toEqual([404, { detail: 'Not found.' }]);
      expect((await s.request('GET', `/api/v2/users/${pk}`)).status).toBe(200); // the user exists
      const owner = (await listAll(s, '/api/v2/owners', 'bob'))[0];
      expect((await s.request('GET', `/api/v2/owners/${owner.pk}`, { as: 'bob' })).status).toBe(200);
      // restricted by type, as the list is: an owner of no map is not an owner of maps
      const mapOwners = new Set((await listAll(s, '/api/v2/owners?type=map', 'bob')).map((o) => o.pk));
      const noMaps = (await listAll(s, '/api/v2/owners', 'bob')).find((o) => !mapOwners.has(o.pk))!;
      expect(noMaps, 'the fixtures have an owner of no map').toBeDefined();
      expect((await s.request('GET', `/api/v2/owners/${noMaps.pk}?type=map`, { as: 'bob' })).status).toBe(404);
      expect((await s.request('GET', `/api/v2/owners/${[...mapOwners][0]}?type=map`, { as: 'bob' })).status).toBe(200);
    } finally {
      await s.request('DELETE', `/api/v2/users/${pk}`);
    }
  });
});

describe('categories and regions: with_resources and counts', () => {
  it('count honours type; with_resources=True keeps used entries, False the unused ones', async () => {
    const maps = all.filter((r) => r.resource_type === 'map');
    const cats = await listAll(s, '/api/v2/categories?type=map');
    for (const c of cats)
      expect(c.count, c.identifier).toBe(maps.filter((r) => r.category?.identifier === c.identifier).length);
    s.store.collection('categories').insert({
      identifier: 'unused',
      description: 'x',
      gn_description: 'Unused',
      is_choice: true,
      fa_class: 'fa-times',
      link: '/api/v2/categories/99',
    });
    try {
      const every = await listAll(s, '/api/v2/categories');
      expectSubset(
        await listAll(s, '/api/v2/categories?with_resources=True'),
        every,
        (c) => c.identifier !== 'unused',
        'with',
      );
      expectSubset(
        await listAll(s, '/api/v2/categories?with_resources=False'),
        every,
        (c) => c.identifier === 'unused',
        'without',
      );
      expectGeonodeError(
        await s.request('GET', '/api/v2/regions?with_resources=perhaps'),
        400,
        'invalid',
        /with_resources/,
      );
    } finally {
      await s.request('POST', '/__geostub/reset');
    }
  });
  it('regions count only resources the caller may see', async () => {
    const visible = await listAll(s, '/api/v2/resources?advertised=all', null);
    for (const g of await listAll(s, '/api/v2/regions', null)) {
      expect(g.count, g.code).toBe(visible.filter((r) => r.regions.some((x: Item) => x.code === g.code)).length);
    }
  });
});

describe("taxonomies in their models' order", () => {
  // text orders in the database's collation: en_US.UTF-8 on GeoNode's usual PostGIS
  const collation = new Intl.Collator('en-US').compare;
  it.each([
    ['categories', 'identifier'],
    ['regions', 'name'],
    ['keywords', 'name'],
    ['tkeywords', 'slug'], // GeoNode's alt_label
  ])('/api/v2/%s without sort[] is ordered by %s', async (path, field) => {
    const values = (await listAll(s, `/api/v2/${path}`)).map((i) => String(i[field]));
    expect(values.length).toBeGreaterThan(5);
    expect(values).toEqual([...values].sort(collation));
    const byId = [...s.store.collection(path).list()]
      .sort((a, b) => Number(a.id) - Number(b.id))
      .map((r) => String(r[field]));
    expect(values).not.toEqual(byId); // not the id order the fixtures were written in
  });
});
