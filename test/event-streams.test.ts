/**
 * The inspector's event stream lets go of a client that goes away: its listener on the exchange log is removed and
 * `event_streams` in /__geostub/health counts it out (what `npm run soak` checks over a long run, here for a few
 * clients).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

const health = async () => (await s.request('GET', '/__geostub/health', { as: null })).json;

describe('event-stream clients', () => {
  it('are counted while connected and released when they go away', async () => {
    const listeners = s.exchanges.listenerCount('exchange');
    expect((await health()).event_streams).toBe(0);
    const clients = await Promise.all(
      Array.from({ length: 12 }, async () => {
        const abort = new AbortController();
        const res = await fetch(`${s.url}/__geostub/inspector/events`, { signal: abort.signal });
        await res.body!.getReader().read(); // the stream is open on the server
        return abort;
      }),
    );
    expect((await health()).event_streams).toBe(12);
    expect(s.exchanges.listenerCount('exchange')).toBe(listeners + 12);
    expect(s.eventStreams()).toBe(12);
    for (const c of clients.slice(0, 8)) c.abort();
    await expect.poll(async () => (await health()).event_streams).toBe(4);
    for (const c of clients.slice(8)) c.abort();
    await expect.poll(async () => (await health()).event_streams).toBe(0);
    expect(s.exchanges.listenerCount('exchange')).toBe(listeners);
  });
});
