/** The programmatic API (`import { startGeostub } from 'geostub'`), used as a test suite would use it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGeostub, version, type Geostub } from '../src/index.js';

const ADMIN = {
  Authorization: 'Basic ' + Buffer.from('admin:admin').toString('base64'),
  'Content-Type': 'application/json',
};

describe('startGeostub()', () => {
  let a: Geostub;
  let b: Geostub;
  beforeAll(async () => {
    [a, b] = await Promise.all([startGeostub(), startGeostub({ jobDuration: 1000 })]);
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  it('starts in memory on a free port and answers real HTTP', async () => {
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    expect(a.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(a.port).not.toBe(b.port);
    expect(a.store.persistent).toBe(false);
    const res = await fetch(`${a.url}/api/v2/resources/?page_size=1`);
    expect(res.status).toBe(200);
    expect((await res.json()).resources).toHaveLength(1);
  });

  it('two instances share nothing: a write on one is not seen on the other, and reset() restores the seed', async () => {
    const created = await fetch(`${a.url}/api/v2/users/`, {
      method: 'POST',
      headers: ADMIN,
      body: JSON.stringify({ username: 'only.on.a', email: 'only.on.a@example.org', password: 'x9-long-enough-pass' }),
    });
    expect(created.status).toBe(201);
    const list = async (g: Geostub) =>
      (await (await fetch(`${g.url}/api/v2/users/?page_size=1000`, { headers: ADMIN })).json()).users.map(
        (u: { username: string }) => u.username,
      );
    expect(await list(a)).toContain('only.on.a');
    expect(await list(b)).not.toContain('only.on.a');
    expect(
      a.store
        .collection('users')
        .list()
        .some((u) => u.username === 'only.on.a'),
    ).toBe(true);
    expect(
      b.store
        .collection('users')
        .list()
        .some((u) => u.username === 'only.on.a'),
    ).toBe(false);
    await a.reset();
    expect(await list(a)).not.toContain('only.on.a');
  });

  it('advanceClock() and settle() drive asynchronous jobs on the virtual clock', async () => {
    const started = await fetch(`${b.url}/api/v2/management/commands/ping_mngmt_commands_http/jobs/`, {
      method: 'POST',
      headers: ADMIN,
      body: JSON.stringify({ args: [], kwargs: {} }),
    });
    expect(started.status).toBe(201);
    const job =
      (await started.json()).data ??
      (await (await fetch(`${b.url}/api/v2/management/jobs/`, { headers: ADMIN })).json()).data[0];
    expect(job).toMatchObject({
      command: 'ping_mngmt_commands_http',
      status: expect.stringMatching(/^(QUEUED|CREATED)$/),
    });
    expect(b.running.env.jobs!.pending).toBeGreaterThan(0);
    expect(await b.advanceClock(0)).toBe(0);
    await b.advanceClock(1000);
    await b.settle();
    expect(b.running.env.jobs!.pending).toBe(0);
    await expect(b.advanceClock(-1)).rejects.toThrow(/milliseconds/);
  });

  it('settings can be read and changed per instance, and a bad value changes nothing', async () => {
    expect(a.settings()).toEqual({ latency: null, errorRate: 0, rules: [], faults: [] });
    expect(a.setSettings({ latency: '5-10', rules: [{ match: 'GET /api/v2/regions/', status: 503 }] })).toMatchObject({
      latency: { min: 5, max: 10 },
    });
    expect((await fetch(`${a.url}/api/v2/regions/`)).status).toBe(503);
    expect((await fetch(`${b.url}/api/v2/regions/`)).status).toBe(200);
    expect(() => a.setSettings({ errorRate: 2 })).toThrow(/errorRate must be a share of requests from 0 to 1/);
    expect(a.settings().errorRate).toBe(0);
    a.setSettings({ latency: null, rules: [] });
    expect((await fetch(`${a.url}/api/v2/regions/`)).status).toBe(200);
  });

  it('records every request in its own exchange log', async () => {
    const before = b.exchanges.recent().length;
    await fetch(`${b.url}/api/v2/categories/?page_size=1`);
    const last = b.exchanges.recent().at(-1)!;
    expect(b.exchanges.recent().length).toBe(before + 1);
    expect(last).toMatchObject({ method: 'GET', url: '/api/v2/categories/?page_size=1', status: 200 });
    expect(a.exchanges.recent().some((e) => e.id === last.id && e.url === last.url && e.at === last.at)).toBe(false);
  });

  it('close() is idempotent and leaves the port free', async () => {
    const c = await startGeostub();
    await Promise.all([c.close(), c.close()]);
    await expect(fetch(`${c.url}/api/v2/`)).rejects.toThrow();
  });
});
