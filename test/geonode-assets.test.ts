/**
 * The assets API (geonode/assets/views.py, serializers.py, utils.py, local.py at 4.4.3): the list limited to the
 * caller's own, CRUD as any authenticated user, download (zip) and link (inline) with get_perms_response's rule, the
 * API root's `assets` key and resources' asset links.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inflateRawSync } from 'node:zlib';
import { startTestServer, type TestServer } from './helpers/server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
}, 60_000);
afterAll(() => s.close());

const assets = () => s.store.collection('assets').list();
const ownedBy = (username: string) => assets().filter((a) => (a.owner as { username: string }).username === username);

describe('asset lists and details', () => {
  it("lists all assets for a superuser, one's own for a user, none for an anonymous caller (views.py:63-78)", async () => {
    const admin = await s.request('GET', '/api/v2/assets?page_size=1000');
    expect(admin.json.total).toBe(assets().length);
    expect(Object.keys(admin.json)).toEqual(['links', 'total', 'page', 'page_size', 'assets']);
    const alice = await s.request('GET', '/api/v2/assets?page_size=1000', { as: 'alice' });
    expect(ownedBy('alice').length).toBeGreaterThan(0);
    expect(alice.json.assets.map((a: any) => a.pk).sort()).toEqual(
      ownedBy('alice')
        .map((a) => a.pk)
        .sort(),
    );
    const anon = await s.request('GET', '/api/v2/assets', { as: null });
    expect([anon.status, anon.json.total, anon.json.assets]).toEqual([200, 0, []]);
  });

  it("shows any asset to anyone in detail, with the serializer's fields", async () => {
    const a = ownedBy('alice')[0];
    const res = await s.request('GET', `/api/v2/assets/${String(a.pk)}`, { as: null });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json.asset)).toEqual([
      'pk',
      'title',
      'description',
      'type',
      'owner',
      'created',
      'asset_type',
      'subinfo',
    ]);
    expect(res.json.asset.owner).toEqual({ pk: 1002, username: 'alice' });
    expect(res.json.asset.subinfo.locations.length).toBe(1);
    expect((await s.request('GET', '/api/v2/assets/999999')).json).toEqual({ detail: 'Not found.' });
  });

  it("is in the API root, and resources' uploaded links point at their asset", async () => {
    const root = await s.request('GET', '/api/v2/');
    expect(root.json.assets).toBe(`${s.url}/api/v2/assets`);
    const a = ownedBy('alice')[0];
    const doc = s.store
      .collection('resources')
      .list()
      .find((r) => (r.links as any[]).some((l) => l.url === `/api/v2/assets/${String(a.pk)}/link`))!;
    const res = await s.request('GET', `/api/v2/resources/${String(doc.pk)}`);
    const link = res.json.resource.links.find((l: any) => l.extras);
    expect(link.url).toBe(`${s.url}/api/v2/assets/${String(a.pk)}/link`);
    expect(link.extras).toEqual({
      type: 'asset',
      content: {
        title: a.title,
        description: 'Unknown',
        type: 'Unknown',
        download_url: `${s.url}/api/v2/assets/${String(a.pk)}/download`,
      },
    });
  });
});

describe('asset writes', () => {
  it('creates (owner = caller), updates, and deletes; anonymous writes are refused', async () => {
    expect((await s.request('POST', '/api/v2/assets', { as: null, body: { title: 't', type: 'x' } })).status).toBe(403);
    const missing = await s.request('POST', '/api/v2/assets', { as: 'bob', body: { title: 't' } });
    expect([missing.status, missing.json.errors]).toEqual([400, ['type: This field is required.']]);
    const created = await s.request('POST', '/api/v2/assets', {
      as: 'bob',
      body: { title: 'Survey', type: 'original' },
    });
    expect(created.status).toBe(201);
    const pk = created.json.asset.pk;
    expect(created.json.asset).toMatchObject({
      title: 'Survey',
      type: 'original',
      description: null,
      owner: { pk: 1003, username: 'bob' },
      asset_type: 'LocalAsset',
      subinfo: { locations: [] },
    });
    expect((await s.request('GET', '/api/v2/assets', { as: 'bob' })).json.assets.map((a: any) => a.pk)).toContain(pk);
    // IsAuthenticatedOrReadOnly has no object check: another user may change it
    const patched = await s.request('PATCH', `/api/v2/assets/${pk}`, {
      as: 'alice',
      body: { description: 'field survey' },
    });
    expect([patched.status, patched.json.asset.description, patched.json.asset.owner.username]).toEqual([
      200,
      'field survey',
      'bob',
    ]);
    const put = await s.request('PUT', `/api/v2/assets/${pk}`, {
      as: 'bob',
      body: { title: 'Survey 2', type: 'original' },
    });
    expect(put.json.asset.title).toBe('Survey 2');
    expect((await s.request('DELETE', `/api/v2/assets/${pk}`, { as: 'bob' })).status).toBe(204);
    expect((await s.request('GET', `/api/v2/assets/${pk}`)).status).toBe(404);
  });
});

/** The entries of a stored (uncompressed or deflated) zip: name → text. */
function unzip(buf: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let at = 0;
  while (buf.readUInt32LE(at) === 0x04034b50) {
    const method = buf.readUInt16LE(at + 8);
    const size = buf.readUInt32LE(at + 18);
    const nameLen = buf.readUInt16LE(at + 26);
    const extra = buf.readUInt16LE(at + 28);
    const name = buf.subarray(at + 30, at + 30 + nameLen).toString('utf8');
    const data = buf.subarray(at + 30 + nameLen + extra, at + 30 + nameLen + extra + size);
    out[name] = (method === 8 ? inflateRawSync(data) : data).toString('utf8');
    at += 30 + nameLen + extra + size;
  }
  return out;
}

