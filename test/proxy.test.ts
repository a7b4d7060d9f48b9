/** The validating proxy, with the mock itself as its target: clean when the mock is right, loud when it is not. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGeostub, startProxy, type Geostub, type RunningProxy } from '../src/index.js';

const ADMIN = 'Basic ' + Buffer.from('admin:admin').toString('base64');

describe('geostub proxy in front of a conforming server', () => {
  let mock: Geostub;
  let proxy: RunningProxy;
  beforeAll(async () => {
    mock = await startGeostub();
    proxy = await startProxy({ target: mock.url });
  });
  afterAll(async () => {
    await proxy.close();
    await mock.close();
  });

  it('forwards method, path, query, headers and body, and returns the answer untouched', async () => {
    const direct = await fetch(`${mock.url}/api/v2/resources/?page_size=3&sort[]=title`);
    const via = await fetch(`${proxy.url}/api/v2/resources/?page_size=3&sort[]=title`);
    expect(via.status).toBe(200);
    const [d, v] = [await direct.json(), await via.json()];
    expect(v.resources.map((r: { pk: string }) => r.pk)).toEqual(d.resources.map((r: { pk: string }) => r.pk));
    // the mock honours X-Forwarded-Host: links a front end follows stay on the proxy
    expect(v.links.next).toContain(proxy.url.replace('http://', ''));
    const created = await fetch(`${proxy.url}/api/v2/users/`, {
      method: 'POST',
      headers: { Authorization: ADMIN, 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'via.proxy', email: 'via.proxy@example.org', password: 'x9-long-enough-pass' }),
    });
    expect(created.status).toBe(201);
    expect(
      mock.store
        .collection('users')
        .list()
        .some((u) => u.username === 'via.proxy'),
    ).toBe(true);
    const redirect = await fetch(`${proxy.url}/services/api/v1/data?page_size=1`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/services/api/v1/data/?page_size=1');
  });

  it("finds no violations in the mock's answers, errors included", async () => {
    proxy.clearViolations();
    for (const path of [
      '/api/v2/',
      '/api/v2/datasets/?page_size=2',
      '/api/v2/resources/999999/',
      '/api/v2/resources/?page=abc',
      '/services/api/v1/data/?page_size=2',
      '/services/api/v1/data/?kind=bogus',
      '/api/v2/categories/1/',
    ]) {
      await (await fetch(proxy.url + path)).arrayBuffer();
    }
    const list = await (await fetch(`${proxy.url}/__geostub/violations`)).json();
    expect(list).toEqual({ target: `${mock.url}/`, count: 0, violations: [] });
    expect(proxy.exchanges.recent().at(-1)).toMatchObject({
      method: 'GET',
      url: '/api/v2/categories/1/',
      status: 200,
      violations: [],
    });
  });

  it('answers 502 in JSON when the target does not answer', async () => {
    const dead = await startGeostub();
    await dead.close();
    const p = await startProxy({ target: dead.url });
    try {
      const res = await fetch(`${p.url}/api/v2/`);
      expect(res.status).toBe(502);
      expect((await res.json()).error).toMatch(/did not answer GET \/api\/v2\//);
    } finally {
      await p.close();
    }
  });

  it('refuses a target that is not an http(s) URL', async () => {
    await expect(startProxy({ target: 'ftp://example.org' })).rejects.toThrow(/--target must be an http/);
  });
});

describe('geostub proxy in front of a server with a planted fault', () => {
  let mock: Geostub;
  let proxy: RunningProxy;
  beforeAll(async () => {
    mock = await startGeostub({ faults: ['field-dropped', 'not-found-body-wrong'] });
    proxy = await startProxy({ target: mock.url });
  });
  afterAll(async () => {
    await proxy.close();
    await mock.close();
  });

  it('reports each violation as it happens and lists them at GET /__geostub/violations', async () => {
    const seen: string[][] = [];
    proxy.exchanges.on('exchange', (e) => seen.push(e.violations));
    const res = await fetch(`${proxy.url}/api/v2/resources/?page_size=2`);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    await (await fetch(`${proxy.url}/api/v2/resources/999999/`)).arrayBuffer();
    expect(seen[0].join('\n')).toMatch(/response_schema: .*title/);
    expect(seen[1].join('\n')).toMatch(/response_schema/);
    const list = await (await fetch(`${proxy.url}/__geostub/violations`)).json();
    expect(list.count).toBeGreaterThanOrEqual(2);
    expect(list.violations[0]).toMatchObject({
      method: 'GET',
      url: '/api/v2/resources/?page_size=2',
      status: 200,
      check: 'response_schema',
      operation: 'GET /api/v2/resources/',
    });
    expect(list.violations[0].contractPath).toMatch(/^#\/paths\//);
    expect((await fetch(`${proxy.url}/__geostub/violations`, { method: 'DELETE' })).status).toBe(204);
    expect((await (await fetch(`${proxy.url}/__geostub/violations`)).json()).count).toBe(0);
  });
});
