/**
 * The store: named collections held in memory, made durable by a journal and a snapshot; the one place that
 * orders the journal, the snapshots and the files of lazy records through open, persist, snapshot, close and reset.
 *
 * - Snapshot: the JSON file users read and edit (`.geostub/db.json`, `{ "version": 1, "journal": n,
 *   "collections": {…} }`, one record per line; see snapshot.ts). Written whole at first start, in the background
 *   when writes pause (or when the journal has grown large), and at shutdown.
 * - Journal: `persist()` turns the changes the collections recorded into journal lines and resolves once they are
 *   on disk (group commit, see journal.ts). So an acknowledged write survives `kill -9`; the snapshot is never on
 *   the request path.
 * - Start: read the snapshot, replay the journal segments it does not include (a damaged tail is skipped with a
 *   warning). The seed fixtures are copied in on first start and never written.
 */
import { access, mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Collection, type StoredRecord } from './collection.js';
import type { StoreOptions } from './options.js';
import { Journal, changeLines, encodeEntry, type JournalEntry, type JournaledRecord } from './journal.js';
import { lastReset, replayJournal } from './replay.js';
import { MemoPool } from './memo.js';
import { writeCollectionsFile } from './snapshot.js';
import { readSnapshot, type IndexPlan } from './snapshot-index.js';
import { isPaged, saved, writesOf } from './lazy.js';
import { LazyFiles, type LazyStats, type PlacedRecord } from './lazy-files.js';

export type { LazyOptions } from './lazy-files.js';
export type { StoreData, StoreOptions } from './options.js';

/** A snapshot is also taken, writes or not, once the journal holds this many characters (or the snapshot's size). */
const JOURNAL_LIMIT = 64 << 20;

export class Store {
  private collections = new Map<string, Collection>();
  /** collections in the file that the specs do not know (data from another version): kept as they are */
  private foreign: Record<string, StoredRecord[]> = {};
  /** bumped by reset, so caches keyed on collection versions never survive a reset */
  private generation = 0;
  private memos = new MemoPool(256);
  /** whole answers (list pages a front end repeats), kept until anything changes */
  private answers = new MemoPool(64);
  private readonly journal?: Journal;
  private snapshotTimer?: NodeJS.Timeout;
  private snapshotting?: Promise<void>;
  /** the journal holds entries the snapshot on disk does not */
  private snapshotStale = false;
  private snapshotBytes = 0;
  /** how long the last snapshot took to write */
  private snapshotMs = 0;
  private closed = false;
  /** the files large collections' records are stored in, and the cache of those in memory (lazy.ts) */
  private readonly lazy: LazyFiles;

  private constructor(
    private readonly options: StoreOptions,
    readonly persistent: boolean,
  ) {
    if (persistent) this.journal = new Journal(options.file!, this.warn);
    this.lazy = new LazyFiles(options.lazy, (n) => this.journal!.segmentPath(n));
  }

  static async open(options: StoreOptions): Promise<Store> {
    const persistent = !options.inMemory && !!options.file;
    const store = new Store(options, persistent);
    if (!persistent) {
      store.load(await options.seed());
      return store;
    }
    const file = options.file!;
    const journal = store.journal!;
    await mkdir(dirname(file), { recursive: true });
    const segments = await journal.segments();
    let next = (segments.at(-1) ?? 0) + 1;
    const exists = await access(file).then(() => true, () => false);
    if (!exists) {
      // first start (or the db was deleted to start again): journal segments left beside it belong to the old data
      store.load(await options.seed());
      await journal.removeBefore(Infinity);
      store.snapshotBytes = await writeCollectionsFile(file, { version: 1, journal: next }, store.entries(), store.indexPlan);
      // large collections are then read back from the file just written, as lazy records
      if (store.pageable()) await store.loadSnapshot(file);
    } else {
      const { head, lazy } = await store.loadSnapshot(file);
      if (lazy) store.lazy.warm(file);
      const from = Number(head.journal) || 0;
      next = Math.max(next, from); // never write below the segment the snapshot says to replay from
      const reset = await lastReset(journal, from);
      if (reset) store.lazy.drop();
      if (reset) store.load(await options.seed());
      const report = await replayJournal(journal, reset ?? { segment: from, line: 0 }, (e) => store.apply(e), store.warn);
      for (const c of store.collections.values()) c.endReplay();
      // fold what was replayed into a fresh snapshot soon, so the next start reads one file
      // and write an index for the next start where a large collection could have been read lazily but was not
      if (report.entries || report.damaged || reset || (!lazy && store.pageable())) store.scheduleSnapshot();
    }
    journal.startAt(next);
    for (const c of store.collections.values()) c.recordChanges();
    return store;
  }

