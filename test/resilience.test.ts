/** Latency and injected failures: global settings, per-route rules, `Prefer` per request, runtime settings. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGeostub, type Geostub } from '../src/index.js';
import { decide, parsePrefer } from '../src/server/resilience.js';
import {
  compileMatch,
  parseSettings,
  readResilienceConfig,
  resilienceSettings,
  ruleMatches,
} from '../src/server/resilience-config.js';

const fetchJson = async (url: string, init?: RequestInit) => {
  const res = await fetch(url, init);
  const text = await res.text();
  return { res, json: text ? JSON.parse(text) : undefined };
};

describe('resilience settings', () => {
  it('parses latency, error rates, statuses and rules, and explains what is wrong', () => {
    expect(resilienceSettings({ latency: 300 })).toMatchObject({ latency: { min: 300, max: 300 } });
    expect(resilienceSettings({ latency: '100-800', errorRate: '5%' })).toMatchObject({
      latency: { min: 100, max: 800 },
      errorRate: 0.05,
    });
    expect(() => resilienceSettings({ latency: '800-100' })).toThrow(/ends before it starts/);
    expect(() => resilienceSettings({ latency: 'fast' })).toThrow(/latency takes milliseconds: 300, "100-800"/);
    expect(() => resilienceSettings({ errorRate: 1.5 })).toThrow(/errorRate must be a share of requests from 0 to 1/);
    expect(() => parseSettings({ rules: [{ match: 'GET /x', status: 404 }] })).toThrow(
      /rules\[0\]\.status must be one of 429, 500, 502, 503, 504/,
    );
    expect(() => parseSettings({ rules: [{ match: 'FETCH /x' }] })).toThrow(/unknown method FETCH/);
    expect(() => parseSettings({ rules: [{ path: '/x' }] })).toThrow(/rules\[0\]: unknown key "path"/);
    expect(() => parseSettings({ latencyMs: 3 })).toThrow(/unknown setting "latencyMs"/);
    expect(parseSettings([{ match: '/api/**', status: [502, '503'] }])).toEqual({
      rules: [{ match: '/api/**', status: [502, 503], errorRate: 1 }],
    });
  });

  it('matches methods and path globs: * is one segment, ** any number; trailing slashes and queries do not matter', () => {
    const rule = (match: string) => ({ match });
    expect(ruleMatches(rule('GET /api/v2/datasets/*'), 'GET', '/api/v2/datasets/12/')).toBe(true);
    expect(ruleMatches(rule('GET /api/v2/datasets/*'), 'GET', '/api/v2/datasets/')).toBe(false);
    expect(ruleMatches(rule('GET /api/v2/datasets/*'), 'POST', '/api/v2/datasets/12/')).toBe(false);
    expect(ruleMatches(rule('GET|PATCH /api/v2/datasets/*'), 'PATCH', '/api/v2/datasets/12')).toBe(true);
    expect(ruleMatches(rule('/api/v2/**'), 'DELETE', '/api/v2/resources/1/permissions/')).toBe(true);
    expect(ruleMatches(rule('/api/v2/**'), 'GET', '/api/v2')).toBe(true);
    expect(ruleMatches(rule('/services/**'), 'GET', '/api/v2/')).toBe(false);
    expect(compileMatch('* /x?y=1').methods).toBeNull();
  });

  it('parses Prefer as RFC 7240 writes it and decides: Prefer, then the first matching rule, then the globals', () => {
    expect(parsePrefer('status=503, delay="20"; foo=bar, respond-async')).toEqual({
      status: 503,
      delay: 20,
      ignored: [],
    });
    expect(parsePrefer('status=418')).toEqual({ status: 418, ignored: [] }); // answered if documented (prefer-status.test.ts)
    expect(parsePrefer('status=4xx').ignored[0]).toMatch(/status=4xx/);
    const settings = {
      patchAll: true,
      auth: 'on' as const,
      latency: { min: 10, max: 10 },
      errorRate: 0,
      rules: [{ match: 'GET /a/*', latency: null, errorRate: 1, status: [502] }],
    };
    expect(decide(settings, 'GET', '/a/1', parsePrefer(undefined))).toMatchObject({ delay: 0, status: 502 });
    expect(decide(settings, 'GET', '/b', parsePrefer(undefined))).toMatchObject({ delay: 10, status: undefined });
    expect(decide(settings, 'GET', '/a/1', parsePrefer('status=429, delay=5'))).toMatchObject({
      delay: 5,
      status: 429,
      applied: 'delay=5, status=429',
    });
  });

  it('reads a config file in JSON or YAML and names the file and the rule in errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'geostub-config-'));
    await writeFile(
      join(dir, 'ok.yaml'),
      'latency: 50-150\nrules:\n  - match: GET /api/v2/datasets/*\n    latency: 200-400\n    errorRate: 0.5\n    status: 503\n',
    );
    await writeFile(join(dir, 'list.json'), JSON.stringify([{ match: 'GET /api/v2/datasets/*', status: 503 }]));
    await writeFile(
      join(dir, 'bad.json'),
      JSON.stringify({ rules: [{ match: 'GET /x' }, { match: 'GET /y', errorRate: 'often' }] }),
    );
    expect(await readResilienceConfig(join(dir, 'ok.yaml'))).toEqual({
      latency: { min: 50, max: 150 },
      rules: [{ match: 'GET /api/v2/datasets/*', latency: { min: 200, max: 400 }, errorRate: 0.5, status: [503] }],
    });
    expect((await readResilienceConfig(join(dir, 'list.json'))).rules).toHaveLength(1);
    await expect(readResilienceConfig(join(dir, 'bad.json'))).rejects.toThrow(
      /bad\.json: rules\[1\]\.errorRate must be a share/,
    );
    await expect(readResilienceConfig(join(dir, 'missing.yaml'))).rejects.toThrow(/cannot read the config file/);
  });
});

describe('a server with latency and faults', () => {
  let g: Geostub;
  beforeAll(async () => {
    g = await startGeostub({
      latency: '400-450',
      rules: [
        { match: 'GET /services/api/v1/data/', status: 503 },
        { match: '/api/v2/regions/**', latency: 0 },
      ],
    });
  });
  afterAll(() => g.close());

  it("delays API answers by the global latency, and not geostub's own routes", async () => {
    // the delay each answer was held back is said in X-Geostub-Delay (no wall-clock assertion: a loaded machine
    // cannot flip these)
    const slow = await fetchJson(`${g.url}/api/v2/categories/?page_size=1`);
    expect(slow.res.status).toBe(200);
    const delay = Number(slow.res.headers.get('x-geostub-delay'));
    expect(delay).toBeGreaterThanOrEqual(400);
    expect(delay).toBeLessThanOrEqual(450);
    const fast = await fetchJson(`${g.url}/__geostub/health`);
    expect(fast.res.headers.get('x-geostub-delay')).toBeNull();
    const rule = await fetchJson(`${g.url}/api/v2/regions/1/`);
    expect(rule.res.status).toBe(200);
    expect(rule.res.headers.get('x-geostub-delay')).toBeNull();
  });

  it('injects errors in each API\'s shape: a catalogue {"error": …}, a GeoNode {"success": false, …}', async () => {
    const koordinates = await fetchJson(`${g.url}/services/api/v1/data/`);
    expect(koordinates.res.status).toBe(503);
    expect(koordinates.json).toEqual({ error: expect.stringMatching(/temporarily unavailable/) });
    expect(koordinates.res.headers.get('retry-after')).toBe('1');
    const gn = await fetchJson(`${g.url}/api/v2/resources/`, { headers: { Prefer: 'status=500' } });
    expect(gn.res.status).toBe(500);
    expect(gn.json).toEqual({ success: false, errors: ['A server error occurred.'], code: 'error' });
    expect(gn.res.headers.get('preference-applied')).toBe('status=500');
    expect(gn.res.headers.get('x-geostub-error')).toBe('injectedGeonode');
  });

  it('Prefer: delay and status apply to one request; an injected error writes nothing', async () => {
    const before = g.store.collection('categories').size;
    const r = await fetchJson(`${g.url}/api/v2/regions/1/`, { headers: { Prefer: 'delay=120' } });
    expect(r.res.headers.get('x-geostub-delay')).toBe('120'); // the server says how long it held the answer back
    expect(r.res.headers.get('preference-applied')).toBe('delay=120');
    const ignored = await fetchJson(`${g.url}/api/v2/regions/1/`, { headers: { Prefer: 'status=teapot' } });
    expect(ignored.res.status).toBe(200);
    expect(ignored.res.headers.get('x-geostub-prefer-ignored')).toMatch(/status=teapot/);
    const write = await fetchJson(`${g.url}/api/v2/users/`, {
      method: 'POST',
      headers: {
        Prefer: 'status=502',
        'Content-Type': 'application/json',
        Authorization: 'Basic ' + Buffer.from('admin:admin').toString('base64'),
      },
      body: JSON.stringify({ username: 'never.written', email: 'n@example.org', password: 'x9-long-enough-pass' }),
    });
    expect(write.res.status).toBe(502);
    expect(
      g.store
        .collection('users')
        .list()
        .some((u) => u.username === 'never.written'),
    ).toBe(false);
    expect(g.store.collection('categories').size).toBe(before);
  });

  it('GET and PATCH /__geostub/settings read and change the settings at runtime, validated', async () => {
    const got = await fetchJson(`${g.url}/__geostub/settings`);
    expect(got.json).toMatchObject({
      latency: { min: 400, max: 450 },
      errorRate: 0,
      rules: [{ match: 'GET /services/api/v1/data/' }, { match: '/api/v2/regions/**' }],
    });
    const patch = (body: unknown) =>
      fetchJson(`${g.url}/__geostub/settings`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const bad = await patch({ errorRate: 3, latency: 0 });
    expect(bad.res.status).toBe(400);
    expect(bad.json.error).toMatch(/errorRate must be a share of requests from 0 to 1.*\(got 3\)/);
    expect((await fetchJson(`${g.url}/__geostub/settings`)).json.latency).toEqual({ min: 400, max: 450 });
    const ok = await patch({ latency: null, errorRate: 1, rules: null });
    expect(ok.json).toEqual({ latency: null, errorRate: 1, rules: [], faults: [] });
    const statuses = new Set<number>();
    for (let i = 0; i < 12; i++) statuses.add((await fetchJson(`${g.url}/api/v2/keywords/`)).res.status);
    expect([...statuses].every((s) => [500, 502, 503].includes(s))).toBe(true);
    await patch({ errorRate: 0 });
    expect((await fetchJson(`${g.url}/api/v2/keywords/`)).res.status).toBe(200);
    const faults = await patch({ faults: ['field-dropped'] });
    expect(faults.json.faults).toEqual(['field-dropped']);
    expect((await fetchJson(`${g.url}/api/v2/resources/?page_size=1`)).json.resources[0]).not.toHaveProperty('title');
    expect((await patch({ faults: ['no-such-fault'] })).json.error).toMatch(/unknown fault "no-such-fault"/);
    await patch({ faults: [] });
    expect((await fetchJson(`${g.url}/api/v2/resources/?page_size=1`)).json.resources[0]).toHaveProperty('title');
  });

  it('close() ends pending delays at once: nothing keeps the process waiting', async () => {
    const h = await startGeostub({ latency: 60_000 });
    const pending = fetch(`${h.url}/api/v2/`).then(
      (r) => r.status,
      () => 'closed',
    );
    // the request is being held (the server counts it) before the server closes; a close that waited for the 60 s
    // delay would run past the test's timeout
    await expect
      .poll(async () => await new Promise<number>((ok) => h.running.server.getConnections((_e, n) => ok(n))))
      .toBeGreaterThan(0);
    await h.close();
    expect(['closed', 503]).toContain(await pending);
  });
});
