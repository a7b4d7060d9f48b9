/**
 * Table tests of the pure pieces behind the dynamic-rest behaviour test/geonode-query-facts.test.ts pins
 * (`dynamic_rest/filters.py:360-364,610-617`): one filter() call's shared related rows
 * (compile.ts), and the values Django reads (values.ts). The HTTP twins are in test/geonode-query-facts.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  applyFilter,
  djangoBoolean,
  djangoDatetime,
  parseDynamicQuery,
  postgresTimestampText,
  pythonInt,
  QueryError,
  type DynamicQuery,
  type FieldSchema,
} from '../src/query/dynamic-rest/index.js';

const keyword: FieldSchema = {
  name: 'HierarchicalKeyword',
  fields: { name: { type: 'string' }, slug: { type: 'string' } },
};
const schema: FieldSchema = {
  name: 'resource',
  fields: {
    pk: { type: 'string', column: 'integer' },
    title: { type: 'string' },
    keywords: { type: 'array', many: true, nested: keyword },
    regions: { type: 'array', many: true, nested: { name: 'Region', fields: { code: { type: 'string' } } } },
    owner: {
      type: 'object',
      nested: { name: 'user', fields: { pk: { type: 'integer' }, username: { type: 'string' } } },
    },
  },
};
const kw = (name: string, slug = name) => ({ name, slug });
const records = [
  {
    pk: '1',
    title: 'a',
    keywords: [kw('hydrology'), kw('DEM', 'dem')],
    regions: [{ code: 'USA' }],
    owner: { pk: 1000, username: 'admin' },
  },
  {
    pk: '2',
    title: 'b',
    keywords: [kw('hydrology', 'dem')],
    regions: [{ code: 'ITA' }, { code: 'EUR' }],
    owner: { pk: 1002, username: 'alice' },
  },
  { pk: '3', title: 'c', keywords: [], regions: [], owner: { pk: 1002, username: 'alice' } },
  { pk: '4', title: 'd', keywords: [kw('flood')], regions: [{ code: 'USA' }], owner: { pk: 1000, username: 'admin' } },
];
const parse = (qs: string): DynamicQuery => {
  const r = parseDynamicQuery(new URLSearchParams(qs), schema);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.query;
};
const run = (qs: string) => applyFilter(records, parse(qs).where).map((r) => r.pk);
const enc = (v: unknown) => `filter{}=${encodeURIComponent(JSON.stringify(v))}`;

describe('one filter() call: shared related rows (dynamic-rest filters.py:360, :364, :385; Django split_exclude)', () => {
  const cases: Array<[string, string[]]> = [
    // two conditions, one keyword row
    ['filter{keywords.name}=hydrology&filter{keywords.slug}=dem', ['2']],
    ['filter{keywords.name}=hydrology&filter{keywords.slug}=hydrology', ['1']],
    // a negation after the join is about the same row: record 1 has a hydrology row whose slug is not dem
    ['filter{keywords.name}=hydrology&filter{-keywords.slug}=dem', ['1']],
    // a negation alone: no keyword row matches (an empty relation has none)
    ['filter{-keywords.slug}=dem', ['3', '4']],
    // different relations are different joins
    ['filter{keywords.name}=hydrology&filter{regions.code}=USA', ['1']],
    ['filter{regions.code}=ITA&filter{regions.code.in}=EUR', []],
    ['filter{regions.code.in}=ITA&filter{regions.code.in}=EUR&filter{-regions.code}=ITA', ['2']],
    // JSON form: clause order decides whether a negation meets the join
    [enc({ '-keywords.slug': 'dem', 'keywords.name': 'hydrology' }), []],
    [enc({ 'keywords.name': 'hydrology', '-keywords.slug': 'dem' }), ['1']],
    // OR inside the same call still uses the one row per relation
    [enc({ $or: [{ 'keywords.name': 'flood' }, { 'keywords.slug': 'dem', 'keywords.name': 'DEM' }] }), ['1', '4']],
    [enc({ $or: [{ 'keywords.name': 'flood' }, { 'keywords.slug': 'dem', 'keywords.name': 'x' }] }), ['4']],
    // an empty relation is one NULL row (LEFT JOIN): isnull holds on it
    ['filter{keywords.name.isnull}=true&filter{keywords.slug.isnull}=true', ['3']],
  ];
  it.each(cases)('%s', (qs, expected) => expect(run(qs)).toEqual(expected));
});

describe('relations by pk (fact 5), integers (fact 4), blank values (fact 6)', () => {
  const cases: Array<[string, string[] | string]> = [
    ['filter{owner}=1002', ['2', '3']],
    ['filter{owner.in}=1000&filter{owner.in}= 1002 ', ['1', '2', '3', '4']],
    ['filter{owner}=alice', ''],
    ['filter{owner.icontains}=al', ''],
    ['filter{owner.pk.contains}=02', ['2', '3']],
    ['filter{pk}=+2', ['2']],
    ['filter{pk}=1_0', []],
    ['filter{pk}=2.0', ''],
    ['filter{pk.gt}=1e0', ''],
    ['filter{title}=', []],
    ['filter{pk.in}=', ''],
    ['filter{title.year}=2020', ''],
  ];
  it.each(cases)('%s', (qs, expected) => {
    const r = parseDynamicQuery(new URLSearchParams(qs), schema);
    if (typeof expected === 'string') expect(r).toEqual({ ok: false, error: { code: 'invalid', message: expected } });
    else expect(run(qs)).toEqual(expected);
  });
});

describe('Django values', () => {
  it.each([
    ['2020-13-01', '\u201c2020-13-01\u201d value has the correct format (YYYY-MM-DD) but it is an invalid date.'],
    ['2021-02-29', '\u201c2021-02-29\u201d value has the correct format (YYYY-MM-DD) but it is an invalid date.'],
    [
      '2020-01-01 24:00',
      '\u201c2020-01-01 24:00\u201d value has the correct format (YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ]) but it is an invalid date/time.',
    ],
    [
      '2020-01-01T',
      '\u201c2020-01-01T\u201d value has an invalid format. It must be in YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ] format.',
    ],
    ['', '\u201c\u201d value has an invalid format. It must be in YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ] format.'],
  ])("djangoDatetime(%j) refuses with Django's message", (value, message) => {
    expect(() => djangoDatetime(value)).toThrow(new QueryError('invalid', message));
  });

  it.each([
    ['2024-02-29', Date.UTC(2024, 1, 29) * 1000],
    ['2020-01-01 10:30', Date.UTC(2020, 0, 1, 10, 30) * 1000],
    ['2020-01-01T10:30:05.1234567+02:00', Date.UTC(2020, 0, 1, 8, 30, 5) * 1000 + 123456],
    ['2020-01-01T10:30Z', Date.UTC(2020, 0, 1, 10, 30) * 1000],
  ])('djangoDatetime(%j) reads it', (value, micro) => expect(djangoDatetime(value)).toBe(micro));

  it.each([
    ['2018-03-04T18:08:44.123456Z', '2018-03-04 18:08:44.123456+00'],
    ['2018-03-04T18:08:44.120000Z', '2018-03-04 18:08:44.12+00'],
    ['2018-03-04T18:08:44Z', '2018-03-04 18:08:44+00'],
  ])('PostgreSQL writes %s as %s', (iso, text) => {
    expect(postgresTimestampText(djangoDatetime(iso.replace('Z', '+00:00')))).toBe(text);
  });

  it('int() and BooleanField.to_python', () => {
    expect([' 7 ', '+7', '-7', '1_000', '7.0', '1e3', '', '1__0'].map(pythonInt)).toEqual([
      7,
      7,
      -7,
      1000,
      NaN,
      NaN,
      NaN,
      NaN,
    ]);
    expect(['t', 'True', '1', 'f', 'False', '0'].map(djangoBoolean)).toEqual([true, true, true, false, false, false]);
    for (const bad of ['true', 'false', 'yes', ''])
      expect(() => djangoBoolean(bad)).toThrow(`\u201c${bad}\u201d value must be either True or False.`);
  });
});