  private get indexPlan(): IndexPlan {
    const hotFields = (name: string) => {
      const spec = this.options.specs[name];
      return spec?.hot ? [...new Set([spec.idField, ...spec.hot])] : undefined; // the id index reads every id
    };
    return { lazyFrom: this.lazy.from, hotFields };
  }

  /** Whether a collection is large enough to be kept on disk as lazy records. */
  private pageable(): boolean {
    const plan = this.indexPlan;
    return [...this.collections.values()].some((c) => plan.hotFields(c.name) && c.size >= plan.lazyFrom);
  }

  /** Load the snapshot (large collections as lazy records when it has an index): its head, and whether any is lazy. */
  private async loadSnapshot(file: string): Promise<{ head: Record<string, unknown>; lazy: boolean }> {
    const read = await readSnapshot(file, this.indexPlan.hotFields, this.lazy.cache);
    this.snapshotBytes = (await stat(file)).size;
    this.lazy.drop();
    this.load(read.collections);
    if (read.source) this.lazy.addSnapshot(read.source);
    return { head: read.head, lazy: !!read.source };
  }

  private readonly warn = (message: string) => (this.options.warn ?? ((m: string) => console.warn(`geostub: ${m}`)))(message);

  private load(data: Record<string, StoredRecord[]>): void {
    this.collections.clear();
    this.foreign = {};
    for (const [name, records] of Object.entries(data)) if (!this.options.specs[name]) this.foreign[name] = records;
    for (const [name, spec] of Object.entries(this.options.specs)) {
      const c = new Collection(name, spec, data[name] ?? []);
      this.collections.set(name, c);
    }
  }

  private apply(e: JournalEntry): void {
    if (e.op === 'reset') return; // handled by starting from the seed (lastReset)
    const c = this.collections.get(e.c);
    if (!c) throw new Error(`unknown collection ${e.c}`);
    if (e.op !== 'ins' && e.op !== 'put' && e.op !== 'del') throw new Error(`unknown journal operation ${String(e.op)}`);
    c.replay(e.op, String(e.id), e.op === 'del' ? undefined : e.r);
  }

  /** Every collection with its (live) records, known ones first, in spec order. */
  private entries(): [string, readonly StoredRecord[]][] {
    return [...[...this.collections].map(([n, c]) => [n, c.all()] as [string, readonly StoredRecord[]]), ...Object.entries(this.foreign)];
  }

  /** A stamp that changes whenever any collection changes (for caches of derived data). */
  stamp(names?: readonly string[]): string {
    let out = String(this.generation);
    if (names) for (const n of names) out += `:${this.collection(n).version}`;
    else for (const c of this.collections.values()) out += `:${c.version}`;
    return out;
  }

  /** Derived data cached until a named collection changes (`memo('visible:anon', ['resources'], …)`; ≤ 256 kept). */
  memo<T>(key: string, deps: readonly string[], compute: () => T): T {
    return this.memos.get(key, this.stamp(deps), compute, () => true);
  }

  /**
   * A whole answer cached until any collection changes (a page a front end asks for again while nothing changed).
   * `keep` says whether a computed answer is worth a place (large pages are not); at most 64 are kept.
   */
  memoAnswer<T>(key: string, compute: () => T, keep: (value: T) => boolean): T {
    return this.answers.get(key, this.stamp(), compute, keep);
  }

  collection(name: string): Collection {
    const c = this.collections.get(name);
    if (!c) throw new Error(`unknown collection ${name}`);
    return c;
  }

  /** The records kept on disk (large collections) and the cache of those in memory. */
  get lazyRecords(): LazyStats {
    return this.lazy.stats;
  }

  names(): string[] {
    return [...this.collections.keys()];
  }

