/**
 * The inspector's live log shows API requests; geostub's own requests (`/__geostub/…`) and static files (the docs
 * pages' scripts, styles, images) only when asked (`?all=1`, the page's toggle). Real server, real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASIC, startTestServer, type TestServer } from './helpers/server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

const API = '/api/v2/categories/?page_size=2';
// a static file a browser asks for by itself (geostub has none to serve: a 404, still a static-file request)
const ASSET = '/favicon.ico';
const OWN = '/__geostub/health';

async function listed(query = ''): Promise<string[]> {
  const r = await s.request('GET', `/__geostub/inspector/exchanges${query}`);
  expect(r.status).toBe(200);
  return (r.json.exchanges as { url: string }[]).map((e) => e.url);
}

/** Reads a server-sent event stream until `needle` has arrived; returns what arrived. */
async function streamUntil(query: string, needle: string, after: () => Promise<void>): Promise<string> {
  const abort = new AbortController();
  const res = await fetch(`${s.url}/__geostub/inspector/events${query}`, {
    headers: { Authorization: BASIC.admin },
    signal: abort.signal,
  });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  let text = '';
  await reader.read(); // the retry line: the stream is open, its listeners are on
  await after();
  while (!text.includes(needle)) text += new TextDecoder().decode((await reader.read()).value);
  abort.abort();
  return text;
}

describe("the inspector's live log", () => {
  it('lists API requests and leaves out its own requests and static files unless ?all=1', async () => {
    expect((await s.request('GET', ASSET, { as: null })).status).toBe(404);
    expect((await s.request('GET', OWN)).status).toBe(200);
    expect((await s.request('GET', API)).status).toBe(200);
    const plain = await listed();
    expect(plain).toContain(API);
    expect(plain.filter((u) => u === ASSET || u.startsWith('/__geostub'))).toEqual([]);
    const all = await listed('?all=1');
    expect(all).toEqual(expect.arrayContaining([API, ASSET, OWN, '/__geostub/inspector/exchanges']));
    // oldest first, whatever the ring they are kept in
    const ids = (
      (await s.request('GET', '/__geostub/inspector/exchanges?all=1')).json.exchanges as { id: number }[]
    ).map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('streams API requests only; ?all=1 streams its own requests and static files too', async () => {
    const marker = '/api/v2/regions/?page_size=1';
    const plain = await streamUntil('', marker, async () => {
      await s.request('GET', ASSET, { as: null });
      await s.request('GET', OWN);
      await s.request('GET', marker);
    });
    expect(plain).toContain(marker);
    expect(plain).not.toContain('favicon.ico');
    expect(plain).not.toContain('/__geostub/health');
    const marker2 = '/api/v2/keywords/?page_size=1';
    const all = await streamUntil('?all=1', marker2, async () => {
      await s.request('GET', ASSET, { as: null });
      await s.request('GET', OWN);
      await s.request('GET', marker2);
    });
    expect(all).toContain('/__geostub/health');
    expect(all).toContain('favicon.ico');
  });

  it('keeps its own requests in a ring of their own: a busy inspector never pushes API requests out', async () => {
    const marker = '/api/v2/categories/?page_size=3';
    await s.request('GET', marker);
    for (let i = 0; i < 260; i++) await s.request('GET', OWN);
    expect(await listed()).toContain(marker);
    const detail = await s.request(
      'GET',
      `/__geostub/inspector/exchanges/${s.exchanges.recent(undefined, true).at(-1)!.id}`,
    );
    expect(detail.status).toBe(200);
    expect(detail.json.url).toMatch(/^\/__geostub\//);
  });
});
