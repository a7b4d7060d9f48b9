/**
 * Authentication and permissions as GeoNode applies them (`geonode/settings.py:537-541`,
 * `geonode/base/api/permissions.py`, `geonode/security/permissions.py` (4.4.3)): 401 vs 403, visibility, rights,
 * users, groups.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
beforeEach(async () => {
  await s.request('POST', '/__geostub/reset');
});
afterAll(() => s.close());

const ALICE_PRIVATE = '2'; // owned by alice, anonymous "none", not advertised (fixtures)
const basic = (u: string, p: string) => ({ Authorization: 'Basic ' + Buffer.from(`${u}:${p}`).toString('base64') });

describe('401 vs 403: decided by the view’s first authentication class', () => {
  it('Session-first views: anonymous → 403 not_authenticated, no WWW-Authenticate', async () => {
    const res = await s.request('GET', '/api/v2/users/', { as: null });
    expect(res.status).toBe(403);
    expect(res.json).toEqual({
      success: false,
      errors: ['Authentication credentials were not provided.'],
      code: 'not_authenticated',
    });
    expect(res.headers.get('www-authenticate')).toBeNull();
  });

  it('Basic-first views: anonymous → 401 with WWW-Authenticate: Basic realm="api"', async () => {
    for (const path of ['/api/v2/management/commands/', '/api/v2/harvesters/1/']) {
      const res = await s.request(path.includes('harvesters') ? 'DELETE' : 'GET', path, { as: null });
      expect(res.status, path).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="api"');
      expect(res.json.code).toBe('not_authenticated');
    }
  });

  it('a wrong Basic password: 403 authentication_failed on Session-first views, 401 on Basic-first ones', async () => {
    const session = await s.request('GET', '/api/v2/resources/', { headers: basic('alice', 'wrong'), as: null });
    expect(session.status).toBe(403);
    expect(session.json).toMatchObject({ errors: ['Invalid username/password.'], code: 'authentication_failed' });
    const basicFirst = await s.request('GET', '/api/v2/categories/', { headers: basic('alice', 'wrong'), as: null });
    expect(basicFirst.status).toBe(401);
    expect(basicFirst.headers.get('www-authenticate')).toBe('Basic realm="api"');
  });

  it('an unknown Bearer token counts as anonymous, not as an error', async () => {
    const list = await s.request('GET', '/api/v2/resources/?page_size=1', {
      headers: { Authorization: 'Bearer not-a-token' },
      as: null,
    });
    expect(list.status).toBe(200);
    const write = await s.request('PATCH', '/api/v2/resources/1/', {
      body: { title: 'x' },
      headers: { Authorization: 'Bearer not-a-token' },
      as: null,
    });
    expect(write.json.code).toBe('not_authenticated');
  });

  it('authenticated but not allowed → 403 permission_denied', async () => {
    const res = await s.request('POST', '/api/v2/users/', {
      body: { username: 'newbie', email: 'n@example.org', password: 'a-Strong-pass-9' },
      as: 'alice',
    });
    expect(res.status).toBe(403);
    expect(res.json.code).toBe('permission_denied');
  });
});

describe('visibility', () => {
  // GeoNode checks the caller's rights on the object before filtering (UserHasPerms.has_permission, 4.4.3
  // base/api/permissions.py:233-258): a resource that exists but may not be viewed is a 403, not a 404
  it('a private resource is seen by its owner and admins; anyone else gets 403, and a missing one 404', async () => {
    expect((await s.request('GET', `/api/v2/resources/${ALICE_PRIVATE}`, { as: 'alice' })).status).toBe(200);
    expect((await s.request('GET', `/api/v2/resources/${ALICE_PRIVATE}`, { as: 'admin' })).status).toBe(200);
    const bob = await s.request('GET', `/api/v2/resources/${ALICE_PRIVATE}`, { as: 'bob' });
    expect(bob.status).toBe(403);
    expect(bob.json).toMatchObject({ success: false, code: 'permission_denied' });
    const anonymous = await s.request('GET', `/api/v2/resources/${ALICE_PRIVATE}`, { as: null });
    expect(anonymous.status).toBe(403); // Session authentication first on 4.4.3's resource views: no WWW-Authenticate
    expect(anonymous.json).toMatchObject({ success: false, code: 'not_authenticated' });
    for (const path of [
      `/api/v2/resources/${ALICE_PRIVATE}/keywords`,
      `/api/v2/documents/${ALICE_PRIVATE}`,
      `/api/v2/datasets/${ALICE_PRIVATE}`,
    ]) {
      expect((await s.request('GET', path, { as: 'bob' })).status, path).toBe(403);
    }
    const missing = await s.request('GET', '/api/v2/resources/999999', { as: 'bob' });
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ detail: 'Not found.' });
    // rights first, then the endpoint's queryset: a visible resource under the wrong type's endpoint is a 404
    const visible = (await s.request('GET', '/api/v2/maps/?page_size=1', { as: 'bob' })).json.maps[0].pk;
    expect((await s.request('GET', `/api/v2/documents/${visible}`, { as: 'bob' })).status).toBe(404);
    const anonList = await s.request('GET', '/api/v2/resources/?page_size=1000', { as: null });
    expect(anonList.json.resources.map((r: { pk: string }) => r.pk)).not.toContain(ALICE_PRIVATE);
    const aliceList = await s.request('GET', '/api/v2/resources/?page_size=1000', { as: 'alice' });
    expect(aliceList.json.resources.map((r: { pk: string }) => r.pk)).toContain(ALICE_PRIVATE);
    expect(aliceList.json.total).toBeGreaterThan(anonList.json.total);
  });

  it('unadvertised resources are listed for their owner and admins only, unless advertised= says otherwise', async () => {
    const anon = await s.request('GET', '/api/v2/resources/?page_size=1000', { as: null });
    expect(anon.json.resources.every((r: { advertised: boolean }) => r.advertised)).toBe(true);
    const admin = await s.request('GET', '/api/v2/resources/?page_size=1000', { as: 'admin' });
    expect(admin.json.resources.some((r: { advertised: boolean }) => !r.advertised)).toBe(true);
  });

  it('private groups are hidden from non-members; members and admins see them', async () => {
    const ids = async (as: 'alice' | 'bob' | 'admin' | null) =>
      (await s.request('GET', '/api/v2/groups/?page_size=100', { as })).json.group_profiles.map(
        (g: { pk: number }) => g.pk,
      );
    expect(await ids(null)).not.toContain(4);
    expect(await ids('bob')).not.toContain(4);
    expect(await ids('alice')).toContain(4); // alice is a member of private group 4
    expect(await ids('admin')).toContain(4);
    expect((await s.request('GET', '/api/v2/groups/4', { as: 'bob' })).status).toBe(404);
  });

  it('executions, uploads and favorites are the caller’s own; anonymous gets none of them', async () => {
    expect((await s.request('GET', '/api/v2/executionrequest/', { as: null })).status).toBe(403);
    const mine = await s.request('GET', '/api/v2/executionrequest/?page_size=100', { as: 'alice' });
    expect(mine.json.total).toBeGreaterThan(0);
    expect(mine.json.requests.every((e: { user: number }) => e.user === 1002)).toBe(true);
    const uploads = await s.request('GET', '/api/v2/uploads/?page_size=100', { as: 'bob' });
    expect(uploads.json.uploads.every((u: { user: number }) => u.user === 1003)).toBe(true);
    expect((await s.request('GET', '/api/v2/uploads/', { as: null })).json.total).toBe(0);
    const favs = await s.request('GET', '/api/v2/resources/favorites/?page_size=100', { as: 'alice' });
    const aliceFavs = s.store
      .collection('favorites')
      .list()
      .filter((f) => f.user === 1002)
      .map((f) => String(f.resource))
      .sort();
    expect(favs.json.favorites.map((r: { pk: string }) => r.pk).sort()).toEqual(aliceFavs);
    expect((await s.request('GET', '/api/v2/resources/favorites/', { as: null })).status).toBe(403);
  });

  it('perms on each object are computed for the requesting user', async () => {
    const owner = await s.request('GET', `/api/v2/resources/${ALICE_PRIVATE}`, { as: 'alice' });
    expect(owner.json.resource.perms).toEqual(
      expect.arrayContaining([
        'view_resourcebase',
        'change_resourcebase',
        'delete_resourcebase',
        'change_resourcebase_permissions',
      ]),
    );
    const pub = (await s.request('GET', '/api/v2/resources/?page_size=1', { as: null })).json.resources[0];
    const anon = await s.request('GET', `/api/v2/resources/${pub.pk}`, { as: null });
    expect(anon.json.resource.perms).toContain('view_resourcebase');
    expect(anon.json.resource.perms).not.toContain('change_resourcebase');
  });
});

describe('rights by compact level', () => {
  it('view lets a user read but not edit; an edit grant lets them edit; superusers always pass', async () => {
    const pub = (await s.request('GET', '/api/v2/resources/?page_size=50', { as: 'bob' })).json.resources.find(
      (r: { owner: { pk: number }; perms: string[] }) =>
        r.owner.pk !== 1003 && !r.perms.includes('change_resourcebase'),
    );
    const denied = await s.request('PATCH', `/api/v2/resources/${pub.pk}`, {
      body: { title: 'bob was here' },
      as: 'bob',
    });
    expect(denied.status).toBe(403);
    expect(denied.json.code).toBe('permission_denied');
    const grants = s.store.collection('grants').get(pub.pk)!;
    (grants.users as { id: number; permissions: string }[]).push({ id: 1003, permissions: 'edit' });
    const allowed = await s.request('PATCH', `/api/v2/resources/${pub.pk}`, {
      body: { title: 'bob was here' },
      as: 'bob',
    });
    expect(allowed.status).toBe(200);
    expect((await s.request('DELETE', `/api/v2/resources/${pub.pk}`, { as: 'bob' })).status).toBe(403); // delete needs manage
    expect((await s.request('DELETE', `/api/v2/resources/${pub.pk}`, { as: 'admin' })).status).toBe(204);
  });
});

describe('users and groups', () => {
  it('user create: admin/staff only, email required, unique username and email, Django password validation', async () => {
    const post = (body: object) => s.request('POST', '/api/v2/users/', { body, as: 'staff' });
    expect((await post({ username: 'nomail', password: 'a-Strong-pass-9' })).json.errors[0]).toBe(
      'email missing from payload',
    );
    expect(
      (await post({ username: 'alice', email: 'x@example.org', password: 'a-Strong-pass-9' })).json.errors[0],
    ).toMatch(/username already exists/);
    expect(
      (await post({ username: 'dup', email: 'alice@example.org', password: 'a-Strong-pass-9' })).json.errors[0],
    ).toBe('A user is already registered with that email');
    expect((await post({ username: 'short', email: 's@example.org', password: 'x7!b' })).json.errors[0]).toMatch(
      /too short/,
    );
    expect(
      (await post({ username: 'numbers', email: 'n@example.org', password: '83749201746' })).json.errors[0],
    ).toMatch(/entirely numeric/);
    expect(
      (await post({ username: 'common', email: 'c@example.org', password: 'password123' })).json.errors[0],
    ).toMatch(/too common/);
    expect(
      (await post({ username: 'charlotte', email: 'c2@example.org', password: 'charlotte2024' })).json.errors[0],
    ).toMatch(/too similar to the username/);
    const ok = await post({
      username: 'newbie',
      email: 'newbie@example.org',
      password: 'a-Strong-pass-9',
      first_name: 'New',
    });
    expect(ok.status).toBe(201);
    expect(ok.json.user).not.toHaveProperty('password');
    const login = await s.request('GET', `/api/v2/users/${ok.json.user.pk}`, {
      headers: basic('newbie', 'a-Strong-pass-9'),
      as: null,
    });
    expect(login.json.user.username).toBe('newbie');
  });

  it('a user may change themselves but not their username; others may not; passwords never come back', async () => {
    const self = await s.request('PATCH', '/api/v2/users/1002', { body: { first_name: 'Alicia' }, as: 'alice' });
    expect(self.json.user.first_name).toBe('Alicia');
    expect(JSON.stringify(self.json)).not.toMatch(/password/);
    expect(
      (await s.request('PATCH', '/api/v2/users/1002', { body: { username: 'alicia' }, as: 'alice' })).json.errors[0],
    ).toBe('username cannot be updated');
    expect((await s.request('PATCH', '/api/v2/users/1002', { body: { first_name: 'Bob?' }, as: 'bob' })).status).toBe(
      403,
    );
  });

  it('a user who owns resources cannot be deleted; one who owns none can', async () => {
    const blocked = await s.request('DELETE', '/api/v2/users/1002', { as: 'admin' });
    expect(blocked.status).toBe(403);
    expect(blocked.json.errors[0]).toBe('One or more validation rules are violated: user_has_resources');
    const created = await s.request('POST', '/api/v2/users/', {
      body: { username: 'leaver', email: 'leaver@example.org', password: 'a-Strong-pass-9' },
      as: 'admin',
    });
    const gone = await s.request('DELETE', `/api/v2/users/${created.json.user.pk}`, { as: 'admin' });
    expect(gone.status).toBe(200);
    expect(gone.json).toBe('User deleted sucessfully');
  });

  it('groups: a manager may edit their group but not delete it; admins may do both; members and managers are listed', async () => {
    expect(
      (await s.request('PATCH', '/api/v2/groups/3', { body: { description: 'by alice' }, as: 'alice' })).status,
    ).toBe(200);
    expect((await s.request('PATCH', '/api/v2/groups/3', { body: { description: 'by bob' }, as: 'bob' })).status).toBe(
      403,
    );
    expect((await s.request('DELETE', '/api/v2/groups/3', { as: 'alice' })).status).toBe(403);
    const managers = await s.request('GET', '/api/v2/groups/3/managers', { as: 'alice' });
    expect(managers.json.map((u: { username: string }) => u.username)).toContain('alice');
    expect((await s.request('DELETE', '/api/v2/groups/3', { as: 'admin' })).status).toBe(204);
  });
});

describe('--auth off', () => {
  it('acts as the superuser for every request, whatever it sends', async () => {
    const open = await startTestServer({ auth: 'off' });
    try {
      const res = await open.request('GET', `/api/v2/resources/${ALICE_PRIVATE}`, { as: null });
      expect(res.status).toBe(200);
      const write = await open.request('PATCH', '/api/v2/resources/1', {
        body: { title: 'no auth' },
        headers: basic('bob', 'wrong'),
        as: null,
      });
      expect(write.status).toBe(200);
      const koordinates = await open.request('GET', '/services/api/v1/data/?public=false&page_size=1', { as: null });
      expect(koordinates.status).toBe(200);
    } finally {
      await open.close();
    }
  });
});
