/**
 * Lazy records (src/store/lazy.ts, snapshot-index.ts): a large collection with hot fields is indexed beside the
 * snapshot and, on the next start, read record by record when first needed.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyRecord, openStore } from '../src/store/index.js';
import { LazySource, RecordCache, isLazy, lazyRecord, saved } from '../src/store/lazy.js';
import { until } from './helpers/poll.js';

const specs = {
  things: { idField: 'id', idKind: 'int' as const, onDisk: { inMemory: ['kind', 'owner'] } },
  small: { idField: 'id', idKind: 'int' as const },
};
const OWNER = { pk: 7, username: 'ann' };
const things = () => [
  { id: 1, name: 'one', kind: 'a', owner: OWNER, tags: ['x'] },
  { id: 2, name: 'two', kind: null, owner: OWNER },
  { id: 3, name: 'three', owner: { pk: 8, username: 'ben' } }, // no kind at all
  { id: 4, name: 'fo\u00fcr \u2603', kind: 'b', owner: OWNER, nested: { deep: [1, { x: 'y' }] } },
  { id: 5, name: 'five', kind: 'a', owner: null },
];
const seed = async () => ({ things: things(), small: [{ id: 1 }] });

async function fresh(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'geostub-lazy-'));
  const file = join(dir, 'db.json');
  const first = await openStore({ file, seed, specs, lazy: { from: 3 } });
  await first.close();
  return file;
}

/** Let the event loop turn (the record cache lets records go between turns). */
const turn = () => new Promise((r) => setImmediate(r));

/** Rewrite the snapshot's index with `change` applied. */
async function editIndex(file: string, change: (index: any) => void | Promise<void>): Promise<void> {
  const index = JSON.parse(await readFile(`${file}.index`, 'utf8'));
  await change(index);
  await writeFile(`${file}.index`, JSON.stringify(index));
}

const recordLines = async (file: string) =>
  (await readFile(file, 'utf8'))
    .split('\n')
    .filter((l) => l.startsWith('{"id"'))
    .map((l) => l.replace(/,$/, ''));

