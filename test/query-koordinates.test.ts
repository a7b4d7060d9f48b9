import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateKoordinates } from '../src/fixtures/koordinates.js';
import {
  applyKoordinatesQuery,
  koordinatesLinkList,
  koordinatesLinks,
  koordinatesPage,
  koordinatesRefs,
  expandsList,
  formatFileSize,
  type KoordinatesView,
  type FieldErrors,
  type KoordinatesItem,
  type KoordinatesLicense,
  parseKoordinatesDate,
  parseKoordinatesQuery,
  parseLinkHeader,
  renderKoordinatesDetail,
  renderKoordinatesItem,
  renderLicense,
  renderVersionList,
  resourceRange,
} from '../src/apis/koordinates/query/index.js';

// ---------------------------------------------------------------------------------------------------------------
// A small hand-made catalogue with known answers.

const NZ = 'global/oceania/new-zealand';
let nextVersion = 1;
function mk(
  p: Partial<KoordinatesItem> & Pick<KoordinatesItem, 'id' | 'type' | 'title'>,
  states: ('pub' | 'ok' | 'error' | 'importing' | 'new' | 'cancelled')[] = ['pub'],
): KoordinatesItem {
  const plural = p.type === 'source' ? 'sources' : `${p.type}s`;
  const created = p.created_at ?? '2015-01-01T00:00:00.000Z';
  return {
    kind: null,
    name: p.title,
    public: true,
    group: null,
    user: 1,
    license: null,
    categories: [],
    geotags: [],
    tags: [],
    description: '',
    description_html: '',
    updated_at: created,
    first_published_at: states.includes('pub') ? created : null,
    published_at: states.includes('pub') ? created : null,
    popularity: 0,
    url: `/services/api/v1/${plural}/${p.id}/`,
    url_html: `/${p.type}/${p.id}-x/`,
    metadata: null,
    publish_to_catalog_services: false,
    versions: states.map((s) => ({
      id: nextVersion++,
      status: s === 'pub' ? 'ok' : s,
      created_at: created,
      created_by: 1,
      reference: '',
      progress: s === 'pub' || s === 'ok' ? 1 : 0.5,
      published: s === 'pub',
    })),
    ...p,
    created_at: created,
  };
}