describe('asset files', () => {
  it('download: a zip attachment for the owner and superusers', async () => {
    const a = ownedBy('alice')[0];
    const file = (a.subinfo as { locations: string[] }).locations[0].split('/').pop()!;
    for (const as of ['alice', 'admin'] as const) {
      const res = await fetch(`${s.url}/api/v2/assets/${String(a.pk)}/download`, {
        headers: { Authorization: 'Basic ' + Buffer.from(`${as}:${as}`).toString('base64') },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/zip');
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename=${file.replace(/\.[^.]+$/, '')}.zip`);
      const entries = unzip(Buffer.from(await res.arrayBuffer()));
      expect(Object.keys(entries)).toEqual([file]);
    }
  });

  it('link: the file inline; a named file inside, a traversal and a missing file answer as local.py does', async () => {
    const a = ownedBy('alice')[0];
    const file = (a.subinfo as { locations: string[] }).locations[0].split('/').pop()!;
    const inline = await s.request('GET', `/api/v2/assets/${String(a.pk)}/link`, { as: 'alice' });
    expect(inline.status).toBe(200);
    expect(inline.headers.get('content-disposition')).toBe(`inline; filename="${file}"`);
    expect((await s.request('GET', `/api/v2/assets/${String(a.pk)}/link/${file}`, { as: 'alice' })).status).toBe(200);
    const other = await s.request('GET', `/api/v2/assets/${String(a.pk)}/link/sub/other.txt`, { as: 'alice' });
    expect([other.status, other.text]).toEqual([404, `Internal file not found for asset ${String(a.pk)}`]);
    const sneaky = await s.request('GET', `/api/v2/assets/${String(a.pk)}/link/a/..%2Fb`, { as: 'alice' });
    expect([sneaky.status, sneaky.text]).toEqual([400, `File not found for asset ${String(a.pk)}`]);
  });

  it('refuses others: 403 {"detail"} when a linking resource is visible, else an empty 403 / 401', async () => {
    const visible = ownedBy('alice').find((a) =>
      s.store
        .collection('resources')
        .list()
        .some(
          (r) =>
            (r.links as any[]).some((l) => l.url === `/api/v2/assets/${String(a.pk)}/link`) && r.advertised !== false,
        ),
    )!;
    const res = await s.request('GET', `/api/v2/assets/${String(visible.pk)}/link`, { as: 'bob' });
    expect([res.status, res.json]).toEqual([403, { detail: 'You do not have permission to perform this action.' }]);
    const created = await s.request('POST', '/api/v2/assets', { as: 'alice', body: { title: 'Loose', type: 'x' } });
    const pk = created.json.asset.pk;
    const bob = await s.request('GET', `/api/v2/assets/${pk}/download`, { as: 'bob' });
    expect([bob.status, bob.text]).toEqual([403, '']);
    const anon = await s.request('GET', `/api/v2/assets/${pk}/download`, { as: null });
    expect([anon.status, anon.text]).toEqual([401, '']);
    const empty = await s.request('GET', `/api/v2/assets/${pk}/download`, { as: 'alice' });
    expect([empty.status, empty.text]).toEqual([500, 'Asset does not contain any data']);
  });
});
