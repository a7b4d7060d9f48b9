/**
 * Bulk writes over HTTP (`dynamic_rest/viewsets.py:430-734`): bulk create (four body forms, all-or-nothing,
 * dynamic-rest's error body), bulk update (id or pk, restricted to the filtered queryset), bulk delete (body forms,
 * only /resources and /groups, 405 with an empty body without a bulk body), patch-all (count, validation, values,
 * --no-patch-all).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';
import { expectGeonodeError, listAll, q, refused, type Item } from './helpers/geonode.js';

let s: TestServer;
let off: TestServer;
beforeAll(async () => {
  [s, off] = await Promise.all([startTestServer(), startTestServer({ patchAll: false })]);
});
afterAll(async () => {
  await Promise.all([s.close(), off.close()]);
});
beforeEach(async () => {
  await s.request('POST', '/__geostub/reset');
});

const resources = () => s.store.collection('resources');
const stored = (pk: string) => resources().get(pk)!;
const ofType = (type: string) =>
  resources()
    .list()
    .filter((r) => r.resource_type === type);

describe('bulk create', () => {
  const forms: [string, (items: Item[]) => unknown, number][] = [
    ['a bare object', (i) => i[0], 1],
    ['{"resource": {…}}', (i) => ({ resource: i[0] }), 1],
    ['{"resources": […]}', (i) => ({ resources: i }), 3],
    ['a bare array', (i) => i, 3],
  ];
  for (const [name, body, n] of forms) {
    it(`${name} creates ${n}`, async () => {
      const items = [{ title: 'bulk A' }, { title: 'bulk B', abstract: 'b' }, { title: 'bulk C' }];
      const res = await s.request('POST', '/api/v2/resources', { body: body(items) });
      expect(res.status, res.text).toBe(201);
      const made: Item[] = n === 1 ? [res.json.resource] : res.json.resources;
      expect(Object.keys(res.json)).toEqual([n === 1 ? 'resource' : 'resources']);
      expect(made.map((r) => r.title)).toEqual(items.slice(0, n).map((i) => i.title));
      expect(resources().list()).toHaveLength(300 + n);
      for (const r of made) expect(stored(r.pk).title).toBe(r.title);
    });
  }
  it('is all-or-nothing: one bad item saves none, with dynamic-rest’s error body', async () => {
    const res = await refused(s, () =>
      s.request('POST', '/api/v2/resources', { body: [{ title: 'fine' }, { abstract: 'no title' }, { title: '' }] }),
    );
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      resources: [],
      errors: [
        {
          detail: "{'title': [ErrorDetail(string='This field is required.', code='required')]}",
          source: { abstract: 'no title' },
        },
        {
          detail: "{'title': [ErrorDetail(string='This field is required.', code='required')]}",
          source: { title: '' },
        },
      ],
    });
  });
  it('users: a username taken twice in one request fails it whole', async () => {
    const body = {
      users: [
        { username: 'twin', email: 't1@example.org' },
        { username: 'twin', email: 't2@example.org' },
      ],
    };
    const res = await refused(s, () => s.request('POST', '/api/v2/users', { body }));
    expect(res.status).toBe(400);
    expect(res.json.users).toEqual([]);
    expect(res.json.errors).toEqual([
      {
        detail: "{'username': [ErrorDetail(string='A user with that username already exists.', code='unique')]}",
        source: body.users[1],
      },
    ]);
  });
  it('an empty array is no bulk payload: 400', async () => {
    const res = await refused(s, () => s.request('POST', '/api/v2/resources', { body: [] }));
    expect(res.status).toBe(400);
  });
});

describe('bulk update', () => {
  it('PATCH a list with id or pk updates each record and answers {"<plural>": […]}', async () => {
    const [a, b] = ofType('map');
    const res = await s.request('PATCH', '/api/v2/resources', {
      body: [
        { id: a!.pk, title: 'by id' },
        { pk: Number(b!.pk), abstract: 'by pk' },
      ],
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.resources.map((r: Item) => r.pk)).toEqual([a!.pk, b!.pk]);
    expect(stored(String(a!.pk)).title).toBe('by id');
    expect(stored(String(b!.pk)).abstract).toBe('by pk');
    expect(res.json.resources[0]).toHaveProperty('data'); // write responses carry deferred fields
  });
  it('PUT on the list is refused: DynamicRouter maps only get/post/patch/delete there (dynamic-rest routers.py:87-94)', async () => {
    const [a] = ofType('document');
    const res = await refused(s, () =>
      s.request('PUT', '/api/v2/documents/', { body: { documents: [{ id: a!.pk, title: 'put in bulk' }] } }),
    );
    expectGeonodeError(res, 405, 'method_not_allowed', 'Method "PUT" not allowed.');
    expect(stored(String(a!.pk)).title).not.toBe('put in bulk');
  });
  it('{"<plural>": […]} form, on groups', async () => {
    const res = await s.request('PATCH', '/api/v2/groups', {
      body: { group_profiles: [{ id: 3, description: 'bulk' }] },
    });
    expect(res.status, res.text).toBe(200);
    expect(s.store.collection('groups').get(3)!.description).toBe('bulk');
  });
  it('is restricted to the filtered queryset: an id outside it fails the whole request', async () => {
    const [map] = ofType('map');
    const [dataset] = ofType('dataset');
    const res = await refused(s, () =>
      s.request('PATCH', `/api/v2/resources?${q({ 'filter{resource_type}': 'map' })}`, {
        body: [
          { id: map!.pk, title: 'x' },
          { id: dataset!.pk, title: 'y' },
        ],
      }),
    );
    expectGeonodeError(res, 400, 'invalid', 'Could not find all objects to update: 2 != 1.');
    const ok = await s.request('PATCH', `/api/v2/resources?${q({ 'filter{resource_type}': 'map' })}`, {
      body: [{ id: map!.pk, title: 'inside' }],
    });
    expect(ok.status).toBe(200);
    expect(stored(String(map!.pk)).title).toBe('inside');
  });
  it('the typed endpoints only reach their own type', async () => {
    const [dataset] = ofType('dataset');
    const res = await refused(s, () => s.request('PATCH', '/api/v2/maps', { body: [{ id: dataset!.pk, title: 'x' }] }));
    expectGeonodeError(res, 400, 'invalid', 'Could not find all objects to update: 1 != 0.');
  });
  it('refusals write nothing: no id, unknown id, no right on one record', async () => {
    const [a] = ofType('map');
    expectGeonodeError(
      await refused(s, () =>
        s.request('PATCH', '/api/v2/resources', { body: [{ id: a!.pk, title: 'x' }, { title: 'no id' }] }),
      ),
      400,
      'invalid',
      /Invalid lookup key value|id/,
    );
    expectGeonodeError(
      await refused(s, () =>
        s.request('PATCH', '/api/v2/resources', {
          body: [
            { id: a!.pk, title: 'x' },
            { id: '999999', title: 'y' },
          ],
        }),
      ),
      400,
      'invalid',
      'Could not find all objects to update: 2 != 1.',
    );
    const mine = resources()
      .list()
      .find((r) => (r.owner as Item).username === 'alice')!;
    const editableByNobody = resources()
      .list()
      .find(
        (r) => (r.owner as Item).username === 'bob' && s.store.collection('grants').get(r.pk)?.anonymous !== 'none',
      )!;
    const res = await refused(s, () =>
      s.request('PATCH', '/api/v2/resources', {
        as: 'alice',
        body: [
          { id: mine.pk, title: 'x' },
          { id: editableByNobody.pk, title: 'y' },
        ],
      }),
    );
    expectGeonodeError(res, 403, 'permission_denied', /permission/);
    expectGeonodeError(
      await refused(s, () =>
        s.request('PATCH', '/api/v2/resources', { as: null, body: [{ id: mine.pk, title: 'x' }] }),
      ),
      403,
      'not_authenticated',
      /credentials/,
    );
  });
  it('a list body without patch-all and no bulk items: DRF’s missing-pk 400', async () => {
    expectGeonodeError(
      await refused(s, () => s.request('PATCH', '/api/v2/resources', { body: { title: 'x' } })),
      400,
      'invalid',
      /URL keyword argument named "pk"/,
    );
  });
});

describe('bulk delete', () => {
  const forms: [string, (pks: string[]) => unknown][] = [
    ['[{"id": …}]', (p) => p.map((id) => ({ id }))],
    ['{"resources": [{"id": …}]}', (p) => ({ resources: p.map((id) => ({ id })) })],
    ['[{"pk": …}]', (p) => p.map((pk) => ({ pk: Number(pk) }))],
  ];
  for (const [name, body] of forms) {
    it(`${name} deletes them (unknown ids skipped) → 204 empty`, async () => {
      const victims = ofType('document')
        .slice(0, 2)
        .map((r) => String(r.pk));
      const res = await s.request('DELETE', '/api/v2/resources', { body: body([...victims, '999999']) });
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      for (const pk of victims) expect(resources().get(pk)).toBeUndefined();
      expect(resources().list()).toHaveLength(298);
    });
  }
  it('groups allow it too', async () => {
    const res = await s.request('DELETE', '/api/v2/groups', { body: [{ id: 4 }] });
    expect(res.status).toBe(204);
    expect(s.store.collection('groups').get(4)).toBeUndefined();
  });
  it('without a bulk body: 405 with an empty body', async () => {
    const res = await refused(s, () => s.request('DELETE', '/api/v2/resources'));
    expect(res.status).toBe(405);
    expect(res.text).toBe('');
  });
  it('all or nothing: one record the caller may not delete refuses the request', async () => {
    const mine = resources()
      .list()
      .find((r) => (r.owner as Item).username === 'alice')!;
    const theirs = resources()
      .list()
      .find((r) => (r.owner as Item).username === 'admin')!;
    expectGeonodeError(
      await refused(s, () =>
        s.request('DELETE', '/api/v2/resources', { as: 'alice', body: [{ id: mine.pk }, { id: theirs.pk }] }),
      ),
      403,
      'permission_denied',
      /permission/,
    );
    expectGeonodeError(
      await refused(s, () => s.request('DELETE', '/api/v2/resources', { as: null, body: [{ id: mine.pk }] })),
      403,
      'not_authenticated',
      /credentials/,
    );
  });
  it('users and the typed endpoints do not allow it: 405 in the GeoNode body', async () => {
    for (const path of [
      '/api/v2/users',
      '/api/v2/datasets',
      '/api/v2/documents',
      '/api/v2/maps',
      '/api/v2/geoapps',
      '/api/v2/uploads',
    ]) {
      const res = await refused(s, () => s.request('DELETE', path, { body: [{ id: 1 }] }));
      expectGeonodeError(res, 405, 'method_not_allowed', 'Method "DELETE" not allowed.');
    }
  });
});

describe('patch-all', () => {
  const patchAll = (
    query: Record<string, string | string[]>,
    body: unknown,
    server = s,
    as: 'admin' | 'alice' | null = 'admin',
  ) => server.request('PATCH', `/api/v2/resources?${q(query)}`, { body, as });

  it('updates every record matching the filters and answers {"meta": {"updated": N}}', async () => {
    const maps = ofType('map');
    const before = new Map(
      resources()
        .list()
        .map((r) => [r.pk, r.abstract]),
    );
    const res = await patchAll({ 'filter{resource_type}': 'map', 'patch-all': 'true' }, { abstract: 'patched' });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ meta: { updated: maps.length } });
    for (const r of resources().list())
      expect(r.abstract, r.pk as string).toBe(r.resource_type === 'map' ? 'patched' : before.get(r.pk));
  });
  it('N is what the caller can see through the filters (search and extent included)', async () => {
    const visible = await listAll(
      s,
      `/api/v2/resources?${q({ advertised: 'all', 'filter{resource_type}': 'dataset', extent: '-180,0,180,90' })}`,
      'alice',
    );
    const res = await patchAll(
      { 'filter{resource_type}': 'dataset', extent: '-180,0,180,90', 'patch-all': '1' },
      { purpose: 'by alice' },
      s,
      'alice',
    );
    expect(res.json).toEqual({ meta: { updated: visible.length } });
    expect(visible.length).toBeLessThan(ofType('dataset').length);
    expect(
      resources()
        .list()
        .filter((r) => r.purpose === 'by alice')
        .map((r) => r.pk)
        .sort(),
    ).toEqual(visible.map((r) => r.pk).sort());
  });
  it('true saves record by record (last_updated moves); query is one UPDATE (it does not)', async () => {
    const [a, b] = ofType('geostory');
    const before = String(stored(String(a!.pk)).last_updated);
    const beforeB = String(stored(String(b!.pk)).last_updated);
    await patchAll({ 'filter{pk}': String(a!.pk), 'patch-all': 'query' }, { title: 'q' });
    expect(stored(String(a!.pk))).toMatchObject({ title: 'q', last_updated: before });
    await patchAll({ 'filter{pk}': String(b!.pk), 'patch-all': 'TRUE' }, { title: 't' });
    expect(stored(String(b!.pk)).title).toBe('t');
    expect(stored(String(b!.pk)).last_updated).not.toBe(beforeB);
  });
  it('validates the body against the contract’s writable fields, writing nothing on error', async () => {
    const cases: [unknown, string][] = [
      [{ foo: 1 }, 'Unknown field: "foo"'],
      [{ title: 'ok', pk: '1' }, 'Cannot update field: "pk"'],
      [{ owner: 1000 }, 'Cannot update field: "owner"'],
      [[{ id: '1', title: 'x' }], 'Patch-all data must be in object form'],
    ];
    for (const [body, message] of cases) {
      expectGeonodeError(await refused(s, () => patchAll({ 'patch-all': 'true' }, body)), 400, 'invalid', message);
    }
  });
  it('a falsy patch-all value is a parse error, even with patch-all disabled', async () => {
    for (const server of [s, off]) {
      for (const value of ['false', 'False', '0']) {
        const res = await refused(server, () => patchAll({ 'patch-all': value }, { title: 'x' }, server));
        expectGeonodeError(res, 400, 'parse_error', `"${value.toLowerCase()}" is not valid for patch-all`);
      }
    }
  });
  it('needs an authenticated caller; users and groups need an admin', async () => {
    expectGeonodeError(
      await refused(s, () => patchAll({ 'patch-all': 'true' }, { title: 'x' }, s, null)),
      403,
      'not_authenticated',
      /credentials/,
    );
    const res = await refused(s, () =>
      s.request('PATCH', '/api/v2/groups?patch-all=true', { as: 'alice', body: { description: 'x' } }),
    );
    expectGeonodeError(res, 403, 'permission_denied', /permission/);
  });
  it('a unique field set on several records fails like the database does', async () => {
    const res = await refused(s, () =>
      s.request('PATCH', `/api/v2/users?${q({ 'filter{username.in}': ['alice', 'bob'], 'patch-all': 'true' })}`, {
        body: { username: 'same' },
      }),
    );
    expectGeonodeError(res, 400, 'invalid', /^Failed to update records:\n.*username.*\nData: \{'username': 'same'\}$/s);
  });
  it('--no-patch-all: a stock GeoNode’s missing-pk 400; bulk updates by id still work', async () => {
    await off.request('POST', '/__geostub/reset');
    const res = await refused(off, () => patchAll({ 'patch-all': 'true' }, { abstract: 'x' }, off));
    expectGeonodeError(res, 400, 'invalid', /URL keyword argument named "pk"/);
    const [map] = off.store
      .collection('resources')
      .list()
      .filter((r) => r.resource_type === 'map');
    const bulk = await patchAll({ 'patch-all': 'true' }, [{ id: map!.pk, title: 'still bulk' }], off);
    expect(bulk.status).toBe(200);
    expect(off.store.collection('resources').get(map!.pk)!.title).toBe('still bulk');
  });
});