const ITEMS: KoordinatesItem[] = [
  mk({
    id: 1,
    type: 'layer',
    kind: 'vector',
    title: 'Auckland Roads',
    group: 1,
    license: 1,
    popularity: 50,
    categories: [{ name: 'Transport', slug: 'topographic/transport' }],
    geotags: [`${NZ}/auckland`],
    tags: ['roads', 'new zealand'],
    description: 'Road centrelines',
    created_at: '2015-01-01T00:00:00.000Z',
    updated_at: '2020-01-01T00:00:00.000Z',
  }),
  mk(
    {
      id: 2,
      type: 'layer',
      kind: 'raster',
      title: 'Wellington Aerial Imagery',
      public: false,
      group: 2,
      license: 2,
      popularity: 500,
      categories: [{ name: 'Aerial Photos', slug: 'imagery/aerial-photos' }],
      geotags: [`${NZ}/wellington`],
      tags: ['aerial'],
      created_at: '2016-06-01T00:00:00.000Z',
      updated_at: '2019-01-01T00:00:00.000Z',
    },
    ['pub', 'importing'],
  ),
  mk({
    id: 3,
    type: 'table',
    kind: 'table',
    title: 'census table',
    popularity: 5,
    categories: [{ name: 'Census', slug: 'society/census' }],
    geotags: [NZ],
    tags: ['census'],
    created_at: '2014-01-01T00:00:00.000Z',
    updated_at: '2021-05-05T00:00:00.000Z',
  }),
  mk({
    id: 4,
    type: 'set',
    title: 'Road Parcels Set',
    group: 1,
    popularity: 100,
    items: [1, 3, 99],
    description: 'roads and parcels',
    created_at: '2017-03-03T00:00:00.000Z',
    updated_at: '2017-03-03T00:00:00.000Z',
  }),
  mk({
    id: 5,
    type: 'document',
    title: 'Parcel Report',
    group: 2,
    license: 3,
    popularity: 10,
    extension: 'pdf',
    file_size: 21343680,
    created_at: '2018-01-01T00:00:00.000Z',
    updated_at: '2018-02-01T00:00:00.000Z',
    geotags: ['global/oceania/australia/victoria'],
  }),
  mk({
    id: 6,
    type: 'source',
    kind: 'arcgis',
    title: 'ArcGIS Roads Server',
    popularity: 0,
    created_at: '2013-01-01T00:00:00.000Z',
    updated_at: '2013-01-01T00:00:00.000Z',
    url_remote: 'https://gis.example.com/arcgis',
  }),
  mk(
    {
      id: 7,
      type: 'layer',
      kind: 'vector',
      title: 'Draft Parcels',
      group: 1,
      popularity: 1000,
      created_at: '2019-01-01T00:00:00.000Z',
      updated_at: '2019-01-02T00:00:00.000Z',
    },
    ['error'],
  ),
];
const LICENSES: KoordinatesLicense[] = [
  {
    id: 1,
    title: 'CC BY 3.0 NZ',
    type: 'cc-by',
    jurisdiction: 'nz',
    version: '3.0',
    url: '/services/api/v1/licenses/1/',
    url_html: '/license/1/',
    url_fulltext: '/license/1/full/',
  },
  {
    id: 2,
    title: 'Public Domain',
    type: 'public-domain',
    jurisdiction: '',
    version: null,
    url: '/services/api/v1/licenses/2/',
    url_html: '/license/2/',
    url_fulltext: '/license/2/full/',
  },
  {
    id: 3,
    title: 'CC BY-NC 4.0 AU',
    type: 'cc-by-nc',
    jurisdiction: 'au',
    version: '4.0',
    url: '/services/api/v1/licenses/3/',
    url_html: '/license/3/',
    url_fulltext: 'https://creativecommons.org/licenses/by-nc/4.0/',
  },
];
const GROUPS = [
  { id: 1, name: 'Land Information New Zealand', country: 'NZ', url: '/services/api/v1/groups/1/' },
  { id: 2, name: 'Greater Wellington', country: 'NZ', url: '/services/api/v1/groups/2/' },
];
const USERS = [
  {
    id: 1,
    first_name: 'Ada',
    last_name: 'Lovelace',
    email: 'a@example.com',
    country: 'NZ',
    url: '/services/api/v1/users/1/',
  },
];
const refs = koordinatesRefs({ kx_items: ITEMS, kx_licenses: LICENSES, kx_groups: GROUPS, kx_users: USERS });

function run(qs: string, view: KoordinatesView = 'published', isAnonymous = false): number[] | FieldErrors {
  const parsed = parseKoordinatesQuery(new URLSearchParams(qs), view);
  if (!parsed.ok) return parsed.errors;
  return applyKoordinatesQuery(ITEMS, parsed.query, { view, isAnonymous, refs }).map((i) => i.id);
}

// ---------------------------------------------------------------------------------------------------------------

