/**
 * The GeoNode 5 release profile (`--geonode 5`) beside the default 4.4 one: each 5.x difference is shown in profile 5
 * and shown absent in profile 4. Sources: GeoNode 5.0.2 (commit 93492398a27f) and 4.4.3 (842fc887), file:line.
 */
import { describe, expect, it } from 'vitest';
import type { StoredRecord } from '../src/store/index.js';
import { startTestServer, bothProfiles, userPk, type TestServer } from './helpers/server.js';

const servers = bothProfiles({ jobDuration: 0 });

const aliceResource = (s: TestServer, type = 'dataset') =>
  s.store
    .collection('resources')
    .list()
    .find((r) => r.resource_type === type && (r.owner as StoredRecord).username === 'alice')!;

describe('which release runs is said everywhere', () => {
  it('health, the schema and the API root', async () => {
    expect((await servers.v5.request('GET', '/__geostub/health')).json.profile).toEqual({ geonode: 5 });
    expect((await servers.v4.request('GET', '/__geostub/health')).json.profile).toEqual({ geonode: 4 });
    expect((await servers.v5.request('GET', '/api/v2/schema/?format=json')).json.info.version).toBe('5.0.2');
    expect((await servers.v4.request('GET', '/api/v2/schema/?format=json')).json.info.version).toBe('4.4.3');
    const yaml = (await servers.v5.request('GET', '/api/v2/schema/')).text;
    expect(yaml).toMatch(/version: 5\.0\.2/);
    expect(yaml).not.toMatch(/x-geostub-release/);
    expect(Object.keys((await servers.v5.request('GET', '/api/v2/')).json)).not.toContain('uploads');
    expect(Object.keys((await servers.v4.request('GET', '/api/v2/')).json)).toContain('uploads');
  });
});

describe('authentication: Basic first everywhere in 5.0 (5.0.2 settings.py:544-549)', () => {
  it('anonymous callers get 401 + WWW-Authenticate where 4.4 answers 403 (5.0.2 base/api/tests.py:294)', async () => {
    for (const [method, path] of [
      ['GET', '/api/v2/users/'],
      ['POST', '/api/v2/resources/'],
      ['GET', '/api/v2/executionrequest/'],
    ] as const) {
      const five = await servers.v5.request(method, path, {
        as: null,
        body: method === 'POST' ? { title: 'x' } : undefined,
      });
      expect(five.status, `${method} ${path}`).toBe(401);
      expect(five.headers.get('www-authenticate')).toBe('Basic realm="api"');
      expect(five.json).toMatchObject({ code: 'not_authenticated' });
      const four = await servers.v4.request(method, path, {
        as: null,
        body: method === 'POST' ? { title: 'x' } : undefined,
      });
      expect(four.status, `${method} ${path}`).toBe(403);
      expect(four.headers.get('www-authenticate')).toBeNull();
    }
  });

  it('a favorite, a hidden resource and an unserved method answer 401 too', async () => {
    const visible = servers.v5.store
      .collection('resources')
      .list()
      .find((r) => r.advertised !== false)!;
    expect(
      (await servers.v5.request('POST', `/api/v2/resources/${String(visible.pk)}/favorite`, { as: null })).status,
    ).toBe(401);
    const ds = aliceResource(servers.v5);
    expect((await servers.v5.request('DELETE', `/api/v2/datasets/${String(ds.pk)}`, { as: null })).status).toBe(401);
    expect((await servers.v4.request('DELETE', `/api/v2/datasets/${String(ds.pk)}`, { as: null })).status).toBe(403);
  });

  it('a wrong password is a 401 in 5.0, a 403 authentication_failed on 4.4 resource views', async () => {
    const bad = { Authorization: 'Basic ' + Buffer.from('alice:wrong').toString('base64') };
    expect((await servers.v5.request('GET', '/api/v2/resources/', { as: null, headers: bad })).status).toBe(401);
    expect((await servers.v4.request('GET', '/api/v2/resources/', { as: null, headers: bad })).status).toBe(403);
  });
});

describe('routes 5.0 dropped (5.0.2 upload/api/urls.py, people/api/views.py:53)', () => {
  it('the uploads list and detail, ratings and ingest are gone; PUT on a user is a 405', async () => {
    const res = aliceResource(servers.v5);
    for (const path of ['/api/v2/uploads/', '/api/v2/uploads/1/', `/api/v2/resources/${String(res.pk)}/ratings/`]) {
      expect((await servers.v5.request('GET', path)).status, path).toBe(404);
      expect((await servers.v4.request('GET', path)).status, path).not.toBe(404);
    }
    // without the ingest action nothing serves the path (`dataset` is no link field of a resource)
    expect((await servers.v5.request('POST', '/api/v2/resources/ingest/dataset', { body: {} })).status).toBe(404);
    expect((await servers.v4.request('POST', '/api/v2/resources/ingest/dataset', { body: {} })).status).not.toBe(405);
    const alice = userPk(servers.v5, 'alice');
    expect((await servers.v5.request('PUT', `/api/v2/users/${alice}`, { body: { first_name: 'A' } })).status).toBe(405);
    expect(
      (await servers.v4.request('PUT', `/api/v2/users/${alice}`, { body: { first_name: 'A', username: 'alice' } }))
        .status,
    ).not.toBe(405);
  });
});

