/**
 * The dynamic-rest query language as GeoNode really runs it (dynamic-rest, GeoNode's fork, filters.py and
 * viewsets.py; Django's ORM; DRF 3.14's pagination), over HTTP against the 300 fixture resources. Each test names the
 * fact and the real source line; where a number was measured on the real stack with these same resources, the test
 * asserts that number.
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

const get = (query: string) => listAll(s, `${LIST}&${query}`);
const count = async (query: string) => (await get(query)).length;
const json = (value: unknown) => q({ 'filter{}': JSON.stringify(value) });
const has = (r: Item, field: string, key: string, value: string) => (r[field] as Item[]).some((x) => x[key] === value);
/** A 400 whose GeoNode body carries dynamic-rest's message, `[""]` for an ORM error caught at filters.py:613-617. */
const rejected = async (query: string, message: string | RegExp = '') => {
  const res = await refused(s, () => s.request('GET', `${LIST}&${query}`));
  expectGeonodeError(res, 400, 'invalid', message);
};

describe('facts 1–2: all filter{} conditions are one filter() call (dynamic-rest filters.py:360, :364, applied at :610)', () => {
  it('fact 1, filters.py:360 — conditions on one to-many path hold for the same related row (real: 0, where "any keyword" gives 2)', async () => {
    const perCondition = all.filter(
      (r) => has(r, 'keywords', 'name', 'hydrology') && has(r, 'keywords', 'slug', 'dem'),
    );
    expect(perCondition).toHaveLength(2);
    expect(await count(q({ 'filter{keywords.name}': 'hydrology', 'filter{keywords.slug}': 'dem' }))).toBe(0);
    // the same row can satisfy both
    expect(await count(q({ 'filter{keywords.name}': 'hydrology', 'filter{keywords.slug}': 'hydrology' }))).toBe(36);
  });

  it('fact 1, filters.py:360 — the .in forms share the row too', async () => {
    expect(
      await count(q({ 'filter{keywords.name.in}': ['hydrology', 'flood'], 'filter{keywords.slug.in}': ['dem'] })),
    ).toBe(0);
    const both = all.filter((r) =>
      (r.keywords as Item[]).some(
        (k) => ['hydrology', 'flood'].includes(k.name) && ['hydrology', 'dem'].includes(k.slug),
      ),
    );
    expect(
      pks(
        await get(
          q({ 'filter{keywords.name.in}': ['hydrology', 'flood'], 'filter{keywords.slug.in}': ['hydrology', 'dem'] }),
        ),
      ),
    ).toEqual(pks(both));
  });

  it('fact 1, filters.py:360 — regions.code + regions.name on one region row (USA is not "Americas")', async () => {
    expect(all.filter((r) => has(r, 'regions', 'code', 'USA') && has(r, 'regions', 'name', 'Americas'))).toHaveLength(
      11,
    );
    expect(await count(q({ 'filter{regions.code}': 'USA', 'filter{regions.name}': 'Americas' }))).toBe(0);
    expect(await count(q({ 'filter{regions.code}': 'AMC', 'filter{regions.name}': 'Americas' }))).toBe(17);
  });

  it('fact 1, filters.py:383-386 — the JSON filter{} form is one filter() call as well', async () => {
    expect(await count(json({ 'keywords.name': 'hydrology', 'keywords.slug': 'dem' }))).toBe(0);
    expect(
      await count(
        json({ $or: [{ 'keywords.name': 'hydrology', 'keywords.slug': 'dem' }, { 'keywords.slug': 'nothing' }] }),
      ),
    ).toBe(0);
    // different to-many relations are different joins: each may match its own row
    const mixed = all.filter((r) => has(r, 'keywords', 'name', 'hydrology') && has(r, 'regions', 'code', 'USA'));
    expect(pks(await get(json({ 'keywords.name': 'hydrology', 'regions.code': 'USA' })))).toEqual(pks(mixed));
  });

  it('fact 2, filters.py:364 — a negated condition on the same to-many path is tied to that join: it removes nothing (real 36, not 34)', async () => {
    const hydrology = await get(q({ 'filter{keywords.name}': 'hydrology' }));
    expect(hydrology).toHaveLength(36);
    const got = await get(q({ 'filter{keywords.name}': 'hydrology', 'filter{-keywords.slug}': 'dem' }));
    expect(got).toHaveLength(36);
    expect(pks(got)).toEqual(pks(hydrology));
  });

  it('fact 2, filters.py:364 — a negation with no join before it is "no related row matches" (its own subquery)', async () => {
    const noDem = all.filter((r) => !has(r, 'keywords', 'slug', 'dem'));
    expect(noDem).toHaveLength(300 - 26);
    expect(pks(await get(q({ 'filter{-keywords.slug}': 'dem' })))).toEqual(pks(noDem));
    // in the JSON form the clauses keep their order: a negation met before the join is not tied (34), after it is (36)
    expect(await count(json({ '-keywords.slug': 'dem', 'keywords.name': 'hydrology' }))).toBe(34);
    expect(await count(json({ 'keywords.name': 'hydrology', '-keywords.slug': 'dem' }))).toBe(36);
  });
});

