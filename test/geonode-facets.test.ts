/**
 * The facets API (geonode/facets/views.py and providers at 4.4.3): the facet list, topic pages from 0, counts over
 * the caller's visible non-metadata-only resources with `filter{…}` pre-applied, `key` and `topic_contains`, links.
 * Expected counts are computed here from the resource list itself: a topic's count is the total of
 * `/resources?<facet filter>=<key>&advertised=all&filter{metadata_only}=false` for the same caller.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';
import { q } from './helpers/geonode.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
}, 60_000);
afterAll(() => s.close());

const total = async (query: Record<string, string | string[]>, as: 'admin' | 'bob' | null) => {
  const res = await s.request(
    'GET',
    `/api/v2/resources?${q({ ...query, advertised: 'all', 'filter{metadata_only}': 'false', page_size: '1' })}`,
    { as },
  );
  expect(res.status, res.text).toBe(200);
  return res.json.total as number;
};

describe('GET /api/v2/facets', () => {
  it('lists the providers of settings.py:2347-2356 in order, then one per thesaurus', async () => {
    const res = await s.request('GET', '/api/v2/facets', { as: null });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json)).toEqual(['facets']);
    const names = res.json.facets.map((f: any) => f.name);
    expect(names.slice(0, 7)).toEqual(['resourcetype', 'featured', 'category', 'keyword', 'region', 'owner', 'group']);
    expect(names.slice(7)).toEqual(['inspire-themes', 'spatial-scope']);
    expect(res.json.facets[2]).toEqual({
      name: 'category',
      filter: 'filter{category.identifier.in}',
      label: 'Category',
      type: 'category',
    });
    expect(res.json.facets[1]).toEqual({
      name: 'featured',
      filter: 'filter{featured}',
      label: 'Featured',
      type: 'base',
      hierarchical: false,
      order: 0,
    });
    expect(res.json.facets[7]).toMatchObject({ filter: 'filter{tkeywords}', type: 'thesaurus', is_localized: false });
  });

  it('adds config, links and the first topic page on request', async () => {
    const res = await s.request('GET', '/api/v2/facets?include_config=yes&add_links=1&include_topics=true&lang=en', {
      as: null,
    });
    const cat = res.json.facets.find((f: any) => f.name === 'category');
    expect(cat.config).toEqual({ order: 5, type: 'select' });
    expect(cat.link).toBe('/api/v2/facets/category?add_links=True&lang=en');
    expect(cat.topics).toMatchObject({ page: 0, page_size: 10, start: 0 });
    expect(cat.topics.items.length).toBe(10);
    const plain = await s.request('GET', '/api/v2/facets?include_topics=maybe', { as: null });
    expect(plain.json.facets[0].topics).toBeUndefined(); // neither true nor false: the default
  });
});

describe('GET /api/v2/facets/{facet}', () => {
  it('pages topics from 0, most used first, and the pages tile the whole list', async () => {
    const first = await s.request('GET', '/api/v2/facets/keyword?page_size=5', { as: null });
    expect(first.status).toBe(200);
    const t = first.json.topics;
    expect(t).toMatchObject({ page: 0, page_size: 5, start: 0 });
    const counts = t.items.map((i: any) => i.count);
    expect(counts).toEqual([...counts].sort((a: number, b: number) => b - a));
    const keys: string[] = [];
    for (let page = 0; page * 5 < t.total; page++) {
      const res = await s.request('GET', `/api/v2/facets/keyword?page_size=5&page=${page}`, { as: null });
      expect(res.json.topics.start).toBe(page * 5);
      keys.push(...res.json.topics.items.map((i: any) => i.key));
    }
    expect(keys.length).toBe(t.total);
    expect(new Set(keys).size).toBe(t.total);
  });

  it('counts what the resource list counts with the same filter, for each caller (advertised or not, metadata-only excluded)', async () => {
    for (const as of [null, 'bob', 'admin'] as const) {
      for (const [facet, key] of [
        ['category', 'filter{category.identifier.in}'],
        ['keyword', 'filter{keywords.slug.in}'],
        ['region', 'filter{regions.code.in}'],
        ['owner', 'filter{owner.pk.in}'],
        ['group', 'filter{group.in}'],
      ] as const) {
        const res = await s.request('GET', `/api/v2/facets/${facet}?page_size=4`, { as });
        expect(res.status).toBe(200);
        expect(res.json.filter).toBe(key);
        expect(res.json.topics.items.length, `${facet} as ${as}`).toBeGreaterThan(0);
        for (const topic of res.json.topics.items)
          expect(topic.count, `${facet} ${topic.key} as ${as}`).toBe(await total({ [key]: String(topic.key) }, as));
      }
    }
  });

  it('pre-applies filter{…} parameters like the resource list', async () => {
    const maps = await s.request('GET', '/api/v2/facets/owner?filter{resource_type}=map&page_size=100', { as: 'bob' });
    const all = await s.request('GET', '/api/v2/facets/owner?page_size=100', { as: 'bob' });
    expect(maps.json.topics.total).toBeLessThan(all.json.topics.total);
    for (const topic of maps.json.topics.items.slice(0, 5)) {
      expect(topic.count).toBe(
        await total({ 'filter{resource_type}': 'map', 'filter{owner.pk.in}': String(topic.key) }, 'bob'),
      );
    }
    const bad = await s.request('GET', '/api/v2/facets/owner?filter{nope}=1', { as: 'bob' });
    expect(bad.status).toBe(400);
  });

  it('resourcetype nests subtypes; featured has boolean keys and a total of 2', async () => {
    const rt = await s.request('GET', '/api/v2/facets/resourcetype', { as: 'admin' });
    const dataset = rt.json.topics.items.find((i: any) => i.key === 'dataset');
    expect(dataset.filter).toBe('filter{subtype.in}');
    expect(dataset.count).toBe(dataset.items.reduce((n: number, i: any) => n + i.count, 0));
    expect(dataset.count).toBe(await total({ 'filter{resource_type}': 'dataset' }, 'admin'));
    const map = rt.json.topics.items.find((i: any) => i.key === 'map');
    expect(map.items).toBeUndefined();
    const f = await s.request('GET', '/api/v2/facets/featured', { as: 'admin' });
    expect(f.json.topics.total).toBe(2);
    const yes = f.json.topics.items.find((i: any) => i.key === true);
    expect(yes.label).toBe('True');
    expect(yes.count).toBe(await total({ 'filter{featured}': 'true' }, 'admin'));
  });

  it('key keeps the requested topics and adds unused ones without a count; topic_contains filters labels', async () => {
    // among maps, some categories are unused
    const maps = 'filter{resource_type}=map';
    const used = (await s.request('GET', `/api/v2/facets/category?${maps}&page_size=1`, { as: null })).json.topics
      .items[0];
    const all = s.store
      .collection('categories')
      .list()
      .map((c) => String(c.identifier));
    const usedKeys = new Set(
      (await s.request('GET', `/api/v2/facets/category?${maps}&page_size=100`, { as: null })).json.topics.items.map(
        (i: any) => i.key,
      ),
    );
    const unused = all.find((k) => !usedKeys.has(k));
    expect(unused, 'the fixtures have a category no map uses').toBeDefined();
    const res = await s.request('GET', `/api/v2/facets/category?${maps}&key=${used.key}&key=${unused}`, { as: null });
    expect(res.json.topics.total).toBe(2);
    expect(res.json.topics.items[0]).toEqual(used);
    expect(res.json.topics.items[1].key).toBe(unused);
    expect(res.json.topics.items[1].count).toBeUndefined();
    const word = String(used.label).split(' ')[0].toLowerCase();
    const tc = await s.request('GET', `/api/v2/facets/category?topic_contains=${word}`, { as: null });
    expect(tc.json.topic_contains).toBe(word);
    expect(tc.json.topics.items.length).toBeGreaterThan(0);
    for (const i of tc.json.topics.items) expect(String(i.label).toLowerCase()).toContain(word);
  });

  it('thesaurus topics are keyword ids that filter{tkeywords} takes', async () => {
    const res = await s.request('GET', '/api/v2/facets/inspire-themes', { as: 'admin' });
    const topic = res.json.topics.items[0];
    expect(typeof topic.key).toBe('number');
    expect(topic).toMatchObject({ is_localized: true, image: null });
    expect(topic.count).toBe(await total({ 'filter{tkeywords}': String(topic.key) }, 'admin'));
  });

  it('add_links gives prev/next page URLs; an unknown facet is an empty 404; a bad page a 400', async () => {
    const res = await s.request('GET', '/api/v2/facets/keyword?page=1&page_size=3&add_links=true', { as: null });
    expect(res.json.prev).toBe('/api/v2/facets/keyword?page=0&page_size=3&lang=en&add_links=True');
    expect(res.json.next).toBe('/api/v2/facets/keyword?page=2&page_size=3&lang=en&add_links=True');
    const missing = await s.request('GET', '/api/v2/facets/nothing', { as: null });
    expect([missing.status, missing.text]).toEqual([404, '']);
    for (const bad of ['page=x', 'page=-1', 'page_size=ten']) {
      const r = await s.request('GET', `/api/v2/facets/keyword?${bad}`, { as: null });
      expect(r.status, bad).toBe(400);
      expect(r.json.code).toBe('invalid');
    }
    expect((await s.request('GET', '/api/v2/facets/', { as: null })).status).toBe(404); // no trailing slash on GeoNode
  });
});