describe('filters (published view unless stated)', () => {
  const cases: [qs: string, expected: number[], view?: KoordinatesView][] = [
    ['', [1, 2, 3, 4, 5, 6]],
    ['', [1, 2, 3, 4, 5, 6, 7], 'latest'],
    ['format=json&key=whatever&unknown=1', [1, 2, 3, 4, 5, 6]],
    // kind
    ['kind=vector', [1]],
    ['kind=vector', [1, 7], 'latest'],
    ['kind=table', [3]],
    ['kind=arcgis', [6]],
    ['kind=wfs', []],
    ['kind=', [1, 2, 3, 4, 5, 6]],
    // public (case-insensitive)
    ['public=true', [1, 3, 4, 5, 6]],
    ['public=True', [1, 3, 4, 5, 6]],
    ['public=FALSE', [2]],
    ['public=true&public=false', [1, 2, 3, 4, 5, 6]],
    // group: id or API URL
    ['group=1', [1, 4]],
    ['group=https%3A%2F%2Fexample.com%2Fservices%2Fapi%2Fv1%2Fgroups%2F2%2F', [2, 5]],
    ['group=/services/api/v1/groups/2/', [2, 5]],
    ['group=1&group=2', [1, 2, 4, 5]],
    ['group=999', []],
    // license: id, URL, true, false
    ['license=true', [1, 2, 5]],
    ['license=False', [3, 4, 6]],
    ['license=1', [1]],
    ['license=https://k.example/services/api/v1/licenses/3/', [5]],
    ['license=1&license=false', [1, 3, 4, 6]],
    // license.type / jurisdiction / version
    ['license.type=cc-by', [1]],
    ['license.type=public-domain', [2]],
    ['license.type=cc-by&license.type=cc-by-nc', [1, 5]],
    ['license.type=commercial', []],
    ['license.jurisdiction=NZ', [1]],
    ['license.jurisdiction=au', [5]],
    ['license.version=3', [1]],
    ['license.version=3.0', [1]],
    ['license.version=3.1', []],
    ['license.version=4&license.version=3', [1, 5]],
    // category / geotag: paths, a parent matches its descendants
    ['category=topographic', [1]],
    ['category=topographic%2Ftransport', [1]],
    ['category=imagery/aerial-photos', [2]],
    ['category=topo', []],
    ['category=society&category=imagery', [2, 3]],
    ['geotag=global%2Foceania%2Fnew-zealand', [1, 2, 3]],
    ['geotag=global%2Foceania%2Fnew-zealand%2Fauckland', [1]],
    ['geotag=global/oceania', [1, 2, 3, 5]],
    // tag: spaces as dashes
    ['tag=new-zealand', [1]],
    ['tag=New-Zealand', [1]],
    ['tag=roads&tag=census', [1, 3]],
    ['tag=road', []],
    // q: any term, relevance order (title/name, description, tags: one point each), ties by id
    ['q=road', [1, 4, 6]],
    ['q=parcels', [4]], // `parcels` is not a substring of `Parcel Report`
    ['q=parcels', [4, 7], 'latest'],
    ['q=parcel', [4, 5]],
    ['q=road+parcels', [4, 1, 6]],
    ['q=ROAD%20%20parcels', [4, 1, 6]],
    ['q=road&q=census', [1, 3, 4, 6]],
    ['q=zzz', []],
    // dates: strictly before / after, zone-less = UTC
    ['created_at.before=2015-01-01', [3, 6]],
    ['created_at.before=2015-01-01T00:00:00.001Z', [1, 3, 6]],
    ['created_at.after=2016-01-01T00:00:00', [2, 4, 5]],
    ['created_at.after=2015-12-31T23:00:00-02:00', [2, 4, 5]],
    ['created_at.after=2016-01-01T01:00:00%2B02:00', [2, 4, 5]],
    ['created_at.after=2015-01-01&created_at.before=2017-01-01', [2]],
    ['created_at.before=2014-06-01&created_at.before=2016-01-01', [1, 3, 6]],
    ['updated_at.after=2019-06-01', [1, 3]],
    ['updated_at.before=2018-06-01', [4, 5, 6]],
    // version.status (latest only): the latest version's status
    ['version.status=importing', [2], 'latest'],
    ['version.status=error', [7], 'latest'],
    ['version.status=ok', [1, 3, 4, 5, 6], 'latest'],
    ['version.status=error&version.status=importing', [2, 7], 'latest'],
    // AND across names, OR within a name
    ['kind=vector&kind=raster&public=true', [1]],
    ['kind=vector&kind=raster&public=true', [1, 7], 'latest'],
    ['group=1&license=false', [4]],
    ['group=1&group=2&license.type=cc-by-nc&q=report', [5]],
  ];
  it.each(cases)('%s (%s)', (qs, expected, view = 'published') => {
    expect(run(qs, view)).toEqual(expected);
  });

  it('anonymous callers see public items only', () => {
    expect(run('', 'published', true)).toEqual([1, 3, 4, 5, 6]);
    expect(run('public=false', 'published', true)).toEqual([]);
    expect(run('', 'latest', true)).toEqual([1, 3, 4, 5, 6, 7]);
  });
  it('an isVisible predicate replaces the anonymous rule', () => {
    const parsed = parseKoordinatesQuery(new URLSearchParams(''), 'published');
    if (!parsed.ok) throw new Error('unexpected');
    const ids = applyKoordinatesQuery(ITEMS, parsed.query, {
      view: 'published',
      isAnonymous: true,
      refs,
      isVisible: (i) => i.group === 2,
    });
    expect(ids.map((i) => i.id)).toEqual([2, 5]);
  });
});

