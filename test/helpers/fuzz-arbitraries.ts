/** fast-check arbitraries for hostile HTTP input: values, keys, query pairs and body shapes. */
import fc from 'fast-check';

/** Strings and numbers that have broken servers before. */
const NASTY = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '',
  ' ',
  '-1',
  '0',
  '-0',
  '1e308',
  '1e-320',
  '9007199254740993',
  '99999999999999999999999',
  'NaN',
  'Infinity',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '../../etc/passwd',
  '%00',
  '%ff',
  '%',
  '\u0000',
  '\u2028',
  '😀',
  'Ωμέγα',
  'ﷺ',
  '\ud800',
  "' OR 1=1 --",
  '<script>',
  '${7*7}',
  '{{7*7}}',
  'a,b,c',
  '1;2',
  'geonode:x',
  '2020-13-45T99:99:99Z',
];

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(...NASTY), weight: 4 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 20 }), weight: 1 },
  { arbitrary: fc.integer(), weight: 1 },
  { arbitrary: fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -Number.MAX_VALUE, 1e308, 5e-324, -0), weight: 1 },
  { arbitrary: fc.double(), weight: 1 },
  { arbitrary: fc.nat({ max: 40 }).map((n) => 'x'.repeat(n * 1000)), weight: 1 },
);

const FIELD_NAMES = [
  'title',
  'abstract',
  'pk',
  'id',
  'owner',
  'name',
  'keywords',
  'category',
  'group',
  'users',
  'groups',
  'target',
  'rating',
  'file',
  'bbox',
  'srid',
  'username',
  'email',
  'password',
  'is_superuser',
  'resource_type',
  'data',
  'maplayers',
  'should_be_harvested',
  'unique_identifier',
  'defaults',
  'vals',
  'permissions',
  'extent',
  'state',
];

export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...FIELD_NAMES),
  fc.constantFrom('__proto__', 'constructor', 'prototype'),
  fc.string({ maxLength: 12 }),
);

const QUERY_KEYS = [
  'page',
  'page_size',
  'sort[]',
  'include[]',
  'exclude[]',
  'api_preset',
  'search',
  'search_fields',
  'format',
  'filter{title.icontains}',
  'filter{resource_type.in}',
  'filter{-pk.in}',
  'filter{owner.username}',
  'filter{date.gte}',
  'filter{__proto__}',
  'filter{constructor.prototype}',
  'filter{title.__proto__}',
  'filter{}',
  'filter{',
  'sort[]=-',
  '__proto__',
  'constructor',
  'sideloading',
  'kind',
  'q',
  'sort',
  'public',
  'group',
  'license',
  'license.type',
  'created_at.before',
  'updated_at.after',
  'version.status',
  'category',
  'tag',
  'key',
  'access_token',
  'resource_type',
  'link_type',
];

export const queryPairs: fc.Arbitrary<[string, string][]> = fc.array(
  fc.tuple(
    fc.oneof(
      { arbitrary: fc.constantFrom(...QUERY_KEYS), weight: 4 },
      { arbitrary: fc.string({ maxLength: 10 }), weight: 1 },
    ),
    hostileValue.map(String),
  ),
  { maxLength: 5 },
);

export type BodyShape =
  | { kind: 'none' }
  | { kind: 'valid' }
  | { kind: 'broken' }
  | { kind: 'json'; value: unknown }
  | { kind: 'raw'; text: string };

const objectWithNastyKeys = fc.dictionary(hostileKey, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 });

export const bodyShapes: fc.Arbitrary<BodyShape> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'none' as const }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'valid' as const }), weight: 3 },
  { arbitrary: fc.constant({ kind: 'broken' as const }), weight: 4 },
  {
    arbitrary: fc
      .oneof(fc.jsonValue({ maxDepth: 3 }), objectWithNastyKeys, fc.array(objectWithNastyKeys, { maxLength: 3 }))
      .map((value) => ({ kind: 'json' as const, value })),
    weight: 3,
  },
  {
    arbitrary: fc
      .oneof(
        fc.string({ maxLength: 60 }),
        fc.constantFrom(
          '{',
          '{"title":',
          '[1,2',
          'NaN',
          '{"__proto__":{"polluted":1}}',
          '{"constructor":{"prototype":{"x":1}}}',
          '\u0000',
          '{"a":1}{"b":2}',
        ),
      )
      .map((text) => ({ kind: 'raw' as const, text })),
    weight: 2,
  },
);
