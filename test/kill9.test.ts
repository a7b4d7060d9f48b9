/**
 * Durability under kill -9 and concurrency, against the real CLI in a child process: every acknowledged write
 * survives SIGKILL mid-storm (10 rounds on one db; 5 more on a store whose records are kept on disk and read back
 * from the snapshot or their journal lines), 500 parallel creates get 500 distinct ids that all survive, and
 * parallel PATCHes to one record leave one of the written states.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { call, startChild } from './helpers/child.js';
import { until } from './helpers/poll.js';

const WRITERS = 32;
const ROUNDS = 10;

/** What a writer knows about one of its resources: the last acknowledged state and the request still in flight. */
interface Known {
  title: number; // last acknowledged title number (-1: deleted)
  inFlight?: 'patch' | 'delete';
}

/** One writer: creates a resource, then patches it with increasing numbers, sometimes deletes it and starts over. */
async function writer(
  url: string,
  id: number,
  known: Map<string, Known>,
  stop: { now: boolean; acks: number },
): Promise<void> {
  let pk: string | undefined;
  let n = 0;
  while (!stop.now) {
    if (!pk) {
      const r = await call(url, 'POST', '/api/v2/resources/', { title: `w${id}-0` });
      if (r.status !== 201) return;
      pk = String(r.json.resource.pk);
      known.set(pk, { title: 0 });
      stop.acks++;
      n = 0;
      continue;
    }
    const k = known.get(pk)!;
    if (++n % 7 === 0) {
      k.inFlight = 'delete';
      const r = await call(url, 'DELETE', `/api/v2/resources/${pk}/`);
      if (r.status !== 204) return;
      known.set(pk, { title: -1 });
      stop.acks++;
      pk = undefined;
      continue;
    }
    k.inFlight = 'patch';
    const r = await call(url, 'PATCH', `/api/v2/resources/${pk}/`, { title: `w${id}-${n}` });
    if (r.status !== 200) return;
    known.set(pk, { title: n });
    stop.acks++;
  }
}

describe('kill -9', () => {
  it(`${ROUNDS} rounds of ${WRITERS} writers killed mid-storm: every acknowledged write is there after a restart`, async () => {
    const db = join(await mkdtemp(join(tmpdir(), 'geostub-kill9-')), 'db.json');
    const known = new Map<string, Known>();
    let acknowledged = 0;
    let s = await startChild(db);
    for (let round = 0; round < ROUNDS; round++) {
      const stop = { now: false, acks: 0 };
      const storm = Array.from({ length: WRITERS }, (_, i) => writer(s.url, round * 100 + i, known, stop));
      const killAt = 40 + Math.floor(Math.random() * 120); // a different point of the storm each round
      await until(() => stop.acks >= killAt, `${killAt} acknowledged writes`);
      await s.kill9(); // mid-storm: requests are in flight
      stop.now = true;
      await Promise.all(storm);
      acknowledged += stop.acks;

      s = await startChild(db); // the restarted server is checked, then takes the next round's storm
      expect((await call(s.url, 'GET', '/__geostub/health')).status).toBe(200);
      const entries = [...known];
      const answers = await Promise.all(entries.map(([pk]) => call(s.url, 'GET', `/api/v2/resources/${pk}/`)));
      entries.forEach(([pk, k], i) => {
        const r = answers[i];
        if (k.title === -1) expect(r.status, `resource ${pk} was deleted`).toBe(404);
        else if (r.status === 404) expect(k.inFlight, `resource ${pk} vanished`).toBe('delete');
        else {
          expect(r.status).toBe(200);
          const title = Number(/-(\d+)$/.exec(r.json.resource.title)?.[1]);
          expect(
            title,
            `resource ${pk}: acknowledged title ${k.title}, found ${r.json.resource.title}`,
          ).toBeGreaterThanOrEqual(k.title);
          known.set(pk, { title }); // an unacknowledged write may have reached the disk: that state is the truth now
        }
        if (r.status === 404) known.set(pk, { title: -1 });
      });
      if (round % 4 === 3) {
        await s.stop(); // now and then a clean stop, which folds the journal into the snapshot
        s = await startChild(db);
      }
    }
    await s.stop();
    expect(acknowledged).toBeGreaterThan(WRITERS * ROUNDS); // the storms did write
    const file = JSON.parse(await readFile(db, 'utf8')); // the snapshot loads as plain JSON
    expect(Array.isArray(file.collections.resources)).toBe(true);
  }, 120_000);
});

