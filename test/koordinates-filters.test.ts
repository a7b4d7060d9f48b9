/**
 * The catalogue's filters and sorts over real HTTP (the `catalogList` parameters of the contract): each filter in each
 * of its documented forms, different names AND-ed and repeats OR-ed, Python's `True`, dates with and without a zone,
 * `version.status` on /data/latest/, and the seven sorts in the seed's words. The stored fixtures are the oracle.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';
import { DATA, KEYED, LATEST, isPublished, oracle, sortedIds, stored, storedLicense } from './helpers/koordinates.js';
import type { KoordinatesItem } from '../src/apis/koordinates/query/types.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

/** Every entry of a list URL (one big page), as the keyed caller unless told. */
async function list(path: string, headers: Record<string, string> = KEYED) {
  const url = `${path}${path.includes('?') ? '&' : '?'}page_size=1000`;
  const res = await s.request('GET', url, { headers, as: null });
  expect(res.status, `${url}: ${res.text.slice(0, 300)}`).toBe(200);
  return res.json as { id: number; [k: string]: unknown }[];
}

/** The ids a filter URL lists equal the oracle's, which is neither empty nor the whole view (the filter bites). */
async function expectFilter(
  query: string,
  pred: (i: KoordinatesItem) => boolean,
  view: 'published' | 'latest' = 'published',
) {
  const path = `${view === 'latest' ? LATEST : DATA}?${query}`;
  const want = oracle(s, pred, view);
  expect(want.length, `${query}: the fixtures exercise it`).toBeGreaterThan(0);
  expect(want.length, `${query}: the filter excludes something`).toBeLessThan(oracle(s, () => true, view).length);
  expect(sortedIds(await list(path)), path).toEqual(want);
}

const lic = (i: KoordinatesItem) => storedLicense(s, i.license);
const ms = (iso: string) => Date.parse(iso);
const underPath = (paths: string[], p: string) => paths.some((x) => x === p || x.startsWith(`${p}/`));

describe('the two views', () => {
  it('/data/ lists only items with a published version; /data/latest/ lists every item', async () => {
    expect(sortedIds(await list(DATA))).toEqual(oracle(s, () => true));
    expect(sortedIds(await list(LATEST))).toEqual(oracle(s, () => true, 'latest'));
    expect(stored(s).some((i) => !isPublished(i))).toBe(true);
  });

  it('anonymous callers see public items only', async () => {
    expect(sortedIds(await list(DATA, {}))).toEqual(oracle(s, (i) => i.public));
    expect(sortedIds(await list(LATEST, {}))).toEqual(oracle(s, (i) => i.public, 'latest'));
  });
});

