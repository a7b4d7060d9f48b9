/**
 * Lazy records (src/store/lazy.ts, snapshot-index.ts): a large collection with hot fields is indexed beside the
 * snapshot and, on the next start, read record by record when first needed.
 */
import { mkdtemp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../src/store/store.js';
import { copyRecord } from '../src/store/collection.js';
import { isLazy } from '../src/store/lazy.js';

const specs = {
  things: { idField: 'id', idKind: 'int' as const, hot: ['kind', 'owner'] },
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
  const first = await Store.open({ file, seed, specs, lazy: { from: 3 } });
  await first.close();
  return file;
}

/** Poll `done` every 10 ms, at most `tries` times. */
async function until(done: () => boolean | Promise<boolean>, tries = 200): Promise<void> {
  for (let i = 0; i < tries && !(await done()); i++) await new Promise((r) => setTimeout(r, 10));
}

/** Rewrite the snapshot's index with `change` applied. */
async function editIndex(file: string, change: (index: any) => void | Promise<void>): Promise<void> {
  const index = JSON.parse(await readFile(`${file}.index`, 'utf8'));
  await change(index);
  await writeFile(`${file}.index`, JSON.stringify(index));
}

const recordLines = async (file: string) => (await readFile(file, 'utf8')).split('\n').filter((l) => l.startsWith('{"id"')).map((l) => l.replace(/,$/, ''));

describe('lazy records', () => {
  it('are indexed on first start and not parsed on the next, while their hot fields answer', async () => {
    const file = await fresh();
    expect(await readdir(join(file, '..'))).toEqual(['db.json', 'db.json.index']);
    const s = await Store.open({ file, seed, specs, lazy: { from: 3 }, snapshotDelayMs: 60_000 });
    const c = s.collection('things');
    expect(c.all().every(isLazy)).toBe(true);
    expect(s.collection('small').all().some(isLazy)).toBe(false); // no hot fields: always parsed
    expect(c.all().map((r) => [r.id, r.kind, r.owner])).toEqual(things().map((t) => [t.id, t.kind, t.owner]));
    expect(c.get(3)!.kind).toBeUndefined(); // absent, not null
    expect(c.get(2)!.kind).toBeNull();
    expect(['kind' in c.get(2)!, 'kind' in c.get(3)!]).toEqual([true, false]);
    expect(c.all().every(isLazy)).toBe(true); // hot fields and ids did not parse anything
    expect(c.get(4)!.name).toBe('fo\u00fcr \u2603'); // a cold field parses that record only
    expect(isLazy(c.get(4)!)).toBe(false);
    expect(c.all().filter(isLazy).map((r) => r.id)).toEqual([1, 2, 3, 5]);
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
    const s = await Store.open({ file, seed, specs, lazy: { from: 3 }, snapshotDelayMs: 60_000 });
    const c = s.collection('things');
    c.update(2, { name: 'TWO' });
    c.remove(3);
    c.insert({ name: 'six', kind: 'c', owner: OWNER });
    await s.persist();
    // reopen while the first store is still running (as after kill -9): the journal is replayed over lazy records
    const replayed = await Store.open({ file, seed, specs, lazy: { from: 3 } });
    expect(replayed.collection('things').all().map((r) => [r.id, r.name])).toEqual([[1, 'one'], [2, 'TWO'], [4, 'fo\u00fcr \u2603'], [5, 'five'], [6, 'six']]);
    await s.close(); // writes the snapshot
    const after = await recordLines(file);
    expect(after.filter((l) => before.includes(l)).length).toBe(4); // 1, 4, 5 untouched, and "small"'s record
    expect(after.some((l) => l.includes('"TWO"'))).toBe(true);
    const again = await Store.open({ file, seed, specs, lazy: { from: 3 } });
    expect(again.collection('things').all().map((r) => r.name)).toEqual(['one', 'TWO', 'fo\u00fcr \u2603', 'five', 'six']);
    expect(again.collection('things').get(6)!.kind).toBe('c');
    await again.close();
    await replayed.close();
  });

  it('are all parsed in the background soon after start', async () => {
    const file = await fresh();
    const s = await Store.open({ file, seed, specs, lazy: { from: 3 } });
    expect(s.collection('things').all().some(isLazy)).toBe(true);
    await until(() => !s.collection('things').all().some(isLazy));
    expect(s.collection('things').all().some(isLazy)).toBe(false);
    expect(s.collection('things').all().map((r) => ({ ...r }))).toEqual(things());
    await s.close();
  });

  it('are not used when the db file was edited after its index was written', async () => {
    const file = await fresh();
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('"name":"five"', '"name":"FIVE (edited)"'));
    const s = await Store.open({ file, seed, specs, lazy: { from: 3 }, snapshotDelayMs: 10 });
    expect(s.collection('things').all().some(isLazy)).toBe(false);
    expect(s.collection('things').get(5)!.name).toBe('FIVE (edited)');
    // a new index is written for the next start
    const indexed = async () => JSON.parse(await readFile(`${file}.index`, 'utf8')).size === (await stat(file)).size;
    await until(indexed);
    expect(await indexed()).toBe(true);
    await s.close();
    const next = await Store.open({ file, seed, specs, lazy: { from: 3 } });
    expect(next.collection('things').all().every(isLazy)).toBe(true);
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
    const s = await Store.open({ file, seed, specs, lazy: { from: 3 } });
    expect(s.collection('things').all().some(isLazy)).toBe(false);
    expect(s.collection('things').all().map((r) => ({ ...r }))).toEqual(things());
    await s.close();
  });

  it('a damaged record found by the background parse is reported, not a crash', async () => {
    const file = await fresh();
    const text = await readFile(file, 'utf8');
    const line = text.split('\n').find((l) => l.includes('"name":"three"'))!;
    await writeFile(file, text.replace(line, '{' + '#'.repeat(line.length - 1))); // same size
    const { mtimeMs } = await stat(file);
    await editIndex(file, (index) => void (index.mtimeMs = mtimeMs)); // as if the damage kept the mtime
    const warnings: string[] = [];
    const s = await Store.open({ file, seed, specs, lazy: { from: 3 }, warn: (m) => warnings.push(m) });
    await until(() => warnings.length > 0);
    expect(warnings.join('\n')).toMatch(/cannot be read/);
    expect(s.collection('things').get(5)!.name).toBe('five');
    expect(() => s.collection('things').get(3)!.name).toThrow();
    await s.close();
  });

  it('a reset replaces them, at run time and when the journal replays one at start', async () => {
    const file = await fresh();
    const s = await Store.open({ file, seed, specs, lazy: { from: 3, inBackground: false } });
    expect(s.unparsed).toBe(5);
    await s.reset();
    expect(s.unparsed).toBe(0);
    const replayed = await Store.open({ file, seed, specs, lazy: { from: 3, inBackground: false } }); // as after kill -9
    expect(replayed.unparsed).toBe(0);
    expect(replayed.collection('things').all().map((r) => r.name)).toEqual(things().map((t) => t.name));
    await replayed.close();
    await s.close();
  });

  it('a collection under the threshold is written without an index', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'geostub-lazy-'));
    const s = await Store.open({ file: join(dir, 'db.json'), seed, specs, lazy: { from: 6 } });
    await s.close();
    expect(await readdir(dir)).toEqual(['db.json']);
  });
});
