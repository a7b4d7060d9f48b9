/**
 * CORS: credentials for loopback origins and --cors-origin ones, none for other origins, never `*` with
 * credentials, always `Vary: Origin`; preflights answer the methods and headers the contract has for the path.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopbackOrigin, normaliseOrigin, preflightAllows } from '../src/server/cors.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const DEVBOX = 'http://devbox:5173';
let s: TestServer;
let plain: TestServer;

beforeAll(async () => {
  [s, plain] = await Promise.all([startTestServer({ corsOrigins: [DEVBOX] }), startTestServer({ cors: false })]);
});
afterAll(() => Promise.all([s.close(), plain.close()]));

const preflight = (
  server: TestServer,
  path: string,
  origin: string,
  method: string,
  headers = 'authorization,content-type',
) =>
  fetch(server.url + path, {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': headers },
  });
const cors = (res: Response) => ({
  origin: res.headers.get('access-control-allow-origin'),
  credentials: res.headers.get('access-control-allow-credentials'),
  methods: res.headers.get('access-control-allow-methods')?.split(', ').sort(),
  headers: res.headers.get('access-control-allow-headers')?.split(', ').sort(),
  vary: res.headers.get('vary'),
});

describe('which origins get credentials', () => {
  it.each([
    ['http://localhost:5173', true],
    ['https://localhost:3000', true],
    ['http://127.0.0.1:8080', true],
    ['http://[::1]:5173', true],
    ['http://localhost', true],
    ['http://devbox:5173', false],
    ['https://evil.example', false],
    ['http://localhost.evil.example', false],
    ['http://127.0.0.1.evil.example', false],
    ['null', false],
    ['file://', false],
  ] as const)('%s is a loopback origin: %s', (origin, loopback) => expect(isLoopbackOrigin(origin)).toBe(loopback));

  it('takes --cors-origin as an origin, and says what it wants otherwise', () => {
    expect(normaliseOrigin('http://DevBox:5173/')).toBe('http://devbox:5173');
    expect(normaliseOrigin('https://app.example:443')).toBe('https://app.example');
    for (const bad of ['devbox:5173', 'http://devbox:5173/app', 'ftp://x'])
      expect(() => normaliseOrigin(bad)).toThrow(/--cors-origin takes an origin such as http:\/\/devbox:5173/);
  });
});

describe('preflights', () => {
  it('from a loopback origin: credentials, and the methods and headers of the contract for that path', async () => {
    const res = await preflight(s, '/api/v2/resources/', 'http://localhost:5173', 'PATCH');
    expect(res.status).toBe(204);
    const c = cors(res);
    expect(c).toMatchObject({ origin: 'http://localhost:5173', credentials: 'true', vary: 'Origin' });
    expect(c.methods).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST']); // contracts/geonode-v2.yaml /api/v2/resources/ (no list PUT: dynamic-rest routers.py:87-94)
    expect(c.headers).toEqual(['Accept', 'Authorization', 'Content-Type', 'Prefer', 'X-CSRFToken']);
    const detail = cors(await preflight(s, '/api/v2/categories/1/', 'http://127.0.0.1:3000', 'GET'));
    expect(detail.methods).toEqual(['GET', 'HEAD', 'OPTIONS']); // read-only in the contract
    const koordinates = cors(await preflight(s, '/services/api/v1/data/', 'http://[::1]:5173', 'GET'));
    expect(koordinates.headers).toContain('Expand'); // the catalogue's header parameter
    expect(koordinates.origin).toBe('http://[::1]:5173');
  });

  it('from an origin given with --cors-origin: credentials too', async () => {
    const c = cors(await preflight(s, '/api/v2/resources/', DEVBOX, 'POST'));
    expect(c).toMatchObject({ origin: DEVBOX, credentials: 'true', vary: 'Origin' });
    expect(c.methods).toContain('POST');
  });

  it('from a foreign origin: `*` without credentials, the same methods and headers', async () => {
    const c = cors(await preflight(s, '/api/v2/resources/', 'https://evil.example', 'PATCH'));
    expect(c).toMatchObject({ origin: '*', credentials: null, vary: 'Origin' });
    expect(c.methods).toContain('PATCH');
    const own = cors(await preflight(s, '/__geostub/reset', 'https://evil.example', 'POST'));
    expect(own.origin).toBeNull(); // geostub's own routes: no CORS for a foreign page at all
    expect(cors(await preflight(s, '/__geostub/reset', 'http://localhost:5173', 'POST'))).toMatchObject({
      origin: 'http://localhost:5173',
      credentials: 'true',
    });
  });

  it('a path no contract has: no Allow-Methods', async () => {
    const res = await preflight(s, '/api/v2/nothing-here/', 'http://localhost:5173', 'GET');
    expect(res.status).toBe(204);
    expect(cors(res).methods).toBeUndefined();
    expect(preflightAllows(s.routes, '/api/v2/nothing-here/')).toBeUndefined();
  });
});

describe('simple requests', () => {
  it('never send `*` with credentials, and always Vary: Origin', async () => {
    for (const origin of [undefined, 'http://localhost:5173', DEVBOX, 'https://evil.example']) {
      const res = await fetch(`${s.url}/api/v2/categories/?page_size=1`, { headers: origin ? { Origin: origin } : {} });
      const c = cors(res);
      expect(c.vary, origin).toBe('Origin');
      expect(c.origin === '*' && c.credentials === 'true', origin).toBe(false);
      expect(c.credentials, origin).toBe(origin === 'http://localhost:5173' || origin === DEVBOX ? 'true' : null);
      expect(res.headers.get('access-control-expose-headers'), origin).toMatch(/X-Resource-Range/);
    }
  });

  it('--no-cors sends none', async () => {
    const res = await fetch(`${plain.url}/api/v2/categories/?page_size=1`, {
      headers: { Origin: 'http://localhost:5173' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
