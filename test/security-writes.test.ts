/**
 * Every write operation of the contracts, tried as anonymous and as a regular user who owns nothing: none
 * succeeds, each answers the documented 401/403 (or 404 where the object is hidden), and the store is unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContracts } from '../src/contracts/load.js';
import { allOperations, buildRouteTable, type Operation } from '../src/contracts/route-table.js';
import { BASIC, startTestServer, type TestServer } from './helpers/server.js';
import { expandPath, fillBody, fillParams, sampleFor } from './helpers/walk.js';

let s: TestServer;
let writes: Operation[];
const nobody = 'Basic ' + Buffer.from('nobody:nobody').toString('base64');

/** Reset the data, then add a regular user who owns nothing, manages nothing and belongs to no group. */
async function resetWithNobody(): Promise<void> {
  await fetch(`${s.url}/__geostub/reset`, { method: 'POST' });
  s.store.collection('users').insert({
    username: 'nobody',
    password: 'nobody',
    first_name: '',
    last_name: '',
    email: 'nobody@example.org',
    avatar: null,
    is_superuser: false,
    is_staff: false,
    link: '/api/v2/users/0',
  });
}

beforeAll(async () => {
  s = await startTestServer();
  writes = allOperations(buildRouteTable(await loadContracts())).filter(
    (o) => o.method !== 'get' && o.api === 'geonode',
  );
});
afterAll(() => s.close());

/** Send a valid request for `op`; the store snapshot is taken after the walk has picked (or made) its ids. */
async function attempt(op: Operation, authorization: string | undefined) {
  const params = fillParams(op, s.store);
  const sample = sampleFor(op);
  const headers: Record<string, string> = {};
  if (authorization) headers.Authorization = authorization;
  let body: string | undefined;
  if (sample.urlencoded !== undefined) {
    body = sample.urlencoded;
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  } else if (sample.body !== undefined) {
    body = JSON.stringify(fillBody(sample.body, s.store, params));
    headers['Content-Type'] = 'application/json';
  }
  const before = s.store.snapshot();
  const res = await fetch(s.url + expandPath(op.path, params), {
    method: op.method.toUpperCase(),
    headers,
    body,
    redirect: 'manual',
  });
  return { status: res.status, text: await res.text(), unchanged: s.store.snapshot() === before };
}

/** Refusals: 401/403, 404 for an object the caller may not see, 405, or a 4xx the contract documents for the operation. */
const refused = (op: Operation, status: number) =>
  [401, 403, 404, 405].includes(status) || (status >= 400 && status < 500 && String(status) in op.responses);

// operations any authenticated user may legitimately perform on their own behalf (GeoNode's rules)
const OPEN_TO_ANY_USER = new Set([
  'POST /api/v2/resources/',
  'POST /api/v2/documents/',
  'POST /api/v2/maps/',
  'POST /api/v2/geoapps/',
  'POST /api/v2/resources/create/{resource_type}/',
  'POST /api/v2/resources/ingest/{resource_type}/',
  'POST /api/v2/uploads/',
  'POST /api/v2/uploads/upload/',
  'POST /api/v2/resources/{id}/favorite/',
  'DELETE /api/v2/resources/{id}/favorite/',
  'POST /api/v2/resources/{id}/ratings/',
  'POST /api/v2/resources/{resource_id}/set_thumbnail_from_bbox/',
  'POST /api/v2/resources/{id}/linked_resources/',
  'POST /api/v2/resources/{id}/extra_metadata/',
  'PUT /api/v2/resources/{id}/copy/',
  'PATCH /api/v2/users/{id}/',
  'PUT /api/v2/users/{id}/',
  'DELETE /api/v2/users/{id}/',
  'PATCH /api/v2/users/',
  'PATCH /api/v2/harvesters/{harvester_id}/harvestable-resources/',
  // AssetViewSet is IsAuthenticatedOrReadOnly with no object check (geonode/assets/views.py:48 at 4.4.3)
  'POST /api/v2/assets/',
  'PATCH /api/v2/assets/',
  'DELETE /api/v2/assets/',
  'PUT /api/v2/assets/{id}/',
  'PATCH /api/v2/assets/{id}/',
  'DELETE /api/v2/assets/{id}/',
]);

describe('writes are refused to callers without the right, and change nothing', () => {
  it('anonymous: every GeoNode write answers 401 or 403 (or 404 for a hidden object)', async () => {
    const wrong: string[] = [];
    for (const op of writes) {
      if (op.path.includes('harvestable-resources')) continue; // GeoNode gives these no permission class at all
      await fetch(`${s.url}/__geostub/reset`, { method: 'POST' });
      const r = await attempt(op, undefined);
      if (![401, 403, 404, 405].includes(r.status) || !r.unchanged)
        wrong.push(`${op.method.toUpperCase()} ${op.path} → ${r.status} ${r.text.slice(0, 120)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('a regular user who owns nothing: every write on others’ objects and every admin write is refused', async () => {
    const wrong: string[] = [];
    for (const op of writes) {
      const key = `${op.method.toUpperCase()} ${op.path}`;
      if (OPEN_TO_ANY_USER.has(key)) continue;
      await resetWithNobody();
      const r = await attempt(op, nobody);
      if (!refused(op, r.status) || !r.unchanged) wrong.push(`${key} → ${r.status} ${r.text.slice(0, 120)}`);
    }
    expect(wrong).toEqual([]);
  });
});

void BASIC;