describe('sort', () => {
  const cases: [qs: string, expected: number[], view?: KoordinatesView][] = [
    ['sort=name', [6, 1, 3, 5, 4, 2]],
    ['sort=-name', [2, 4, 5, 3, 1, 6]],
    // the help page's words: created_at is new→old, -created_at old→new
    ['sort=created_at', [5, 4, 2, 1, 3, 6]],
    ['sort=-created_at', [6, 3, 1, 2, 4, 5]],
    ['sort=updated_at', [3, 1, 2, 5, 4, 6]],
    ['sort=-updated_at', [6, 4, 5, 2, 1, 3]],
    ['sort=popularity', [2, 4, 1, 5, 3, 6]],
    ['sort=-popularity', [6, 3, 5, 1, 4, 2]],
    ['sort=popularity', [7, 2, 4, 1, 5, 3, 6], 'latest'],
    ['sort=name&sort=-popularity', [6, 3, 5, 1, 4, 2]],
    ['q=road+parcels&sort=name', [6, 1, 4]],
    ['sort=', [1, 2, 3, 4, 5, 6]],
  ];
  it.each(cases)('%s', (qs, expected, view = 'published') => {
    expect(run(qs, view)).toEqual(expected);
  });
  it('ties break by ascending id', () => {
    const twins = [mk({ id: 20, type: 'layer', title: 'Same' }), mk({ id: 10, type: 'layer', title: 'same' })];
    const parsed = parseKoordinatesQuery(new URLSearchParams('sort=-name'), 'published');
    if (!parsed.ok) throw new Error('unexpected');
    expect(
      applyKoordinatesQuery(twins, parsed.query, { view: 'published', isAnonymous: false, refs }).map((i) => i.id),
    ).toEqual([10, 20]);
  });
});

