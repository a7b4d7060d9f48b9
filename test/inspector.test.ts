/**
 * The inspector's and the docs pages' HTTP side (the browser tests drive the pages themselves): open on loopback,
 * superusers only on another interface (the admin rule, test/safety-admin.test.ts), never on an API path; the live log as server-sent events; jobs with their
 * states; the contracts served for the docs; planted faults changed at runtime through /__geostub/settings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { BASIC, startTestServer, type TestServer } from './helpers/server.js';

let s: TestServer;
let open: TestServer;
/** listening on every interface (reached at 127.0.0.1 only): the inspector asks for a superuser */
let guarded: TestServer;

beforeAll(async () => {
  [s, open, guarded] = await Promise.all([
    startTestServer({ jobDuration: 600_000 }),
    startTestServer({ auth: 'off' }),
    startTestServer({ host: '0.0.0.0' }),
  ]);
});

afterAll(async () => {
  await Promise.all([s?.close(), open?.close(), guarded?.close()]);
});

const get = (server: TestServer, path: string, headers: Record<string, string> = {}) =>
  fetch(server.url + path, { headers, redirect: 'manual' });

describe('who may open the inspector', () => {
  it('off loopback: asks for a superuser with a Basic challenge, and refuses everyone else', async () => {
    const anonymous = await get(guarded, '/__geostub/');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Basic realm="geostub inspector", charset="UTF-8"');
    expect(await anonymous.text()).toContain('admin');
    expect((await get(guarded, '/__geostub/', { Authorization: BASIC.alice })).status).toBe(401);
    expect((await get(guarded, '/__geostub/', { Authorization: BASIC.staff })).status).toBe(401);
    expect((await get(guarded, '/__geostub/?token=geostub-alice-token')).status).toBe(401);
    for (const path of [
      '/__geostub/inspector/session',
      '/__geostub/inspector/exchanges',
      '/__geostub/inspector/jobs',
      '/__geostub/inspector/events',
      '/__geostub/inspector/faults',
    ]) {
      const res = await get(guarded, path, { Authorization: BASIC.alice });
      expect(res.status, path).toBe(403);
      expect(res.headers.get('x-geostub-error'), path).toBe('adminForbidden');
      expect(res.headers.get('www-authenticate'), path).toBeNull(); // a page's fetch must not pop a login dialog
      expect((await get(guarded, path)).headers.get('x-geostub-error'), path).toBe('adminUnauthorized');
    }
  });

  it('off loopback: lets a superuser in by Basic credentials, Bearer token or ?token=', async () => {
    for (const [path, headers] of [
      ['/__geostub/', { Authorization: BASIC.admin }],
      ['/__geostub/', { Authorization: 'Bearer geostub-admin-token' }],
      ['/__geostub/?token=geostub-admin-token', {}],
    ] as const) {
      const res = await get(guarded, path, headers);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toContain('/__geostub/inspector/app/main.js');
    }
    const session = await guarded.request('GET', '/__geostub/inspector/session');
    expect(session.json).toEqual({ auth: 'on', access: 'guarded', username: 'admin', token: 'geostub-admin-token' });
  });

  it('is open to everyone on loopback (auth on or off); a superuser who signs in is still known', async () => {
    for (const server of [s, open]) expect((await get(server, '/__geostub/')).status).toBe(200);
    expect((await open.request('GET', '/__geostub/inspector/session', { as: null })).json).toEqual({
      auth: 'off',
      access: 'loopback',
      username: null,
      token: null,
    });
    expect((await s.request('GET', '/__geostub/inspector/session', { as: null })).json).toEqual({
      auth: 'on',
      access: 'loopback',
      username: null,
      token: null,
    });
    expect((await s.request('GET', '/__geostub/inspector/session', { as: 'alice' })).json).toEqual({
      auth: 'on',
      access: 'loopback',
      username: null,
      token: null,
    });
    expect((await s.request('GET', '/__geostub/inspector/session')).json).toEqual({
      auth: 'on',
      access: 'loopback',
      username: 'admin',
      token: 'geostub-admin-token',
    });
  });

  it('lives under /__geostub/ only, never on an API path', async () => {
    const bare = await get(s, '/__geostub');
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/__geostub/');
    for (const path of [
      '/api/v2/__geostub/',
      '/services/api/v1/__geostub/',
      '/api/v2/inspector/',
      '/__geostub/inspector/app/nope.js',
      '/__geostub/inspector/app/..%2F..%2Fpackage.json',
    ]) {
      const res = await get(s, path, { Authorization: BASIC.admin });
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toMatch(/^application\/json/);
    }
    const script = await get(s, '/__geostub/inspector/app/main.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
  });
});

describe('the inspector data', () => {
  it('pushes each exchange as a server-sent event, replaying those after Last-Event-ID', async () => {
    const first = await s.request('GET', '/api/v2/categories/?page_size=1');
    const firstId = s.exchanges.recent().at(-1)!.id;
    const abort = new AbortController();
    const res = await fetch(`${s.url}/__geostub/inspector/events`, {
      headers: { Authorization: BASIC.admin, 'Last-Event-ID': String(firstId - 1) },
      signal: abort.signal,
    });
    expect(first.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    let text = '';
    const until = async (needle: string) => {
      while (!text.includes(needle)) text += new TextDecoder().decode((await reader.read()).value);
    };
    await until('/api/v2/categories/?page_size=1');
    expect(text).toContain(`id: ${firstId}\nevent: exchange\ndata: {`);
    expect(text).not.toContain(`id: ${firstId - 1}\n`);
    await s.request('GET', '/api/v2/regions/?page_size=1', { as: 'bob' });
    await until('/api/v2/regions/?page_size=1');
    const last = JSON.parse(
      text
        .trim()
        .split('\n')
        .at(-1)!
        .replace(/^data: /, ''),
    );
    expect(last).toMatchObject({
      method: 'GET',
      url: '/api/v2/regions/?page_size=1',
      status: 200,
      user: 'bob',
      violations: [],
    });
    expect(last.requestHeaders).toBeUndefined(); // the summary; the detail has the rest
    abort.abort();
    const detail = await s.request('GET', `/__geostub/inspector/exchanges/${last.id}`);
    expect(detail.json.requestHeaders.authorization).toBe('Basic ***'); // masked (test/safety-masking.test.ts)
    expect(JSON.parse(detail.json.responseBody).regions).toHaveLength(1);
    expect((await s.request('GET', '/__geostub/inspector/exchanges/999999')).status).toBe(404);
  });

  it('lists the jobs with their own states, pending and ended', async () => {
    const started = await s.request('PUT', '/api/v2/resources/1/copy/', { body: {} });
    const id = started.json.execution_id;
    const row = async () =>
      ((await s.request('GET', '/__geostub/inspector/jobs')).json.jobs as { id: string }[]).find((j) => j.id === id);
    expect(await row()).toMatchObject({
      collection: 'execution_requests',
      kind: 'execution',
      state: 'ready',
      pending: true,
    });
    await s.request('POST', '/__geostub/jobs/settle');
    expect(await row()).toMatchObject({ state: 'finished', pending: false, due: null });
  });
});

describe('the docs pages and the contracts they read', () => {
  it("serves the API reference at both of GeoNode's UI paths as one self-contained page, with the slash GeoNode uses", async () => {
    for (const page of [
      '/api/v2/schema/swagger-ui/',
      '/api/v2/schema/redoc/',
      '/api/v2/schema/redoc/?spec=koordinates',
      '/api/v2/schema/swagger-ui/?spec=koordinates',
    ]) {
      const res = await get(s, page);
      expect(res.status, page).toBe(200);
      expect(res.headers.get('content-type'), page).toBe('text/html; charset=utf-8');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, page).toContain("default-src 'none'");
      expect(csp, page).toContain("connect-src 'self'");
      const html = await res.text();
      expect(html, page).not.toMatch(/<script[^>]+src=|<link[^>]+rel="stylesheet"|(src|href)="https?:/); // loads nothing else
      expect(html, page).toContain('/__geostub/contracts/koordinates-catalog.yaml');
      expect(html, page).toContain(
        page.includes('koordinates') ? 'data-operation-id="catalogList"' : 'data-operation-id="listResources"',
      );
    }
    expect((await get(s, '/api/v2/schema/swagger-ui?x=1')).headers.get('location')).toBe(
      '/api/v2/schema/swagger-ui/?x=1',
    );
    expect((await get(s, '/api/v2/schema/redoc')).headers.get('location')).toBe('/api/v2/schema/redoc/');
    expect((await get(s, '/api/v2/schema/swagger-ui/swagger-ui-bundle.js')).status).toBe(404);
    expect((await get(s, '/api/v2/schema/swagger-ui/index.html')).status).toBe(404);
    expect((await s.request('GET', '/api/v2/schema/')).text).toContain('openapi:'); // the API path itself is unchanged
  });

  it('serves the catalogue contract as written, and as JSON that points "Try it out" at this server', async () => {
    const yaml = await get(s, '/__geostub/contracts/koordinates-catalog.yaml');
    expect(await yaml.text()).toBe(await readFile('contracts/koordinates-catalog.yaml', 'utf8'));
    const json = await (await get(s, '/__geostub/contracts/koordinates-catalog.json')).json();
    expect(json.servers[0].url).toBe(s.url);
    expect(json.servers[1].url).toBe('https://{domain}');
    expect((await get(s, '/__geostub/contracts/nope.yaml')).status).toBe(404);
  });
});

describe('planted faults at runtime', () => {
  it('are read and changed through /__geostub/settings, unknown names refused', async () => {
    expect((await s.request('GET', '/__geostub/settings')).json.faults).toEqual([]);
    const bad = await s.request('PATCH', '/__geostub/settings', { body: { faults: ['total-off-by-one', 'nope'] } });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toContain('"nope"');
    const total = async () => (await s.request('GET', '/api/v2/regions/?page_size=1')).json.total as number;
    const right = await total();
    expect(
      (await s.request('PATCH', '/__geostub/settings', { body: { faults: ['total-off-by-one'] } })).json.faults,
    ).toEqual(['total-off-by-one']);
    expect(await total()).toBe(right + 1);
    expect((await s.request('PATCH', '/__geostub/settings', { body: { faults: null } })).json.faults).toEqual([]);
    expect(await total()).toBe(right);
    const list = await s.request('GET', '/__geostub/inspector/faults');
    expect(list.json.faults.map((f: { name: string }) => f.name)).toContain('total-off-by-one');
  });
});
