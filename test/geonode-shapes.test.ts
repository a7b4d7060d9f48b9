/**
 * Shapes and statuses read from GeoNode 4.4.3's source (each test cites the file and line): who sees `perms`, how map
 * layers embed their dataset, computed feature-info templates, set_permissions executions, the defaults of a new
 * resource, and the order in which authentication, rights and the method are checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredRecord } from '../src/store/index.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import type { Item } from './helpers/geonode.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

const coll = (name: string) => s.store.collection(name).list();
const userPk = (username: string) => coll('users').find((u) => u.username === username)!.pk;

describe('map layers embed their dataset with an integer pk (4.4.3 maps/api/serializers.py:100-117)', () => {
  it('in /maps/{id}, /maps/{id}/maplayers and the map list', async () => {
    const layer = coll('maplayers').find((l) => l.dataset !== null)!;
    const detail = (await s.request('GET', `/api/v2/maps/${String(layer.map)}`)).json.map;
    const viaList = (await s.request('GET', `/api/v2/maps/${String(layer.map)}/maplayers`)).json;
    for (const layers of [detail.maplayers, viaList]) {
      const withDataset = layers.filter((l: Item) => l.dataset);
      expect(withDataset.length).toBeGreaterThan(0);
      for (const l of withDataset) {
        expect(l.dataset.pk).toBe(Number(l.dataset.pk));
        expect(typeof l.dataset.pk).toBe('number');
      }
    }
  });
});

describe('perms: kept by UserSerializer only for staff and the user themself (4.4.3 people/api/serializers.py:74-85)', () => {
  it('group members and managers never carry perms (serialized without a request, base/api/views.py:144-158)', async () => {
    for (const rel of ['members', 'managers']) {
      const users = (await s.request('GET', `/api/v2/groups/3/${rel}`, { as: 'admin' })).json;
      expect(users.length, rel).toBeGreaterThan(0);
      for (const u of users) expect(u, rel).not.toHaveProperty('perms');
    }
  });

  it('the users list shows perms to the user themself and to staff, and drops the key for anyone else', async () => {
    const asAlice = (await s.request('GET', '/api/v2/users/?page_size=100', { as: 'alice' })).json.users as Item[];
    const alice = userPk('alice');
    for (const u of asAlice) {
      if (u.pk === alice) expect(u.perms).toEqual(['add_resource']);
      else expect(u, String(u.username)).not.toHaveProperty('perms');
    }
    const asAdmin = (await s.request('GET', '/api/v2/users/?page_size=100', { as: 'admin' })).json.users as Item[];
    for (const u of asAdmin) expect(Array.isArray(u.perms), String(u.username)).toBe(true);
  });

  it('the embedded owner carries perms for staff and for the owner, not for others; contact roles never (base/api/serializers.py:395,576)', async () => {
    const owned = coll('resources').find(
      (r) => (r.owner as StoredRecord).username === 'alice' && r.advertised !== false && r.is_published !== false,
    )!;
    const path = `/api/v2/resources/${String(owned.pk)}`;
    const byOwner = (await s.request('GET', path, { as: 'alice' })).json.resource;
    expect(byOwner.owner.perms).toEqual(['add_resource']);
    expect(Object.keys(byOwner.owner).indexOf('perms')).toBe(Object.keys(byOwner.owner).indexOf('avatar') + 1);
    const byAdmin = (await s.request('GET', path, { as: 'admin' })).json.resource;
    expect(byAdmin.owner.perms).toEqual(['add_resource']);
    const byBob = await s.request('GET', path, { as: 'bob' });
    if (byBob.status === 200) expect(byBob.json.resource.owner).not.toHaveProperty('perms');
    const anonymous = (await s.request('GET', '/api/v2/resources/?page_size=5', { as: null })).json.resources as Item[];
    for (const r of anonymous) expect((r.owner as Item) ?? {}).not.toHaveProperty('perms');
    for (const role of ['poc', 'metadata_author'])
      for (const u of (byAdmin[role] as Item[]) ?? []) expect(u, role).not.toHaveProperty('perms');
  });

  it('/maps/{id}/datasets renders datasets without a request: perms [] and favorite false (maps/api/views.py:108-112)', async () => {
    const layer = coll('maplayers').find((l) => l.dataset !== null)!;
    const datasets = (await s.request('GET', `/api/v2/maps/${String(layer.map)}/datasets`, { as: 'admin' }))
      .json as Item[];
    expect(datasets.length).toBeGreaterThan(0);
    for (const d of datasets) {
      expect(d.perms).toEqual([]);
      expect(d.favorite).toBe(false);
    }
  });
});

describe('featureinfo_custom_template is computed on read (4.4.3 layers/api/serializers.py:81-149)', () => {
  const datasets = () => coll('resources').filter((r) => r.resource_type === 'dataset');

  it('no custom template → HTML from the visible attributes in display order', async () => {
    const ds = datasets().find(
      (r) => !r.featureinfo_custom_template && (r.attribute_set as Item[]).some((a) => a.visible && a.attribute_label),
    )!;
    const got = (await s.request('GET', `/api/v2/datasets/${String(ds.pk)}`)).json.dataset
      .featureinfo_custom_template as string;
    const shown = (ds.attribute_set as Item[])
      .filter((a) => a.visible)
      .sort((a, b) => Number(a.display_order) - Number(b.display_order));
    expect(got.startsWith('<div style="overflow-x:hidden"><div class="row">')).toBe(true);
    expect(got.match(/<div class="row">/g)!.length).toBe(shown.length);
    const labelled = shown.find((a) => a.attribute_label)!;
    // GeoNode's literal keeps the spaces of its backslash-continued line: 29 of them between label and value cells
    expect(got).toContain(
      `break-word;">${String(labelled.attribute_label)}:</div>${' '.repeat(29)}<div class="col-xs-6" style="word-wrap: break-word;">\${properties['${String(labelled.attribute)}']}</div>`,
    );
    expect(got).not.toContain("properties['the_geom']");
  });

  it('a stored custom template is answered as it is', async () => {
    const ds = datasets().find(
      (r) => typeof r.featureinfo_custom_template === 'string' && r.featureinfo_custom_template !== '',
    )!;
    const got = (await s.request('GET', `/api/v2/datasets/${String(ds.pk)}`)).json.dataset.featureinfo_custom_template;
    expect(got).toBe(ds.featureinfo_custom_template);
  });

  it('no visible attribute → null, in the dataset and in the map layers that embed it', async () => {
    const layer = coll('maplayers').find((l) => l.dataset !== null)!;
    const ds = s.store.collection('resources').get(String(layer.dataset))!;
    const hidden = (ds.attribute_set as Item[]).map((a) => ({ ...a, visible: false }));
    s.store.collection('resources').update(String(ds.pk), { attribute_set: hidden, featureinfo_custom_template: '' });
    expect(
      (await s.request('GET', `/api/v2/datasets/${String(ds.pk)}`)).json.dataset.featureinfo_custom_template,
    ).toBeNull();
    const layers = (await s.request('GET', `/api/v2/maps/${String(layer.map)}/maplayers`)).json as Item[];
    const embedding = layers.find((l) => (l.dataset as Item | null)?.pk === Number(ds.pk))!;
    expect((embedding.dataset as Item).featureinfo_custom_template).toBeNull();
  });
});

describe('set_permissions executions store the extended spec (4.4.3 base/api/views.py:614-645, security/permissions.py:216-295)', () => {
  it('users by username and groups by name, with the codenames the levels explode into', async () => {
    const ds = coll('resources').find(
      (r) => r.resource_type === 'dataset' && r.subtype === 'vector' && (r.owner as StoredRecord).username === 'alice',
    )!;
    const bob = userPk('bob');
    const body = {
      users: [{ id: bob, permissions: 'edit' }],
      groups: [{ id: 1, permissions: 'view' }],
      organizations: [],
    };
    const put = await s.request('PUT', `/api/v2/resources/${String(ds.pk)}/permissions`, { as: 'alice', body });
    expect(put.status).toBe(200);
    const exec = (await s.request('GET', `/api/v2/executionrequest/${String(put.json.execution_id)}`, { as: 'alice' }))
      .json.request;
    expect(Object.keys(exec.input_params)).toEqual(['uuid', 'owner', 'permissions', 'created']);
    expect(exec.input_params.owner).toBe('alice');
    expect(exec.input_params.permissions).toEqual({
      users: {
        bob: [
          'change_dataset_data',
          'change_dataset_style',
          'change_resourcebase',
          'change_resourcebase_metadata',
          'download_resourcebase',
          'view_resourcebase',
        ],
        AnonymousUser: ['view_resourcebase'],
      },
      groups: { anonymous: ['view_resourcebase'] },
    });
    expect(exec).not.toHaveProperty('compact_spec');
    // the effect still applies the spec: bob may now edit
    await s.request('POST', '/__geostub/jobs/settle');
    const patched = await s.request('PATCH', `/api/v2/datasets/${String(ds.pk)}`, {
      as: 'bob',
      body: { abstract: 'edited by bob' },
    });
    expect(patched.status).toBe(200);
  });
});

describe("a new resource gets GeoNode's defaults", () => {
  it("advertised true (BooleanField default=True) and its model's polymorphic_ctype_id", async () => {
    const doc = await s.request('POST', '/api/v2/documents/', {
      as: 'alice',
      body: { title: 'defaults', doc_url: 'https://data.example.org/a.pdf' },
    });
    expect(doc.status).toBe(201);
    expect(doc.json.document.advertised).toBe(true);
    const sameType = coll('resources').find((r) => r.resource_type === 'document' && r.pk !== doc.json.document.pk)!;
    expect(doc.json.document.polymorphic_ctype_id).toBe(sameType.polymorphic_ctype_id);
    expect(doc.json.document.polymorphic_ctype_id).not.toBe('');
    const anonymousList = (await s.request('GET', '/api/v2/documents/?page_size=1000', { as: null })).json
      .documents as Item[];
    expect(anonymousList.map((d) => d.pk)).toContain(doc.json.document.pk);
    const unadvertised = await s.request('POST', '/api/v2/documents/', {
      as: 'alice',
      body: { title: 'hidden', doc_url: 'https://data.example.org/b.pdf', advertised: false },
    });
    expect(unadvertised.json.document.advertised).toBe(false);
  });
});

describe('authentication and rights come before the method and the lookup (DRF APIView.initial, UserHasPerms)', () => {
  it('an anonymous DELETE on a dataset is refused as unauthenticated; a logged-in one meets the 405', async () => {
    const ds = coll('resources').find((r) => r.resource_type === 'dataset')!;
    const anonymous = await s.request('DELETE', `/api/v2/datasets/${String(ds.pk)}`, { as: null });
    expect(anonymous.status).toBe(403);
    expect(anonymous.json).toMatchObject({ code: 'not_authenticated' });
    const admin = await s.request('DELETE', `/api/v2/datasets/${String(ds.pk)}`, { as: 'admin' });
    expect(admin.status).toBe(405);
    // views that allow anyone (owners: AllowAny) answer 405 to everybody
    expect((await s.request('DELETE', '/api/v2/owners/1000', { as: null })).status).toBe(405);
  });

  it('an anonymous PATCH is refused before the object is looked up, even for a missing one', async () => {
    const missing = await s.request('PATCH', '/api/v2/resources/999999', { as: null, body: { title: 'x' } });
    expect(missing.status).toBe(403);
    expect(missing.json).toMatchObject({ code: 'not_authenticated' });
    expect((await s.request('PATCH', '/api/v2/resources/999999', { as: 'alice', body: { title: 'x' } })).status).toBe(
      404,
    );
  });

  it('favorite filters first: an invisible resource is a 404 there (4.4.3 base/api/views.py:380)', async () => {
    const hidden = coll('resources').find((r) => {
      const g = s.store.collection('grants').get(r.pk);
      return (
        (r.owner as StoredRecord).username === 'alice' &&
        g?.anonymous === 'none' &&
        g?.registered === 'none' &&
        ((g?.users as Item[]) ?? []).length <= 1
      );
    })!;
    expect((await s.request('POST', `/api/v2/resources/${String(hidden.pk)}/favorite`, { as: 'bob' })).status).toBe(
      404,
    );
    expect((await s.request('GET', `/api/v2/resources/${String(hidden.pk)}`, { as: 'bob' })).status).toBe(403);
  });
});

describe("a map's layers are queried through its maplayers relation (GeoNode's Map.maplayers)", () => {
  it('filter{maplayers.name} and filter{maplayers.current_style} keep exactly the maps with such a layer', async () => {
    const layer = coll('maplayers').find((l) => typeof l.name === 'string' && l.current_style)!;
    const withName = new Set(
      coll('maplayers')
        .filter((l) => l.name === layer.name)
        .map((l) => String(l.map)),
    );
    const byName = (
      await s.request(
        'GET',
        `/api/v2/maps/?page_size=1000&advertised=all&filter{maplayers.name}=${encodeURIComponent(String(layer.name))}`,
      )
    ).json.maps as Item[];
    expect(byName.map((m) => String(m.pk)).sort()).toEqual([...withName].sort());
    expect(byName.length).toBeGreaterThan(0);
    const withStyle = new Set(
      coll('maplayers')
        .filter((l) => l.current_style === layer.current_style)
        .map((l) => String(l.map)),
    );
    const byStyle = (
      await s.request(
        'GET',
        `/api/v2/maps/?page_size=1000&advertised=all&filter{maplayers.current_style}=${encodeURIComponent(String(layer.current_style))}`,
      )
    ).json.maps as Item[];
    expect(byStyle.map((m) => String(m.pk)).sort()).toEqual([...withStyle].sort());
  });
});