describe('errors (DRF field-keyed)', () => {
  const choice = (v: string) => `Select a valid choice. ${v} is not one of the available choices.`;
  const cases: [qs: string, errors: FieldErrors, view?: KoordinatesView][] = [
    ['kind=bogus', { kind: [choice('bogus')] }],
    ['kind=vector&kind=bogus&kind=nope', { kind: [choice('bogus'), choice('nope')] }],
    ['kind=Vector', { kind: [choice('Vector')] }],
    ['public=yes', { public: [choice('yes')] }],
    ['group=abc', { group: ['Select a valid choice. That choice is not one of the available choices.'] }],
    [
      'group=https://x/services/api/v1/layers/1/',
      { group: ['Select a valid choice. That choice is not one of the available choices.'] },
    ],
    ['license=maybe', { license: ['Select a valid choice. That choice is not one of the available choices.'] }],
    ['license.type=cc-xx', { 'license.type': [choice('cc-xx')] }],
    ['license.type=CC-BY', { 'license.type': [choice('CC-BY')] }],
    ['license.jurisdiction=nzl', { 'license.jurisdiction': ['Ensure jurisdiction is a valid country code.'] }],
    [
      'license.version=3.00',
      { 'license.version': ['Enter a valid version: a single digit or one decimal place, e.g. 3 or 3.0.'] },
    ],
    [
      'license.version=10',
      { 'license.version': ['Enter a valid version: a single digit or one decimal place, e.g. 3 or 3.0.'] },
    ],
    ['created_at.before=yesterday', { 'created_at.before': ['Enter a valid date/time.'] }],
    ['created_at.after=2023-02-30', { 'created_at.after': ['Enter a valid date/time.'] }],
    ['updated_at.before=2023-13-01T00:00:00Z', { 'updated_at.before': ['Enter a valid date/time.'] }],
    ['updated_at.after=2023-01-01T25:00', { 'updated_at.after': ['Enter a valid date/time.'] }],
    ['version.status=ok', { 'version.status': ['This filter is only available on /data/latest/.'] }],
    ['version.status=done', { 'version.status': [choice('done')] }, 'latest'],
    ['sort=title', { sort: [choice('title')] }],
    ['sort=--name', { sort: [choice('--name')] }],
    ['page=0', { page: ['Ensure this value is greater than or equal to 1.'] }],
    ['page=two', { page: ['A valid integer is required.'] }],
    ['page=1.5', { page: ['A valid integer is required.'] }],
    ['page=', { page: ['A valid integer is required.'] }],
    ['page_size=0', { page_size: ['Ensure this value is greater than or equal to 1.'] }],
    ['page_size=1001', { page_size: ['Ensure this value is less than or equal to 1000.'] }],
    [
      'kind=bogus&page=0&public=maybe',
      {
        kind: [choice('bogus')],
        public: [choice('maybe')],
        page: ['Ensure this value is greater than or equal to 1.'],
      },
    ],
  ];
  it.each(cases)('%s', (qs, errors, view = 'published') => {
    expect(run(qs, view)).toEqual(errors);
  });
});

describe('parseKoordinatesQuery structure', () => {
  it('keeps every value of a name, typed', () => {
    const r = parseKoordinatesQuery(
      new URLSearchParams(
        'kind=vector&kind=raster&public=True&license=3&license=true&q=Road%20 parcels&q=road&created_at.before=2013-12-03T03:56:55Z&page=2&page_size=5&sort=-name',
      ),
      'published',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.query.filters.kind).toEqual(['vector', 'raster']);
    expect(r.query.filters.public).toEqual([true]);
    expect(r.query.filters.license).toEqual([3, true]);
    expect(r.query.filters.q).toEqual(['road', 'parcels']);
    expect(r.query.filters['created_at.before']).toEqual([Date.UTC(2013, 11, 3, 3, 56, 55)]);
    expect(r.query).toMatchObject({ view: 'published', page: 2, pageSize: 5, sort: '-name' });
  });
  it('defaults: page 1, page_size 100, no sort', () => {
    const r = parseKoordinatesQuery(new URLSearchParams(''), 'latest');
    expect(r.ok && r.query).toMatchObject({ view: 'latest', page: 1, pageSize: 100, sort: null });
  });
  const dates: [string, number | undefined][] = [
    ['2013-12-03T03:56:55Z', Date.UTC(2013, 11, 3, 3, 56, 55)],
    ['2013-12-03T03:56:55', Date.UTC(2013, 11, 3, 3, 56, 55)],
    ['2013-12-03T03:56:55.322Z', Date.UTC(2013, 11, 3, 3, 56, 55, 322)],
    ['2013-12-03 03:56', Date.UTC(2013, 11, 3, 3, 56)],
    ['2013-12-03', Date.UTC(2013, 11, 3)],
    ['2013-12-03T13:00:00+13:00', Date.UTC(2013, 11, 3)],
    ['2013-12-03T00:00:00-0530', Date.UTC(2013, 11, 3, 5, 30)],
    ['2013-12-03T00:00:00z', Date.UTC(2013, 11, 3)],
    ['2013-02-29', undefined],
    ['20131203', undefined],
    ['', undefined],
  ];
  it.each(dates)('parseKoordinatesDate(%s)', (input, expected) => {
    expect(parseKoordinatesDate(input)).toBe(expected);
  });
});

