/**
 * The users' write actions (geonode/people/api/views.py:117-167 at 4.4.3) and the dataset ISO metadata upload
 * (geonode/layers/api/views.py:99-165 at 4.4.3), with their exact success and error bodies.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';
import { expectGeonodeError } from './helpers/geonode.js';

let s: TestServer;
beforeEach(async () => {
  await s?.close();
  s = await startTestServer();
}, 60_000);
afterAll(() => s.close());

const ownedBy = (pk: number) =>
  s.store
    .collection('resources')
    .list()
    .filter((r) => (r.owner as { pk: number }).pk === pk)
    .map((r) => String(r.pk));

describe('POST /api/v2/users/{id}/transfer_resources', () => {
  it('gives every resource of the user to the new owner (owner only) and answers the JSON string', async () => {
    const bob = ownedBy(1003);
    expect(bob.length).toBeGreaterThan(0);
    const before = ownedBy(1002).length;
    const res = await s.request('POST', '/api/v2/users/1003/transfer_resources', { as: 'bob', body: { owner: 1002 } });
    expect([res.status, res.json]).toEqual([200, 'Resources transfered successfully']);
    expect(ownedBy(1003)).toEqual([]);
    expect(ownedBy(1002).length).toBe(before + bob.length);
    const detail = await s.request('GET', `/api/v2/resources/${bob[0]}`);
    expect(detail.json.resource.owner).toMatchObject({ pk: 1002, username: 'alice' });
  });

  it('DEFAULT is the first staff superuser; self, unknown owners, strangers and anonymous callers are refused', async () => {
    const self = await s.request('POST', '/api/v2/users/1003/transfer_resources', {
      as: 'bob',
      body: { owner: '1003' },
    });
    expect([self.status, self.json]).toEqual([400, 'Cannot reassign to self']);
    const unknown = await s.request('POST', '/api/v2/users/1003/transfer_resources', {
      as: 'bob',
      body: { owner: 4242 },
    });
    expect([unknown.status, unknown.json]).toEqual([404, { detail: 'Not found.' }]);
    const none = await s.request('POST', '/api/v2/users/1003/transfer_resources', { as: 'bob', body: {} });
    expect(none.status).toBe(404);
    expectGeonodeError(
      await s.request('POST', '/api/v2/users/1003/transfer_resources', { as: 'alice', body: { owner: 1002 } }),
      403,
      'permission_denied',
      'You do not have permission to perform this action.',
    );
    expectGeonodeError(
      await s.request('POST', '/api/v2/users/1003/transfer_resources', { as: null, body: { owner: 1002 } }),
      403,
      'not_authenticated',
      'Authentication credentials were not provided.',
    );
    const bob = ownedBy(1003);
    const def = await s.request('POST', '/api/v2/users/1003/transfer_resources', {
      as: 'admin',
      raw: 'owner=DEFAULT',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(def.status).toBe(200);
    expect(ownedBy(1000)).toEqual(expect.arrayContaining(bob));
  });
});

describe('POST /api/v2/users/{id}/remove_from_group_manager', () => {
  const managed = (user: number) =>
    s.store
      .collection('memberships')
      .list()
      .filter((m) => m.user === user && m.role === 'manager');
  const authPk = (profilePk: unknown) =>
    (s.store.collection('groups').get(profilePk as number)!.group as { pk: number }).pk;

  it('demotes the user in the named groups and names them', async () => {
    const m = managed(1002)[0];
    const g = s.store.collection('groups').get(m.group as number)!;
    const res = await s.request('POST', '/api/v2/users/1002/remove_from_group_manager', {
      as: 'alice',
      body: { groups: [authPk(m.group)] },
    });
    expect([res.status, res.json]).toEqual([
      200,
      { success: `User removed as a group manager from : ${String(g.title)}` },
    ]);
    expect(managed(1002).some((x) => x.group === m.group)).toBe(false);
    expect(
      (await s.request('GET', `/api/v2/groups/${String(g.pk)}/managers`)).json.map((u: any) => u.pk),
    ).not.toContain(1002);
  });

  it('ALL demotes everywhere; ids of other groups make it a 400 with both messages; no ids a 400', async () => {
    const other = s.store
      .collection('groups')
      .list()
      .find(
        (g) =>
          !s.store
            .collection('memberships')
            .list()
            .some((m) => m.group === g.pk && m.user === 1002),
      )!;
    const mine = managed(1002)[0];
    const mixed = await s.request('POST', '/api/v2/users/1002/remove_from_group_manager', {
      as: 'admin',
      body: { groups: [authPk(mine.group), authPk(other.pk)] },
    });
    expect(mixed.status).toBe(400);
    expect(mixed.json.error).toBe(`User is not manager of the following groups: : {${authPk(other.pk)}}`);
    expect(mixed.json.success).toMatch(/^User removed as a group manager from : /);
    const all = await s.request('POST', '/api/v2/users/1002/remove_from_group_manager', {
      as: 'alice',
      body: { groups: 'ALL' },
    });
    expect(all.status).toBe(200);
    expect(managed(1002)).toEqual([]);
    for (const body of [{}, { groups: [] }]) {
      const res = await s.request('POST', '/api/v2/users/1002/remove_from_group_manager', { as: 'alice', body });
      expect([res.status, res.json]).toEqual([400, { error: 'No groups IDs were provided' }]);
    }
    expectGeonodeError(
      await s.request('POST', '/api/v2/users/1002/remove_from_group_manager', { as: 'bob', body: { groups: 'ALL' } }),
      403,
      'permission_denied',
      /permission/,
    );
  });
});

/** A multipart body with one file part. */
function multipart(name: string, filename: string, content: string) {
  const boundary = 'geostubBoundary42';
  const raw = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: text/xml\r\n\r\n${content}\r\n--${boundary}--\r\n`,
  );
  return { raw, headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` } };
}