describe('facts 3–5: operators and the model column type', () => {
  it('fact 3, filters.py:204-205 and :613 — any / all are listed operators but no Django lookup: 400 [""]', async () => {
    await rejected(q({ 'filter{keywords.slug.any}': 'flood' }));
    await rejected(q({ 'filter{regions.code.all}': 'USA' }));
  });

  it('fact 4, filters.py:610-617 — integer columns rendered as strings refuse non-integers: 400 [""]', async () => {
    for (const query of [
      { 'filter{popular_count}': 'abc' },
      { 'filter{popular_count.gt}': 'abc' },
      { 'filter{popular_count.gt}': '1e3' },
      { 'filter{popular_count.gt}': '10.5' },
      { 'filter{popular_count.in}': ['1', 'x'] },
      { 'filter{share_count}': 'x' },
      { 'filter{rating.lte}': '2.5' },
      { 'filter{pk}': 'abc' },
    ])
      await rejected(q(query));
  });

  it('fact 4, filters.py:610 — …and compare as integers (Python int(): spaces and a sign are fine)', async () => {
    const expected = all.filter((r) => Number(r.popular_count) > 50);
    expect(pks(await get(q({ 'filter{popular_count.gt}': ' +50 ' })))).toEqual(pks(expected));
    expect(pks(await get(q({ 'filter{pk.in}': ['7', '012'] })))).toEqual(
      pks(all.filter((r) => r.pk === '7' || r.pk === '12')),
    );
  });

  it('fact 5, filters.py:610-617 — relation fields filter by the related row\'s integer pk: names are 400 [""]', async () => {
    await rejected(q({ 'filter{owner}': 'alice' }));
    await rejected(q({ 'filter{category}': 'health' }));
    await rejected(q({ 'filter{regions}': 'KEN' }));
    await rejected(q({ 'filter{owner.icontains}': 'al' }));
  });

  it('fact 5, filters.py:134-141 — owner, category, regions by pk (users 1002, categories 9, regions 7)', async () => {
    expect(pks(await get(q({ 'filter{owner}': '1002' })))).toEqual(
      pks(all.filter((r) => r.owner.username === 'alice')),
    );
    expect(pks(await get(q({ 'filter{category}': '9' })))).toEqual(
      pks(all.filter((r) => r.category?.identifier === 'health')),
    );
    expect(pks(await get(q({ 'filter{regions.in}': ['7', '11'] })))).toEqual(
      pks(all.filter((r) => has(r, 'regions', 'code', 'KEN') || has(r, 'regions', 'code', 'USA'))),
    );
    expect(pks(await get(q({ 'filter{regions.pk}': '7' })))).toEqual(
      pks(all.filter((r) => has(r, 'regions', 'code', 'KEN'))),
    );
  });
});