describe('pagination arithmetic', () => {
  const cases: [
    args: [total: number, page: number, size: number],
    window: { start: number; end: number },
    range: string,
  ][] = [
    [[28, 1, 10], { start: 0, end: 10 }, '0-10/28'],
    [[28, 2, 10], { start: 10, end: 20 }, '10-20/28'],
    [[28, 3, 10], { start: 20, end: 28 }, '20-28/28'],
    [[28, 4, 10], { start: 28, end: 28 }, '28-28/28'],
    [[0, 1, 100], { start: 0, end: 0 }, '0-0/0'],
    [[112, 2, 10], { start: 10, end: 20 }, '10-20/112'],
    [[1, 1, 100], { start: 0, end: 1 }, '0-1/1'],
    [[100, 1, 100], { start: 0, end: 100 }, '0-100/100'],
  ];
  it.each(cases)('koordinatesPage(%j)', ([total, page, size], window, range) => {
    const w = koordinatesPage(total, page, size);
    expect(w).toEqual(window);
    expect(resourceRange(w.start, w.end, total)).toBe(range);
  });
});

describe('Link header', () => {
  const base = 'https://k.example/services/api/v1/data/';
  const rels = (qs: string, page: number, size: number, total: number) =>
    Object.fromEntries(
      koordinatesLinkList(base, new URLSearchParams(qs), page, size, total).map((l) => [l.rel, l.url]),
    );
  const cases: [args: [qs: string, page: number, size: number, total: number], expected: Record<string, string>][] = [
    [
      ['kind=raster&page=2&format=json', 2, 10, 35],
      {
        'sort-name': `${base}?kind=raster&format=json&sort=name`,
        'sort-name-desc': `${base}?kind=raster&format=json&sort=-name`,
        'page-previous': `${base}?kind=raster&page=1&format=json`,
        'page-next': `${base}?kind=raster&page=3&format=json`,
        'page-last': `${base}?kind=raster&page=4&format=json`,
      },
    ],
    [
      ['', 1, 100, 250],
      {
        'sort-name': `${base}?sort=name`,
        'sort-name-desc': `${base}?sort=-name`,
        'page-next': `${base}?page=2`,
        'page-last': `${base}?page=3`,
      },
    ],
    [
      ['sort=-name&page=3&page_size=10', 3, 10, 28],
      {
        'sort-name': `${base}?sort=name&page_size=10`,
        'sort-name-desc': `${base}?sort=-name&page_size=10`,
        'page-previous': `${base}?sort=-name&page=2&page_size=10`,
        'page-last': `${base}?sort=-name&page=3&page_size=10`,
      },
    ],
    [
      ['', 1, 100, 0],
      { 'sort-name': `${base}?sort=name`, 'sort-name-desc': `${base}?sort=-name`, 'page-last': `${base}?page=1` },
    ],
    [
      ['page=9', 9, 10, 28],
      {
        'sort-name': `${base}?sort=name`,
        'sort-name-desc': `${base}?sort=-name`,
        'page-previous': `${base}?page=3`,
        'page-last': `${base}?page=3`,
      },
    ],
    [
      ['category=topographic%2Felevation&kind=vector&kind=grid', 1, 1, 2],
      {
        'sort-name': `${base}?category=topographic%2Felevation&kind=vector&kind=grid&sort=name`,
        'sort-name-desc': `${base}?category=topographic%2Felevation&kind=vector&kind=grid&sort=-name`,
        'page-next': `${base}?category=topographic%2Felevation&kind=vector&kind=grid&page=2`,
        'page-last': `${base}?category=topographic%2Felevation&kind=vector&kind=grid&page=2`,
      },
    ],
  ];
  it.each(cases)('%j', ([qs, page, size, total], expected) => {
    expect(rels(qs, page, size, total)).toEqual(expected);
  });
  it('is RFC 5988 with rels in order, and parses back', () => {
    const header = koordinatesLinks(`${base}?ignored=1`, new URLSearchParams('page=2'), 2, 10, 30);
    expect(header).toBe(
      `<${base}?sort=name>; rel="sort-name", <${base}?sort=-name>; rel="sort-name-desc", ` +
        `<${base}?page=1>; rel="page-previous", <${base}?page=3>; rel="page-next", <${base}?page=3>; rel="page-last"`,
    );
    expect(parseLinkHeader(header).map((l) => l.rel)).toEqual([
      'sort-name',
      'sort-name-desc',
      'page-previous',
      'page-next',
      'page-last',
    ]);
  });
});