  /**
   * Make every change made so far durable: the collections' recorded changes become journal lines, and this
   * resolves once they — and any lines queued before them by other requests — are on disk.
   */
  async persist(): Promise<void> {
    if (!this.journal) return;
    const lines: string[] = [];
    const stored: JournaledRecord[] = [];
    for (const [name, c] of this.collections) {
      const changes = c.takeChanges();
      if (changes) changeLines(name, c, changes, lines, stored);
    }
    // a lazy record changed here is read from its journal line once that is on disk (and may leave memory)
    const placed = stored.length
      ? (segment: number, offsets: number[]) => {
          const source = this.lazy.segment(segment);
          for (const s of stored) saved(s.record, s.writes, source, offsets[s.line] + s.start, s.length);
        }
      : undefined;
    const durable = this.journal.append(lines, placed);
    if (lines.length) {
      this.snapshotStale = true;
      this.scheduleSnapshot();
    }
    await durable;
  }

  /** Rewrite the snapshot once writes pause, or at once when the journal has grown past its limit. */
  private scheduleSnapshot(): void {
    if (!this.journal || this.closed) return;
    this.snapshotStale = true;
    clearTimeout(this.snapshotTimer);
    if (this.journal.sinceRotate > Math.max(JOURNAL_LIMIT, this.snapshotBytes)) void this.snapshot2disk();
    else {
      const cost = this.snapshotMs || this.snapshotBytes / 100_000; // ~100 MB/s when not measured yet
      const delay = Math.min(60_000, Math.max(this.options.snapshotDelayMs ?? 1000, 5 * cost));
      this.snapshotTimer = setTimeout(() => void this.snapshot2disk(), delay);
    }
    this.snapshotTimer?.unref?.();
  }

  /**
   * Write the snapshot in the background: a new journal segment starts now, the record lists are copied now (the
   * records are serialised as they are reached; entries journaled from now on are replayed over them), and the old
   * segments are deleted once the new file is in place.
   */
  private snapshot2disk(): Promise<void> {
    if (!this.journal) return Promise.resolve();
    if (this.snapshotting) return this.snapshotting;
    const journal = this.journal;
    const { from, settled } = journal.rotate();
    this.snapshotStale = false;
    const lists = this.entries().map(([n, records]) => [n, records.slice()] as const);
    const placed: PlacedRecord[] = [];
    const place = (record: StoredRecord, offset: number, length: number) => void (isPaged(record) && placed.push([record, writesOf(record), offset, length]));
    this.snapshotting = (async () => {
      let failed = false;
      try {
        const started = Date.now();
        const file = this.options.file!;
        this.snapshotBytes = await writeCollectionsFile(file, { version: 1, journal: from }, lists, this.indexPlan, place);
        this.snapshotMs = Date.now() - started;
        this.lazy.storedInSnapshot(file, placed);
        await settled;
        await journal.removeBefore(from);
        this.lazy.segmentsDeletedBefore(from);
      } catch (err) {
        failed = true;
        this.snapshotStale = true;
        this.warn(`could not rewrite the snapshot ${this.options.file} (${(err as Error).message}); the journal keeps every write`);
      } finally {
        this.snapshotting = undefined;
        if (this.snapshotStale && !failed) this.scheduleSnapshot(); // writes arrived while it was written
      }
    })();
    return this.snapshotting;
  }

  /** Flush the journal, write the snapshot if it is behind, and delete the journal segments it includes. */
  async close(): Promise<void> {
    if (!this.journal || this.closed) return;
    await this.persist();
    this.closed = true;
    clearTimeout(this.snapshotTimer);
    await this.snapshotting;
    await this.journal.flushed();
    if (this.snapshotStale) await this.snapshot2disk();
    await this.journal.close();
    this.lazy.close();
  }

  /** Restore the seed fixtures (journaled as a reset entry: a restart after it starts from the seed too). */
  async reset(): Promise<void> {
    const seed = await this.options.seed();
    this.lazy.drop(this.snapshotting);
    this.generation++;
    this.memos.clear();
    this.answers.clear();
    this.load(seed);
    if (!this.journal) return;
    for (const c of this.collections.values()) c.recordChanges();
    this.snapshotStale = true;
    const durable = this.journal.append([encodeEntry({ op: 'reset' })]);
    this.scheduleSnapshot();
    await durable;
  }

  /** A JSON snapshot of every collection (for tests and the inspector). */
  snapshot(): string {
    const out: Record<string, unknown> = {};
    for (const [name, c] of this.collections) out[name] = c.all();
    return JSON.stringify(out);
  }
}
