/** Table tests of the pure dynamic-rest features: patch-all and sideloading values, last-value reads, sideloading. */
import { describe, expect, it } from 'vitest';
import {
  lastParam,
  parsePatchAll,
  parseSideloading,
  QueryError,
  sideloadKey,
  sideloadObjects,
  type SideloadRule,
} from '../src/query/dynamic-rest/index.js';

describe('parsePatchAll', () => {
  const cases: [string, 'loop' | 'query' | null | string][] = [
    ['', null],
    ['patch-all=', null],
    ['patch-all=true', 'loop'],
    ['patch-all=1', 'loop'],
    ['patch-all=TRUE', 'loop'],
    ['patch-all=maybe', 'loop'], // dynamic-rest's is_truthy: anything but 0/false/"" is true
    ['patch-all=query', 'query'],
    ['patch-all=QUERY', 'query'],
    ['patch-all=false', '"false" is not valid for patch-all'],
    ['patch-all=False', '"false" is not valid for patch-all'],
    ['patch-all=0', '"0" is not valid for patch-all'],
    ['patch-all=false&patch-all=true', 'loop'], // QueryDict.get: the last value
    ['patch-all=true&patch-all=0', '"0" is not valid for patch-all'],
  ];
  for (const [query, want] of cases) {
    it(`${query || '(none)'} → ${want}`, () => {
      const params = new URLSearchParams(query);
      if (want === null || want === 'loop' || want === 'query') expect(parsePatchAll(params)).toBe(want);
      else {
        expect(() => parsePatchAll(params)).toThrow(QueryError);
        expect(() => parsePatchAll(params)).toThrow(want);
        try {
          parsePatchAll(params);
        } catch (e) {
          expect((e as QueryError).code).toBe('parse_error');
        }
      }
    });
  }
});

describe('parseSideloading and lastParam', () => {
  const cases: [string, boolean | null][] = [
    ['', null],
    ['sideloading=true', true],
    ['sideloading=1', true],
    ['sideloading=false', false],
    ['sideloading=0', false],
    ['sideloading=', false],
    ['sideloading=true&sideloading=false', false],
  ];
  for (const [query, want] of cases)
    it(`${query || '(none)'} → ${want}`, () => expect(parseSideloading(new URLSearchParams(query))).toBe(want));
  it('lastParam reads the last value, or null', () => {
    expect(lastParam(new URLSearchParams('a=1&a=2'), 'a')).toBe('2');
    expect(lastParam(new URLSearchParams('b=1'), 'a')).toBeNull();
  });
});

describe('sideloadObjects', () => {
  const byPk: SideloadRule['pkOf'] = (o) => (o.pk as number | undefined) ?? null;
  const rules: SideloadRule[] = [
    { field: 'owner', plural: 'users', pkOf: byPk },
    {
      field: 'regions',
      plural: 'Regions',
      pkOf: (o) => (({ GLO: 1, ITA: 7 }) as Record<string, number>)[String(o.code)] ?? null,
    },
    { field: 'parent', plural: 'resources', pkOf: byPk },
  ];
  const ada = { pk: 1000, username: 'ada' };
  const bob = { pk: 1001, username: 'bob' };

  it('replaces embedded objects by pks and collects one copy per pk, in first-met order', () => {
    const out = sideloadObjects(
      'resources',
      [
        {
          pk: '1',
          owner: ada,
          regions: [
            { code: 'ITA', name: 'Italy' },
            { code: 'GLO', name: 'Global' },
          ],
        },
        { pk: '2', owner: bob, regions: [] },
        { pk: '3', owner: { pk: 1000, username: 'ada', email: 'a@x' }, regions: [{ code: 'ITA', name: 'Italy' }] },
      ],
      rules,
    );
    expect(out.primary).toEqual([
      { pk: '1', owner: 1000, regions: [7, 1] },
      { pk: '2', owner: 1001, regions: [] },
      { pk: '3', owner: 1000, regions: [7] },
    ]);
    expect(out.sideloaded).toEqual({
      users: [{ pk: 1000, username: 'ada', email: 'a@x' }, bob],
      Regions: [
        { code: 'ITA', name: 'Italy' },
        { code: 'GLO', name: 'Global' },
      ],
    });
    expect(Object.keys(out.sideloaded)).toEqual(['users', 'Regions']);
  });
  it('objects of the primary type go under +<plural>; nulls, scalars and unresolvable objects stay as they are', () => {
    const out = sideloadObjects(
      'resources',
      [
        { pk: '1', owner: null, parent: { pk: '9', title: 'p' }, regions: [{ code: 'XXX' }] },
        { pk: '2', owner: 1000 },
      ],
      rules,
    );
    expect(out.primary).toEqual([
      { pk: '1', owner: null, parent: '9', regions: [{ code: 'XXX' }] },
      { pk: '2', owner: 1000 },
    ]);
    expect(out.sideloaded).toEqual({ '+resources': [{ pk: '9', title: 'p' }] });
    expect(sideloadKey('users', 'users')).toBe('+users');
    expect(sideloadKey('resources', 'users')).toBe('users');
  });
  it('does not change its input', () => {
    const input = [{ pk: '1', owner: { ...ada } }];
    const copy = structuredClone(input);
    sideloadObjects('resources', input, rules);
    expect(input).toEqual(copy);
  });
});