describe('rendering', () => {
  const origin = 'https://k.example';
  const byId = (id: number) => ITEMS.find((i) => i.id === id)!;

  it('layer list shape: both name and title, absolute url', () => {
    expect(renderKoordinatesItem(byId(1), 'published', false, origin, refs)).toEqual({
      id: 1,
      url: 'https://k.example/services/api/v1/layers/1/',
      type: 'layer',
      name: 'Auckland Roads',
      title: 'Auckland Roads',
      first_published_at: '2015-01-01T00:00:00.000Z',
      published_at: '2015-01-01T00:00:00.000Z',
    });
  });
  it('layer detailed shape follows the view for this_version/version', () => {
    const item = byId(2);
    const [pub, latest] = item.versions;
    const p = renderKoordinatesItem(item, 'published', true, `${origin}/`, refs);
    const l = renderKoordinatesItem(item, 'latest', true, origin, refs);
    expect(p.this_version).toBe(`${origin}/services/api/v1/layers/2/versions/${pub.id}/`);
    expect(l.this_version).toBe(`${origin}/services/api/v1/layers/2/versions/${latest.id}/`);
    expect(p.published_version).toBe(p.this_version);
    expect(p.latest_version).toBe(l.this_version);
    expect((l.version as { status: string }).status).toBe('importing');
    expect(p.group).toEqual({
      id: 2,
      url: `${origin}/services/api/v1/groups/2/`,
      name: 'Greater Wellington',
      country: 'NZ',
    });
    expect(p.license).toEqual({
      id: 2,
      title: 'Public Domain',
      type: 'public-domain',
      jurisdiction: '',
      version: null,
      url: `${origin}/services/api/v1/licenses/2/`,
      url_html: `${origin}/license/2/`,
    });
    expect(p.permissions).toBe(`${origin}/services/api/v1/layers/2/permissions/`);
  });
  it('set: item URLs (missing members dropped), owner group', () => {
    const s = renderKoordinatesItem(byId(4), 'published', false, origin, refs);
    expect(s.items).toEqual([`${origin}/services/api/v1/layers/1/`, `${origin}/services/api/v1/tables/3/`]);
    expect(s).not.toHaveProperty('type');
    expect((s.group as { id: number }).id).toBe(1);
  });
  it('document: file size formatted, no type key', () => {
    const d = renderKoordinatesItem(byId(5), 'published', false, origin, refs);
    expect(d.file_size_formatted).toBe('21.3 MB');
    expect(d.url_download).toBe(`${origin}/document/5-x/download/`);
    expect(d).not.toHaveProperty('type');
  });
  it('source: type is the source type; url_remote on arcgis detail', () => {
    expect(renderKoordinatesItem(byId(6), 'published', false, origin, refs)).toEqual({
      id: 6,
      url: `${origin}/services/api/v1/sources/6/`,
      url_html: `${origin}/source/6-x/`,
      title: 'ArcGIS Roads Server',
      type: 'arcgis',
    });
    expect(renderKoordinatesItem(byId(6), 'published', true, origin, refs).url_remote).toBe(
      'https://gis.example.com/arcgis',
    );
  });
  it('detail endpoints and versions', () => {
    expect(renderKoordinatesDetail(byId(7), origin, refs)!.version).toMatchObject({ status: 'error' });
    const v = byId(2).versions[0];
    expect(renderKoordinatesDetail(byId(2), origin, refs, v.id)!.this_version).toBe(
      `${origin}/services/api/v1/layers/2/versions/${v.id}/`,
    );
    expect(renderKoordinatesDetail(byId(2), origin, refs, 999_999)).toBeUndefined();
    expect(renderKoordinatesDetail(byId(4), origin, refs, 1)).toBeUndefined();
    expect(renderVersionList(byId(2), origin).map((x) => x.status)).toEqual(['ok', 'importing']);
  });
  const sizes: [number, string][] = [
    [999, '999 bytes'],
    [1000, '1.0 KB'],
    [21343680, '21.3 MB'],
    [5e9, '5.0 GB'],
  ];
  it.each(sizes)('formatFileSize(%d)', (n, s) => expect(formatFileSize(n)).toBe(s));
  const expands: [string | undefined, boolean][] = [
    [undefined, false],
    ['', false],
    ['list', true],
    [' List ', true],
    ['list,list.publisher,list.styles', true],
    ['permissions', false],
    ['list.data.source_summary', true],
  ];
  it.each(expands)('expandsList(%j)', (h, e) => expect(expandsList(h)).toBe(e));
});

