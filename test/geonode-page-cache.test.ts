/**
 * Repeated list pages are answered from a cache (src/apis/geonode/reading/read.ts `list`): these tests show the cache
 * never answers a page that is out of date, belongs to another caller or origin, or was changed by a planted fault.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';
import type { Item } from './helpers/geonode.js';

let s: TestServer;
const PAGE = '/api/v2/resources/?page_size=50';

beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

describe('the list page cache', () => {
  it('answers the same text while nothing changes, and the new data after a write', async () => {
    const first = await s.request('GET', PAGE, { as: 'alice' });
    const again = await s.request('GET', PAGE, { as: 'alice' });
    expect(again.text).toBe(first.text);
    const target = first.json.resources[3] as Item;
    const patched = await s.request('PATCH', `/api/v2/resources/${target.pk}/`, {
      body: { title: 'Renamed while cached' },
    });
    expect(patched.status, patched.text).toBe(200);
    const after = await s.request('GET', PAGE, { as: 'alice' });
    const item = (after.json.resources as Item[]).find((r) => r.pk === target.pk);
    expect(item?.title).toBe('Renamed while cached');
    await s.request('POST', '/__geostub/reset');
    const reset = await s.request('GET', PAGE, { as: 'alice' });
    expect(reset.text).toBe(first.text);
  });

  it('keeps one page per caller: perms and favorite are the caller’s own', async () => {
    expect((await s.request('GET', PAGE, { as: 'bob' })).status).toBe(200); // cached for bob first
    const alice = await s.request('GET', PAGE, { as: 'alice' });
    for (const item of (alice.json.resources as Item[]).slice(0, 10)) {
      const detail = await s.request('GET', `/api/v2/resources/${item.pk}/`, { as: 'alice' });
      expect(item.perms, `perms of ${item.pk}`).toEqual(detail.json.resource.perms);
    }
    // a resource of alice's that bob can see too
    const anyAlice = (
      await s.request('GET', `/api/v2/resources/?filter{owner.username}=alice&page_size=1`, { as: 'bob' })
    ).json.resources[0] as Item;
    const pk = anyAlice.pk;
    const seen = async (as: 'alice' | 'bob') =>
      ((await s.request('GET', `/api/v2/resources/?filter{pk}=${pk}`, { as })).json.resources as Item[])[0];
    expect((await seen('bob')).perms).not.toEqual((await seen('alice')).perms); // alice owns it: her perms differ
    const fav = await s.request('POST', `/api/v2/resources/${pk}/favorite/`, { as: 'alice' });
    expect(fav.status, fav.text).toBe(201);
    expect((await seen('alice')).favorite).toBe(true);
    expect((await seen('bob')).favorite).toBe(false);
  });

  it('keeps one page per origin: absolute links follow X-Forwarded-Host', async () => {
    const local = await s.request('GET', '/api/v2/resources/?page_size=5');
    const proxied = await s.request('GET', '/api/v2/resources/?page_size=5', {
      headers: { 'X-Forwarded-Host': 'maps.example.org', 'X-Forwarded-Proto': 'https' },
    });
    expect(local.json.links.next).toMatch(/^http:\/\/(127\.0\.0\.1|localhost)/);
    expect(proxied.json.links.next).toMatch(/^https:\/\/maps\.example\.org\//);
    expect((proxied.json.resources[0] as Item).link).toMatch(/^https:\/\/maps\.example\.org\//);
    expect((await s.request('GET', '/api/v2/resources/?page_size=5')).text).toBe(local.text);
  });

  it('is not changed by a planted fault: the fault works on a copy', async () => {
    const honest = await s.request('GET', PAGE);
    const set = (faults: string[]) => s.request('PATCH', '/__geostub/settings', { body: { faults } });
    expect((await set(['total-off-by-one'])).status).toBe(200);
    const faulty = await s.request('GET', PAGE);
    expect(faulty.json.total).toBe(honest.json.total + 1);
    expect((await set([])).status).toBe(200);
    expect((await s.request('GET', PAGE)).text).toBe(honest.text);
  });
});
