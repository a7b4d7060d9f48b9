/**
 * filter{…} over HTTP (`dynamic_rest/filters.py:202-226,262-324`): every operator, dotted paths through relations,
 * negation, repeated values, `filter{x}[]`, the JSON form, the boolean rule, and the 400s. Each filtered list is
 * compared with the same predicate computed here over the unfiltered list, and must exclude something.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from './helpers/server.js';
import {
  ALL_RESOURCES,
  expectGeonodeError,
  expectSubset,
  listAll,
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

const get = (query: string) => listAll(s, `${LIST}&${query}`);
const t = (v: string) => Date.parse(v);
const titleWord = () => String(all[7].title).split(/\s+/)[1]!;

describe('filter{} operators', () => {
  const cases: [string, () => string, (r: Item) => boolean][] = [
    ['equality', () => q({ 'filter{resource_type}': 'map' }), (r) => r.resource_type === 'map'],
    ['eq', () => q({ 'filter{resource_type.eq}': 'document' }), (r) => r.resource_type === 'document'],
    [
      'in (repeated values)',
      () => q({ 'filter{resource_type.in}': ['map', 'document'] }),
      (r) => ['map', 'document'].includes(r.resource_type),
    ],
    [
      'in with the axios [] suffix',
      () => q({ 'filter{resource_type.in}[]': ['map', 'geostory'] }),
      (r) => ['map', 'geostory'].includes(r.resource_type),
    ],
    [
      'icontains',
      () => q({ 'filter{title.icontains}': titleWord().toUpperCase() }),
      (r) => r.title.toLowerCase().includes(titleWord().toLowerCase()),
    ],
    [
      'contains (case-sensitive)',
      () => q({ 'filter{title.contains}': titleWord() }),
      (r) => r.title.includes(titleWord()),
    ],
    [
      'startswith',
      () => q({ 'filter{title.startswith}': all[3].title.slice(0, 3) }),
      (r) => r.title.startsWith(all[3].title.slice(0, 3)),
    ],
    [
      'istartswith',
      () => q({ 'filter{title.istartswith}': all[3].title.slice(0, 3).toLowerCase() }),
      (r) => r.title.toLowerCase().startsWith(all[3].title.slice(0, 3).toLowerCase()),
    ],
    [
      'endswith',
      () => q({ 'filter{title.endswith}': all[5].title.slice(-4) }),
      (r) => r.title.endsWith(all[5].title.slice(-4)),
    ],
    [
      'iendswith',
      () => q({ 'filter{title.iendswith}': all[5].title.slice(-4).toUpperCase() }),
      (r) => r.title.toLowerCase().endsWith(all[5].title.slice(-4).toLowerCase()),
    ],
    [
      'iexact',
      () => q({ 'filter{title.iexact}': all[9].title.toUpperCase() }),
      (r) => r.title.toLowerCase() === all[9].title.toLowerCase(),
    ],
    ['regex', () => q({ 'filter{title.regex}': '^[A-F]' }), (r) => /^[A-F]/.test(r.title)],
    [
      'gt on a numeric string field',
      () => q({ 'filter{popular_count.gt}': '50' }),
      (r) => Number(r.popular_count) > 50,
    ],
    ['lt', () => q({ 'filter{popular_count.lt}': '20' }), (r) => Number(r.popular_count) < 20],
    [
      'gte on a datetime',
      () => q({ 'filter{created.gte}': '2023-01-01T00:00:00Z' }),
      (r) => t(r.created) >= t('2023-01-01T00:00:00Z'),
    ],
    [
      'lte on a datetime',
      () => q({ 'filter{created.lte}': '2022-06-01T00:00:00Z' }),
      (r) => t(r.created) <= t('2022-06-01T00:00:00Z'),
    ],
    [
      'range (two repeated values)',
      () => q({ 'filter{date.range}': ['2015-01-01T00:00:00Z', '2018-12-31T00:00:00Z'] }),
      (r) => t(r.date) >= t('2015-01-01T00:00:00Z') && t(r.date) <= t('2018-12-31T00:00:00Z'),
    ],
    ['year', () => q({ 'filter{created.year}': '2022' }), (r) => new Date(r.created).getUTCFullYear() === 2022],
    ['month', () => q({ 'filter{created.month}': '3' }), (r) => new Date(r.created).getUTCMonth() + 1 === 3],
    ['day', () => q({ 'filter{created.day}': '15' }), (r) => new Date(r.created).getUTCDate() === 15],
    [
      'week_day (1 = Sunday)',
      () => q({ 'filter{created.week_day}': '1' }),
      (r) => new Date(r.created).getUTCDay() === 0,
    ],
    ['isnull true', () => q({ 'filter{category.isnull}': 'true' }), (r) => r.category === null],
    ['isnull false', () => q({ 'filter{category.isnull}': 'false' }), (r) => r.category !== null],
    ['pk', () => q({ 'filter{pk}': all[4].pk }), (r) => r.pk === all[4].pk],
    ['pk.in', () => q({ 'filter{pk.in}': [all[4].pk, all[40].pk] }), (r) => [all[4].pk, all[40].pk].includes(r.pk)],
  ];
  for (const [name, query, predicate] of cases) {
    it(name, async () => expectSubset(await get(query()), all, predicate, query()));
  }
});

describe('dotted paths through relations', () => {
  const cases: [string, string, (r: Item) => boolean][] = [
    ['owner.username', q({ 'filter{owner.username}': 'alice' }), (r) => r.owner.username === 'alice'],
    ['keywords.slug', q({ 'filter{keywords.slug}': 'flood' }), (r) => r.keywords.some((k: Item) => k.slug === 'flood')],
    [
      'category.identifier',
      q({ 'filter{category.identifier}': 'transportation' }),
      (r) => r.category?.identifier === 'transportation',
    ],
    ['regions.name', q({ 'filter{regions.name}': 'Global' }), (r) => r.regions.some((g: Item) => g.name === 'Global')],
    [
      'group.name',
      q({ 'filter{group.name}': 'emergency-management' }),
      (r) => r.group?.name === 'emergency-management',
    ],
    [
      'regions.code.in',
      q({ 'filter{regions.code.in}': ['USA', 'ITA'] }),
      (r) => r.regions.some((g: Item) => ['USA', 'ITA'].includes(g.code)),
    ],
    [
      'owner.username.icontains',
      q({ 'filter{owner.username.icontains}': 'AL' }),
      (r) => r.owner.username.toLowerCase().includes('al'),
    ],
  ];
  for (const [name, query, predicate] of cases)
    it(name, async () => expectSubset(await get(query), all, predicate, query));
});

describe('negation, combination, the boolean rule', () => {
  it('filter{-field} is NOT of the condition', async () =>
    expectSubset(
      await get(q({ 'filter{-resource_type}': 'dataset' })),
      all,
      (r) => r.resource_type !== 'dataset',
      'negation',
    ));
  it('negated in', async () =>
    expectSubset(
      await get(q({ 'filter{-resource_type.in}': ['dataset', 'map'] })),
      all,
      (r) => !['dataset', 'map'].includes(r.resource_type),
      'negated in',
    ));
  it('several filters are AND-ed', async () =>
    expectSubset(
      await get(q({ 'filter{resource_type}': 'dataset', 'filter{owner.username}': 'alice' })),
      all,
      (r) => r.resource_type === 'dataset' && r.owner.username === 'alice',
      'and',
    ));
  it('filter{x}[] is filter{x}', async () => {
    const plain = await get(q({ 'filter{owner.username}': 'bob' }));
    expectSubset(await get(q({ 'filter{owner.username}[]': 'bob' })), all, (r) => r.owner.username === 'bob', 'x[]');
    expect(plain.length).toBeGreaterThan(0);
  });
  it('only the first value counts for a single-valued operator', async () =>
    expectSubset(
      await get(q({ 'filter{resource_type}': ['map', 'dataset'] })),
      all,
      (r) => r.resource_type === 'map',
      'first value',
    ));
  for (const [value, want] of [
    ['false', false],
    ['False', false],
    ['0', false],
    ['true', true],
    ['no', true],
    ['1', true],
  ] as const) {
    it(`a boolean field reads "${value}" as ${want} (only 0/false/"" are false)`, async () =>
      expectSubset(await get(q({ 'filter{featured}': value })), all, (r) => r.featured === want, `featured=${value}`));
  }
  // dynamic-rest viewsets.py:213 keeps blank values: resource_type = '' matches nothing (was: skipped)
  it('an empty filter value is kept (viewsets.py:213)', async () =>
    expect(await get(q({ 'filter{resource_type}': '' }))).toHaveLength(0));
  it('any / all are 400 with an empty message (filters.py:204-205, caught at :613)', async () => {
    for (const key of ['filter{keywords.slug.any}', 'filter{regions.code.all}']) {
      expectGeonodeError(
        await refused(s, () => s.request('GET', `${LIST}&${q({ [key]: 'flood' })}`)),
        400,
        'invalid',
        '',
      );
    }
  });
});

describe('the JSON form filter{}', () => {
  it('$or of clauses', async () => {
    const filter = JSON.stringify({ $or: [{ resource_type: 'map' }, { 'owner.username': 'alice' }] });
    expectSubset(
      await get(q({ 'filter{}': filter })),
      all,
      (r) => r.resource_type === 'map' || r.owner.username === 'alice',
      '$or',
    );
  });
  it('$and with a negated clause; the simple filters are then ignored', async () => {
    const filter = JSON.stringify({
      $and: [{ 'resource_type.in': ['map', 'document'] }, { '-owner.username': 'admin' }],
    });
    const got = await get(q({ 'filter{}': filter, 'filter{resource_type}': 'dataset' }));
    expectSubset(
      got,
      all,
      (r) => ['map', 'document'].includes(r.resource_type) && r.owner.username !== 'admin',
      '$and',
    );
  });
  it('nested $or inside $and', async () => {
    const filter = JSON.stringify({
      $and: [{ $or: [{ 'title.icontains': 'a' }, { 'abstract.icontains': 'zz' }] }, { featured: true }],
    });
    expectSubset(
      await get(q({ 'filter{}': filter })),
      all,
      (r) => (r.title.toLowerCase().includes('a') || r.abstract.toLowerCase().includes('zz')) && r.featured,
      'nested',
    );
  });
});

describe('filters on other endpoints', () => {
  it('users by username.icontains', async () => {
    const users = await listAll(s, '/api/v2/users');
    expectSubset(
      await listAll(s, `/api/v2/users?${q({ 'filter{username.icontains}': 'AL' })}`),
      users,
      (u) => u.username.toLowerCase().includes('al'),
      'users',
    );
  });
  it('categories by identifier.icontains, groups by access', async () => {
    const cats = await listAll(s, '/api/v2/categories');
    expectSubset(
      await listAll(s, `/api/v2/categories?${q({ 'filter{identifier.icontains}': 'an' })}`),
      cats,
      (c) => c.identifier.includes('an'),
      'categories',
    );
    const groups = await listAll(s, '/api/v2/groups');
    expectSubset(
      await listAll(s, `/api/v2/groups?${q({ 'filter{access}': 'private' })}`),
      groups,
      (g) => g.access === 'private',
      'groups',
    );
  });
});

describe('malformed filters: 400 naming the problem, nothing written', () => {
  const cases: [string, string, string, string | RegExp][] = [
    ['unknown field', q({ 'filter{foo}': '1' }), 'invalid', 'Invalid filter field: foo'],
    ['id is not a resource field (pk is)', q({ 'filter{id}': '1' }), 'invalid', 'Invalid filter field: id'],
    ['unknown field behind a relation', q({ 'filter{owner.foo}': '1' }), 'invalid', 'Invalid filter field: foo'],
    [
      'walking through a non-relation',
      q({ 'filter{title.foo}': '1' }),
      'invalid',
      'Invalid nested filter field: title',
    ],
    ['malformed key', 'filter{foo=bar', 'parse_error', '"filter{foo" is not a well-formed filter key.'],
    [
      'malformed key with a value',
      `${encodeURIComponent('filter{title')}=x`,
      'parse_error',
      '"filter{title" is not a well-formed filter key.',
    ],
    ['a datetime that is not one', q({ 'filter{created.gt}': 'yesterday' }), 'invalid', /yesterday/],
    ['range with one value', q({ 'filter{date.range}': '2015-01-01' }), 'invalid', /range/],
    ['a broken regex', q({ 'filter{title.regex}': '([' }), 'invalid', /regular expression/i],
    ['JSON that is not JSON', q({ 'filter{}': '{"$or": [' }), 'parse_error', /not valid JSON/],
    [
      'JSON $or that is not a list',
      q({ 'filter{}': '{"$or": {"title": "x"}}' }),
      'parse_error',
      /must be a JSON array/,
    ],
    ['unknown field in the JSON form', q({ 'filter{}': '{"nope": 1}' }), 'invalid', 'Invalid filter field: nope'],
  ];
  for (const [name, query, code, message] of cases) {
    it(name, async () => {
      const res = await refused(s, () => s.request('GET', `${LIST}&${query}`));
      expectGeonodeError(res, 400, code, message);
    });
  }
  it('the same checks guard a patch-all, which then writes nothing', async () => {
    const res = await refused(s, () =>
      s.request('PATCH', `/api/v2/resources?${q({ 'filter{foo}': 'x', 'patch-all': 'true' })}`, {
        body: { abstract: 'x' },
      }),
    );
    expectGeonodeError(res, 400, 'invalid', 'Invalid filter field: foo');
  });
});
