/** Journal + snapshot persistence: replay after a crash, damaged tails, group commit, background snapshots, layout. */
import { appendFile, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal, decodeLine, encodeEntry } from '../src/store/journal.js';
import { openStore, readCollectionsFile, writeCollectionsFile, type Store } from '../src/store/index.js';

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

async function fresh(options: { snapshotDelayMs?: number } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'geostub-journal-'));
  const file = join(dir, 'db.json');
  const warnings: string[] = [];
  const open = () =>
    openStore({
      file,
      seed,
      specs,
      warn: (m) => warnings.push(m),
      snapshotDelayMs: options.snapshotDelayMs ?? 60_000,
    });
  return { dir, file, warnings, open };
}

/** Change a store in every way a behaviour can. */
async function churn(s: Store): Promise<void> {
  const things = s.collection('things');
  things.insert({ name: 'three' });
  things.update(1, { name: 'uno', tags: ['x'] });
  const two = things.get(2)!;
  two.name = 'changed in place';
  things.update(2, {}); // the in-place signal
  things.delete(3);
  things.insert({ name: 'four' });
  s.collection('named').insert({ slug: 'b', label: 'é ✓ \u2028 "quoted"\nnewline' });
  s.collection('named').deleteWhere((r) => r.slug === 'a');
  await s.persist();
}

describe('journal', () => {
  it('replays every persisted change when the process died without a snapshot (kill -9)', async () => {
    const { open } = await fresh();
    const a = await open();
    await churn(a);
    const expected = a.snapshot();
    const b = await open(); // a never closed: only the journal has the changes
    expect(b.snapshot()).toBe(expected);
    expect(b.collection('things').insert({ name: 'next' }).id).toBe(5);
  });

  it('skips a torn last line and a damaged line with a warning, keeping every intact entry', async () => {
    const { dir, warnings, open } = await fresh();
    const a = await open();
    await churn(a);
    const expected = a.snapshot();
    const segments = (await readdir(dir)).filter((n) => n.startsWith('db.json.journal.'));
    expect(segments).toHaveLength(1);
    const segment = join(dir, segments[0]);
    const torn = encodeEntry({ op: 'put', c: 'things', id: '1', r: { id: 1, name: 'never acknowledged' } });
    await appendFile(segment, torn.slice(0, 30));
    const b = await open();
    expect(b.snapshot()).toBe(expected);
    expect(warnings.join('\n')).toMatch(/last line was cut short/);

    // flip one byte inside an earlier line: its checksum no longer matches, the line is skipped, the rest replays
    const text = await readFile(segment, 'utf8');
    await writeFile(segment, text.replace('"uno"', '"unO"'));
    warnings.length = 0;
    const c = await open();
    expect(warnings.join('\n')).toMatch(/damaged line/);
    expect(c.collection('things').get(1)?.name).toBe('one'); // that update was lost with its line, nothing else
    expect(c.collection('things').get(4)?.name).toBe('four');
  });

  it('folds the journal into the snapshot in the background and at close, then deletes the segments', async () => {
    const { dir, file, open } = await fresh({ snapshotDelayMs: 20 });
    const a = await open();
    await churn(a);
    // the background snapshot folds the journal in and deletes its segments: poll for that, no fixed wait
    await expect
      .poll(async () => (await readdir(dir)).filter((n) => n.includes('journal')), { timeout: 10_000 })
      .toEqual([]);
    const onDisk = JSON.parse(await readFile(file, 'utf8'));
    expect(onDisk.collections.things.map((t: { name: string }) => t.name)).toEqual(['uno', 'changed in place', 'four']);
    expect((await readdir(dir)).filter((n) => n.includes('journal'))).toEqual([]);
    a.collection('things').update(4, { name: 'vier' });
    await a.persist();
    await a.close();
    expect(await readdir(dir)).toEqual(['db.json']);
    const b = await open();
    expect(b.collection('things').get(4)?.name).toBe('vier');
  });

  it('a reset is journaled: a restart after it starts from the seed plus later writes', async () => {
    const { open } = await fresh();
    const a = await open();
    await churn(a);
    await a.reset();
    a.collection('things').insert({ name: 'after reset' });
    await a.persist();
    const b = await open();
    expect(
      b
        .collection('things')
        .list()
        .map((t) => t.name),
    ).toEqual(['one', 'two', 'after reset']);
  });

  it('group commit: writes queued in one turn share one flush, and each resolves only after it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'geostub-journal-'));
    const j = new Journal(join(dir, 'db.json'));
    let acknowledged = 0;
    const lines = Array.from({ length: 200 }, (_, i) =>
      encodeEntry({ op: 'put', c: 'things', id: String(i), r: { id: i } }),
    );
    const done = lines.map((l) => j.append([l]).then(() => acknowledged++));
    await Promise.all(done);
    expect(j.flushes).toBe(1);
    const text = await readFile(j.segmentPath(1), 'utf8');
    expect(
      text
        .split('\n')
        .filter(Boolean)
        .map((l) => decodeLine(l)?.op),
    ).toEqual(lines.map(() => 'put'));
    expect(acknowledged).toBe(200);
    await j.close();
  });

  it('reads snapshots line by line and hand-edited JSON whole', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'geostub-snapshot-'));
    const file = join(dir, 'x.json');
    const collections: [string, unknown[]][] = [
      ['a', [{ id: 1, s: 'line\nbreak ✓' }, { id: 2 }]],
      ['empty', []],
      ['b', [{ id: '"]' }]],
    ];
    await writeCollectionsFile(file, { version: 1, journal: 3 }, collections);
    const text = await readFile(file, 'utf8');
    expect(text.split('\n')).toHaveLength(11); // head, 3 openings, 3 records, 2 closings, the end, ''
    expect(JSON.parse(text)).toEqual({ version: 1, journal: 3, collections: Object.fromEntries(collections) });
    expect(await readCollectionsFile(file)).toEqual({
      head: { version: 1, journal: 3 },
      collections: Object.fromEntries(collections),
    });
    await writeFile(file, JSON.stringify(JSON.parse(text), null, 2));
    expect(await readCollectionsFile(file)).toEqual({
      head: { version: 1, journal: 3 },
      collections: Object.fromEntries(collections),
    });
    // records longer than the read chunk, and many lines across chunk borders
    const big: [string, unknown[]][] = [
      [
        'big',
        [{ id: 1, s: 'é'.repeat(5_000_000) }, ...Array.from({ length: 50_000 }, (_, i) => ({ id: i + 2, s: `ü${i}` }))],
      ],
    ];
    await writeCollectionsFile(file, { version: 1 }, big);
    expect(await readCollectionsFile(file)).toEqual({ head: { version: 1 }, collections: Object.fromEntries(big) });
  });
});
