/**
 * Management command jobs on the virtual clock (`geonode/management_commands_http/views.py:46-169`,
 * `geonode/management_commands_http/utils/jobs.py:25-31` (4.4.3)): CREATED → QUEUED → STARTED → FINISHED, the
 * ping's --sleep and --force_exception, failing on purpose, the celery result, admin-only access, bad input.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestServer } from './helpers/server.js';
import { advance, settle, startLifecycleServer, STEP } from './helpers/lifecycle.js';

let s: TestServer;
beforeAll(async () => {
  s = await startLifecycleServer();
});
afterAll(() => s.close());
beforeEach(async () => {
  await s.request('POST', '/__geostub/reset', { as: null });
});

const PING = '/api/v2/management/commands/ping_mngmt_commands_http/';
const job = async (id: number) => (await s.request('GET', `/api/v2/management/jobs/${id}/`)).json;
const status = async (id: number) => (await s.request('GET', `/api/v2/management/jobs/${id}/status/`)).json;
const ms = (iso: string) => Date.parse(iso);

describe('the ping command', () => {
  it('is QUEUED when created, STARTED one step later, FINISHED with "pong\\n" the next; the celery result follows', async () => {
    const created = await s.request('POST', PING, { body: {} });
    expect(created.status).toBe(201);
    const id = created.json.data.id;
    expect(created.json).toMatchObject({
      success: true,
      error: null,
      data: { status: 'QUEUED', start_time: null, end_time: null, celery_result_id: null, output_message: null },
    });
    expect(await job(id)).toMatchObject({ status: 'QUEUED', start_time: null });
    expect((await status(id)).celery_task_meta).toEqual({
      date_done: null,
      status: null,
      traceback: null,
      worker: null,
    });

    await advance(s);
    const started = await job(id);
    expect(started).toMatchObject({
      status: 'STARTED',
      end_time: null,
      output_message: null,
      celery_result_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(ms(started.start_time) - ms(started.created_at)).toBe(STEP);
    expect((await status(id)).celery_task_meta).toMatchObject({ status: 'STARTED', date_done: null });
    expect((await s.request('GET', '/api/v2/management/jobs/')).json.data[0]).toMatchObject({ id, status: 'STARTED' });

    await advance(s);
    const done = await job(id);
    expect(done).toMatchObject({ status: 'FINISHED', output_message: 'pong\n' });
    expect(ms(done.end_time) - ms(done.start_time)).toBe(STEP);
    expect((await status(id)).celery_task_meta).toEqual({
      date_done: done.end_time,
      status: 'SUCCESS',
      traceback: null,
      worker: 'celery@geostub',
    });
  });

  it('honours --sleep N (args) and kwargs sleep: STARTED lasts N seconds longer', async () => {
    const a = (await s.request('POST', PING, { body: { args: ['--sleep', '30'] } })).json.data.id;
    const b = (
      await s.request('POST', '/api/v2/management/jobs/', {
        body: { command: 'ping_mngmt_commands_http', kwargs: { sleep: 30 } },
      })
    ).json.data.id;
    await advance(s);
    await advance(s);
    expect([(await job(a)).status, (await job(b)).status]).toEqual(['STARTED', 'STARTED']);
    await advance(s, 30_000);
    for (const id of [a, b]) {
      const done = await job(id);
      expect(done).toMatchObject({ status: 'FINISHED', output_message: 'pong\n' });
      expect(ms(done.end_time) - ms(done.start_time)).toBe(STEP + 30_000);
    }
  });

  it('--force_exception still ends FINISHED; the failure shows only in celery_task_meta (FAILURE + traceback)', async () => {
    const id = (await s.request('POST', PING, { body: { args: ['--force_exception'] } })).json.data.id;
    await advance(s);
    expect((await job(id)).status).toBe('STARTED');
    await advance(s);
    expect(await job(id)).toMatchObject({ status: 'FINISHED', output_message: '' });
    const meta = (await status(id)).celery_task_meta;
    expect(meta).toMatchObject({
      status: 'FAILURE',
      traceback: expect.stringContaining('Traceback (most recent call last)'),
    });
    expect(meta.traceback).toContain('This is an intentional exception');
  });

  it('X-Geostub-Fail: 1 makes any command fail the same way', async () => {
    const id = (
      await s.request('POST', '/api/v2/management/commands/updatelayers/', {
        body: {},
        headers: { 'X-Geostub-Fail': '1' },
      })
    ).json.data.id;
    await settle(s);
    expect(await job(id)).toMatchObject({ status: 'FINISHED', output_message: '' });
    expect((await status(id)).celery_task_meta).toMatchObject({
      status: 'FAILURE',
      traceback: expect.stringContaining('on purpose'),
    });
  });
});

describe('jobs made with autostart false', () => {
  it('stay CREATED whatever the clock does, until started; a second start is refused', async () => {
    const id = (
      await s.request('POST', '/api/v2/management/jobs/', { body: { command: 'sync_geonode_maps', autostart: false } })
    ).json.data.id;
    await advance(s, 10 * STEP);
    expect(await job(id)).toMatchObject({ status: 'CREATED', start_time: null });
    const start = await s.request('PATCH', `/api/v2/management/jobs/${id}/start/`);
    expect(start.json).toMatchObject({ success: true, data: { id, status: 'QUEUED' } });
    const again = await s.request('PATCH', `/api/v2/management/jobs/${id}/start/`);
    expect(again).toMatchObject({
      status: 400,
      json: { success: false, error: `You can not start the job ${id} because its status is "QUEUED".` },
    });
    await advance(s);
    expect((await job(id)).status).toBe('STARTED');
    const stop = await s.request('PATCH', `/api/v2/management/jobs/${id}/stop/`);
    expect(stop.json).toMatchObject({ success: true, data: { status: 'STARTED' } });
    await advance(s);
    expect(await job(id)).toMatchObject({ status: 'FINISHED', output_message: 'Syncing maps...\nDone.\n' });
  });
});

describe('bad input', () => {
  it('unknown command → 404 {"success": false, "error": "Command not found"}; admin only', async () => {
    const unknown = await s.request('GET', '/api/v2/management/commands/nope/');
    expect([unknown.status, unknown.json]).toEqual([404, { success: false, error: 'Command not found' }]);
    const anon = await s.request('POST', PING, { body: {}, as: null });
    expect([anon.status, anon.headers.get('www-authenticate')]).toEqual([401, 'Basic realm="api"']);
    expect((await s.request('POST', PING, { body: {}, as: 'bob' })).status).toBe(403);
    expect((await s.request('GET', '/api/v2/management/jobs/99999/')).status).toBe(404);
  });
});
