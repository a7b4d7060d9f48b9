/** The store: seed copied on first start, fixtures never written, journaled persistence, reset, O(1) lookups. */
import { mkdtemp, readFile, readdir, writeFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/store/index.js';

const specs = {
  things: { idField: 'id', idKind: 'int' as const },
  named: { idField: 'slug', idKind: 'given' as const },
};
const seed = async () => ({
  things: [
    { id: 1, name: 'one' },
    { id: 2, name: 'two' },
  ],
  named: [{ slug: 'a' }],
});

describe('store', () => {
  it('copies the seed into a new db file on first start and reads it back on the next', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'geostub-store-'));
    const file = join(dir, 'nested', 'db.json');
    const a = await openStore({ file, seed, specs });
    a.collection('things').insert({ name: 'three' });
    await a.persist();
    await a.close();
    const onDisk = JSON.parse(await readFile(file, 'utf8'));
    expect(onDisk.collections.things.map((t: { id: number }) => t.id)).toEqual([1, 2, 3]);
    const b = await openStore({ file, seed: async () => ({ things: [], named: [] }), specs });
    expect(b.collection('things').get(3)).toEqual({ id: 3, name: 'three' });
    await b.close();
    // only the db file is left behind: the snapshot's temporary file was renamed over it, the journal folded in
    expect(await readdir(join(dir, 'nested'))).toEqual(['db.json']);
  });

  it('never writes the seed source, and reset restores it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'geostub-store-'));
    const fixture = join(dir, 'fixture.json');
    await writeFile(fixture, JSON.stringify({ collections: { things: [{ id: 1, name: 'one' }], named: [] } }));
    const before = await stat(fixture);
    const fromFile = async () => JSON.parse(await readFile(fixture, 'utf8')).collections;
    const s = await openStore({ file: join(dir, 'db.json'), seed: fromFile, specs });
    s.collection('things').update(1, { name: 'changed' });
    s.collection('things').insert({ name: 'new' });
    await s.persist();
    expect((await stat(fixture)).mtimeMs).toBe(before.mtimeMs);
    await s.reset();
    expect(s.collection('things').list()).toEqual([{ id: 1, name: 'one' }]);
    const again = await openStore({ file: join(dir, 'db.json'), seed: fromFile, specs }); // as after kill -9
    expect(again.collection('things').list()).toEqual([{ id: 1, name: 'one' }]);
    await s.close();
    expect(JSON.parse(await readFile(join(dir, 'db.json'), 'utf8')).collections.things).toEqual([
      { id: 1, name: 'one' },
    ]);
  });

  it('in memory keeps nothing on disk', async () => {
    const s = await openStore({ inMemory: true, file: join(tmpdir(), 'never-written.json'), seed, specs });
    expect(s.persistent).toBe(false);
    s.collection('things').insert({ name: 'x' });
    await s.persist();
    await expect(stat(join(tmpdir(), 'never-written.json'))).rejects.toThrow();
  });

  it('refuses a corrupt db file with a message that says what to do', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'geostub-store-'));
    const file = join(dir, 'db.json');
    await writeFile(file, '{"collections": [');
    await expect(openStore({ file, seed, specs })).rejects.toThrow(/not valid JSON.*Delete it/);
    await writeFile(file, '{"version": 1}');
    await expect(openStore({ file, seed, specs })).rejects.toThrow(/no "collections" key.*Delete it/);
  });

  it('looks records up by id through an index, and keeps it through inserts, updates and removals', async () => {
    const many = Array.from({ length: 50_000 }, (_, i) => ({ id: i + 1, name: `n${i}` }));
    const s = await openStore({ inMemory: true, seed: async () => ({ things: many, named: [{ slug: 'a' }] }), specs });
    const things = s.collection('things');
    expect(things.get(49_999)?.name).toBe('n49998');
    expect(things.get('49999')?.name).toBe('n49998');
    expect(things.insert({ name: 'next' }).id).toBe(50_001);
    expect(things.delete(10)).toBe(true);
    expect(things.get(10)).toBeUndefined();
    expect(things.deleteWhere((t) => Number(t.id) <= 5)).toBe(5);
    expect(things.get(3)).toBeUndefined();
    expect(things.get(6)?.name).toBe('n5');
    expect(() => s.collection('named').insert({ slug: 'a' })).toThrow(/duplicate/);
  });

  it('keeps secondary indexes (where) up to date through inserts, updates, in-place signals and removals', async () => {
    const s = await openStore({
      inMemory: true,
      seed: async () => ({
        things: [
          { id: 1, tags: ['a', 'b'] },
          { id: 2, tags: ['b'] },
        ],
        named: [],
      }),
      specs,
    });
    const things = s.collection('things');
    const ids = (v: string) =>
      things
        .where('tags', v)
        .map((t) => t.id)
        .sort();
    expect(ids('b')).toEqual([1, 2]);
    things.insert({ tags: ['b', 'c'] });
    things.update(1, { tags: ['c'] });
    expect([ids('a'), ids('b'), ids('c')]).toEqual([[], [2, 3], [1, 3]]);
    (things.get(2)!.tags as string[]).push('z');
    things.update(2, {}); // the in-place signal
    expect(ids('z')).toEqual([2]);
    things.delete(3);
    things.deleteWhere((t) => t.id === 2);
    expect([ids('b'), ids('c'), ids('z')]).toEqual([[], [1], []]);
  });
});
