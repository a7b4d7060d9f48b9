/**
 * One rule for geostub's state-changing admin routes and the inspector, decided by the address the server listens
 * on: open on loopback; elsewhere a superuser's credentials or the --admin-token; --admin-open opens it knowingly.
 * Servers listen on 127.0.0.1 and on 0.0.0.0, and every request goes to 127.0.0.1 only.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminRuleFor, isGuardedRoute, isLoopbackAddress } from '../src/server/admin-access.js';
import { fastServeArgs } from '../src/cli/serve-options.js';
import { launch } from '../src/cli/serve.js';
import { startProxy, type RunningProxy } from '../src/proxy/server.js';
import type { RunningGeostub } from '../src/server/start.js';
import { BASIC, startTestServer, type TestServer } from './helpers/server.js';

const TOKEN = 'admin-token-0123456789abcdef';
/** every state-changing admin route, with a body it accepts */
const CHANGES: [string, string, unknown][] = [
  ['POST', '/__geostub/reset', undefined],
  ['PATCH', '/__geostub/settings', { latency: null }],
  ['POST', '/__geostub/clock/advance', { ms: 1 }],
  ['POST', '/__geostub/jobs/settle', undefined],
];
const INSPECTOR = [
  '/__geostub/inspector/session',
  '/__geostub/inspector/exchanges',
  '/__geostub/inspector/jobs',
  '/__geostub/inspector/faults',
];

let loopback: TestServer;
let everywhere: TestServer;
let opened: TestServer;

beforeAll(async () => {
  [loopback, everywhere, opened] = await Promise.all([
    startTestServer({ host: '127.0.0.1' }),
    startTestServer({ host: '0.0.0.0', adminToken: TOKEN }),
    startTestServer({ host: '0.0.0.0', adminOpen: true }),
  ]);
});
afterAll(() => Promise.all([loopback.close(), everywhere.close(), opened.close()]));

/** A POST to 127.0.0.1 with any Host header (fetch refuses to set one), answering the status. */
const post = (s: TestServer, path: string, headers: Record<string, string>) =>
  new Promise<number>((ok, fail) => {
    const req = request({ host: '127.0.0.1', port: s.port, method: 'POST', path, headers }, (res) => {
      res.resume();
      res.on('end', () => ok(res.statusCode ?? 0));
    });
    req.on('error', fail);
    req.end();
  });

const call = (s: TestServer, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  s.request(method, path, { as: null, headers, ...(body === undefined ? {} : { body }) });

describe('the rule', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.1.2.3', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['0.0.0.0', 'guarded'],
    ['::', 'guarded'],
    ['192.168.1.20', 'guarded'],
    ['10.0.0.1', 'guarded'],
  ] as const)('listening on %s → %s', (address, rule) => {
    expect(adminRuleFor(address, {})).toBe(rule);
    expect(isLoopbackAddress(address)).toBe(rule === 'loopback');
    if (rule === 'guarded') expect(adminRuleFor(address, { adminOpen: true })).toBe('open');
  });

  it('covers the state-changing admin routes and the inspector, not the reads, the docs or the API', () => {
    for (const [method, path] of CHANGES) expect(isGuardedRoute(method, path)).toBe(true);
    for (const path of ['/__geostub/', ...INSPECTOR, '/__geostub/inspector/events'])
      expect(isGuardedRoute('GET', path)).toBe(true);
    for (const path of [
      '/__geostub/health',
      '/__geostub/settings',
      '/__geostub/clock',
      '/__geostub/jobs',
      '/__geostub/inspector/app/main.js',
      '/api/v2/resources/',
    ])
      expect(isGuardedRoute('GET', path)).toBe(false);
    expect(isGuardedRoute('POST', '/api/v2/resources/')).toBe(false);
  });
});

