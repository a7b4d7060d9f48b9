/**
 * GeoNode action behaviours called directly (`geonode/base/api/views.py:380-1358` (4.4.3)): success and error bodies,
 * store effects.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ACTION_BEHAVIOURS,
  advanceExecution,
  advanceHarvester,
  harvesterPatchRules,
} from '../src/apis/geonode/actions/index.js';
import { GEONODE_STORE } from '../src/apis/geonode/store-collections.js';
import { levelFor } from '../src/apis/geonode/permissions/levels.js';
import type { Env, Reply } from '../src/core/types.js';
import { contractPath, loadContract, type Contract } from '../src/contracts/load.js';
import { buildRouteTable, type Operation } from '../src/contracts/route-table.js';
import type { ContractValidators } from '../src/contracts/validators.js';
import { ApiError } from '../src/core/errors.js';
import { openStore, type StoredRecord } from '../src/store/index.js';

const ORIGIN = 'http://127.0.0.1:8000';
const T0 = '2025-06-01T12:00:00.000000Z';

const user = (pk: number, username: string, su = false, staff = su): StoredRecord => ({
  pk,
  username,
  first_name: username,
  last_name: '',
  avatar: `https://www.gravatar.com/avatar/${pk}/?s=240`,
  is_superuser: su,
  is_staff: staff,
  email: `${username}@example.org`,
  link: `/api/v2/users/${pk}`,
  password: username,
});
const USERS = [
  user(1000, 'admin', true),
  user(1001, 'staff', false, true),
  user(1002, 'alice'),
  user(1003, 'bob'),
  user(1004, 'carol'),
];
const embed = (pk: number) => {
  const { password: _p, ...u } = USERS.find((x) => x.pk === pk)!;
  return u;
};
const resource = (pk: string, type: string, owner: number, extra: StoredRecord = {}): StoredRecord => ({
  pk,
  uuid: `00000000-0000-4000-8000-00000000000${pk}`,
  resource_type: type,
  title: `R${pk}`,
  owner: embed(owner),
  keywords: [],
  detail_url: `/catalogue/#/${type}/${pk}`,
  link: `/api/v2/resources/${pk}`,
  thumbnail_url: null,
  is_copyable: true,
  created: T0,
  last_updated: T0,
  rating: '0',
  ...extra,
});
const grant = (pk: string, owner: number, anonymous: string, extra: StoredRecord = {}) => ({
  resource: pk,
  users: [{ id: owner, permissions: 'owner' }],
  groups: [],
  anonymous,
  registered: 'none',
  ...extra,
});

function seed(): Record<string, StoredRecord[]> {
  return structuredClone({
    users: USERS,
    groups: [
      { pk: 3, title: 'Team A', group: { pk: 3, name: 'team-a' }, slug: 'team-a', logo: null, access: 'public' },
    ],
    memberships: [{ id: 1, group: 3, user: 1004, role: 'member' }],
    resources: [
      resource('1', 'dataset', 1002, { name: 'roads', alternate: 'geonode:roads' }),
      resource('2', 'map', 1002),
      resource('3', 'document', 1003, { is_copyable: false }),
      resource('4', 'geostory', 1002),
    ],
    grants: [
      grant('1', 1002, 'download'),
      grant('2', 1002, 'none'),
      grant('3', 1003, 'view'),
      grant('4', 1002, 'view'),
    ],
    maplayers: [{ pk: 1, map: '2', dataset: '1', name: 'geonode:roads', order: 0 }],
    harvesters: [
      {
        id: 1,
        name: 'h1',
        status: 'ready',
        harvester_type: 'geonode.harvesting.harvesters.wms.OgcWmsHarvester',
        harvester_type_specific_configuration: {},
        harvest_new_resources_by_default: true,
      },
      {
        id: 2,
        name: 'h2',
        status: 'harvesting-resources',
        harvester_type: 'geonode.harvesting.harvesters.wms.OgcWmsHarvester',
        harvester_type_specific_configuration: {},
      },
    ],
    harvestable_resources: [
      {
        id: 1,
        harvester: 1,
        unique_identifier: 'topp:a',
        title: 'A',
        should_be_harvested: false,
        last_updated: T0,
        status: 'ready',
        remote_resource_type: 'dataset',
      },
      {
        id: 2,
        harvester: 1,
        unique_identifier: 'topp:b',
        title: 'B',
        should_be_harvested: false,
        last_updated: T0,
        status: 'ready',
        remote_resource_type: 'dataset',
      },
      {
        id: 3,
        harvester: 2,
        unique_identifier: 'topp:c',
        title: 'C',
        should_be_harvested: true,
        last_updated: T0,
        status: 'harvesting-resource',
        remote_resource_type: 'dataset',
      },
    ],
    harvesting_sessions: [
      {
        id: 1,
        harvester: 2,
        started: T0,
        updated: T0,
        ended: null,
        total_records_to_process: 1,
        records_done: 0,
        status: 'on-going',
        session_type: 'harvesting',
      },
    ],
    management_jobs: [
      {
        id: 1,
        command: 'ping_mngmt_commands_http',
        app_name: 'geonode.management_commands_http',
        user: 1000,
        status: 'FINISHED',
        created_at: T0,
        start_time: T0,
        end_time: T0,
        args: [],
        kwargs: {},
        celery_result_id: '73a412f6-70f7-4b6f-a8ae-152651e6a2f7',
        output_message: 'pong\n',
      },
      {
        id: 2,
        command: 'updatelayers',
        app_name: 'geonode.geoserver',
        user: 1000,
        status: 'CREATED',
        created_at: T0,
        start_time: null,
        end_time: null,
        args: [],
        kwargs: {},
        celery_result_id: null,
        output_message: null,
      },
    ],
  });
}

let contract: Contract;
const ops = new Map<string, Operation>();
let env: Env;

beforeAll(async () => {
  contract = await loadContract(contractPath('geonode'));
  for (const route of buildRouteTable([contract]))
    for (const op of route.operations.values()) ops.set(op.operationId, op);
});

beforeEach(async () => {
  const store = await openStore({ inMemory: true, seed: async () => seed(), specs: GEONODE_STORE });
  let tick = 0;
  env = {
    store,
    contracts: [contract],
    validators: {} as ContractValidators,
    settings: { patchAll: true },
    persist: async () => {},
    now: () => `2025-06-01T12:00:${String(tick++ % 60).padStart(2, '0')}.000000Z`,
  };
});

interface Answer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  error?: string;
  contentType?: string;
}
const as = (name: string | null) =>
  name
    ? (env.store
        .collection('users')
        .list()
        .find((u) => u.username === name) ?? null)
    : null;

async function call(
  operationId: string,
  who: string | null,
  init: { params?: Record<string, string>; body?: unknown; query?: string } = {},
): Promise<Answer> {
  const op = ops.get(operationId);
  if (!op) throw new Error(`no operation ${operationId}`);
  const behaviour = ACTION_BEHAVIOURS[op.behaviour];
  if (!behaviour) throw new Error(`no behaviour ${op.behaviour}`);
  try {
    const r: Reply = await behaviour(
      {
        op,
        method: op.method.toUpperCase(),
        pathname: op.path,
        origin: ORIGIN,
        params: init.params ?? {},
        query: new URLSearchParams(init.query ?? ''),
        body: init.body,
        headers: {},
        user: as(who),
      },
      env,
    );
    return { status: r.status, body: r.body, headers: r.headers ?? {}, contentType: r.contentType };
  } catch (e) {
    if (e instanceof ApiError) return { status: e.status, body: e.body, headers: e.headers, error: e.errorName };
    throw e;
  }
}
const execOf = (a: Answer) =>
  env.store.collection('execution_requests').get((a.body as { execution_id: string }).execution_id)!;
const res = (pk: string) => env.store.collection('resources').get(pk);
const NOT_FOUND = { detail: 'Not found.' };
const NOT_AUTH = {
  success: false,
  errors: ['Authentication credentials were not provided.'],
  code: 'not_authenticated',
};
const DENIED = {
  success: false,
  errors: ['You do not have permission to perform this action.'],
  code: 'permission_denied',
};

describe('resource service: executionStart + executionStatus', () => {
  it('creates an empty resource from a form body, a form string or a JSON body, and reports it', async () => {
    for (const body of [
      { defaults: '{"title":"x"}' },
      'defaults=%7B%22title%22%3A%22x%22%7D',
      { defaults: { title: 'x' } },
    ]) {
      const a = await call('createResourceAsync', 'alice', { params: { resource_type: 'dataset' }, body });
      expect(a.status).toBe(200);
      const { execution_id, status_url, status } = a.body as Record<string, string>;
      expect(status).toBe('ready');
      expect(status_url).toBe(`${ORIGIN}/api/v2/resource-service/execution-status/${execution_id}`);
      const exec = execOf(a);
      expect(exec).toMatchObject({
        status: 'finished',
        func_name: 'create',
        action: 'create',
        source: 'resource_service',
        user: 1002,
        step: null,
        log: null,
      });
      expect(exec.input_params).toMatchObject({ resource_type: 'dataset', defaults: '{"title":"x"}' });
      const uuid = (exec.input_params as { uuid: string }).uuid;
      expect(exec.output_params).toEqual({ output: { uuid } });
      const created = env.store
        .collection('resources')
        .list()
        .find((r) => r.uuid === uuid)!;
      expect(created).toMatchObject({ title: 'x', resource_type: 'dataset', owner: { pk: 1002 } });
      expect(levelFor(env.store, created, as('alice'))).toBe('owner');
    }
  });

  it('answers the execution status with the username, only to the requester or a superuser', async () => {
    const a = await call('createResourceAsync', 'alice', { params: { resource_type: 'map' } });
    const id = (a.body as { execution_id: string }).execution_id;
    const ok = await call('getExecutionStatus', 'alice', { params: { execution_id: id } });
    expect(ok.status).toBe(200);
    expect(Object.keys(ok.body as object)).toEqual([
      'user',
      'status',
      'func_name',
      'created',
      'finished',
      'last_updated',
      'input_params',
      'output_params',
      'step',
      'log',
    ]);
    expect(ok.body).toMatchObject({
      user: 'alice',
      status: 'finished',
      func_name: 'create',
      input_params: { defaults: '{"owner":"alice"}' },
    });
    expect(
      (await call('getExecutionStatus', 'admin', { params: { execution_id: id.replace(/-/g, '').toUpperCase() } }))
        .status,
    ).toBe(200);
    for (const [who, execution_id, status] of [
      ['bob', id, 403],
      [null, id, 403],
      ['alice', 'not-a-uuid', 400],
      ['alice', '11111111-2222-4333-8444-555555555555', 404],
    ] as const) {
      const r = await call('getExecutionStatus', who, { params: { execution_id } });
      expect([r.status, r.body, r.error]).toEqual([status, undefined, 'emptyResponse']);
    }
  });

  it('fails the execution (not the request) for an unknown resource type or bad defaults', async () => {
    const a = await call('createResourceAsync', 'alice', { params: { resource_type: 'spaceship' } });
    expect(a.status).toBe(200);
    expect(execOf(a)).toMatchObject({
      status: 'failed',
      output_params: {
        error: "Error occurred while executin the operation: 'create'",
        exception: "Invalid resource_type: 'spaceship'",
      },
    });
    const b = await call('createResourceAsync', 'alice', {
      params: { resource_type: 'dataset' },
      body: { defaults: '{not json' },
    });
    expect(execOf(b).status).toBe('failed');
  });

  it('checks rights in GeoNode order: anonymous, unknown pk, UserHasPerms, then the view', async () => {
    expect(await call('updateResourceAsync', null, { params: { id: '1' } })).toMatchObject({
      status: 403,
      body: NOT_AUTH,
    });
    expect(await call('updateResourceAsync', 'bob', { params: { id: '999' } })).toMatchObject({
      status: 404,
      body: NOT_FOUND,
    });
    expect(await call('updateResourceAsync', 'bob', { params: { id: 'abc' } })).toMatchObject({
      status: 404,
      body: NOT_FOUND,
    });
    expect(await call('updateResourceAsync', 'bob', { params: { id: '1' } })).toMatchObject({
      status: 403,
      body: DENIED,
    });
    expect(await call('deleteResourceAsync', 'bob', { params: { id: '1' } })).toMatchObject({
      status: 403,
      body: DENIED,
    });
    // copy of a map bob cannot see: the view's own check, empty body
    expect(await call('copyResourceAsync', 'bob', { params: { id: '2' } })).toMatchObject({
      status: 403,
      body: undefined,
      error: 'emptyResponse',
    });
    expect(await call('copyResourceAsync', 'bob', { params: { id: '3' } })).toMatchObject({
      status: 400,
      body: { message: 'Resource can not be cloned.' },
    });
  });

  it('updates from vals, copies (with map layers) and deletes', async () => {
    const u = await call('updateResourceAsync', 'alice', {
      params: { id: '1' },
      body: 'vals={"title":"New roads","abstract":"a"}&keywords=["roads"]',
    });
    expect(execOf(u)).toMatchObject({
      status: 'finished',
      output_params: { output: { uuid: res('1')!.uuid } },
      geonode_resource: 1,
    });
    expect(res('1')).toMatchObject({ title: 'New roads', abstract: 'a', keywords: [{ name: 'roads', slug: 'roads' }] });

    const c = await call('copyResourceAsync', 'alice', { params: { id: '2' }, body: { defaults: '{"title":"Copy"}' } });
    const copyUuid = (execOf(c).output_params as { output: { uuid: string } }).output.uuid;
    const copy = env.store
      .collection('resources')
      .list()
      .find((r) => r.uuid === copyUuid)!;
    expect(copy).toMatchObject({ title: 'Copy', resource_type: 'map', owner: { pk: 1002 } });
    expect(
      env.store
        .collection('maplayers')
        .list()
        .filter((l) => String(l.map) === String(copy.pk)),
    ).toHaveLength(1);
    expect(execOf(c).input_params).toEqual({ instance: 2, owner: 'alice', defaults: '{"title":"Copy"}' });

    const d = await call('deleteResourceAsync', 'alice', { params: { id: '1' }, body: {} });
    expect(execOf(d)).toMatchObject({ status: 'finished', output_params: { output: 1 } });
    expect(res('1')).toBeUndefined();
  });

  it('advanceExecution moves one step at a time: ready → running → finished (the effect runs at the end)', async () => {
    const coll = env.store.collection('execution_requests');
    const exec = coll.insert({
      exec_id: '11111111-2222-4333-8444-555555555555',
      user: 1002,
      status: 'ready',
      func_name: 'delete',
      action: 'delete',
      created: T0,
      finished: null,
      last_updated: T0,
      input_params: { uuid: res('4')!.uuid },
      output_params: {},
      geonode_resource: 4,
      step: null,
      log: null,
      name: 'delete',
      source: 'resource_service',
      link: '',
    });
    expect(advanceExecution(env.store, exec, T0, contract)).toBe(true);
    expect([exec.status, res('4') !== undefined]).toEqual(['running', true]);
    expect(advanceExecution(env.store, exec, '2025-06-01T12:01:00.000000Z')).toBe(true);
    expect(exec).toMatchObject({
      status: 'finished',
      finished: '2025-06-01T12:01:00.000000Z',
      output_params: { output: 1 },
    });
    expect(res('4')).toBeUndefined();
    expect(advanceExecution(env.store, exec, T0)).toBe(false);
  });

  it('copies what the caller may download, ingests files [≤4.4.2]', async () => {
    const c = await call('copyResourceAsync', 'bob', { params: { id: '1' } });
    const uuid = (execOf(c).output_params as { output: { uuid: string } }).output.uuid;
    expect(
      env.store
        .collection('resources')
        .list()
        .find((r) => r.uuid === uuid),
    ).toMatchObject({ title: 'R1', owner: { pk: 1003 }, name: expect.stringMatching(/^roads_\d+$/) });
    const i = await call('ingestResourceAsync', 'bob', {
      params: { resource_type: 'document' },
      body: 'files=["/tmp/a.pdf"]&defaults={"title":"A"}',
    });
    expect(execOf(i)).toMatchObject({
      status: 'finished',
      func_name: 'ingest',
      input_params: { files: '["/tmp/a.pdf"]', defaults: '{"title":"A"}' },
    });
  });
});

describe('permissions', () => {
  it('refuses anonymous (GeoNode body), non-managers (empty), unknown pks (404)', async () => {
    expect(await call('getResourcePermissions', null, { params: { id: '1' } })).toMatchObject({
      status: 403,
      body: NOT_AUTH,
    });
    expect(await call('getResourcePermissions', 'bob', { params: { id: '1' } })).toMatchObject({
      status: 403,
      body: undefined,
    });
    expect(await call('getResourcePermissions', 'alice', { params: { id: '99' } })).toMatchObject({
      status: 404,
      body: NOT_FOUND,
    });
  });

  it('GET lists the owner, every superuser as manage and the two special groups, ids descending', async () => {
    const a = await call('getResourcePermissions', 'alice', { params: { id: '1' } });
    const spec = a.body as { users: StoredRecord[]; groups: StoredRecord[]; organizations: StoredRecord[] };
    expect(spec.users.map((u) => [u.id, u.username, u.permissions])).toEqual([
      [1002, 'alice', 'owner'],
      [1000, 'admin', 'manage'],
    ]);
    expect(spec.users[0]).toEqual({
      id: 1002,
      username: 'alice',
      first_name: 'alice',
      last_name: '',
      avatar: 'https://www.gravatar.com/avatar/1002/?s=240',
      permissions: 'owner',
      is_superuser: false,
      is_staff: false,
    });
    expect(spec.groups).toEqual([
      { id: 2, title: 'Registered Members', name: 'registered-members', permissions: 'none' },
      { id: 1, title: 'anonymous', name: 'anonymous', permissions: 'download' },
    ]);
    expect(spec.organizations).toEqual([]);
  });

  it('PUT replaces, PATCH merges, DELETE keeps only the owner — each through an execution request', async () => {
    const put = await call('setResourcePermissions', 'alice', {
      params: { id: '1' },
      body: {
        users: [{ id: 1003, permissions: 'edit' }],
        organizations: [{ id: 3, permissions: 'view' }],
        groups: [{ id: 1, permissions: 'view' }],
      },
    });
    expect(put.status).toBe(200);
    expect(execOf(put)).toMatchObject({
      func_name: 'set_permissions',
      action: 'permissions',
      status: 'finished',
      output_params: { output: true },
    });
    const r1 = res('1')!;
    expect([
      levelFor(env.store, r1, as('bob')),
      levelFor(env.store, r1, as('carol')),
      levelFor(env.store, r1, null),
    ]).toEqual(['edit', 'view', 'view']);

    await call('patchResourcePermissions', 'alice', {
      params: { id: '1' },
      body: { users: [{ id: 1004, permissions: 'manage' }] },
    });
    expect([levelFor(env.store, r1, as('bob')), levelFor(env.store, r1, as('carol'))]).toEqual(['edit', 'manage']);
    const spec = (await call('getResourcePermissions', 'carol', { params: { id: '1' } })).body as {
      organizations: StoredRecord[];
    };
    expect(spec.organizations).toEqual([{ id: 3, title: 'Team A', name: 'team-a', logo: null, permissions: 'view' }]);

    const del = await call('deleteResourcePermissions', 'alice', { params: { id: '1' } });
    expect(execOf(del)).toMatchObject({ func_name: 'remove_permissions', output_params: { output: true } });
    expect([
      levelFor(env.store, r1, as('bob')),
      levelFor(env.store, r1, null),
      levelFor(env.store, r1, as('alice')),
    ]).toEqual(['none', 'none', 'owner']);
  });

  it('PUT with an owner entry transfers ownership; invalid specs are a 400 with an empty body', async () => {
    await call('setResourcePermissions', 'alice', {
      params: { id: '1' },
      body: { users: [{ id: 1003, permissions: 'owner' }] },
    });
    expect(res('1')!.owner).toMatchObject({ pk: 1003, username: 'bob' });
    for (const body of [
      { users: [{ permissions: 'view' }] },
      { users: [{ id: 1003, permissions: 'boss' }] },
      { users: [{ id: 77, permissions: 'view' }] },
      { groups: [{ id: 3, permissions: 'owner' }] },
      { users: 'x' },
    ]) {
      expect(await call('setResourcePermissions', 'bob', { params: { id: '1' }, body })).toMatchObject({
        status: 400,
        body: undefined,
        error: 'emptyResponse',
      });
    }
  });
});

describe('favorite, ratings, thumbnails', () => {
  it('favorite: exact messages and statuses', async () => {
    expect(await call('addResourceFavorite', 'bob', { params: { id: '1' } })).toMatchObject({
      status: 201,
      body: { message: 'Successfuly added resource to favorites' },
    });
    expect(await call('addResourceFavorite', 'bob', { params: { id: '1' } })).toMatchObject({
      status: 400,
      body: { message: 'Resource is already in favorites' },
    });
    expect(await call('removeResourceFavorite', 'bob', { params: { id: '1' } })).toMatchObject({
      status: 200,
      body: { message: 'Successfuly removed resource from favorites' },
    });
    expect(await call('removeResourceFavorite', 'bob', { params: { id: '1' } })).toMatchObject({
      status: 404,
      body: { message: 'Resource not in favorites' },
    });
    expect(await call('addResourceFavorite', null, { params: { id: '1' } })).toMatchObject({
      status: 403,
      body: NOT_AUTH,
    });
    expect(await call('addResourceFavorite', 'bob', { params: { id: '2' } })).toMatchObject({
      status: 404,
      body: NOT_FOUND,
    });
  });

  it('ratings: caller and overall rating; out of range is a 403 plain text', async () => {
    expect(await call('getResourceRating', null, { params: { id: '1' } })).toMatchObject({
      status: 200,
      body: { rating: 0, overall_rating: 0 },
    });
    expect((await call('rateResource', 'alice', { params: { id: '1' }, body: { rating: 3 } })).body).toEqual({
      rating: 3,
      overall_rating: 3,
    });
    expect((await call('rateResource', 'bob', { params: { id: '1' }, body: { rating: '1' } })).body).toEqual({
      rating: 1,
      overall_rating: 2,
    });
    const bad = await call('rateResource', 'bob', { params: { id: '1' }, body: { rating: 7 } });
    expect([bad.status, bad.body, bad.headers['Content-Type']]).toEqual([
      403,
      'Invalid rating. It must be a value between 0 and 5',
      'text/plain; charset=utf-8',
    ]);
    expect(await call('rateResource', null, { params: { id: '1' }, body: { rating: 2 } })).toMatchObject({
      status: 403,
      body: NOT_AUTH,
    });
    expect(await call('getResourceRating', null, { params: { id: '2' } })).toMatchObject({
      status: 403,
      body: NOT_AUTH,
    });
  });

  it('set_thumbnail: image URL, data URI, and the literal error bodies', async () => {
    const png = `data:image/png;base64,${Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]).toString('base64')}`;
    const ok = await call('setResourceThumbnail', 'alice', { params: { id: '1' }, body: { file: png } });
    expect(ok.status).toBe(200);
    expect((ok.body as { thumbnail_url: string }).thumbnail_url).toMatch(
      new RegExp(`^${ORIGIN}/uploaded/thumbs/dataset-.+-thumb-[0-9a-f]{8}\\.png$`),
    );
    expect(
      await call('setResourceThumbnail', 'alice', { params: { id: '1' }, body: { file: 'https://example.org/t.jpg' } }),
    ).toMatchObject({ status: 200, body: { thumbnail_url: 'https://example.org/t.jpg' } });
    expect(res('1')!.thumbnail_url).toBe('https://example.org/t.jpg');
    expect(await call('setResourceThumbnail', 'alice', { params: { id: '1' }, body: {} })).toMatchObject({
      status: 400,
      body: { errors: ['Field file is required'], code: 'invalid' },
    });
    expect(
      await call('setResourceThumbnail', 'alice', { params: { id: '1' }, body: { file: 'https://example.org/t.gif' } }),
    ).toMatchObject({ status: 400, body: 'The url must be of an image with format (png, jpeg or jpg)' });
    expect(
      await call('setResourceThumbnail', 'alice', {
        params: { id: '1' },
        body: { file: 'data:image/png;base64,bm90IGFuIGltYWdl' },
      }),
    ).toMatchObject({
      status: 400,
      body: 'The request body is not a valid base64 string or the image format is not PNG or JPEG',
    });
    expect(
      await call('setResourceThumbnail', 'bob', { params: { id: '1' }, body: { file: 'https://example.org/t.png' } }),
    ).toMatchObject({ status: 403, body: DENIED });
  });

  it('set_thumbnail_from_bbox: x,x,y,y order and the exact bodies', async () => {
    const body = { bbox: [-10, 10, 40, 50], srid: 'EPSG:4326', zoom: 5 };
    const ok = await call('setResourceThumbnailFromBbox', 'bob', { params: { resource_id: '1' }, body });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ message: 'Thumbnail correctly created.', success: true });
    expect(await call('setResourceThumbnailFromBbox', null, { params: { resource_id: '1' }, body })).toMatchObject({
      status: 403,
      body: NOT_AUTH,
    });
    expect(await call('setResourceThumbnailFromBbox', 'bob', { params: { resource_id: '42' }, body })).toMatchObject({
      status: 404,
      body: { message: 'Resource selected with id 42 does not exists', success: false },
    });
    expect(await call('setResourceThumbnailFromBbox', 'bob', { params: { resource_id: '3' }, body })).toMatchObject({
      status: 405,
      body: { message: 'Not implemented: Endpoint available only for Dataset and Maps', success: false },
    });
    expect(
      await call('setResourceThumbnailFromBbox', 'bob', { params: { resource_id: '1' }, body: { bbox: [0, 1, 2, 3] } }),
    ).toMatchObject({ status: 400, body: { message: 'srid', success: false } });
    expect(
      (
        await call('setResourceThumbnailFromBbox', 'bob', {
          params: { resource_id: '1' },
          body: { bbox: [10, -10, 40, 50], srid: 'EPSG:4326' },
        })
      ).status,
    ).toBe(400);
  });
});

describe('extra metadata and linked resources', () => {
  const item = { filter_header: 'Extra', field_name: 'survey', field_label: 'Survey', field_value: 'LiDAR' };

  it('extra_metadata: POST 201, PUT, filtered GET, DELETE, and schema violations as a JSON string (400)', async () => {
    expect(await call('listResourceExtraMetadata', null, { params: { id: '1' } })).toMatchObject({
      status: 200,
      body: [],
    });
    const bad = await call('createResourceExtraMetadata', 'alice', {
      params: { id: '1' },
      body: [{ filter_header: 'x', field_name: 'y', field_label: 'z' }],
    });
    expect([bad.status, bad.body]).toEqual([
      400,
      'Missing key: \'field_value\' at index 0 for input json: {"filter_header": "x", "field_name": "y", "field_label": "z"}',
    ]);
    const created = await call('createResourceExtraMetadata', 'bob', {
      params: { id: '1' },
      body: [item, { ...item, field_name: 'method' }],
    });
    expect(created.status).toBe(201);
    const list = created.body as StoredRecord[];
    expect(list.map((m) => m.field_name)).toEqual(['survey', 'method']);
    expect(Object.keys(list[0])).toEqual(['id', 'filter_header', 'field_name', 'field_label', 'field_value']);
    expect(
      (
        await call('updateResourceExtraMetadata', 'alice', {
          params: { id: '1' },
          body: [{ ...item, id: list[0].id, field_value: 'GNSS' }],
        })
      ).body,
    ).toMatchObject([{ field_value: 'GNSS' }, { field_value: 'LiDAR' }]);
    expect((await call('updateResourceExtraMetadata', 'alice', { params: { id: '1' }, body: [item] })).body).toMatch(
      /^Missing key: 'id' at index 0/,
    );
    expect(
      (await call('listResourceExtraMetadata', null, { params: { id: '1' }, query: 'field_name=method' })).body,
    ).toMatchObject([{ field_name: 'method' }]);
    expect(
      (await call('deleteResourceExtraMetadata', 'alice', { params: { id: '1' }, body: [list[0].id] })).body,
    ).toMatchObject([{ field_name: 'method' }]);
    expect(await call('createResourceExtraMetadata', null, { params: { id: '1' }, body: [item] })).toMatchObject({
      status: 403,
      body: NOT_AUTH,
    });
    expect(await call('updateResourceExtraMetadata', 'bob', { params: { id: '1' }, body: [] })).toMatchObject({
      status: 403,
      body: DENIED,
    });
  });

  it('linked_resources: internal map layers, added links both ways, errors and warnings', async () => {
    const map = await call('getResourceLinkedResources', 'alice', { params: { id: '2' } });
    expect(map.body).toEqual({
      linked_to: [
        {
          internal: true,
          pk: 1,
          title: 'R1',
          resource_type: 'dataset',
          detail_url: '/catalogue/#/dataset/1',
          thumbnail_url: null,
        },
      ],
      linked_by: [],
    });
    expect(
      await call('addResourceLinkedResources', 'alice', { params: { id: '1' }, body: { target: [3, 4] } }),
    ).toMatchObject({ status: 200, body: { success: [3, 4], error: [], message: 'Resources updated successfully' } });
    expect(
      await call('addResourceLinkedResources', 'alice', { params: { id: '1' }, body: { target: [3, 1, 99] } }),
    ).toMatchObject({
      status: 400,
      body: { success: [], error: [1, 3, 99], message: 'Some error has occurred during the saving' },
    });
    const ds = (await call('getResourceLinkedResources', 'bob', { params: { id: '1' }, query: 'page=1' }))
      .body as Record<string, StoredRecord[]>;
    expect(Object.keys(ds)).toEqual(['WARNINGS', 'linked_to', 'linked_by']);
    expect(ds.linked_to.map((l) => l.pk)).toEqual([3, 4]);
    expect(ds.linked_by).toEqual([]); // the map linking it is private to alice
    expect(
      (
        (await call('getResourceLinkedResources', 'alice', { params: { id: '3' }, query: 'link_type=linked_by' }))
          .body as Record<string, StoredRecord[]>
      ).linked_by,
    ).toMatchObject([{ pk: 1, internal: false }]);
    expect(
      await call('removeResourceLinkedResources', 'alice', { params: { id: '1' }, body: { target: [4] } }),
    ).toMatchObject({ status: 200, body: { success: [4] } });
    expect(
      await call('addResourceLinkedResources', 'alice', { params: { id: '1' }, body: { target: 3 } }),
    ).toMatchObject({ status: 400, body: { errors: ['Payload is not valid'] } });
    expect(await call('getDocumentLinkedResources', 'alice', { params: { id: '1' } })).toMatchObject({ status: 404 });
    expect(await call('getResourceLinkedResources', null, { params: { id: '2' } })).toMatchObject({
      status: 403,
      body: NOT_AUTH,
    });
  });
});

describe('upload (importer)', () => {
  const multipart = (files: Record<string, string>) => {
    const b = 'XyZ';
    const parts = Object.entries(files).map(
      ([field, name]) =>
        `--${b}\r\nContent-Disposition: form-data; name="${field}"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\ndata\r\n`,
    );
    return {
      __multipart: true,
      contentType: `multipart/form-data; boundary=${b}`,
      raw: Buffer.from(`${parts.join('')}--${b}--\r\n`),
    };
  };

  it('answers 201 {execution_id}; the import creates the dataset and completes the upload', async () => {
    const a = await call('uploadDataset', 'bob', {
      body: multipart({
        base_file: 'rivers.shp',
        dbf_file: 'rivers.dbf',
        shx_file: 'rivers.shx',
        prj_file: 'rivers.prj',
      }),
    });
    expect(a.status).toBe(201);
    expect(Object.keys(a.body as object)).toEqual(['execution_id']);
    const exec = execOf(a);
    expect(exec).toMatchObject({
      action: 'import',
      source: 'upload',
      status: 'finished',
      name: 'rivers.shp',
      step: 'importer.finalize',
    });
    const ds = res(String(exec.geonode_resource))!;
    expect(ds).toMatchObject({ resource_type: 'dataset', name: 'rivers', owner: { pk: 1003 } });
    expect(exec.output_params).toEqual({ detail_url: [`/catalogue/#/dataset/${String(ds.pk)}`] });
    expect(env.store.collection('uploads').list()[0]).toMatchObject({
      state: 'PROCESSED',
      complete: true,
      user: 1003,
      resource_pk: String(ds.pk),
    });
  });

  it('fails the import of an incomplete shapefile; refuses anonymous with 401; unknown types fall back to []', async () => {
    expect(execOf(await call('uploadDataset', 'bob', { body: multipart({ base_file: 'rivers.shp' }) }))).toMatchObject({
      status: 'failed',
    });
    expect(env.store.collection('uploads').list()[0]).toMatchObject({ state: 'INVALID' });
    const anon = await call('uploadDataset', null, { body: multipart({ base_file: 'a.gpkg' }) });
    expect([anon.status, anon.headers['WWW-Authenticate']]).toEqual([401, 'Basic realm="api"']);
    expect(await call('uploadDataset', 'bob', { body: multipart({ base_file: 'notes.txt' }) })).toMatchObject({
      status: 200,
      body: [],
    });
    expect(await call('uploadDataset', 'bob', { body: {} })).toMatchObject({ status: 400, error: 'invalid' });
  });
});

describe('management commands', () => {
  it('is admin only: anonymous 401 with WWW-Authenticate, others 403', async () => {
    const anon = await call('listManagementCommands', null);
    expect([anon.status, anon.headers['WWW-Authenticate'], anon.body]).toEqual([401, 'Basic realm="api"', NOT_AUTH]);
    expect(await call('listManagementCommands', 'bob')).toMatchObject({ status: 403, body: DENIED });
    expect((await call('listManagementCommands', 'staff')).body).toMatchObject({
      success: true,
      error: null,
      data: expect.arrayContaining(['ping_mngmt_commands_http', 'updatelayers']),
    });
  });

  it('command help and the unknown-command 404', async () => {
    expect(
      (await call('getManagementCommandHelp', 'admin', { params: { cmd_name: 'ping_mngmt_commands_http' } })).body,
    ).toMatchObject({ success: true, error: null, data: expect.stringContaining('ping_mngmt_commands_http') });
    expect(await call('getManagementCommandHelp', 'admin', { params: { cmd_name: 'nope' } })).toMatchObject({
      status: 404,
      body: { success: false, error: 'Command not found' },
    });
  });

  it('creates jobs (QUEUED when autostarted, then run to FINISHED with "pong\\n"), or CREATED', async () => {
    const a = await call('createManagementCommandJob', 'admin', { params: { cmd_name: 'ping_mngmt_commands_http' } });
    expect(a.status).toBe(201);
    const job = (a.body as { data: StoredRecord }).data;
    expect(a.body).toMatchObject({
      success: true,
      error: null,
      data: {
        command: 'ping_mngmt_commands_http',
        status: 'QUEUED',
        user: 1000,
        app_name: 'geonode.management_commands_http',
      },
    });
    const stored = await call('retrieveManagementJob', 'admin', { params: { id: String(job.id) } });
    expect(stored.body).toMatchObject({ id: job.id, status: 'FINISHED', output_message: 'pong\n' });
    const st = await call('getManagementJobStatus', 'admin', { params: { id: String(job.id) } });
    expect((st.body as StoredRecord).celery_task_meta).toMatchObject({ status: 'SUCCESS', traceback: null });
    const b = await call('createManagementJob', 'admin', {
      body: { command: 'ping_mngmt_commands_http', autostart: false },
    });
    expect(b.body).toMatchObject({ data: { status: 'CREATED', start_time: null } });
  });

  it('validates create bodies with GeoNode messages', async () => {
    const cases: [string, Record<string, string>, unknown, string][] = [
      ['createManagementJob', {}, {}, 'This field may not be null.'],
      ['createManagementJobFromBody', {}, { command: 'nope' }, 'Command not found'],
      [
        'createManagementCommandJob',
        { cmd_name: 'ping_mngmt_commands_http' },
        { args: ['--help'] },
        'Forbidden argument: "--help"',
      ],
      [
        'createManagementCommandJobViaJobs',
        { cmd_name: 'ping_mngmt_commands_http' },
        { args: 'x' },
        'args must be a list',
      ],
      ['createManagementCommandJob', { cmd_name: 'ping_mngmt_commands_http' }, { kwargs: [] }, 'kwargs must be a dict'],
    ];
    for (const [op, params, body, message] of cases) {
      expect(await call(op, 'admin', { params, body })).toMatchObject({
        status: 400,
        body: { success: false, errors: [message], code: 'invalid' },
      });
    }
  });

  it('lists jobs newest first (key data), per command, and starts/stops/reads them', async () => {
    await call('createManagementJob', 'admin', { body: { command: 'ping_mngmt_commands_http' } });
    const all = (await call('listManagementJobs', 'admin')).body as {
      total: number;
      data: StoredRecord[];
      links: unknown;
    };
    expect(all.total).toBe(3);
    expect(all.data.map((j) => j.id)).toEqual([3, 2, 1]);
    expect(Object.keys(all.data[0]).sort()).toEqual(['app_name', 'command', 'created_at', 'id', 'status', 'user']);
    expect(
      (
        (await call('listManagementCommandJobs', 'admin', { params: { cmd_name: 'updatelayers' } })).body as {
          total: number;
        }
      ).total,
    ).toBe(1);
    expect(
      await call('retrieveManagementCommandJob', 'admin', { params: { cmd_name: 'updatelayers', id: '1' } }),
    ).toMatchObject({ status: 404, body: NOT_FOUND });

    const start = await call('startManagementJob', 'admin', { params: { id: '2' } });
    expect(start).toMatchObject({
      status: 200,
      body: { success: true, error: null, data: { id: 2, status: 'QUEUED' } },
    });
    const again = await call('startManagementCommandJob', 'admin', { params: { cmd_name: 'updatelayers', id: '2' } });
    expect(again).toMatchObject({
      status: 400,
      body: { success: false, error: 'You can not start the job 2 because its status is "FINISHED".' },
    });
    expect(await call('stopManagementJob', 'admin', { params: { id: '1' } })).toMatchObject({
      status: 200,
      body: { success: true, data: { id: 1, status: 'FINISHED' } },
    });
  });
});

describe('harvesting', () => {
  it('lists and batch-patches harvestable resources; unknown identifiers and harvesters are refused', async () => {
    const list = await call('listHarvestableResources', null, { params: { harvester_id: '1' } });
    expect(list.body).toMatchObject({
      total: 2,
      page: 1,
      harvestable_resources: [{ unique_identifier: 'topp:a' }, { unique_identifier: 'topp:b' }],
    });
    const patched = await call('updateHarvestableResources', null, {
      params: { harvester_id: '1' },
      body: [{ unique_identifier: 'topp:b', should_be_harvested: true }],
    });
    expect(patched).toMatchObject({
      status: 200,
      body: {
        harvestable_resources: [
          { unique_identifier: 'topp:b', should_be_harvested: true, title: 'B', status: 'ready' },
        ],
      },
    });
    const unknown = await call('updateHarvestableResources', null, {
      params: { harvester_id: '1' },
      body: [{ unique_identifier: 'topp:c', should_be_harvested: true }],
    });
    expect(unknown).toMatchObject({ status: 400, error: 'invalid' });
    expect((unknown.body as { errors: string[] }).errors[0]).toContain('"topp:c"');
    expect(
      await call('updateHarvestableResources', null, {
        params: { harvester_id: '1' },
        body: { unique_identifier: 'topp:a' },
      }),
    ).toMatchObject({ status: 400, body: { errors: ['Expected a list of items but got type "dict".'] } });
    expect(await call('listHarvestableResources', null, { params: { harvester_id: '9' } })).toMatchObject({
      status: 404,
      body: NOT_FOUND,
    });
  });

  it('harvesterPatchRules enforces the status rules; advanceHarvester brings a busy harvester back to ready', () => {
    const [ready, busy] = env.store.collection('harvesters').list();
    const msg = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return ((e as ApiError).body as { errors: string[] }).errors[0];
      }
      return 'no error';
    };
    expect(msg(() => harvesterPatchRules(busy, { name: 'x' }))).toBe(
      "Harvester is currently busy. Please wait until current status becomes 'ready'",
    );
    expect(msg(() => harvesterPatchRules(ready, { status: 'ready' }))).toBe(
      "Cannot set a status of 'ready' explicitly. This status can only be set by the server, when appropriate.",
    );
    expect(
      msg(() =>
        harvesterPatchRules(ready, { status: 'harvesting-resources', harvester_type_specific_configuration: { a: 1 } }),
      ),
    ).toBe("Cannot update a harvester's 'status' and 'harvester_type_specific_configuration' at the same time");
    expect(msg(() => harvesterPatchRules(null, { status: 'harvesting-resources' }))).toBe(
      "Invalid initial value for status: 'harvesting-resources'. Either omit it or provide a value of 'ready'",
    );
    expect(msg(() => harvesterPatchRules(ready, { status: 'dancing' }))).toBe('"dancing" is not a valid choice.');
    expect(harvesterPatchRules(ready, { status: 'harvesting-resources' })).toEqual({ work: 'harvest' });
    expect(
      harvesterPatchRules(ready, { harvester_type_specific_configuration: { dataset_title_filter: 'x' } }),
    ).toEqual({ work: 'regenerate-harvestable-resources' });

    expect(advanceHarvester(env.store, busy, T0)).toBe(true);
    expect(busy.status).toBe('ready');
    expect(env.store.collection('harvesting_sessions').get(1)).toMatchObject({
      status: 'finished-all-ok',
      ended: T0,
      records_done: 1,
    });
    expect(env.store.collection('harvestable_resources').get(3)).toMatchObject({ status: 'ready' });
    expect(advanceHarvester(env.store, busy, T0)).toBe(false);
  });
});