describe('rendered output validates against the contract', () => {
  type Validate = ((data: unknown) => boolean) & { errors?: unknown };
  const v: Record<string, Validate> = {};
  const fx = generateKoordinates({ seed: 3, scale: 300 });
  const fxRefs = koordinatesRefs(fx);
  const origin = 'http://127.0.0.1:8080';

  beforeAll(async () => {
    const api = (await SwaggerParser.dereference('contracts/koordinates-catalog.yaml')) as unknown as {
      components: { schemas: Record<string, object> };
    };
    const ajv = new Ajv({ strict: false, allErrors: true });
    (addFormatsModule as unknown as (a: Ajv) => void)(ajv);
    for (const [name, schema] of Object.entries(api.components.schemas)) v[name] = ajv.compile(schema) as Validate;
  });

  const check = (schema: string, data: unknown) => {
    const ok = v[schema](data);
    if (!ok) throw new Error(`${schema}: ${JSON.stringify(v[schema].errors)}\n${JSON.stringify(data)}`);
  };

  it('every list entry, both views, plain and expanded, is a CatalogEntry', () => {
    for (const view of ['published', 'latest'] as const) {
      for (const expand of [false, true]) {
        for (const item of fx.kx_items)
          check('CatalogEntry', renderKoordinatesItem(item, view, expand, origin, fxRefs));
      }
    }
  });
  it('every entry matches its per-kind schema', () => {
    const list = {
      layer: 'LayerListEntry',
      table: 'LayerListEntry',
      set: 'SetEntry',
      document: 'DocumentEntry',
      source: 'SourceEntry',
    };
    const detail = {
      layer: 'LayerDetail',
      table: 'LayerDetail',
      set: 'SetEntry',
      document: 'DocumentDetail',
      source: 'SourceDetail',
    };
    for (const item of fx.kx_items) {
      check(list[item.type], renderKoordinatesItem(item, 'published', false, origin, fxRefs));
      check(detail[item.type], renderKoordinatesDetail(item, origin, fxRefs));
      if (item.type === 'layer' || item.type === 'table') {
        for (const ver of renderVersionList(item, origin)) check('VersionSummary', ver);
      }
    }
  });
  it('licenses and groups', () => {
    for (const l of fx.kx_licenses) check('License', renderLicense(l, origin));
    for (const g of fx.kx_groups)
      check('Group', { id: g.id, url: `${origin}${g.url}`, name: g.name, country: g.country });
  });
  it('error bodies', () => {
    const r = parseKoordinatesQuery(new URLSearchParams('kind=bogus&page=0'), 'published');
    expect(r.ok).toBe(false);
    if (!r.ok) check('FieldErrors', r.errors);
    check('ErrorBody', { error: 'Not found.' });
  });
});
