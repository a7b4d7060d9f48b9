/**
 * Harvesters and uploads on the virtual clock (`geonode/harvesting/api/serializers.py:163-228`,
 * `geonode/upload/models.py:183-199` (4.4.3)): a PATCH of `status` starts work whose session's `records_done` rises
 * step by step until the harvester is `ready` again (busy → 400); an upload moves READY → PENDING → WAITING → RUNNING →
 * PROCESSED with GeoNode's progress values and ends with a new dataset; the upload limits; failing on purpose; and a
 * server that lets its process exit once closed.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestServer } from './helpers/server.js';
import { advance, execStatus, settle, startLifecycleServer, STEP, uploadFiles } from './helpers/lifecycle.js';
import { until } from './helpers/poll.js';

let s: TestServer;
beforeAll(async () => {
  s = await startLifecycleServer();
});
afterAll(() => s.close());
beforeEach(async () => {
  await s.request('POST', '/__geostub/reset', { as: null });
});

const BUSY = "Harvester is currently busy. Please wait until current status becomes 'ready'";
const harvester = async (id: number) => (await s.request('GET', `/api/v2/harvesters/${id}/`)).json.harvester;
const patch = (id: number, body: unknown, headers: Record<string, string> = {}) =>
  s.request('PATCH', `/api/v2/harvesters/${id}/`, { body, headers });
const harvestable = async (id: number) =>
  (await s.request('GET', `/api/v2/harvesters/${id}/harvestable-resources/?page_size=100`)).json
    .harvestable_resources as any[];
const lastSession = async () => {
  const list = (await s.request('GET', '/api/v2/harvesting-sessions/?page_size=1&sort[]=-id')).json;
  return (Object.values(list).find(Array.isArray) as any[])[0];
};

describe('harvesters', () => {
  it('harvesting-resources: the session counts records_done up to total_records_to_process, then the harvester is ready', async () => {
    await s.request('PATCH', '/api/v2/harvesters/1/harvestable-resources/', {
      body: (await harvestable(1))
        .slice(0, 6)
        .map((r) => ({ unique_identifier: r.unique_identifier, should_be_harvested: true })),
    });
    const chosen = (await harvestable(1)).filter((r) => r.should_be_harvested).length;
    expect(chosen).toBeGreaterThanOrEqual(6);
    const started = await patch(1, { status: 'harvesting-resources' });
    expect(started).toMatchObject({ status: 200, json: { harvester: { id: 1, status: 'harvesting-resources' } } });
    const session = await lastSession();
    expect(session).toMatchObject({ total_records_to_process: chosen, records_done: 0, ended: null });
    expect((await harvestable(1)).filter((r) => r.status === 'harvesting-resource')).toHaveLength(chosen);
    expect(await patch(1, { status: 'checking-availability' })).toMatchObject({
      status: 400,
      json: { success: false, errors: [BUSY], code: 'invalid' },
    });
    expect(await patch(1, { name: 'renamed while busy' })).toMatchObject({ status: 400, json: { errors: [BUSY] } });

    const batch = Math.ceil(chosen / 4);
    const seen: number[] = [];
    for (let done = 0; done < chosen;) {
      await advance(s);
      const now = await lastSession();
      expect(now.id).toBe(session.id);
      done = Math.min(chosen, done + batch);
      seen.push(now.records_done);
      expect(now.records_done).toBe(done);
      expect((await harvester(1)).status).toBe(done < chosen ? 'harvesting-resources' : 'ready');
      expect(now.ended === null).toBe(done < chosen);
    }
    expect(seen.length).toBeGreaterThan(1);
    expect((await harvestable(1)).every((r) => r.status === 'ready')).toBe(true);
    expect((await patch(1, { status: 'checking-availability' })).status).toBe(200);
  });

  it('updating-harvestable-resources rechecks every harvestable resource and stamps last_checked_harvestable_resources', async () => {
    const before = await harvester(2);
    const total = (await harvestable(2)).length;
    await patch(2, { status: 'updating-harvestable-resources' });
    expect((await harvestable(2)).every((r) => r.status === 'updating-harvestable-resource')).toBe(true);
    await settle(s);
    const after = await harvester(2);
    expect(after).toMatchObject({ status: 'ready', last_check_harvestable_resources_message: '' });
    expect(Date.parse(after.last_checked_harvestable_resources)).toBeGreaterThan(
      Date.parse(before.last_checked_harvestable_resources),
    );
    expect(await lastSession()).toMatchObject({
      total_records_to_process: total,
      records_done: total,
      ended: expect.any(String),
    });
  });

  it('checking-availability takes one step; failing on purpose leaves the remote unavailable', async () => {
    await patch(2, { status: 'checking-availability' }, { 'X-Geostub-Fail': '1' });
    expect((await harvester(2)).status).toBe('checking-availability');
    await advance(s);
    expect(await harvester(2)).toMatchObject({ status: 'ready', remote_available: false });
    await patch(2, { status: 'checking-availability' });
    await advance(s);
    expect(await harvester(2)).toMatchObject({ status: 'ready', remote_available: true });
  });

  it('refuses an explicit ready and a busy harvester; a new harvester discovers its remote first', async () => {
    expect(await patch(1, { status: 'ready' })).toMatchObject({
      status: 400,
      json: {
        errors: [
          "Cannot set a status of 'ready' explicitly. This status can only be set by the server, when appropriate.",
        ],
      },
    });
    expect(await patch(3, { status: 'harvesting-resources' })).toMatchObject({ status: 400, json: { errors: [BUSY] } }); // busy in the fixtures
    const created = await s.request('POST', '/api/v2/harvesters/', {
      body: { name: 'new one', remote_url: 'https://example.org' },
    });
    expect(created.status).toBe(201);
    const id = created.json.harvester.id;
    expect(created.json.harvester.status).toBe('updating-harvestable-resources');
    await advance(s);
    expect((await harvester(id)).status).toBe('ready');
  });
});

const GEOJSON = '{"type":"FeatureCollection","features":[]}';
const myUploads = async (as: 'alice' | 'bob') =>
  (await s.request('GET', '/api/v2/uploads/?page_size=100', { as })).json.uploads as any[];

describe('uploads', () => {
  it('move READY 0 → PENDING 33 → WAITING 50 → RUNNING 80 → PROCESSED 100, the dataset appearing only at the end', async () => {
    const a = await uploadFiles(s, { base_file: ['lakes.geojson', GEOJSON] }, 'alice');
    expect([a.status, Object.keys(a.json)]).toEqual([201, ['execution_id']]);
    const id = a.json.execution_id;
    const upload = async () => (await myUploads('alice')).find((u) => u.name === 'lakes');
    const datasets = async () =>
      (await s.request('GET', '/api/v2/datasets/?filter{name}=lakes')).json.datasets as any[];
    const expected = [
      ['READY', 0, 'ready', 'start_import'],
      ['PENDING', 33, 'running', 'importer.import_resource'],
      ['WAITING', 50, 'running', 'importer.publish_resource'],
      ['RUNNING', 80, 'running', 'importer.create_geonode_resource'],
    ];
    for (const [i, [state, progress, status, step]] of expected.entries()) {
      if (i > 0) await advance(s);
      expect(await upload(), String(state)).toMatchObject({ state, progress, complete: false });
      expect(await execStatus(s, id, 'alice')).toMatchObject({ status, step, finished: null });
      expect(await datasets()).toEqual([]);
    }
    await advance(s);
    const done = await execStatus(s, id, 'alice');
    const [ds] = await datasets();
    expect(done).toMatchObject({
      status: 'finished',
      step: 'importer.finalize',
      output_params: { detail_url: [`/catalogue/#/dataset/${ds.pk}`] },
    });
    expect(await upload()).toMatchObject({ state: 'PROCESSED', progress: 100, complete: true });
    expect(
      (
        await s.request(
          'GET',
          `/api/v2/executionrequest/?filter{action}=import&filter{source}=upload&filter{status}=finished`,
          { as: 'alice' },
        )
      ).json.requests.map((e: any) => e.exec_id),
    ).toContain(id);
  });

  it('a file named with geostub:fail ends INVALID 0 with a failed execution and no dataset', async () => {
    const a = await uploadFiles(s, { base_file: ['geostub:fail.geojson', GEOJSON] }, 'bob');
    await settle(s);
    expect(await execStatus(s, a.json.execution_id, 'bob')).toMatchObject({
      status: 'failed',
      log: expect.stringContaining('on purpose'),
    });
    expect((await myUploads('bob')).find((u) => u.name === 'geostub:fail')).toMatchObject({
      state: 'INVALID',
      progress: 0,
      complete: false,
    });
  });

  it('enforce dataset_upload_size and file_upload_handler: 400 total_upload_size_exceeded', async () => {
    // GeoNode's API lists the limits but does not change them (Django admin does): set them in the store
    const limits = s.store.collection('upload_size_limits');
    limits.update('dataset_upload_size', { max_size: 10 });
    const big = await uploadFiles(s, { base_file: ['big.geojson', GEOJSON] }, 'alice');
    expect(big).toMatchObject({
      status: 400,
      json: {
        success: false,
        errors: ['Total upload size exceeds 10\u00a0bytes. Please try again with smaller files.'],
        code: 'total_upload_size_exceeded',
      },
    });
    limits.update('dataset_upload_size', { max_size: 104857600 });
    limits.update('file_upload_handler', { max_size: 2048 });
    const request = await uploadFiles(s, { base_file: ['big.geojson', 'x'.repeat(3000)] }, 'alice');
    expect(request.json).toMatchObject({
      errors: ['Total upload size exceeds 2.0\u00a0KB. Please try again with smaller files.'],
      code: 'total_upload_size_exceeded',
    });
  });

  it('enforce default_max_parallel_uploads per user, counting unfinished uploads: 400 upload_parallelism_limit_exceeded', async () => {
    const unfinished = (await myUploads('bob')).filter((u) => !u.complete && u.state !== 'INVALID').length;
    s.store
      .collection('upload_parallelism_limits')
      .update('default_max_parallel_uploads', { max_number: unfinished + 1 });
    expect((await uploadFiles(s, { base_file: ['one.geojson', GEOJSON] }, 'bob')).status).toBe(201);
    const second = await uploadFiles(s, { base_file: ['two.geojson', GEOJSON] }, 'bob');
    expect(second).toMatchObject({
      status: 400,
      json: {
        success: false,
        errors: [
          `The number of active parallel uploads exceeds ${unfinished + 1}. Wait for the pending ones to finish.`,
        ],
        code: 'upload_parallelism_limit_exceeded',
      },
    });
    expect((await uploadFiles(s, { base_file: ['other.geojson', GEOJSON] }, 'alice')).status).toBe(201); // per user
    await advance(s, 4 * STEP);
    expect((await uploadFiles(s, { base_file: ['three.geojson', GEOJSON] }, 'bob')).status).toBe(201);
  });
});

describe('closing', () => {
  it(
    'close() stops the job timer: a process with a server and pending jobs exits once it is closed',
    { timeout: 60_000 },
    async () => {
      const script = `
      import { startGeostub } from ${JSON.stringify(`${process.cwd()}/src/server/start.ts`)};
      const s = await startGeostub({ port: 0, inMemory: true, jobDuration: 600000 });
      const auth = { Authorization: 'Basic ' + Buffer.from('admin:admin').toString('base64') };
      await fetch(s.url + '/api/v2/management/commands/ping_mngmt_commands_http/', { method: 'POST', headers: auth });
      const r = await fetch(s.url + '/api/v2/resources/create/dataset/', { method: 'POST', headers: auth });
      const jobs = await (await fetch(s.url + '/__geostub/jobs')).json();
      console.log(r.status, jobs.jobs.length);
      await s.close();
    `;
      const child = spawn(
        process.execPath,
        ['--import', './test/helpers/ts-register.mjs', '--input-type=module', '-e', script],
        { cwd: process.cwd() },
      );
      let out = '';
      child.stdout.on('data', (d) => (out += String(d)));
      child.stderr.on('data', (d) => (out += String(d)));
      let code: number | null = null;
      child.on('exit', (c) => (code = c ?? -1));
      try {
        await until(() => code !== null, 'the process to exit once its server is closed', { tries: 2000 });
      } finally {
        if (code === null) child.kill();
      }
      expect([code, out.trim()]).toEqual([0, '200 2']);
    },
  );
});