describe('facts 6–8: blank values, booleans, dates as text', () => {
  it("fact 6, viewsets.py:213 — blank values are kept: filter{title}= is title = '' (real: 0 results)", async () => {
    expect(await count(q({ 'filter{title}': '' }))).toBe(0);
  });

  it('fact 6, utils.py:12 + filters.py:164 — filter{featured}= is featured=False', async () => {
    expect(pks(await get(q({ 'filter{featured}': '' })))).toEqual(pks(all.filter((r) => r.featured === false)));
  });

  it('fact 6, filters.py:610-617 — filter{pk.in}= and filter{popular_count.gt}= are 400 [""]', async () => {
    await rejected(q({ 'filter{pk.in}': '' }));
    await rejected(q({ 'filter{popular_count.gt}': '' }));
  });

  it("fact 6, viewsets.py:194 — filter{}= (json.loads of '', a 500 on GeoNode) is a clean 400 here", async () => {
    const res = await refused(s, () => s.request('GET', `${LIST}&filter{}=`));
    expectGeonodeError(res, 400, 'parse_error', /^filter\{\} is not valid JSON/);
  });

  it('fact 6, filters.py:348 — a falsy JSON filter{} ({}, null) leaves the simple filter{x} keys in charge', async () => {
    for (const falsy of ['{}', 'null']) {
      expect(pks(await get(q({ 'filter{}': falsy, 'filter{resource_type}': 'map' })))).toEqual(
        pks(all.filter((r) => r.resource_type === 'map')),
      );
    }
  });

  it('fact 7, filters.py:164 — is_truthy of a value list: filter{featured.in}=true&…=false is 400 [""]', async () => {
    await rejected(q({ 'filter{featured.in}': ['true', 'false'] }));
  });

  it('fact 7, filters.py:185 — the JSON form hands the raw value to BooleanField: only t/True/1/f/False/0 and JSON booleans', async () => {
    await rejected(json({ featured: 'abc' }), '\u201cabc\u201d value must be either True or False.');
    await rejected(json({ featured: 'true' }), '\u201ctrue\u201d value must be either True or False.');
    const notFeatured = pks(all.filter((r) => r.featured === false));
    for (const value of ['False', 'f', '0', false, 0])
      expect(pks(await get(json({ featured: value })))).toEqual(notFeatured);
    for (const value of ['True', 't', '1', true])
      expect(pks(await get(json({ featured: value })))).toEqual(pks(all.filter((r) => r.featured)));
  });

  it('fact 8, PostgreSQL text of a timestamptz — filter{date.icontains}=T18 compares "2015-09-23 09:02:05.029898+00": 0 results', async () => {
    expect(all.filter((r) => String(r.date).includes('T18'))).toHaveLength(8);
    expect(await count(q({ 'filter{date.icontains}': 'T18' }))).toBe(0);
    expect(pks(await get(q({ 'filter{date.contains}': ' 18:' })))).toEqual(
      pks(all.filter((r) => String(r.date).includes('T18:'))),
    );
    expect(pks(await get(q({ 'filter{date.startswith}': '2015-09-23 09:02:05.029898+00' })))).toEqual(
      pks(all.filter((r) => r.date === '2015-09-23T09:02:05.029898Z')),
    );
    expect(await count(q({ 'filter{date.endswith}': '+00' }))).toBe(300);
  });
});

describe('fact 9: messages', () => {
  it("fact 9, filters.py:611-612 — an impossible date keeps Django's invalid_date message", async () => {
    for (const value of ['2020-13-01', '2020-02-30']) {
      await rejected(
        q({ 'filter{date.gte}': value }),
        `\u201c${value}\u201d value has the correct format (YYYY-MM-DD) but it is an invalid date.`,
      );
    }
    await rejected(
      q({ 'filter{date}': '2020-02-30T10:00' }),
      '\u201c2020-02-30T10:00\u201d value has the correct format (YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ]) but it is an invalid date/time.',
    );
    await rejected(
      q({ 'filter{date}': 'soon' }),
      '\u201csoon\u201d value has an invalid format. It must be in YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ] format.',
    );
  });

  it("fact 9, serializers.py:465-467 — an unknown nested field names the nested serializer's Meta.name (user)", async () => {
    const res = await refused(s, () => s.request('GET', `${LIST}&include[]=owner.nope`));
    expectGeonodeError(res, 400, 'parse_error', '"nope" is not a valid field name for "user".');
  });
});