describe('permissions (5.0.2 base/api/views.py:617-657)', () => {
  async function settle(s: TestServer) {
    await s.request('POST', '/__geostub/jobs/settle');
  }
  const usersOf = async (s: TestServer, pk: unknown) =>
    (await s.request('GET', `/api/v2/resources/${String(pk)}/permissions`, { as: 'alice' })).json.users as {
      id: number;
      permissions: string;
    }[];

  it('PUT merges into the current spec in 5.0 and replaces it in 4.4', async () => {
    for (const s of [servers.v4, servers.v5]) {
      const res = aliceResource(s, 'document');
      const bob = userPk(s, 'bob');
      const staff = userPk(s, 'staff');
      expect(
        (
          await s.request('PATCH', `/api/v2/resources/${String(res.pk)}/permissions`, {
            as: 'alice',
            body: { users: [{ id: bob, permissions: 'view' }] },
          })
        ).status,
      ).toBe(200);
      await settle(s);
      expect(
        (
          await s.request('PUT', `/api/v2/resources/${String(res.pk)}/permissions`, {
            as: 'alice',
            body: { users: [{ id: staff, permissions: 'edit' }], groups: [], organizations: [] },
          })
        ).status,
      ).toBe(200);
      await settle(s);
      const ids = (await usersOf(s, res.pk)).map((u) => u.id);
      expect(ids).toContain(staff);
      if (s === servers.v5) expect(ids, 'merged').toContain(bob);
      else expect(ids, 'replaced').not.toContain(bob);
    }
  });

  it('a change while the last one is still running is a 400 with an empty body in 5.0 (dirty state)', async () => {
    const slow = await startTestServer({ geonode: 5, jobDuration: 60_000 });
    try {
      const res = aliceResource(slow, 'map');
      const bob = userPk(slow, 'bob');
      const first = await slow.request('PATCH', `/api/v2/resources/${String(res.pk)}/permissions`, {
        as: 'alice',
        body: { users: [{ id: bob, permissions: 'view' }] },
      });
      expect(first.status).toBe(200);
      const second = await slow.request('PUT', `/api/v2/resources/${String(res.pk)}/permissions`, {
        as: 'alice',
        body: { users: [{ id: bob, permissions: 'edit' }] },
      });
      expect(second.status).toBe(400);
      expect(second.text).toBe('');
    } finally {
      await slow.close();
    }
  });

  it('the execution stores {uuid, permissions, created}: no owner in 5.0', async () => {
    for (const s of [servers.v4, servers.v5]) {
      const res = aliceResource(s, 'dataset');
      const put = await s.request('PATCH', `/api/v2/resources/${String(res.pk)}/permissions`, {
        as: 'alice',
        body: { users: [] },
      });
      const exec = (
        await s.request('GET', `/api/v2/executionrequest/${String(put.json.execution_id)}`, { as: 'alice' })
      ).json.request;
      expect(Object.keys(exec.input_params)).toEqual(
        s === servers.v5 ? ['uuid', 'permissions', 'created'] : ['uuid', 'owner', 'permissions', 'created'],
      );
    }
  });
});

describe('execution requests and uploads', () => {
  it('ExecutionRequest has tasks and no source in 5.0; source and no tasks in 4.4 (resource/models.py)', async () => {
    const five = (await servers.v5.request('GET', '/api/v2/executionrequest/?page_size=3')).json.requests;
    for (const e of five) {
      expect(e).toHaveProperty('tasks');
      expect(e).not.toHaveProperty('source');
    }
    const four = (await servers.v4.request('GET', '/api/v2/executionrequest/?page_size=3')).json.requests;
    for (const e of four) {
      expect(e).toHaveProperty('source');
      expect(e).not.toHaveProperty('tasks');
    }
  });

  function form(name: string): FormData {
    const f = new FormData();
    f.append('base_file', new Blob(['x']), name);
    return f;
  }
  async function upload(s: TestServer, name: string) {
    const res = await fetch(`${s.url}/api/v2/uploads/upload`, {
      method: 'POST',
      body: form(name),
      headers: { Authorization: 'Basic ' + Buffer.from('alice:alice').toString('base64') },
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  }

  it('a file no importer handler takes: 500 importer_exception in 5.0 (upload/api/views.py:207), 200 [] in 4.4', async () => {
    const five = await upload(servers.v5, 'notes.docx');
    expect(five.status).toBe(500);
    expect(five.json).toEqual({
      success: false,
      errors: ['No handlers found for this dataset type/action'],
      code: 'importer_exception',
    });
    const four = await upload(servers.v4, 'notes.docx');
    expect(four.status).toBe(200);
    expect(four.json).toEqual([]);
  });

  it("a finished import lists what it made in output_params.resources (upload/handlers/base.py:163-182), as geonodectl's --wait reads it", async () => {
    const started = await upload(servers.v5, 'rivers.geojson');
    expect(started.status).toBe(201);
    await servers.v5.request('POST', '/__geostub/jobs/settle');
    const exec = (
      await servers.v5.request('GET', `/api/v2/executionrequest/${String(started.json.execution_id)}`, { as: 'alice' })
    ).json.request;
    expect(exec.status).toBe('finished');
    const [made] = exec.output_params.resources as { id: number; detail_url: string }[];
    expect(typeof made.id).toBe('number');
    expect(made.detail_url).toMatch(new RegExp(`/catalogue/#/dataset/${made.id}$`));
    expect((await servers.v5.request('GET', `/api/v2/datasets/${made.id}`, { as: 'alice' })).status).toBe(200);
  });
});
