/**
 * A server whose large collections start as lazy records answers exactly what a server that parsed everything
 * answers: the same requests, compared text for text (origins aside), before and after writes.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLazy } from '../src/store/lazy.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let lazy: TestServer;
let eager: TestServer;
let db: string;
const LAZY_FROM = 50;

beforeAll(async () => {
  db = join(await mkdtemp(join(tmpdir(), 'geostub-lazy-http-')), 'db.json');
  const first = await startTestServer({ inMemory: false, db, lazy: { from: LAZY_FROM } }); // writes the db and its index
  await first.close();
  // a cache of a few records: most requests below read records from the db file (or, once written, the journal)
  lazy = await startTestServer({ inMemory: false, db, lazy: { from: LAZY_FROM, cacheMB: 0.05 }, jobDuration: 0 });
  eager = await startTestServer({ jobDuration: 0 });
});
afterAll(async () => {
  await lazy?.close();
  await eager?.close();
});

const KEY = { Authorization: 'key geostub0koordinates0api0key00001' };
const READS: [string, Parameters<TestServer['request']>[2]?][] = [
  ['/api/v2/resources/'],
  ['/api/v2/resources/?page=3&page_size=7', { as: null }],
  ['/api/v2/resources/?filter{owner.username}=alice&sort[]=owner.username', { as: 'bob' }],
  ['/api/v2/resources/?sideloading=true&page_size=30', { as: 'alice' }],
  ['/api/v2/datasets/?page_size=20'],
  ['/api/v2/maps/?include[]=maplayers&page_size=20'],
  ['/api/v2/documents/?exclude[]=*&include[]=pk&include[]=title'],
  ['/api/v2/resources/?extent=-180,-90,0,90'],
  ['/api/v2/resources/featured/'],
  ['/api/v2/resources/resource_types/'],
  ['/api/v2/facets/'],
  ['/services/api/v1/data/?kind=vector&sort=name&page_size=50', { headers: KEY, as: null }],
  ['/services/api/v1/data/?public=true', { headers: KEY, as: null }],
  ['/api/v2/resources/?filter{abstract.icontains}=data&sort[]=-title&include[]=data'], // parses every resource
];

const started = Date.now();
/** Origins differ (ports), and so do the times writes stamp on records (each server has its own clock). */
const normalise = (text: string, origin: string) =>
  text
    .replaceAll(origin, 'ORIGIN')
    .replace(/"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)"/g, (m, t: string) =>
      Date.parse(t) >= started - 60_000 ? '"NOW"' : m,
    );

async function same(path: string, init?: Parameters<TestServer['request']>[2]): Promise<void> {
  const [a, b] = await Promise.all([lazy.request('GET', path, init), eager.request('GET', path, init)]);
  expect(a.status, `${path}: ${a.text.slice(0, 200)}`).toBe(b.status);
  expect(normalise(a.text, lazy.url), path).toBe(normalise(b.text, eager.url));
}

describe('a server started from lazy records', () => {
  it('starts with its large collections unparsed', () => {
    const resources = lazy.store.collection('resources');
    expect(resources.size).toBeGreaterThan(LAZY_FROM);
    expect(resources.list().filter(isLazy).length).toBe(resources.size);
    expect(lazy.store.collection('kx_items').list().every(isLazy)).toBe(true);
    expect(eager.store.collection('resources').list().some(isLazy)).toBe(false);
  });

  it('answers every read as the eager server does', async () => {
    const before = lazy.store.diskRecords.reads;
    for (const [path, init] of READS) await same(path, init);
    const some = eager.store
      .collection('resources')
      .list()
      .filter((_, i) => i % 37 === 0);
    for (const r of some) await same(`/api/v2/resources/${String(r.pk)}/`, { as: 'alice' });
    const map = eager.store
      .collection('resources')
      .list()
      .find((r) => r.resource_type === 'map')!;
    await same(`/api/v2/maps/${String(map.pk)}/maplayers/`);
    const item = eager.store.collection('kx_items').list()[5];
    await same(`/services/api/v1/data/${String(item.id)}/`, { headers: KEY, as: null });
    expect(lazy.store.diskRecords.reads - before).toBeGreaterThan(2 * lazy.store.collection('resources').size); // read from disk, again and again
    expect(lazy.store.diskRecords.loadedMB).toBeLessThan(0.1); // and let go
  });

  it('and after the same writes on both', async () => {
    const [r1, r2] = eager.store
      .collection('resources')
      .list()
      .slice(40, 42)
      .map((r) => String(r.pk));
    for (const s of [lazy, eager]) {
      expect((await s.request('PATCH', `/api/v2/resources/${r1}/`, { body: { title: 'Changed lazily' } })).status).toBe(
        200,
      );
      expect((await s.request('DELETE', `/api/v2/resources/${r2}/`)).status).toBe(204);
      const patchAll = await s.request('PATCH', '/api/v2/resources/?filter{resource_type}=document&patch-all=true', {
        body: { featured: true },
      });
      expect(patchAll.status, patchAll.text).toBe(200);
    }
    for (const [path, init] of READS) await same(path, init);
    await same(`/api/v2/resources/${r1}/`);
    await same('/api/v2/resources/?filter{featured}=true&page_size=100');
    const health = (await lazy.request('GET', '/__geostub/health')).json as { lazy: Record<string, number> };
    expect(health.lazy).toMatchObject({ records: lazy.store.diskRecords.records, cacheMB: 0.05 });
    expect(health.lazy.records).toBeGreaterThan(LAZY_FROM);
  });

  it('keeps every concurrent write, read back from the journal through a cache of a few records, and after a restart', async () => {
    const pks = lazy.store
      .collection('resources')
      .list()
      .slice(100, 300)
      .map((r) => String(r.pk));
    const titles = new Map(pks.map((pk, i) => [pk, `concurrent ${i} \u00e9\u2603`])); // multi-byte: offsets are bytes
    const answers = await Promise.all(
      pks.map((pk) => lazy.request('PATCH', `/api/v2/resources/${pk}/`, { body: { title: titles.get(pk) } })),
    );
    expect(answers.map((a) => a.status)).toEqual(pks.map(() => 200));
    // the same record written by many requests at once ends in one of the written states
    const one = pks[0];
    const racing = Array.from({ length: 40 }, (_, i) => `race ${i}`);
    await Promise.all(racing.map((title) => lazy.request('PATCH', `/api/v2/resources/${one}/`, { body: { title } })));
    const final = (await lazy.request('GET', `/api/v2/resources/${one}/`)).json.resource.title as string;
    expect(racing).toContain(final);
    titles.set(one, final);
    const readsBefore = lazy.store.diskRecords.reads;
    const check = async (server: TestServer) => {
      for (const pk of pks)
        expect((await server.request('GET', `/api/v2/resources/${pk}/`)).json.resource.title, pk).toBe(titles.get(pk));
    };
    await check(lazy);
    expect(lazy.store.diskRecords.reads - readsBefore).toBeGreaterThan(pks.length / 2); // let go, read back from disk
    await lazy.close();
    lazy = await startTestServer({ inMemory: false, db, lazy: { from: LAZY_FROM, cacheMB: 0.05 }, jobDuration: 0 });
    await check(lazy);
  });
});
