/**
 * The catalogue's pagination as a real client uses it (the `catalogList` headers of the contract): walking `Link
 * rel="page-next"` verbatim from the first page to the end collects exactly the `X-Resource-Range` total of distinct
 * items, all satisfying the filters; the headers on first, middle, last, empty and past-the-end pages; absolute links
 * honouring X-Forwarded-*.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';
import {
  DATA,
  FULL_KEY,
  KEYED,
  LATEST,
  getUrl,
  oracle,
  parseLinks,
  parseRange,
  storedLicense,
  walkPages,
} from './helpers/koordinates.js';
import type { KoordinatesItem } from '../src/apis/koordinates/query/types.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

type Combo = {
  name: string;
  path: string;
  headers: Record<string, string>;
  pred: (i: KoordinatesItem) => boolean;
  view: 'published' | 'latest';
  pageSize: number;
};

const ms = (iso: string) => Date.parse(iso);
const COMBOS: Combo[] = [
  {
    name: 'no filter, default page size',
    path: `${DATA}`,
    headers: KEYED,
    pred: () => true,
    view: 'published',
    pageSize: 100,
  },
  {
    name: 'kind OR-ed, public as Python sends it',
    path: `${DATA}?kind=vector&kind=raster&public=True&page_size=7`,
    headers: KEYED,
    pred: (i) => (i.kind === 'vector' || i.kind === 'raster') && i.public,
    view: 'published',
    pageSize: 7,
  },
  {
    name: 'latest view: version.status, license.type, sort=-name',
    path: `${LATEST}?version.status=ok&license.type=cc-by&license.type=cc-by-nc&sort=-name&page_size=5`,
    headers: KEYED,
    pred: (i) =>
      i.versions.at(-1)!.status === 'ok' && ['cc-by', 'cc-by-nc'].includes(String(storedLicense(s, i.license)?.type)),
    view: 'latest',
    pageSize: 5,
  },
  {
    name: 'anonymous: group URL, a date window, sort=created_at',
    path: `${DATA}?group=${encodeURIComponent('/services/api/v1/groups/2/')}&group=3&created_at.after=2012-01-01&created_at.before=2018-06-30T12:00:00&sort=created_at&page_size=3`,
    headers: {},
    pred: (i) =>
      i.public &&
      (i.group === 2 || i.group === 3) &&
      ms(i.created_at) > ms('2012-01-01T00:00:00Z') &&
      ms(i.created_at) < ms('2018-06-30T12:00:00Z'),
    view: 'published',
    pageSize: 3,
  },
  {
    name: 'the key in the query (kept by every link), q terms, Expand: list',
    path: `${LATEST}?key=${FULL_KEY}&q=land%20water&page_size=4&format=json`,
    headers: { Expand: 'list' },
    pred: (i) =>
      /land|water/.test(`${i.title ?? ''} ${i.name ?? ''} ${i.description} ${i.tags.join(' ')}`.toLowerCase()),
    view: 'latest',
    pageSize: 4,
  },
];

describe('walking page-next to the end (what the official client does)', () => {
  for (const c of COMBOS) {
    it(`${c.name}: exactly total distinct items, all matching, every range adding up`, async () => {
      const want = oracle(s, c.pred, c.view);
      expect(Math.ceil(want.length / c.pageSize), 'the walk spans several pages').toBeGreaterThan(1);
      const walk = await walkPages(s.url + c.path, c.headers);
      const ids = walk.items.map((e) => e.id as number);
      expect(walk.total).toBe(want.length);
      expect(ids).toHaveLength(walk.total);
      expect(new Set(ids).size, 'distinct').toBe(ids.length);
      expect([...ids].sort((a, b) => a - b)).toEqual(want);
      expect(walk.pages).toHaveLength(Math.ceil(want.length / c.pageSize));
      for (const p of walk.pages) expect(p.paginateBy).toBe(c.pageSize);
      const byId = new Map(
        s.store
          .collection('kx_items')
          .list()
          .map((i) => [i.id as number, i as unknown as KoordinatesItem]),
      );
      for (const id of ids) expect(c.pred(byId.get(id)!), `item ${id} matches`).toBe(true);
      if (c.headers.Expand)
        for (const e of walk.items.filter((x) => /\/layers\//.test(x.url)))
          expect(e.data, 'Expand: list kept').toBeDefined();
    });
  }

  it('the walk keeps the sort across pages (sort=-name: Z→A over the whole walk)', async () => {
    const walk = await walkPages(`${s.url}${DATA}?sort=-name&page_size=9`, KEYED);
    const names = walk.items.map((e) => String(e.title ?? e.name).toLowerCase());
    for (let n = 1; n < names.length; n++) expect(names[n - 1] >= names[n], `${names[n - 1]} ≥ ${names[n]}`).toBe(true);
  });
});

describe('X-Resource-Range and X-Paginate-By', () => {
  it('X-Paginate-By is the page size in force: 100 by default, page_size when given', async () => {
    const plain = await s.request('GET', DATA, { headers: KEYED, as: null });
    expect(plain.headers.get('x-paginate-by')).toBe('100');
    expect(plain.json).toHaveLength(100);
    const sized = await s.request('GET', `${DATA}?page_size=12`, { headers: KEYED, as: null });
    expect(sized.headers.get('x-paginate-by')).toBe('12');
    expect(sized.headers.get('x-resource-range')).toBe(`0-12/${oracle(s, () => true).length}`);
  });

  it('0-based, end exclusive: page 2 of 10 is 10-20/total, the last page ends at total', async () => {
    const total = oracle(s, () => true).length;
    const p2 = await s.request('GET', `${DATA}?page=2&page_size=10`, { headers: KEYED, as: null });
    expect(p2.headers.get('x-resource-range')).toBe(`10-20/${total}`);
    const last = Math.ceil(total / 10);
    const pl = await s.request('GET', `${DATA}?page=${last}&page_size=10`, { headers: KEYED, as: null });
    expect(pl.headers.get('x-resource-range')).toBe(`${(last - 1) * 10}-${total}/${total}`);
    expect(pl.json).toHaveLength(total - (last - 1) * 10);
  });

  it('an empty result is 200 [] with X-Resource-Range 0-0/0 and no page-next or page-previous', async () => {
    const res = await s.request('GET', `${DATA}?q=zzzznothingmatches&kind=raster`, { headers: KEYED, as: null });
    expect(res.status).toBe(200);
    expect(res.json).toEqual([]);
    expect(res.headers.get('x-resource-range')).toBe('0-0/0');
    expect(res.headers.get('x-paginate-by')).toBe('100');
    const links = parseLinks(res.headers.get('link'));
    expect(Object.keys(links).sort()).toEqual(['page-last', 'sort-name', 'sort-name-desc']);
    expect(new URL(links['page-last']).searchParams.get('page')).toBe('1');
  });

  it('a page past the last is 200 [] with total-total/total, and page-previous leads back to the last page', async () => {
    const total = oracle(s, () => true).length;
    const res = await s.request('GET', `${DATA}?page=99&page_size=50`, { headers: KEYED, as: null });
    expect(res.status).toBe(200);
    expect(res.json).toEqual([]);
    expect(res.headers.get('x-resource-range')).toBe(`${total}-${total}/${total}`);
    const links = parseLinks(res.headers.get('link'));
    expect(links['page-next']).toBeUndefined();
    expect(new URL(links['page-previous']).searchParams.get('page')).toBe(String(Math.ceil(total / 50)));
  });
});

describe('Link', () => {
  const page = async (n: number, extra = '') => {
    const res = await s.request('GET', `${DATA}?kind=vector&kind=grid&page_size=10&page=${n}${extra}`, {
      headers: KEYED,
      as: null,
    });
    expect(res.status).toBe(200);
    return { res, links: parseLinks(res.headers.get('link')) };
  };
  const total = () => oracle(s, (i) => i.kind === 'vector' || i.kind === 'grid').length;

  it('first page: sort-name, sort-name-desc, page-next, page-last (no page-previous)', async () => {
    const { links } = await page(1);
    expect(Object.keys(links)).toEqual(['sort-name', 'sort-name-desc', 'page-next', 'page-last']);
    expect(new URL(links['page-next']).searchParams.get('page')).toBe('2');
    expect(new URL(links['page-last']).searchParams.get('page')).toBe(String(Math.ceil(total() / 10)));
  });

  it('middle page: page-previous and page-next around it', async () => {
    const { links } = await page(3);
    expect(Object.keys(links)).toEqual(['sort-name', 'sort-name-desc', 'page-previous', 'page-next', 'page-last']);
    expect(new URL(links['page-previous']).searchParams.get('page')).toBe('2');
    expect(new URL(links['page-next']).searchParams.get('page')).toBe('4');
  });

  it('last page: no page-next', async () => {
    const last = Math.ceil(total() / 10);
    const { links } = await page(last);
    expect(Object.keys(links)).toEqual(['sort-name', 'sort-name-desc', 'page-previous', 'page-last']);
    expect(new URL(links['page-last']).searchParams.get('page')).toBe(String(last));
  });

  it('every link keeps every current parameter (repeats included); sort links replace sort and drop page', async () => {
    const extra = `&public=True&${encodeURIComponent('license.type')}=cc-by&created_at.after=2010-01-01T00:00:00&sort=popularity&key=${FULL_KEY}`;
    const { links } = await page(2, extra);
    const sent = new URLSearchParams(`kind=vector&kind=grid&page_size=10&page=2${extra}`);
    const without = (p: URLSearchParams, ...names: string[]) =>
      [...p]
        .filter(([k]) => !names.includes(k))
        .map(([k, v]) => `${k}=${v}`)
        .sort();
    for (const [rel, url] of Object.entries(links)) {
      const got = new URL(url).searchParams;
      if (rel.startsWith('sort-')) {
        expect(got.has('page'), rel).toBe(false);
        expect(got.getAll('sort'), rel).toEqual([rel === 'sort-name' ? 'name' : '-name']);
        expect(without(got, 'sort'), rel).toEqual(without(sent, 'sort', 'page'));
      } else {
        expect(without(got, 'page'), rel).toEqual(without(sent, 'page'));
      }
    }
  });

  it('links are absolute, built from the request’s scheme and host', async () => {
    const { links } = await page(2);
    for (const url of Object.values(links)) expect(url.startsWith(`${s.url}${DATA}?`), url).toBe(true);
  });

  it('X-Forwarded-Proto / X-Forwarded-Host make the links (and the items’ urls) point at the proxy', async () => {
    const headers = { ...KEYED, 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'data.example.org' };
    const res = await s.request('GET', `${LATEST}?page=2&page_size=5`, { headers, as: null });
    const links = parseLinks(res.headers.get('link'));
    expect(Object.keys(links)).toHaveLength(5);
    for (const url of Object.values(links))
      expect(url.startsWith('https://data.example.org/services/api/v1/data/latest/?'), url).toBe(true);
    for (const e of res.json) expect(e.url).toMatch(/^https:\/\/data\.example\.org\/services\/api\/v1\//);
    // and following them through the proxy's eyes still works (the mock ignores the host it is called by)
    const next = new URL(links['page-next']);
    const followed = await getUrl(`${s.url}${next.pathname}${next.search}`, headers);
    expect(parseRange(followed.headers.get('x-resource-range')).start).toBe(10);
  });

  it('the latest view links to itself, not to /data/', async () => {
    const res = await s.request('GET', `${LATEST}?version.status=importing&page_size=2`, { headers: KEYED, as: null });
    const links = parseLinks(res.headers.get('link'));
    expect(new URL(links['page-next']).pathname).toBe(LATEST);
    expect(new URL(links['page-next']).searchParams.get('version.status')).toBe('importing');
  });
});

describe('the count a client computes', () => {
  it('the total of X-Resource-Range equals what the view holds for the caller (anonymous vs key)', async () => {
    const anon = await s.request('GET', DATA, { as: null });
    const keyed = await s.request('GET', DATA, { headers: KEYED, as: null });
    expect(parseRange(anon.headers.get('x-resource-range')).total).toBe(oracle(s, (i) => i.public).length);
    expect(parseRange(keyed.headers.get('x-resource-range')).total).toBe(oracle(s, () => true).length);
  });
});