describe('a server on --host 127.0.0.1', () => {
  it('answers every admin route and the inspector to an anonymous caller', async () => {
    expect(loopback.adminRule).toBe('loopback');
    for (const [method, path, body] of CHANGES)
      expect((await call(loopback, method, path, body)).status, path).toBe(200);
    for (const path of ['/__geostub/', ...INSPECTOR])
      expect((await call(loopback, 'GET', path)).status, path).toBe(200);
  });

  it('refuses a state change sent by a foreign web page, not one from a loopback page', async () => {
    const foreign = await call(loopback, 'POST', '/__geostub/reset', undefined, { Origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('x-geostub-error')).toBe('adminForeignOrigin');
    expect(foreign.json.error).toMatch(/https:\/\/evil\.example.*--cors-origin/);
    expect(
      (await call(loopback, 'POST', '/__geostub/reset', undefined, { Origin: 'http://localhost:5173' })).status,
    ).toBe(200);
    expect(
      (await call(loopback, 'GET', '/__geostub/settings', undefined, { Origin: 'https://evil.example' })).status,
    ).toBe(200);
    // a hostile name resolved to 127.0.0.1 (DNS rebinding) looks same-origin: still refused on a loopback server
    expect(
      await post(loopback, '/__geostub/reset', { Origin: 'http://rebind.example:8000', Host: 'rebind.example:8000' }),
    ).toBe(403);
    expect(
      await post(loopback, '/__geostub/reset', {
        Origin: `http://localhost:${loopback.port}`,
        Host: `localhost:${loopback.port}`,
      }),
    ).toBe(200);
  });
});

describe('a server on --host 0.0.0.0 (reached at 127.0.0.1)', () => {
  it('refuses an anonymous caller 401 and another user 403, in the admin error form, and changes nothing', async () => {
    expect(everywhere.adminRule).toBe('guarded');
    const before = (await call(everywhere, 'GET', '/__geostub/settings')).json;
    for (const [method, path, body] of CHANGES) {
      const anonymous = await call(everywhere, method, path, body);
      expect(anonymous.status, path).toBe(401);
      expect(anonymous.headers.get('content-type'), path).toMatch(/^application\/json/);
      expect(anonymous.json.error, path).toMatch(/superuser.*--admin-token.*--admin-open/);
      const alice = await call(everywhere, method, path, body, { Authorization: BASIC.alice });
      expect(alice.status, path).toBe(403);
      expect(alice.headers.get('x-geostub-error'), path).toBe('adminForbidden');
      expect(
        (await call(everywhere, method, path, body, { Authorization: 'Bearer not-the-admin-token-at-all' })).status,
        path,
      ).toBe(403);
    }
    await call(everywhere, 'PATCH', '/__geostub/settings', { latency: 500 });
    expect((await call(everywhere, 'GET', '/__geostub/settings')).json).toEqual(before);
    for (const path of INSPECTOR) expect((await call(everywhere, 'GET', path)).status, path).toBe(401);
    const page = await call(everywhere, 'GET', '/__geostub/');
    expect(page.status).toBe(401);
    expect(page.headers.get('www-authenticate')).toMatch(/^Basic/);
  });

  it('lets a superuser (Basic, Bearer, ?token=) and the admin token (Bearer, ?token=) in', async () => {
    const ways: [string, Record<string, string>][] = [
      ['', { Authorization: BASIC.admin }],
      ['', { Authorization: 'Bearer geostub-admin-token' }],
      ['?token=geostub-admin-token', {}],
      ['', { Authorization: `Bearer ${TOKEN}` }],
      [`?token=${TOKEN}`, {}],
    ];
    for (const [query, headers] of ways) {
      for (const [method, path, body] of CHANGES)
        expect(
          (await call(everywhere, method, path + query, body, headers)).status,
          `${path}${query} ${JSON.stringify(headers)}`,
        ).toBe(200);
      for (const path of ['/__geostub/', ...INSPECTOR])
        expect((await call(everywhere, 'GET', path + query, undefined, headers)).status, path).toBe(200);
    }
    const session = await call(everywhere, 'GET', '/__geostub/inspector/session', undefined, {
      Authorization: `Bearer ${TOKEN}`,
    });
    expect(session.json).toEqual({ auth: 'on', access: 'guarded', username: null, token: TOKEN });
  });

  it('leaves the reads, the docs and the API as they were', async () => {
    for (const path of [
      '/__geostub/health',
      '/__geostub/settings',
      '/__geostub/clock',
      '/__geostub/jobs',
      '/api/v2/resources/?page_size=1',
      '/api/v2/schema/swagger-ui/',
    ]) {
      expect((await call(everywhere, 'GET', path)).status, path).toBe(200);
    }
  });
});

describe('--admin-open on 0.0.0.0', () => {
  it('answers every admin route and the inspector to anyone, knowingly', async () => {
    expect(opened.adminRule).toBe('open');
    for (const [method, path, body] of CHANGES) expect((await call(opened, method, path, body)).status, path).toBe(200);
    for (const path of ['/__geostub/', ...INSPECTOR]) expect((await call(opened, 'GET', path)).status, path).toBe(200);
  });

  it('lets a page served by the server itself change state (the inspector at http://devbox:PORT/__geostub/), not another page', async () => {
    const host = `devbox:${opened.port}`; // the name a colleague's browser uses; the request still goes to 127.0.0.1
    expect(await post(opened, '/__geostub/reset', { Origin: `http://${host}`, Host: host })).toBe(200);
    expect(await post(opened, '/__geostub/reset', { Origin: 'http://elsewhere:8000', Host: host })).toBe(403);
  });
});

describe('the start banner and the flags', () => {
  const started: RunningGeostub[] = [];
  afterAll(() => Promise.all(started.map((s) => s.close())));
  const banner = async (extra: string[]) => {
    const lines: string[] = [];
    started.push(
      await launch(fastServeArgs(['serve', '--port', '0', '--in-memory', '--quiet', ...extra])!, (l) => lines.push(l)),
    );
    return lines.join('\n');
  };

  it('says which rule applies', async () => {
    expect(await banner([])).toMatch(/admin routes: +open \(the server listens on loopback only\)/);
    expect(await banner(['--host', '0.0.0.0', '--admin-token', TOKEN])).toMatch(
      /admin routes: +superuser credentials or the --admin-token .*required/,
    );
    expect(await banner(['--host', '0.0.0.0', '--admin-open'])).toMatch(/admin routes: +OPEN to anyone/);
  });

  it('refuses a guessable admin token, naming the flag', async () => {
    await expect(
      launch(fastServeArgs(['serve', '--port', '0', '--in-memory', '--admin-token', 'short'])!, () => {}),
    ).rejects.toThrow(/--admin-token needs a secret of at least 16 characters/);
  });
});

describe('the proxy: clearing its violations follows the rule', () => {
  let mock: TestServer;
  let guarded: RunningProxy;
  let local: RunningProxy;
  beforeAll(async () => {
    mock = await startTestServer();
    [guarded, local] = await Promise.all([
      startProxy({ target: mock.url, host: '0.0.0.0', adminToken: TOKEN }),
      startProxy({ target: mock.url }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([guarded.close(), local.close()]);
    await mock.close();
  });

  it('open on loopback; the admin token elsewhere', async () => {
    const del = (p: RunningProxy, headers: Record<string, string> = {}) =>
      fetch(`${p.url}/__geostub/violations`, { method: 'DELETE', headers }).then((r) => r.status);
    expect(await del(local)).toBe(204);
    expect(await del(guarded)).toBe(401);
    expect(await del(guarded, { Authorization: 'Bearer wrong-wrong-wrong-wrong' })).toBe(403);
    expect(await del(guarded, { Authorization: `Bearer ${TOKEN}` })).toBe(204);
    expect((await fetch(`${guarded.url}/__geostub/violations`)).status).toBe(200);
  });
});
