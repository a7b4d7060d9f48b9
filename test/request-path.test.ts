/**
 * One routed request: the contract route table is looked up once per API request, whatever the request carries
 * (a body, a planted fault, latency, a `Prefer` header) — body parsing, faults, resilience and dispatch read the
 * one routed request the first stage builds (src/server/pipeline.ts). The lookups are counted through the
 * `routeLookup` start option, which wraps the route table's match function for this server only.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { matchRoute, type Route } from '../src/contracts/route-table.js';
import { reroute, routeRequest } from '../src/server/request.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
const looked: string[] = [];

beforeAll(async () => {
  server = await startTestServer({
    jobDuration: 0,
    routeLookup: (routes: Route[], pathname: string) => {
      looked.push(pathname);
      return matchRoute(routes, pathname);
    },
  });
});
afterAll(() => server.close());

const settings = (patch: Record<string, unknown>) =>
  server.request('PATCH', '/__geostub/settings', { body: patch }).then((r) => expect(r.status).toBe(200));

beforeEach(async () => {
  await settings({ faults: [], latency: null });
  looked.length = 0;
});

/** The request, and how many route lookups answering it took. */
async function lookups(...args: Parameters<TestServer['request']>): Promise<{ status: number; count: number }> {
  looked.length = 0;
  const res = await server.request(...args);
  return { status: res.status, count: looked.length };
}