describe('each filter', () => {
  it('kind: layer data types, `table`, and source types; implicitly layers/tables/sources only', async () => {
    await expectFilter('kind=raster', (i) => i.type === 'layer' && i.kind === 'raster');
    await expectFilter('kind=attribute-grid', (i) => i.kind === 'attribute-grid');
    await expectFilter('kind=table', (i) => i.type === 'table');
    await expectFilter('kind=wfs', (i) => i.type === 'source' && i.kind === 'wfs');
    await expectFilter('kind=vector&kind=postgres', (i) => i.kind === 'vector' || i.kind === 'postgres');
    const every = [
      'vector',
      'raster',
      'grid',
      'attribute-grid',
      'table',
      'info',
      'arcgis',
      'cifs',
      'upload',
      'postgres',
      'wfs',
    ];
    const all = await list(`${LATEST}?${every.map((k) => `kind=${k}`).join('&')}`);
    expect(all.every((e) => /\/(layers|tables|sources)\//.test(String(e.url)))).toBe(true);
    expect(sortedIds(all)).toEqual(oracle(s, (i) => ['layer', 'table', 'source'].includes(i.type), 'latest'));
  });

  it('public: true / false, case-insensitive (`True` from Python)', async () => {
    await expectFilter('public=True', (i) => i.public);
    await expectFilter('public=FALSE', (i) => !i.public);
    await expectFilter('public=true', (i) => i.public);
    expect(sortedIds(await list(`${DATA}?public=True&public=false`))).toEqual(oracle(s, () => true));
  });

  it('group: an id, an absolute group API URL or a host-relative one; repeats OR-ed', async () => {
    await expectFilter('group=2', (i) => i.group === 2);
    await expectFilter(
      `group=${encodeURIComponent('https://koordinates.example/services/api/v1/groups/2/')}`,
      (i) => i.group === 2,
    );
    await expectFilter(`group=${encodeURIComponent(`${s.url}/services/api/v1/groups/3/`)}`, (i) => i.group === 3);
    await expectFilter('group=/services/api/v1/groups/3/', (i) => i.group === 3);
    await expectFilter('group=2&group=3', (i) => i.group === 2 || i.group === 3);
  });

  it('license: an id, a license API URL, true (has one) or False (has none)', async () => {
    await expectFilter('license=5', (i) => i.license === 5);
    await expectFilter(`license=${encodeURIComponent(`${s.url}/services/api/v1/licenses/7/`)}`, (i) => i.license === 7);
    await expectFilter('license=true', (i) => i.license != null);
    await expectFilter('license=False', (i) => i.license == null);
    await expectFilter('license=5&license=7', (i) => i.license === 5 || i.license === 7);
  });

  it('license.type: public-domain, custom, commercial, cc with its suffixes (exact match)', async () => {
    await expectFilter('license.type=public-domain', (i) => lic(i)?.type === 'public-domain');
    await expectFilter('license.type=commercial', (i) => lic(i)?.type === 'commercial');
    await expectFilter('license.type=cc-by', (i) => lic(i)?.type === 'cc-by');
    await expectFilter('license.type=cc-by-nc', (i) => lic(i)?.type === 'cc-by-nc');
    await expectFilter('license.type=cc-by-nc-nd&license.type=cc-by-sa', (i) =>
      ['cc-by-nc-nd', 'cc-by-sa'].includes(lic(i)?.type ?? ''),
    );
  });

  it('license.jurisdiction (case-insensitive) and license.version (`3` is every 3.x, `4.0` exact)', async () => {
    await expectFilter('license.jurisdiction=nz', (i) => lic(i)?.jurisdiction === 'nz');
    await expectFilter('license.jurisdiction=AU', (i) => lic(i)?.jurisdiction === 'au');
    await expectFilter('license.version=3', (i) => (lic(i)?.version ?? '').startsWith('3.'));
    await expectFilter('license.version=4.0', (i) => lic(i)?.version === '4.0');
  });

  it('category and geotag: URL-encoded slug paths; a parent matches its descendants', async () => {
    const slugs = (i: KoordinatesItem) => i.categories.map((c) => c.slug);
    await expectFilter('category=topographic%2Felevation', (i) => slugs(i).includes('topographic/elevation'));
    await expectFilter('category=topographic', (i) => underPath(slugs(i), 'topographic'));
    await expectFilter(
      'category=hazards&category=cadastral%2Fparcels',
      (i) => underPath(slugs(i), 'hazards') || underPath(slugs(i), 'cadastral/parcels'),
    );
    await expectFilter('geotag=global%2Foceania%2Fnew-zealand%2Fauckland', (i) =>
      i.geotags.includes('global/oceania/new-zealand/auckland'),
    );
    await expectFilter('geotag=global%2Fantarctica', (i) => underPath(i.geotags, 'global/antarctica'));
  });

  it('tag: one tag, spaces written as dashes; repeats OR-ed', async () => {
    await expectFilter('tag=new-zealand', (i) => i.tags.includes('new zealand'));
    await expectFilter('tag=rail&tag=water', (i) => i.tags.includes('rail') || i.tags.includes('water'));
  });

  it('q: space-separated terms, any term matching; relevance order when no sort', async () => {
    const text = (i: KoordinatesItem) =>
      `${i.title ?? ''} ${i.name ?? ''} ${i.description} ${i.tags.join(' ')}`.toLowerCase();
    await expectFilter('q=railway+parcels', (i) => text(i).includes('railway') || text(i).includes('parcels'));
    // relevance as the contract documents it: one point per term per field (title/name, description, tags)
    const terms = ['railway', 'lines'];
    const byId = new Map(stored(s).map((i) => [i.id, i]));
    const score = (e: { id: number }) => {
      const i = byId.get(e.id)!;
      const fields = [`${i.title ?? ''} ${i.name ?? ''}`, i.description, i.tags.join(' ')].map((f) => f.toLowerCase());
      return terms.reduce((n, t) => n + fields.filter((f) => f.includes(t)).length, 0);
    };
    const body = await list(`${DATA}?q=railway%20lines`);
    const scores = body.map(score);
    expect(scores[0]).toBeGreaterThan(scores.at(-1)!);
    for (let n = 1; n < body.length; n++) {
      expect(scores[n - 1] >= scores[n], `relevance order at ${n}: ${scores.slice(0, n + 1).join(',')}`).toBe(true);
      if (scores[n - 1] === scores[n]) expect(body[n - 1].id).toBeLessThan(body[n].id);
    }
    // with a sort, the sort wins over relevance
    const named = await list(`${DATA}?q=railway%20lines&sort=name`);
    expect(sortedIds(named)).toEqual(sortedIds(body));
    const shownName = (e: { title?: string; name?: string }) => String(e.title ?? e.name).toLowerCase();
    expect(named.map(shownName)).toEqual(named.map(shownName).sort());
  });

  it('created_at / updated_at .before / .after: ISO 8601, no zone means UTC, strict bounds', async () => {
    const t = '2015-06-01T00:00:00';
    await expectFilter(`created_at.after=${t}`, (i) => ms(i.created_at) > ms(`${t}Z`));
    await expectFilter(`created_at.before=${t}Z`, (i) => ms(i.created_at) < ms(`${t}Z`));
    await expectFilter('updated_at.after=2016-01-01', (i) => ms(i.updated_at) > ms('2016-01-01T00:00:00Z'));
    await expectFilter(
      'updated_at.before=2014-03-01T12:30:00.5Z',
      (i) => ms(i.updated_at) < ms('2014-03-01T12:30:00.500Z'),
    );
    // around one item's creation instant T: the zoneless form is UTC, and a zone moves the bound across T
    const x = stored(s).find((i) => isPublished(i) && i.public)!;
    const wall = (msValue: number) => new Date(msValue).toISOString().slice(0, 19); // zoneless wall clock
    const justBefore = wall(ms(x.created_at) - 1000);
    const has = async (query: string) => (await list(`${DATA}?${query}`)).some((e) => e.id === x.id);
    expect(await has(`created_at.after=${justBefore}`)).toBe(true);
    expect(sortedIds(await list(`${DATA}?created_at.after=${justBefore}Z`))).toEqual(
      sortedIds(await list(`${DATA}?created_at.after=${justBefore}`)),
    );
    expect(await has(`created_at.after=${encodeURIComponent(`${justBefore}-12:00`)}`)).toBe(false); // 12 h later
    expect(await has(`created_at.before=${encodeURIComponent(`${wall(ms(x.created_at) + 1000)}+12:00`)}`)).toBe(false); // 12 h earlier
    expect(await has(`created_at.before=${wall(ms(x.created_at) + 1000)}`)).toBe(true);
    // strict bounds: the item's own instant is neither before nor after itself
    expect(await has(`created_at.after=${x.created_at}`)).toBe(false);
    expect(await has(`created_at.before=${x.created_at}`)).toBe(false);
    const shifted = await list(`${DATA}?created_at.after=${encodeURIComponent('2015-06-01T00:00:00-12:00')}`);
    expect(sortedIds(shifted)).toEqual(oracle(s, (i) => ms(i.created_at) > ms('2015-06-01T12:00:00Z')));
    // a window: both bounds AND-ed
    await expectFilter(
      'created_at.after=2013-01-01&created_at.before=2016-01-01',
      (i) => ms(i.created_at) > ms('2013-01-01T00:00:00Z') && ms(i.created_at) < ms('2016-01-01T00:00:00Z'),
    );
  });

  it('version.status on /data/latest/: the status of each item’s latest version; repeats OR-ed', async () => {
    const latest = (i: KoordinatesItem) => i.versions.at(-1)!.status;
    await expectFilter('version.status=importing', (i) => latest(i) === 'importing', 'latest');
    await expectFilter(
      'version.status=error&version.status=new',
      (i) => ['error', 'new'].includes(latest(i)),
      'latest',
    );
    const cancelled = await list(`${LATEST}?version.status=cancelled`, { ...KEYED, Expand: 'list' });
    const layers = cancelled.filter((e) => e.version);
    expect(layers.length).toBeGreaterThan(0);
    for (const e of layers) expect((e.version as { status: string }).status).toBe('cancelled');
    // it lists items /data/ does not (never published)
    expect(cancelled.some((e) => !isPublished(stored(s).find((i) => i.id === e.id)!))).toBe(true);
  });
});

describe('combining filters', () => {
  it('different names are AND-ed, repeats of one name OR-ed: kind=vector&kind=raster&public=True', async () => {
    await expectFilter(
      'kind=vector&kind=raster&public=True',
      (i) => (i.kind === 'vector' || i.kind === 'raster') && i.public,
    );
    await expectFilter(
      'group=2&license.type=cc-by&public=true',
      (i) => i.group === 2 && lic(i)?.type === 'cc-by' && i.public,
    );
    await expectFilter(
      'kind=table&version.status=ok',
      (i) => i.kind === 'table' && i.versions.at(-1)!.status === 'ok',
      'latest',
    );
  });

  it('an empty value is ignored and unknown parameters (format, key helpers) are ignored', async () => {
    expect(sortedIds(await list(`${DATA}?kind=&format=json&foo=bar`))).toEqual(oracle(s, () => true));
  });
});

describe('sort: the seven choices in the seed’s words (ties by id)', () => {
  // the name shown: `title`, else `name` (a real layer carries one or both; the fixtures have each alone too)
  const shown = (i: KoordinatesItem) => (i.title ?? i.name ?? '').toLowerCase();
  const cases: [string, (i: KoordinatesItem) => string | number, 'asc' | 'desc'][] = [
    ['name', shown, 'asc'],
    ['-name', shown, 'desc'],
    ['created_at', (i) => ms(i.created_at), 'desc'], // new→old, as the help page says
    ['-created_at', (i) => ms(i.created_at), 'asc'], // old→new
    ['updated_at', (i) => ms(i.updated_at), 'desc'],
    ['-updated_at', (i) => ms(i.updated_at), 'asc'],
    ['popularity', (i) => i.popularity, 'desc'], // most→least popular
    ['-popularity', (i) => i.popularity, 'asc'],
  ];
  for (const [sort, key, dir] of cases) {
    it(`sort=${sort} orders ${dir === 'asc' ? 'ascending' : 'descending'}`, async () => {
      const body = await list(`${LATEST}?sort=${sort}`);
      const byId = new Map(stored(s).map((i) => [i.id, i]));
      expect(sortedIds(body)).toEqual(oracle(s, () => true, 'latest'));
      for (let n = 1; n < body.length; n++) {
        const a = key(byId.get(body[n - 1].id)!),
          b = key(byId.get(body[n].id)!);
        const ordered = dir === 'asc' ? a <= b : a >= b;
        expect(ordered, `${sort}: ${body[n - 1].id} (${a}) before ${body[n].id} (${b})`).toBe(true);
        if (a === b) expect(body[n - 1].id).toBeLessThan(body[n].id);
      }
    });
  }
});