const iso = (uuid: string, title: string) => `<?xml version="1.0" encoding="UTF-8"?>
<gmd:MD_Metadata xmlns:gmd="http://www.isotc211.org/2005/gmd" xmlns:gco="http://www.isotc211.org/2005/gco">
  <gmd:fileIdentifier><gco:CharacterString>${uuid}</gco:CharacterString></gmd:fileIdentifier>
  <gmd:identificationInfo><gmd:MD_DataIdentification>
    <gmd:citation><gmd:CI_Citation><gmd:title><gco:CharacterString>${title}</gco:CharacterString></gmd:title></gmd:CI_Citation></gmd:citation>
    <gmd:abstract><gco:CharacterString>Rivers &amp; lakes</gco:CharacterString></gmd:abstract>
    <gmd:descriptiveKeywords><gmd:MD_Keywords><gmd:keyword><gco:CharacterString>Hydrography</gco:CharacterString></gmd:keyword></gmd:MD_Keywords></gmd:descriptiveKeywords>
  </gmd:MD_DataIdentification></gmd:identificationInfo>
</gmd:MD_Metadata>`;

describe('PUT /api/v2/datasets/{id}/metadata', () => {
  const dataset = () =>
    s.store
      .collection('resources')
      .list()
      .find((r) => r.resource_type === 'dataset' && (r.owner as { pk: number }).pk === 1002)!;

  it('replaces title, abstract and keywords from an ISO file', async () => {
    const d = dataset();
    const res = await s.request('PUT', `/api/v2/datasets/${String(d.pk)}/metadata`, {
      as: 'alice',
      ...multipart('metadata_file', 'md.xml', iso(String(d.uuid), 'Rivers 2024')),
    });
    expect([res.status, res.json]).toEqual([200, { success: true, message: ['Metadata successfully updated'] }]);
    const after = (await s.request('GET', `/api/v2/datasets/${String(d.pk)}`)).json.dataset;
    expect([after.title, after.abstract, after.keywords]).toEqual([
      'Rivers 2024',
      'Rivers & lakes',
      [{ name: 'Hydrography', slug: 'hydrography' }],
    ]);
  });

  it("answers GeoNode's dataset exceptions (500 JSON) and its 403/404s", async () => {
    const d = dataset();
    const put = (
      as: 'alice' | 'bob' | 'admin' | null,
      id: string,
      body: { raw: Buffer; headers: Record<string, string> },
    ) => s.request('PUT', `/api/v2/datasets/${id}/metadata`, { as, ...body });
    const empty = { raw: Buffer.from(''), headers: { 'Content-Type': 'multipart/form-data; boundary=x' } };
    expectGeonodeError(
      await put('alice', String(d.pk), empty),
      500,
      'invalid_dataset_exception',
      'This field is required.',
    );
    expectGeonodeError(
      await put('alice', String(d.pk), multipart('metadata_file', 'md.xml', '<html/>')),
      500,
      'invalid_metadata_exception',
      'Unsupported metadata format',
    );
    expectGeonodeError(
      await put(
        'alice',
        String(d.pk),
        multipart('metadata_file', 'md.xml', iso('00000000-0000-0000-0000-000000000000', 'x')),
      ),
      500,
      'invalid_metadata_exception',
      'The UUID identifier from the XML Metadata, is different from the one saved',
    );
    expectGeonodeError(
      await put(null, String(d.pk), empty),
      403,
      'not_authenticated',
      'Authentication credentials were not provided.',
    );
    expectGeonodeError(
      await put('bob', String(d.pk), empty),
      403,
      'permission_denied',
      'You do not have permission to perform this action.',
    );
    const missing = await put('bob', '999999', empty);
    expect([missing.status, missing.json]).toEqual([404, { detail: 'Not found.' }]);
    expectGeonodeError(
      await put('admin', '999999', empty),
      404,
      'not_found',
      'Dataset with ID 999999 is not available',
    );
    const doc = s.store
      .collection('resources')
      .list()
      .find((r) => r.resource_type === 'document')!;
    expectGeonodeError(
      await put('admin', String(doc.pk), empty),
      404,
      'not_found',
      `Dataset with ID ${String(doc.pk)} is not available`,
    );
  });
});
