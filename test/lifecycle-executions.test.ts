/**
 * Resource-service executions on the virtual clock (`geonode/base/api/views.py:532-1147`,
 * `geonode/resource/api/tasks.py:84-150` (4.4.3)): ready → running → finished | failed, the
 * effect only at the end, the clock controls, failing on purpose, bad input, and jobs surviving a restart.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';
import { advance, execStatus, form, FORM, settle, startLifecycleServer, STEP } from './helpers/lifecycle.js';

let s: TestServer;
beforeAll(async () => {
  s = await startLifecycleServer();
});
afterAll(() => s.close());
beforeEach(async () => {
  await s.request('POST', '/__geostub/reset', { as: null });
});

const byUuid = async (uuid: string) =>
  (await s.request('GET', `/api/v2/resources/?filter{uuid}=${uuid}`)).json.resources as any[];
const firstOf = async (type: string) => (await s.request('GET', `/api/v2/${type}/?page_size=1`)).json[type][0];
const ms = (iso: string) => Date.parse(iso);

describe('the clock controls', () => {
  it('GET /__geostub/clock shows the virtual time; advance moves it forward; bad bodies are 400 with a JSON error', async () => {
    const before = (await s.request('GET', '/__geostub/clock', { as: null })).json;
    expect(before).toMatchObject({ job_duration_ms: STEP, pending: 0 });
    const after = await advance(s, 3_600_000);
    expect(ms(after.now) - ms(before.now)).toBeGreaterThanOrEqual(3_600_000);
    expect(after.ahead_ms).toBeGreaterThanOrEqual(3_600_000);
    for (const raw of ['', 'not json', '{"ms": -1}', '{"ms": "10"}', '{"seconds": 1}', '[1]']) {
      const r = await s.request('POST', '/__geostub/clock/advance', {
        raw,
        headers: { 'Content-Type': 'application/json' },
        as: null,
      });
      expect([r.status, typeof r.json?.error], raw).toEqual([400, 'string']);
    }
  });

  it('a reset follows real time again and forgets the jobs', async () => {
    await s.request('POST', '/api/v2/resources/create/dataset/', {
      raw: form({ defaults: { title: 'x' } }),
      headers: FORM,
    });
    await advance(s, STEP / 2);
    expect((await s.request('GET', '/__geostub/jobs', { as: null })).json.jobs).toHaveLength(1);
    await s.request('POST', '/__geostub/reset', { as: null });
    expect((await s.request('GET', '/__geostub/clock', { as: null })).json).toMatchObject({ ahead_ms: 0, pending: 0 });
    expect(
      (await s.request('GET', '/api/v2/executionrequest/?page_size=100')).json.requests.every(
        (e: any) => e.name !== 'x',
      ),
    ).toBe(true);
  });
});

describe('create', () => {
  it('goes ready → running → finished one step at a time; the resource exists only at the end, with the uuid', async () => {
    const a = await s.request('POST', '/api/v2/resources/create/dataset/', {
      raw: form({ defaults: { title: 'Async roads' } }),
      headers: FORM,
    });
    expect(a.status).toBe(200);
    expect(a.json).toEqual({
      status: 'ready',
      execution_id: expect.any(String),
      status_url: `${s.url}/api/v2/resource-service/execution-status/${a.json.execution_id}`,
    });
    const id = a.json.execution_id;
    const ready = await execStatus(s, id);
    expect(ready).toMatchObject({
      user: 'admin',
      status: 'ready',
      func_name: 'create',
      finished: null,
      output_params: {},
      step: null,
      log: null,
    });
    const uuid = ready.input_params.uuid;
    expect(ready.input_params).toEqual({ uuid, resource_type: 'dataset', defaults: '{"title":"Async roads"}' });
    expect(await byUuid(uuid)).toEqual([]);

    await advance(s);
    const running = await execStatus(s, id);
    expect(running).toMatchObject({ status: 'running', finished: null, output_params: {} });
    expect(ms(running.last_updated) - ms(ready.created)).toBeGreaterThanOrEqual(STEP);
    expect(await byUuid(uuid)).toEqual([]);
    expect((await s.request('GET', `/api/v2/executionrequest/${id}`)).json.request).toMatchObject({
      status: 'running',
      finished: null,
    });

    await advance(s);
    const done = await execStatus(s, id);
    expect(done).toMatchObject({ status: 'finished', output_params: { output: { uuid } } });
    expect(ms(done.finished) - ms(ready.created)).toBe(2 * STEP);
    expect(done.last_updated).toBe(done.finished);
    expect(await byUuid(uuid)).toEqual([
      expect.objectContaining({ title: 'Async roads', resource_type: 'dataset', uuid }),
    ]);
    expect((await s.request('GET', `/api/v2/executionrequest/${id}`)).json.request).toMatchObject({
      status: 'finished',
      finished: done.finished,
    });
  });

  it('takes defaults=… sent with Content-Type: application/json, and a JSON body with the defaults object', async () => {
    const a = await s.request('POST', '/api/v2/resources/create/map/', {
      raw: form({ defaults: { title: 'Sent as json' } }),
      headers: { 'Content-Type': 'application/json' },
    });
    const b = await s.request('POST', '/api/v2/resources/create/map/', {
      body: { defaults: { title: 'A JSON body' } },
    });
    expect([a.status, b.status]).toEqual([200, 200]);
    await settle(s);
    for (const [r, title] of [
      [a, 'Sent as json'],
      [b, 'A JSON body'],
    ] as const) {
      const st = await execStatus(s, r.json.execution_id);
      expect(st.status).toBe('finished');
      expect(await byUuid(st.output_params.output.uuid)).toEqual([
        expect.objectContaining({ title, resource_type: 'map' }),
      ]);
    }
    const bad = await s.request('POST', '/api/v2/resources/create/map/', {
      raw: '{"defaults": ',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(bad.status).toBe(200); // GeoNode reads a broken body as a form: nothing in it, the defaults apply
  });
});

describe('copy, update, delete, permissions', () => {
  it('copy: a new pk only when the execution finishes', async () => {
    const src = await firstOf('maps');
    const total = async () => (await s.request('GET', '/api/v2/maps/?page_size=1')).json.total;
    const count = await total();
    const a = await s.request('PUT', `/api/v2/resources/${src.pk}/copy/`, {
      raw: form({ defaults: { title: 'Copied later' } }),
      headers: { 'Content-Type': 'application/json' },
    });
    await advance(s);
    expect((await execStatus(s, a.json.execution_id)).status).toBe('running');
    expect(await total()).toBe(count);
    await advance(s);
    const done = await execStatus(s, a.json.execution_id);
    expect(done).toMatchObject({
      status: 'finished',
      func_name: 'copy',
      input_params: { instance: Number(src.pk), owner: 'admin' },
    });
    const [copy] = await byUuid(done.output_params.output.uuid);
    expect(copy.title).toBe('Copied later');
    expect(copy.pk).not.toBe(src.pk);
    expect(await total()).toBe(count + 1);
  });

  it('update and delete: the resource changes (or goes) at the end; include[]=executions shows the unfinished ones', async () => {
    const ds = await firstOf('datasets');
    const u = await s.request('PUT', `/api/v2/resources/${ds.pk}/update/`, {
      raw: form({ vals: { title: 'Renamed later' } }),
      headers: FORM,
    });
    const d = await s.request('DELETE', `/api/v2/resources/${ds.pk}/delete/`, { body: {} });
    const executions = async () =>
      (await s.request('GET', `/api/v2/resources/${ds.pk}?include[]=executions`)).json.resource.executions as any[];
    expect((await executions()).map((e) => [e.func_name, e.status])).toEqual([
      ['update', 'ready'],
      ['delete', 'ready'],
    ]);
    await advance(s);
    expect((await executions()).map((e) => e.status)).toEqual(['running', 'running']);
    expect((await s.request('GET', `/api/v2/resources/${ds.pk}`)).json.resource.title).toBe(ds.title);
    expect(
      (await s.request('GET', `/api/v2/resources/${ds.pk}?include[]=executions`, { as: 'alice' })).json?.resource
        ?.executions ?? [],
    ).toEqual([]);
    await advance(s);
    expect(await execStatus(s, u.json.execution_id)).toMatchObject({
      status: 'finished',
      output_params: { output: { uuid: ds.uuid } },
    });
    expect(await execStatus(s, d.json.execution_id)).toMatchObject({
      status: 'finished',
      output_params: { output: 1 },
    });
    expect((await s.request('GET', `/api/v2/resources/${ds.pk}`)).status).toBe(404);
  });

  it('permissions: the new spec applies when set_permissions finishes', async () => {
    const ds = await firstOf('datasets');
    const bobLevel = async () =>
      ((await s.request('GET', `/api/v2/resources/${ds.pk}/permissions`)).json.users as any[]).find(
        (u) => u.username === 'bob',
      )?.permissions;
    const before = await bobLevel();
    const a = await s.request('PATCH', `/api/v2/resources/${ds.pk}/permissions`, {
      body: { users: [{ id: 1003, permissions: 'manage' }] },
    });
    expect(a.json.status).toBe('ready');
    await advance(s);
    expect(await execStatus(s, a.json.execution_id)).toMatchObject({ status: 'running', func_name: 'set_permissions' });
    expect(await bobLevel()).toBe(before);
    await advance(s);
    expect(await execStatus(s, a.json.execution_id)).toMatchObject({
      status: 'finished',
      output_params: { output: true },
    });
    expect(await bobLevel()).toBe('manage');
  });
});

describe('failing on purpose', () => {
  it('X-Geostub-Fail: 1 or "geostub:fail" in the defaults end the execution failed with GeoNode\'s error output, without the effect', async () => {
    const src = await firstOf('maps');
    const a = await s.request('PUT', `/api/v2/resources/${src.pk}/copy/`, {
      raw: form({ defaults: { title: 'never' } }),
      headers: { ...FORM, 'X-Geostub-Fail': '1' },
    });
    const b = await s.request('POST', '/api/v2/resources/create/dataset/', {
      raw: form({ defaults: { title: 'please geostub:fail' } }),
      headers: FORM,
    });
    await advance(s);
    expect((await execStatus(s, a.json.execution_id)).status).toBe('running');
    await advance(s);
    const failed = await execStatus(s, a.json.execution_id);
    expect(failed).toMatchObject({
      status: 'failed',
      output_params: {
        error: "Error occurred while executin the operation: 'copy'",
        exception: expect.stringContaining('on purpose'),
      },
    });
    expect(failed.finished).not.toBeNull();
    expect(failed.log).toContain('on purpose');
    const other = await execStatus(s, b.json.execution_id);
    expect(other).toMatchObject({
      status: 'failed',
      output_params: { error: "Error occurred while executin the operation: 'create'" },
    });
    expect(await byUuid(other.input_params.uuid)).toEqual([]);
  });
});

describe('bad input', () => {
  it("unknown execution id → empty 404, malformed → empty 400, someone else's → empty 403", async () => {
    const unknown = await s.request(
      'GET',
      '/api/v2/resource-service/execution-status/11111111-2222-4333-8444-555555555555',
    );
    expect([unknown.status, unknown.text]).toEqual([404, '']);
    const bad = await s.request('GET', '/api/v2/resource-service/execution-status/not-a-uuid');
    expect([bad.status, bad.text]).toEqual([400, '']);
    const a = await s.request('POST', '/api/v2/resources/create/dataset/', { as: 'alice' });
    const other = await s.request('GET', `/api/v2/resource-service/execution-status/${a.json.execution_id}`, {
      as: 'bob',
    });
    expect([other.status, other.text]).toEqual([403, '']);
  });
});

describe('settling and durations', () => {
  it('POST /__geostub/jobs/settle runs every job to its end and moves the clock to the last step', async () => {
    const a = await s.request('POST', '/api/v2/resources/create/dataset/', {
      raw: form({ defaults: { title: 'one' } }),
      headers: FORM,
    });
    const b = await s.request('POST', '/api/v2/resources/create/document/', {
      raw: form({ defaults: { title: 'two' } }),
      headers: FORM,
    });
    const settled = await settle(s);
    expect(settled).toMatchObject({ pending: 0, settled: 4 });
    expect(settled.ahead_ms).toBeGreaterThan(0);
    for (const r of [a, b]) expect((await execStatus(s, r.json.execution_id)).status).toBe('finished');
  });

  it('--job-duration 0 finishes a job before its request is answered', async () => {
    const quick = await startTestServer({ jobDuration: 0 });
    try {
      const a = await quick.request('POST', '/api/v2/resources/create/dataset/', {
        raw: form({ defaults: { title: 'at once' } }),
        headers: FORM,
      });
      expect(a.json.status).toBe('ready');
      const st = await quick.request('GET', `/api/v2/resource-service/execution-status/${a.json.execution_id}`);
      expect(st.json).toMatchObject({ status: 'finished', created: st.json.finished });
    } finally {
      await quick.close();
    }
  });
});

describe('durability', () => {
  it('an unfinished execution survives a restart and finishes afterwards; an unusable one ends failed with the reason', async () => {
    const db = join(await mkdtemp(join(tmpdir(), 'geostub-jobs-')), 'db.json');
    const first = await startLifecycleServer({ inMemory: false, db });
    const a = await first.request('POST', '/api/v2/resources/create/dataset/', {
      raw: form({ defaults: { title: 'Survivor' } }),
      headers: FORM,
    });
    const b = await first.request('POST', '/api/v2/resources/create/dataset/', {
      raw: form({ defaults: { title: 'Broken' } }),
      headers: FORM,
    });
    await advance(first);
    const broken = first.store.collection('execution_requests').get(b.json.execution_id)!;
    first.store
      .collection('execution_requests')
      .update(broken.exec_id, { geostub_job: { ...(broken.geostub_job as object), due: 'whenever' } });
    await first.close();

    const second = await startLifecycleServer({ inMemory: false, db });
    try {
      const st = await second.request('GET', `/api/v2/resource-service/execution-status/${a.json.execution_id}`);
      expect(st.json).toMatchObject({ status: 'running', func_name: 'create' });
      const gone = await second.request('GET', `/api/v2/resource-service/execution-status/${b.json.execution_id}`);
      expect(gone.json).toMatchObject({
        status: 'failed',
        output_params: { exception: expect.stringContaining('could not resume') },
      });
      expect((await second.request('GET', '/__geostub/jobs', { as: null })).json.jobs).toEqual([
        expect.objectContaining({ id: a.json.execution_id, kind: 'execution' }),
      ]);
      await settle(second);
      const done = (await second.request('GET', `/api/v2/resource-service/execution-status/${a.json.execution_id}`))
        .json;
      expect(done.status).toBe('finished');
      expect(
        (await second.request('GET', `/api/v2/resources/?filter{uuid}=${done.output_params.output.uuid}`)).json
          .resources,
      ).toHaveLength(1);
    } finally {
      await second.close();
    }
  });
});