describe('kill -9 on a store kept on disk', () => {
  it('writers patching records read from the snapshot and the journal, killed mid-storm: every acknowledged write is there', async () => {
    const db = join(await mkdtemp(join(tmpdir(), 'geostub-kill9-lazy-')), 'db.json');
    // every resource a lazy record, a cache of a few: records are read from the snapshot or their journal line
    const lazy = ['--lazy-from', '50', '--cache-mb', '0.05'];
    let s = await startChild(db, lazy);
    const seeded = (await call(s.url, 'GET', '/api/v2/resources/?page_size=100')).json.resources.map(
      (r: { pk: string }) => String(r.pk),
    );
    expect(seeded.length).toBe(100);
    const acked = new Map<string, number>(); // pk → last acknowledged number
    let acks = 0;
    for (let round = 0; round < 5; round++) {
      const stop = { now: false };
      const storm = Array.from({ length: WRITERS }, async (_, w) => {
        for (let n = round * 1000 + 1; !stop.now; n++) {
          const pk = seeded[w * 3 + (n % 3)]; // three records per writer, numbers rising on each
          const r = await call(s.url, 'PATCH', `/api/v2/resources/${pk}/`, { title: `lazy-${n}` });
          if (r.status !== 200) return;
          acks++;
          if (n > (acked.get(pk) ?? 0)) acked.set(pk, n);
        }
      });
      const killAt = acks + 40 + Math.floor(Math.random() * 120); // a different point of the storm each round
      await until(() => acks >= killAt, `${killAt} acknowledged writes`);
      await s.kill9();
      stop.now = true;
      await Promise.all(storm);
      s = await startChild(db, lazy);
      const health = (await call(s.url, 'GET', '/__geostub/health')).json;
      expect(health.lazy.records).toBeGreaterThan(300); // resources (and catalogue items) kept on disk
      for (const [pk, n] of acked) {
        const r = await call(s.url, 'GET', `/api/v2/resources/${pk}/`);
        expect(r.status, pk).toBe(200);
        const found = Number(/^lazy-(\d+)$/.exec(r.json.resource.title)?.[1]);
        expect(found, `${pk}: acknowledged lazy-${n}, found ${r.json.resource.title}`).toBeGreaterThanOrEqual(n);
      }
    }
    await s.stop();
    expect(acks).toBeGreaterThan(WRITERS * 5);
  }, 120_000);
});

describe('concurrency', () => {
  it('500 parallel creates get 500 distinct ids, all there after kill -9; parallel PATCHes end in a written state', async () => {
    const db = join(await mkdtemp(join(tmpdir(), 'geostub-parallel-')), 'db.json');
    const s = await startChild(db);
    const created = await Promise.all(
      Array.from({ length: 500 }, (_, i) => call(s.url, 'POST', '/api/v2/resources/', { title: `parallel ${i}` })),
    );
    expect(created.map((r) => r.status)).toEqual(created.map(() => 201));
    const pks = created.map((r) => String(r.json.resource.pk));
    expect(new Set(pks).size).toBe(500);

    const target = pks[0];
    const titles = Array.from({ length: 64 }, (_, i) => `written ${i}`);
    const patched = await Promise.all(
      titles.map((title) => call(s.url, 'PATCH', `/api/v2/resources/${target}/`, { title })),
    );
    expect(patched.map((r) => r.status)).toEqual(titles.map(() => 200));
    const final = (await call(s.url, 'GET', `/api/v2/resources/${target}/`)).json.resource.title;
    expect(titles).toContain(final);
    await s.kill9();

    const again = await startChild(db);
    try {
      const back = await Promise.all(pks.map((pk) => call(again.url, 'GET', `/api/v2/resources/${pk}/`)));
      expect(back.map((r) => r.status)).toEqual(pks.map(() => 200));
      expect(back.slice(1).map((r) => r.json.resource.title)).toEqual(pks.slice(1).map((_, i) => `parallel ${i + 1}`));
      expect(back[0].json.resource.title).toBe(final);
    } finally {
      await again.stop();
    }
  }, 60_000);
});
