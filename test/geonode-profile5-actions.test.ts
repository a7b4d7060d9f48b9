/**
 * GeoNode 5.0's resource asset actions and its transfer_resources payload (5.0.2 base/api/views.py:1442-1530,
 * assets/utils.py:204-258, people/api/views.py:167-218), shown in profile 5 and absent (or the 4.4 form) in 4.
 */
import { describe, expect, it } from 'vitest';
import type { StoredRecord } from '../src/store/index.js';
import { BASIC, bothProfiles, userPk, type TestServer } from './helpers/server.js';

const servers = bothProfiles({ jobDuration: 0 });

const owned = (s: TestServer, username: string) =>
  s.store
    .collection('resources')
    .list()
    .find((r) => (r.owner as StoredRecord).username === username && r.resource_type === 'document')!;

async function upload(
  s: TestServer,
  pk: unknown,
  as: keyof typeof BASIC | null,
  files: [string, string][],
  fields: Record<string, string> = {},
) {
  const form = new FormData();
  for (const [name, text] of files) form.append('files', new Blob([text]), name);
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const res = await fetch(`${s.url}/api/v2/resources/${String(pk)}/assets`, {
    method: 'POST',
    body: form,
    headers: as ? { Authorization: BASIC[as] } : {},
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

describe('POST /resources/{id}/assets and DELETE /resources/{id}/assets/{asset_id} [5.x]', () => {
  it('uploads files as one asset of the caller, linked from the resource; removing it deletes it', async () => {
    const doc = owned(servers.v5, 'alice');
    const made = await upload(
      servers.v5,
      doc.pk,
      'alice',
      [
        ['table.csv', 'a,b\n1,2\n'],
        ['notes.txt', 'x'],
      ],
      { title: 'Survey table' },
    );
    expect(made.status).toBe(201);
    expect(made.json).toEqual({
      message: 'Asset created and linked successfully.',
      asset_id: expect.any(Number),
      link_id: expect.any(Number),
    });
    const asset = (await servers.v5.request('GET', `/api/v2/assets/${made.json.asset_id}`, { as: 'alice' })).json.asset;
    expect(asset).toMatchObject({ title: 'Survey table', owner: expect.objectContaining({ username: 'alice' }) });
    const links = (await servers.v5.request('GET', `/api/v2/resources/${String(doc.pk)}`, { as: 'alice' })).json
      .resource.links as { url: string; extension: string }[];
    const link = links.find((l) => l.url.endsWith(`/api/v2/assets/${made.json.asset_id}/link`))!;
    expect(link.extension).toBe('csv');
    const removed = await servers.v5.request(
      'DELETE',
      `/api/v2/resources/${String(doc.pk)}/assets/${made.json.asset_id}`,
      { as: 'alice' },
    );
    expect(removed.status).toBe(200);
    expect(removed.json).toEqual({
      message: `Asset ${made.json.asset_id} was unlinked and deleted from resource ${String(doc.pk)}.`,
    });
    expect((await servers.v5.request('GET', `/api/v2/assets/${made.json.asset_id}`, { as: 'alice' })).status).toBe(404);
    const again = await servers.v5.request(
      'DELETE',
      `/api/v2/resources/${String(doc.pk)}/assets/${made.json.asset_id}`,
      { as: 'alice' },
    );
    expect(again.status).toBe(404);
    expect(again.json).toEqual({ message: `The requested ${made.json.asset_id} does not exists` });
  });

  it("answers the view's refusals", async () => {
    const doc = owned(servers.v5, 'alice');
    expect((await upload(servers.v5, doc.pk, 'alice', [])).json).toEqual({ message: 'File(s) not provided.' });
    expect(await upload(servers.v5, doc.pk, 'alice', [['a.csv', 'x']], { title: 'Original' })).toMatchObject({
      status: 400,
      json: { message: "'Original' is a reserved title and cannot be used." },
    });
    expect(await upload(servers.v5, doc.pk, 'alice', [['run.exe', 'x']])).toMatchObject({
      status: 400,
      json: { message: 'The uploaded file type exe is not allowed.' },
    });
    expect(await upload(servers.v5, doc.pk, 'bob', [['a.csv', 'x']])).toMatchObject({
      status: 403,
      json: { message: 'You do not have permission to add an asset to this resource.' },
    });
    const anonymous = await upload(servers.v5, doc.pk, null, [['a.csv', 'x']]);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Basic realm="api"');
    expect((await upload(servers.v5, 999999, 'alice', [['a.csv', 'x']])).status).toBe(404);
  });

  it('is not served by GeoNode 4.4', async () => {
    const doc = owned(servers.v4, 'alice');
    expect((await upload(servers.v4, doc.pk, 'alice', [['a.csv', 'x']])).status).toBe(404);
    expect(
      (await servers.v4.request('DELETE', `/api/v2/resources/${String(doc.pk)}/assets/1`, { as: 'alice' })).status,
    ).toBe(404);
  });
});

describe('transfer_resources: the 5.x payload (people/api/views.py:167-218)', () => {
  it('moves the listed resources of the current owner to the new owner, admins only', async () => {
    const alice = userPk(servers.v5, 'alice');
    const bob = userPk(servers.v5, 'bob');
    const doc = owned(servers.v5, 'alice');
    const notAdmin = await servers.v5.request('POST', `/api/v2/users/${alice}/transfer_resources`, {
      as: 'alice',
      body: { newOwner: bob, currentOwner: alice, resources: [doc.pk] },
    });
    expect(notAdmin).toMatchObject({ status: 403, json: { Error: 'Admin access required.' } });
    expect(
      (
        await servers.v5.request('POST', `/api/v2/users/${alice}/transfer_resources`, {
          as: 'admin',
          body: { currentOwner: alice },
        })
      ).json,
    ).toBe('Payload not passed');
    expect(
      (
        await servers.v5.request('POST', `/api/v2/users/${alice}/transfer_resources`, {
          as: 'admin',
          body: { newOwner: alice, currentOwner: alice },
        })
      ).json,
    ).toBe('Cannot reassign to self');
    expect(
      (
        await servers.v5.request('POST', `/api/v2/users/${alice}/transfer_resources`, {
          as: 'admin',
          body: { newOwner: 999999, currentOwner: alice },
        })
      ).status,
    ).toBe(404);
    const before = servers.v5.store
      .collection('resources')
      .list()
      .filter((r) => (r.owner as StoredRecord).pk === alice).length;
    const ok = await servers.v5.request('POST', `/api/v2/users/${alice}/transfer_resources`, {
      as: 'admin',
      body: { newOwner: bob, currentOwner: alice, resources: [doc.pk] },
    });
    expect(ok).toMatchObject({ status: 200, json: 'Resources transfered successfully' });
    expect((servers.v5.store.collection('resources').get(doc.pk)!.owner as StoredRecord).pk).toBe(bob);
    expect(
      servers.v5.store
        .collection('resources')
        .list()
        .filter((r) => (r.owner as StoredRecord).pk === alice).length,
    ).toBe(before - 1);
  });

  it('4.4 still takes {"owner": <id>} from the user themself', async () => {
    const bob = userPk(servers.v4, 'bob');
    const staff = userPk(servers.v4, 'staff');
    const ok = await servers.v4.request('POST', `/api/v2/users/${bob}/transfer_resources`, {
      as: 'bob',
      body: { owner: staff },
    });
    expect(ok).toMatchObject({ status: 200, json: 'Resources transfered successfully' });
    expect(
      servers.v4.store
        .collection('resources')
        .list()
        .some((r) => (r.owner as StoredRecord).pk === bob),
    ).toBe(false);
  });
});
