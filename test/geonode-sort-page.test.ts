/**
 * sort[] (`dynamic_rest/filters.py:665-804`) and default orders (e.g. `geonode/base/api/views.py:316` (4.4.3)) over
 * HTTP, and paging through a filtered, sorted list (`geonode/base/api/pagination.py:28-41` (4.4.3)). Orders are
 * checked against a sort computed here (en_US string order, the collation of the databases GeoNode's usual PostGIS
 * images create, stable over the default order).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from './helpers/server.js';
import {
  ALL_RESOURCES,
  expectGeonodeError,
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

const collation = new Intl.Collator('en-US').compare;
const cmp = (a: unknown, b: unknown) =>
  a === b
    ? 0
    : a === null || a === undefined
      ? 1
      : b === null || b === undefined
        ? -1
        : typeof a === 'string' && typeof b === 'string'
          ? collation(a, b)
          : (a as number) < (b as number)
            ? -1
            : 1;
/** A stable sort by several keys (desc flips the comparison; nulls last ascending, first descending). */
function sortBy(items: Item[], ...keys: [(i: Item) => unknown, boolean][]): Item[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort((x, y) => {
      for (const [key, desc] of keys) {
        const c = cmp(key(x.item), key(y.item));
        if (c !== 0) return desc ? -c : c;
      }
      return x.index - y.index;
    })
    .map((e) => e.item);
}

describe('default orders', () => {
  it('resources and the typed endpoints: -created', async () => {
    const created = all.map((r) => Date.parse(r.created));
    expect(created).toEqual([...created].sort((a, b) => b - a));
    expect(new Set(created).size).toBeGreaterThan(200);
    const maps = await listAll(s, '/api/v2/maps?advertised=all');
    expect(pks(maps)).toEqual(pks(all.filter((r) => r.resource_type === 'map')));
  });
  it('users and owners: username; groups: title; execution requests: pk (exec_id)', async () => {
    for (const [path, field] of [
      ['/api/v2/users', 'username'],
      ['/api/v2/owners', 'username'],
      ['/api/v2/groups', 'title'],
      ['/api/v2/executionrequest', 'exec_id'],
    ]) {
      const values = (await listAll(s, path!)).map((x) => x[field!]);
      expect(values.length, path).toBeGreaterThan(2);
      expect(values, path).toEqual([...values].sort());
      expect(values, path).not.toEqual([...values].reverse());
    }
  });
});

describe('sort[]', () => {
  const cases: [string, string[], (items: Item[]) => Item[]][] = [
    ['one ascending term', ['title'], (i) => sortBy(i, [(r) => r.title, false])],
    ['a descending term', ['-title'], (i) => sortBy(i, [(r) => r.title, true])],
    ['a dotted path', ['owner.username'], (i) => sortBy(i, [(r) => r.owner.username, false])],
    [
      'several terms',
      ['owner.username', '-title'],
      (i) => sortBy(i, [(r) => r.owner.username, false], [(r) => r.title, true]),
    ],
    ['a datetime', ['date'], (i) => sortBy(i, [(r) => r.date, false])],
    [
      'a numeric string orders as a number',
      ['-popular_count'],
      (i) => sortBy(i, [(r) => Number(r.popular_count), true]),
    ],
  ];
  for (const [name, terms, expected] of cases) {
    it(name, async () => {
      const got = await listAll(s, `${LIST}&${q({ 'sort[]': terms })}`);
      expect(pks(got)).toEqual(pks(expected(all)));
      expect(pks(got)).not.toEqual(pks(all));
    });
  }
  it('sorts the filtered list, and pages through it', async () => {
    const query = q({ 'filter{resource_type}': 'dataset', 'sort[]': 'title' });
    const expected = sortBy(
      all.filter((r) => r.resource_type === 'dataset'),
      [(r) => r.title, false],
    );
    const page2 = await s.request('GET', `${LIST}&${query}&page=2&page_size=7`);
    expect(page2.json.total).toBe(expected.length);
    expect(pks(page2.json.resources)).toEqual(pks(expected.slice(7, 14)));
    expect(page2.json.links.next).toContain('page=3');
    expect(decodeURIComponent(page2.json.links.next)).toContain('sort[]=title');
    expect(page2.json.links.previous).not.toContain('page=');
  });
  it('ordering= is ignored, as GeoNode ignores it; a bare sort (no brackets) too', async () => {
    expect(pks(await listAll(s, `${LIST}&ordering=title`))).toEqual(pks(all));
    expect(pks(await listAll(s, `${LIST}&sort=title`))).toEqual(pks(all));
  });
  it('works on other endpoints (users by -username)', async () => {
    const users = await listAll(s, '/api/v2/users?sort[]=-username');
    expect(users.map((u) => u.username)).toEqual(sortBy(users, [(u) => u.username, true]).map((u) => u.username));
    expect(users[0].username > users[users.length - 1].username).toBe(true);
  });
  it('an invalid term is a 400 listing every bad term', async () => {
    const cases: [string[], string][] = [
      [['foo'], "Invalid filter field: ['foo']"],
      [['title', '-foo', 'owner.bar'], "Invalid filter field: ['-foo', 'owner.bar']"],
      [['title.foo'], "Invalid filter field: ['title.foo']"],
    ];
    for (const [terms, message] of cases) {
      const res = await refused(s, () => s.request('GET', `${LIST}&${q({ 'sort[]': terms })}`));
      expectGeonodeError(res, 400, 'invalid', message);
    }
  });
});

describe('pages', () => {
  it('page past the end → 404 Invalid page.; page_size has no maximum', async () => {
    expectGeonodeError(await s.request('GET', `${LIST}&page=31&page_size=10`), 404, 'not_found', 'Invalid page.');
    const big = await s.request('GET', `${LIST}&page_size=99999`);
    expect(big.json.resources).toHaveLength(300);
    expect(big.json.links.next).toBeNull();
  });
});