describe('route lookups per request', () => {
  it('a plain GET, a GET with a query and a detail are routed once', async () => {
    expect(await lookups('GET', '/api/v2/resources/')).toEqual({ status: 200, count: 1 });
    expect(await lookups('GET', '/api/v2/resources/?page_size=2&sort[]=title')).toEqual({ status: 200, count: 1 });
    expect(await lookups('GET', '/api/v2/users/1/')).toMatchObject({ count: 1 });
    expect(await lookups('GET', '/services/api/v1/data/?kind=vector')).toMatchObject({ count: 1 });
  });

  it('a POST with a JSON body, with a form-or-json body and with a body that does not parse are routed once', async () => {
    expect(await lookups('POST', '/api/v2/keywords/', { body: { name: 'x' } })).toMatchObject({ count: 1 });
    expect(await lookups('PUT', '/api/v2/resources/1/copy/', { body: { title: 'copy' } })).toMatchObject({
      count: 1,
    });
    const bad = await lookups('POST', '/api/v2/keywords/', {
      raw: '{not json',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(bad).toEqual({ status: 400, count: 1 });
  });

  it('errors of every stage are routed once: a 404 path, a 405 method, a 401, a slash redirect', async () => {
    // an unknown path is looked up once: the lookup is what finds there is no route (dispatch answers the 404)
    expect(await lookups('GET', '/api/v2/no-such-thing/')).toEqual({ status: 404, count: 1 });
    expect(await lookups('DELETE', '/api/v2/resources/')).toMatchObject({ count: 1 });
    expect(await lookups('POST', '/api/v2/keywords/', { body: { name: 'x' }, as: null })).toMatchObject({ count: 1 });
    expect(await lookups('GET', '/api/v2/resources?page=1', { as: null })).toMatchObject({ count: 1 });
  });

  it('a request under planted faults is routed once (request rewrites, answers in place, reply rewrites)', async () => {
    const faults = [
      'filter-ignored',
      'not-found-as-400',
      'bulk-delete-noop',
      'query-gt-as-gte',
      'query-integer-as-text',
    ];
    await settings({ faults });
    looked.length = 0;
    expect(await lookups('GET', '/api/v2/resources/?filter{title.icontains}=a')).toEqual({ status: 200, count: 1 });
    expect(await lookups('GET', '/api/v2/resources/999999/')).toEqual({ status: 400, count: 1 });
    expect(await lookups('GET', '/api/v2/no-such-thing/')).toEqual({ status: 400, count: 1 });
    expect(await lookups('POST', '/api/v2/keywords/', { body: { name: 'y' } })).toMatchObject({ count: 1 });
    // a fault that answers in the server's place, asking the honest server for the whole list (`around`)
    const lte9 = '/api/v2/resources/?filter{pk.lte}=9&page_size=3';
    expect(await lookups('GET', lte9)).toEqual({ status: 200, count: 1 });
    const [faulted, honest] = [await server.request('GET', lte9), await settingsOff(() => server.request('GET', lte9))];
    expect(faulted.json.total).toBeGreaterThan(honest.json.total); // "10" <= "9" as text: the fault did answer
  });

  it('a request under latency or a Prefer header is routed once', async () => {
    await settings({ latency: 1 });
    looked.length = 0;
    const delayed = await server.request('GET', '/api/v2/resources/');
    expect(delayed.headers.get('x-geostub-delay')).toBe('1');
    expect(looked.length).toBe(1);
    await settings({ latency: null });
    // injected 503 (not documented: the API's error shape), a documented 404, a 2xx the operation answers itself
    expect(await lookups('GET', '/api/v2/resources/', { headers: { Prefer: 'status=503' } })).toEqual({
      status: 503,
      count: 1,
    });
    expect(await lookups('GET', '/api/v2/resources/1/', { headers: { Prefer: 'status=404' } })).toEqual({
      status: 404,
      count: 1,
    });
    expect(await lookups('GET', '/api/v2/resources/', { headers: { Prefer: 'delay=1, status=200' } })).toEqual({
      status: 200,
      count: 1,
    });
  });

  it('the worst case today — a body, a planted fault and Prefer together — is routed once', async () => {
    await settings({ faults: ['create-answers-200'] });
    looked.length = 0;
    const r = await lookups('PUT', '/api/v2/resources/1/copy/', {
      body: { title: 'copy' },
      headers: { Prefer: 'status=200' },
    });
    expect(r.count).toBe(1);
  });

  it('a fault that asks the honest server about another path routes that request itself (At.reroute)', () => {
    const count = (routes: Route[], pathname: string) => {
      looked.push(pathname);
      return matchRoute(routes, pathname);
    };
    const incoming = { method: 'GET', url: '/services/api/v1/data/latest/?kind=vector', origin: '', headers: {} };
    const latest = routeRequest({ ...incoming, raw: undefined }, server.routes, count);
    const published = reroute(latest, '/services/api/v1/data/?page=2', server.routes, count);
    expect([latest.match?.route.path, published.match?.route.path]).toEqual([
      '/services/api/v1/data/latest/',
      '/services/api/v1/data/',
    ]);
    expect([published.search, published.query.get('page'), published.op?.operationId]).toEqual([
      'page=2',
      '2',
      server.routes.find((r) => r.path === '/services/api/v1/data/')?.operations.get('get')?.operationId,
    ]);
    expect(looked).toEqual(['/services/api/v1/data/latest/', '/services/api/v1/data/']);
  });

  it("geostub's own pages (docs, inspector, health, admin) are not API requests: no lookup", async () => {
    expect(await lookups('GET', '/api/v2/schema/swagger-ui/')).toEqual({ status: 200, count: 0 });
    expect(await lookups('GET', '/api/v2/schema/redoc/')).toEqual({ status: 200, count: 0 });
    expect(await lookups('GET', '/__geostub/inspector/faults')).toEqual({ status: 200, count: 0 });
    expect(await lookups('GET', '/__geostub/health')).toEqual({ status: 200, count: 0 });
    expect(await lookups('GET', '/__geostub/no-such-page')).toEqual({ status: 404, count: 0 });
  });

  it('a CORS preflight is answered by the CORS stage from one lookup (the methods the path serves)', async () => {
    const r = await lookups('OPTIONS', '/api/v2/resources/', {
      as: null,
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'PATCH' },
    });
    expect(r).toEqual({ status: 204, count: 1 });
  });
});

describe('one error form: every stage throws an ApiError, one place names it in X-Geostub-Error', () => {
  const named = async (...args: Parameters<TestServer['request']>) => {
    const r = await server.request(...args);
    return { status: r.status, error: r.headers.get('x-geostub-error'), delay: r.headers.get('x-geostub-delay') };
  };

  it('errors of the body stage, dispatch and resilience are named', async () => {
    const bad = { raw: '{not json', headers: { 'Content-Type': 'application/json' } };
    expect(await named('POST', '/api/v2/keywords/', bad)).toMatchObject({ status: 400, error: 'parseError' });
    expect(await named('GET', '/api/v2/no-such-thing/')).toMatchObject({ status: 404, error: 'routeNotFound' });
    expect(await named('GET', '/api/v2/resources/', { headers: { Prefer: 'status=503' } })).toMatchObject({
      status: 503,
      error: 'injectedGeonode',
    });
    await settings({ latency: 1 });
    expect(await named('GET', '/api/v2/no-such-thing/')).toEqual({ status: 404, error: 'routeNotFound', delay: '1' });
  });

  it('an error a planted fault reshapes keeps its name; a reply the fault answers itself has none', async () => {
    await settings({ faults: ['not-found-as-400', 'method-not-allowed-as-404'] });
    const reshaped = await server.request('GET', '/api/v2/no-such-thing/');
    expect(reshaped.status).toBe(400);
    expect(reshaped.headers.get('x-geostub-error')).toBe('routeNotFound');
    expect(reshaped.json).toEqual((await settingsOff(() => server.request('GET', '/api/v2/no-such-thing/'))).json);
    const own = await server.request('DELETE', '/api/v2/resources/');
    expect(own.status).toBe(404);
    expect(own.json).toEqual({ detail: 'Not found.' });
    expect(own.headers.get('x-geostub-error')).toBeNull();
    await settings({ faults: ['error-body-text'] });
    const text = await server.request('GET', '/api/v2/resources/?filter{no_such_field}=1');
    expect([text.status, text.text, text.headers.get('x-geostub-error')]).toEqual([400, 'Bad Request', null]);
    // the body stage comes before the faults: its errors are not theirs to rewrite
    const bad = { raw: '{not json', headers: { 'Content-Type': 'application/json' } };
    expect(await named('POST', '/api/v2/keywords/', bad)).toMatchObject({ status: 400, error: 'parseError' });
  });
});

/** `f` with no planted fault, the faults planted now put back after. */
async function settingsOff<T>(f: () => Promise<T>): Promise<T> {
  const faults = server.env.settings.faults;
  await settings({ faults: [] });
  try {
    return await f();
  } finally {
    await settings({ faults });
  }
}