describe('lazy records', () => {
  it('are indexed on first start and not parsed on the next, while their hot fields answer', async () => {
    const file = await fresh();
    expect(await readdir(join(file, '..'))).toEqual(['db.json', 'db.json.index']);
    const s = await openStore({ file, seed, specs, lazy: { from: 3 }, snapshotDelayMs: 60_000 });
    const c = s.collection('things');
    expect(c.list().every(isLazy)).toBe(true);
    expect(s.collection('small').list().some(isLazy)).toBe(false); // no hot fields: always parsed
    expect(c.list().map((r) => [r.id, r.kind, r.owner])).toEqual(things().map((t) => [t.id, t.kind, t.owner]));
    expect(c.get(3)!.kind).toBeUndefined(); // absent, not null
    expect(c.get(2)!.kind).toBeNull();
    expect(['kind' in c.get(2)!, 'kind' in c.get(3)!]).toEqual([true, false]);
    expect(c.list().every(isLazy)).toBe(true); // hot fields and ids did not parse anything
    expect(c.get(4)!.name).toBe('fo\u00fcr \u2603'); // a cold field parses that record only
    expect(isLazy(c.get(4)!)).toBe(false);
    expect(
      c
        .list()
        .filter(isLazy)
        .map((r) => r.id),
    ).toEqual([1, 2, 3, 5]);
    expect(Object.keys(c.get(1)!)).toEqual(['id', 'name', 'kind', 'owner', 'tags']); // the file's key order
    expect({ ...c.get(4)! }).toEqual(things()[3]);
    expect(JSON.stringify(c.get(1))).toBe(JSON.stringify(things()[0]));
    expect('tags' in c.get(1)!).toBe(true);
    expect(copyRecord(c.get(5)!)).toEqual(things()[4]);
    expect(() => structuredClone(c.get(2))).toThrow(); // why copyRecord exists
    await s.close();
  });

  it('copies unparsed records into the next snapshot byte for byte, and journals changed ones', async () => {
    const file = await fresh();
    const before = await recordLines(file);
    const s = await openStore({ file, seed, specs, lazy: { from: 3 }, snapshotDelayMs: 60_000 });
    const c = s.collection('things');
    c.update(2, { name: 'TWO' });
    c.delete(3);
    c.insert({ name: 'six', kind: 'c', owner: OWNER });
    await s.persist();
    // reopen while the first store is still running (as after kill -9): the journal is replayed over lazy records
    const replayed = await openStore({ file, seed, specs, lazy: { from: 3 } });
    expect(
      replayed
        .collection('things')
        .list()
        .map((r) => [r.id, r.name]),
    ).toEqual([
      [1, 'one'],
      [2, 'TWO'],
      [4, 'fo\u00fcr \u2603'],
      [5, 'five'],
      [6, 'six'],
    ]);
    await s.close(); // writes the snapshot
    const after = await recordLines(file);
    expect(after.filter((l) => before.includes(l)).length).toBe(4); // 1, 4, 5 untouched, and "small"'s record
    expect(after.some((l) => l.includes('"TWO"'))).toBe(true);
    const again = await openStore({ file, seed, specs, lazy: { from: 3 } });
    expect(
      again
        .collection('things')
        .list()
        .map((r) => r.name),
    ).toEqual(['one', 'TWO', 'fo\u00fcr \u2603', 'five', 'six']);
    expect(again.collection('things').get(6)!.kind).toBe('c');
    await again.close();
    await replayed.close();
  });

  it('keep at most the cache budget in memory: older records are let go on the next turn and read again', async () => {
    const file = await fresh();
    const budget = 150; // bytes: about two records
    const s = await openStore({ file, seed, specs, lazy: { from: 3, cacheMB: budget / 1024 / 1024 } });
    const c = s.collection('things');
    const ids = [1, 2, 3, 4, 5];
    expect(ids.map((id) => c.get(id)!.name)).toEqual(things().map((t) => t.name)); // all five loaded in one turn
    expect(c.list().some(isLazy)).toBe(false); // never let go in the middle of a request's work
    await turn();
    await turn(); // the first pass gives each a second chance, a later one lets them go
    void c.get(5)!.name; // in use: kept
    await turn();
    const loaded = c
      .list()
      .filter((r) => !isLazy(r))
      .map((r) => r.id);
    expect(loaded.length).toBeLessThanOrEqual(2);
    expect(s.diskRecords).toMatchObject({ records: 5, loaded: loaded.length });
    expect(c.list().map((r) => ({ ...r }))).toEqual(things()); // read again, the same
    expect(s.diskRecords.reads).toBeGreaterThanOrEqual(5 + 5 - loaded.length);
    await s.close();
  });

  it('keep a changed record in memory until its journal line is on disk, then read it from there', async () => {
    const file = await fresh();
    const s = await openStore({ file, seed, specs, lazy: { from: 3, cacheMB: 0 }, snapshotDelayMs: 60_000 });
    const c = s.collection('things');
    c.update(2, { name: 'TWO', kind: 'z' });
    const tags = c.get(1)!.tags as string[];
    tags.push('y'); // changed in place, then announced with an empty update
    c.update(1, {});
    await turn();
    await turn();
    expect([isLazy(c.get(1)!), isLazy(c.get(2)!)]).toEqual([false, false]); // not stored yet: kept
    await s.persist();
    await turn();
    await turn();
    expect([isLazy(c.get(1)!), isLazy(c.get(2)!)]).toEqual([true, true]); // stored in the journal: let go
    expect(c.get(2)!.kind).toBe('z'); // the hot column follows the change
    expect(c.get(2)!.name).toBe('TWO'); // read from the journal line
    expect(c.get(1)!.tags).toEqual(['x', 'y']);
    expect(readFileSync(`${file}.journal.1`, 'utf8')).toContain('"TWO"');
    // changed again before the earlier line is on disk: the later state wins
    c.update(2, { name: 'two again' });
    const first = s.persist();
    c.update(2, { name: 'two, third' });
    await Promise.all([first, s.persist()]);
    await turn();
    await turn();
    expect(isLazy(c.get(2)!)).toBe(true);
    expect(c.get(2)!.name).toBe('two, third');
    await s.close();
  });

  it('keep their hot columns in step with changes, objects included, once the change is stored', async () => {
    const file = await fresh();
    const s = await openStore({ file, seed, specs, lazy: { from: 3, cacheMB: 0 }, snapshotDelayMs: 60_000 });
    const c = s.collection('things');
    c.update(1, { owner: { pk: 9, username: 'zed' } });
    c.update(5, { kind: undefined }); // JSON drops it: absent once stored
    const r3 = c.get(3)!;
    delete r3.owner;
    c.update(3, {});
    await s.persist();
    await turn();
    await turn();
    expect(c.list().every(isLazy)).toBe(true);
    expect([c.get(1)!.owner, 'kind' in c.get(5)!, 'owner' in c.get(3)!, c.get(2)!.owner]).toEqual([
      { pk: 9, username: 'zed' },
      false,
      false,
      OWNER,
    ]);
    expect(Object.isFrozen(c.get(1)!.owner)).toBe(true); // a column value is shared: never changed in place
    expect(c.list().every(isLazy)).toBe(true);
    await s.close();
    const again = await openStore({ file, seed, specs, lazy: { from: 3 } });
    expect(again.collection('things').get(1)!.owner).toEqual({ pk: 9, username: 'zed' });
    await again.close();
  });

  it('ignore a stored copy older than the newest one (a snapshot that finished after a later journal line)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'geostub-lazy-'));
    await writeFile(join(dir, 'a'), '{"id":1,"name":"A"}');
    await writeFile(join(dir, 'b'), 'xx{"id":1,"name":"B"}');
    const cache = new RecordCache(0);
    const [a, b] = [new LazySource(join(dir, 'a'), cache), new LazySource(join(dir, 'b'), cache)];
    const columns = { names: new Set(['id']), values: new Map([['id', [1]]]) };
    const rec = lazyRecord(a, 0, 19, columns, 0);
    rec.name = 'B'; // one change, written to "b" (as a journal line)
    saved(rec, 1, b, 2, 19);
    saved(rec, 0, a, 0, 19); // a copy made before the change (a snapshot) lands last: ignored
    await turn();
    expect(isLazy(rec)).toBe(true);
    expect(rec.name).toBe('B');
    expect([a.open, b.open]).toEqual([true, true]); // neither retired yet
    a.retire();
    expect(a.open).toBe(false); // no record is stored in it any more
    b.close();
  });

  it('refuse a record cache or threshold that is not a size', async () => {
    const file = await fresh();
    await expect(openStore({ file, seed, specs, lazy: { cacheMB: -1 } })).rejects.toThrow(
      /--cache-mb.*0 or more MB, not -1/,
    );
    await expect(openStore({ file, seed, specs, lazy: { cacheMB: Number.NaN } })).rejects.toThrow(/not NaN/);
    await expect(openStore({ file, seed, specs, lazy: { from: 0.5 } })).rejects.toThrow(/--lazy-from.*whole number/);
  });

  it('are read from the next snapshot once it is written, and the journal segments it includes are deleted', async () => {
    const file = await fresh();
    const s = await openStore({ file, seed, specs, lazy: { from: 3, cacheMB: 0 }, snapshotDelayMs: 20 });
    const c = s.collection('things');
    c.update(4, { name: 'FOUR' });
    c.delete(3);
    await s.persist();
    await until(
      async () => !(await readdir(join(file, '..'))).some((n) => n.includes('journal')),
      'the journal deleted',
      {
        every: 10,
      },
    );
    expect((await readdir(join(file, '..'))).sort()).toEqual(['db.json', 'db.json.index']);
    await turn();
    await turn();
    expect(c.list().every(isLazy)).toBe(true);
    expect(c.list().map((r) => r.name)).toEqual(['one', 'two', 'FOUR', 'five']);
    expect(s.diskRecords.records).toBe(4);
    await s.close();
  });

  it('are not used when the db file was edited after its index was written', async () => {
    const file = await fresh();
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('"name":"five"', '"name":"FIVE (edited)"'));
    const s = await openStore({ file, seed, specs, lazy: { from: 3 }, snapshotDelayMs: 10 });
    expect(s.collection('things').list().some(isLazy)).toBe(false);
    expect(s.collection('things').get(5)!.name).toBe('FIVE (edited)');
    // a new index is written for the next start
    const indexed = async () => JSON.parse(await readFile(`${file}.index`, 'utf8')).size === (await stat(file)).size;
    await until(indexed, 'the new index', { every: 10 });
    expect(await indexed()).toBe(true);
    await s.close();
    const next = await openStore({ file, seed, specs, lazy: { from: 3 } });
    expect(next.collection('things').list().every(isLazy)).toBe(true);
    expect(next.collection('things').get(5)!.name).toBe('FIVE (edited)');
    await next.close();
  });

  it('an index that does not lead to the records it names is passed over, not trusted', async () => {
    const file = await fresh();
    await editIndex(file, (index) => {
      for (const c of index.collections) {
        c.start += 3; // damaged: every byte range and offset is off
        if (c.lazy) c.lazy.offsets = c.lazy.offsets.map((o: number) => o + 3);
      }
    });
    const s = await openStore({ file, seed, specs, lazy: { from: 3 } });
    expect(s.collection('things').list().some(isLazy)).toBe(false);
    expect(
      s
        .collection('things')
        .list()
        .map((r) => ({ ...r })),
    ).toEqual(things());
    await s.close();
  });

  it('a damaged record is an error for whoever reads it, not a crash', async () => {
    const file = await fresh();
    const text = await readFile(file, 'utf8');
    const line = text.split('\n').find((l) => l.includes('"name":"three"'))!;
    await writeFile(file, text.replace(line, '{' + '#'.repeat(line.length - 1))); // same size
    const { mtimeMs } = await stat(file);
    await editIndex(file, (index) => void (index.mtimeMs = mtimeMs)); // as if the damage kept the mtime
    const s = await openStore({ file, seed, specs, lazy: { from: 3 } });
    expect(s.collection('things').get(5)!.name).toBe('five');
    expect(() => s.collection('things').get(3)!.name).toThrow(/JSON/);
    expect(s.collection('things').get(3)!.kind).toBeUndefined(); // its hot fields still answer
    await s.close();
  });

  it('a reset replaces them, at run time and when the journal replays one at start', async () => {
    const file = await fresh();
    const s = await openStore({ file, seed, specs, lazy: { from: 3 } });
    expect(s.diskRecords.records).toBe(5);
    await s.reset();
    expect(s.diskRecords.records).toBe(0);
    const replayed = await openStore({ file, seed, specs, lazy: { from: 3 } }); // as after kill -9
    expect(replayed.diskRecords.records).toBe(0);
    expect(
      replayed
        .collection('things')
        .list()
        .map((r) => r.name),
    ).toEqual(things().map((t) => t.name));
    await replayed.close();
    await s.close();
  });

  it('a collection under the threshold is written without an index', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'geostub-lazy-'));
    const s = await openStore({ file: join(dir, 'db.json'), seed, specs, lazy: { from: 6 } });
    await s.close();
    expect(await readdir(dir)).toEqual(['db.json']);
  });

  it('are only made for collections whose definition says onDisk: a large one without it stays in memory', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'geostub-lazy-')), 'db.json');
    const many = async () => ({ things: things(), small: Array.from({ length: 6 }, (_, i) => ({ id: i + 1 })) });
    await (await openStore({ file, seed: many, specs, lazy: { from: 3 } })).close();
    const s = await openStore({ file, seed: many, specs, lazy: { from: 3 } });
    expect(s.collection('things').list().filter(isLazy)).toHaveLength(5);
    expect(s.collection('small').list().filter(isLazy)).toHaveLength(0);
    expect(s.diskRecords.records).toBe(5);
    await s.close();
  });
});