describe('fact 13 and paging: DRF 3.14 PageNumberPagination under GeoNodeApiPagination', () => {
  for (const size of ['0', '-3']) {
    it(`fact 13, DRF pagination.py _positive_int(strict=True) — page_size=${size} → 200, 10 records, page_size echoed as ${size}`, async () => {
      const res = await s.request('GET', `${LIST}&page_size=${size}`);
      expect(res.status).toBe(200);
      expect(res.json.resources).toHaveLength(10);
      expect(res.json.page_size).toBe(Number(size));
      expect(res.json.total).toBe(300);
      expect(pks(res.json.resources)).toEqual(pks(all.slice(0, 10)));
      expect(res.json.links.next).toContain(`page_size=${size}`);
      expect(res.json.links.next).toContain('page=2');
    });
  }

  it('fact 13, GeoNode pagination.py int(page_size) — page_size=+3 and " 3 " are 3', async () => {
    for (const size of ['%2B3', '%203%20']) {
      const res = await s.request('GET', `${LIST}&page_size=${size}`);
      expect(res.status).toBe(200);
      expect(res.json.page_size).toBe(3);
      expect(res.json.resources).toHaveLength(3);
    }
  });

  it('fact 15, Paginator.validate_number — page= (empty) → 404 "Invalid page." (DRF 3.14)', async () => {
    expectGeonodeError(await s.request('GET', `${LIST}&page=`), 404, 'not_found', 'Invalid page.');
  });

  it('facts 14–15, GeoNode pagination.py int() — page=last and page_size=abc/2.5/empty (500s there) are clean 4xx here', async () => {
    expectGeonodeError(await s.request('GET', `${LIST}&page=last`), 404, 'not_found', 'Invalid page.');
    for (const size of ['abc', '2.5', '']) {
      expectGeonodeError(await s.request('GET', `${LIST}&page_size=${size}`), 400, 'invalid', /page_size/);
    }
  });

  it('viewsets.py:729-732 — DELETE on a list route without a bulk body is the "poorly formatted bulk request": 405, empty body', async () => {
    const res = await refused(s, () => s.request('DELETE', '/api/v2/resources/'));
    expect(res.status).toBe(405);
    expect(res.text).toBe('');
  });
});

describe('facts 10–12: sorting', () => {
  const collator = new Intl.Collator('en-US');
  it('fact 11 — text sorts in the en_US collation (case-insensitive first, punctuation before letters), not code-unit order', async () => {
    const got = (await get(q({ 'sort[]': 'title' }))).map((r) => r.title as string);
    expect(got).toEqual(all.map((r) => r.title as string).sort(collator.compare));
    expect(got).not.toEqual(all.map((r) => r.title as string).sort());
  });

  it('fact 11 — text ordering lookups use the same collation (filter{title.lt})', async () => {
    const got = await get(q({ 'filter{title.lt}': 'Administrative boundaries of' }));
    expect(pks(got)).toEqual(pks(all.filter((r) => collator.compare(r.title, 'Administrative boundaries of') < 0)));
    expect(got.some((r) => r.title.startsWith('Administrative boundaries \u2013'))).toBe(true);
  });

  it('fact 12 — ties keep the default order (-created); GeoNode leaves them to the database', async () => {
    const got = await get(q({ 'sort[]': 'resource_type' }));
    const expected = [...all]
      .map((r, i) => ({ r, i }))
      .sort((a, b) => collator.compare(a.r.resource_type, b.r.resource_type) || a.i - b.i)
      .map((e) => e.r);
    expect(pks(got)).toEqual(pks(expected));
  });

  it('fact 10, filters.py:683-687 — a to-many sort lists each resource once, at its smallest key (GeoNode repeats rows)', async () => {
    const got = await get(q({ 'sort[]': 'keywords.name' }));
    expect(got).toHaveLength(300);
    expect(new Set(pks(got)).size).toBe(300);
    const keyOf = (r: Item) => (r.keywords as Item[]).map((k) => k.name as string).sort(collator.compare)[0] ?? null;
    const keys = got.map(keyOf).filter((k) => k !== null);
    for (let i = 1; i < keys.length; i++) expect(collator.compare(keys[i - 1]!, keys[i]!)).toBeLessThanOrEqual(0);
  });
});
