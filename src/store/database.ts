/**
 * `Database`, the store behind the `Store` interface (interface.ts, opened by index.ts's `openStore`): named
 * collections held in memory, made durable by a journal and a snapshot; the one place that orders the journal, the
 * snapshots and the files of lazy records through open, persist, snapshot, close and reset.
 *
 * - Snapshot: the JSON file users read and edit (`.geostub/db.json`, `{ "version": 1, "journal": n,
 *   "collections": {…} }`, one record per line), read and written through the lowdb root `db` and its adapter
 *   (snapshot-adapter.ts): whole at first start, in the background when writes pause (or when the journal has
 *   grown large), and at shutdown.
 * - Journal: `persist()` turns the changes the collections recorded into journal lines and resolves once they are
 *   on disk (group commit, see journal.ts). So an acknowledged write survives `kill -9`; the snapshot is never on
 *   the request path.
 * - Start: read the snapshot, replay the journal segments it does not include (a damaged tail is skipped with a
 *   warning). The seed fixtures are copied in on first start and never written.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Low, Memory } from 'lowdb';
import { RecordCollection } from './collection.js';
import type { DiskRecordStats, Store, StoredRecord } from './interface.js';
import type { StoreOptions } from './options.js';
import { Journal, changeLines, encodeEntry, type JournalEntry, type JournaledRecord } from './journal.js';
import { lastReset, replayJournal } from './replay.js';
import { MemoPool } from './memo.js';
import type { IndexPlan } from './snapshot-index.js';
import { SnapshotAdapter, type SnapshotData } from './snapshot-adapter.js';
import { SnapshotSchedule } from './snapshot-schedule.js';
import { isPaged, saved, writesOf } from './lazy.js';
import { LazyFiles, type PlacedRecord } from './lazy-files.js';

export class Database implements Store {
  /**
   * The root, a lowdb `Low`: `db.data` holds the head and every collection's records as the snapshot has them;
   * `db.read()` loads the snapshot at start and `db.write()` folds the collections back into it (through
   * geostub's snapshot adapter, or lowdb's Memory adapter for a store kept in memory). Between snapshots, single
   * writes go to the journal.
   */
  readonly db: Low<SnapshotData>;
  private readonly snapshots?: SnapshotAdapter;
  private collections = new Map<string, RecordCollection>();
  /** collections in the file that the specs do not know (data from another version): kept as they are */
  private foreign: Record<string, StoredRecord[]> = {};
  /** bumped by reset, so caches keyed on collection versions never survive a reset */
  private generation = 0;
  private memos = new MemoPool(256);
  /**
   * whole answers (list pages a front end repeats), kept until anything changes: a page is kept the second time it
   * is computed within the last 256 pages not kept, so a walk over many pages does not churn the 64 kept
   */
  private answers = new MemoPool(64, 256);
  private readonly journal?: Journal;
  private readonly snapshotting?: SnapshotSchedule;
  private closed = false;
  /** the files large collections' records are stored in, and the cache of those in memory (lazy.ts) */
  private readonly lazy: LazyFiles;

  private constructor(
    private readonly options: StoreOptions,
    readonly persistent: boolean,
  ) {
    if (persistent) this.journal = new Journal(options.file!, this.warn);
    this.lazy = new LazyFiles(options.lazy, (n) => this.journal!.segmentPath(n));
    if (persistent) this.snapshots = new SnapshotAdapter(options.file!, () => this.indexPlan, this.lazy.cache);
    this.db = new Low<SnapshotData>(this.snapshots ?? new Memory<SnapshotData>(), this.live({ version: 1 }));
    if (this.journal) {
      const adapter = this.snapshots!;
      this.snapshotting = new SnapshotSchedule({
        journal: this.journal,
        file: options.file!,
        delayMs: options.snapshotDelayMs,
        warn: this.warn,
        bytes: () => adapter.bytes,
        write: (from) => this.writeSnapshot({ version: 1, journal: from }, true),
        deleted: (from) => this.lazy.segmentsDeletedBefore(from),
      });
    }
  }

  /** `db.data` between reads and writes: the head and a view of the collections as they are now (nothing stale kept). */
  private live(head: Record<string, unknown>): SnapshotData {
    const entries = () => this.entries();
    return {
      head,
      get collections() {
        return Object.fromEntries(entries());
      },
    };
  }

  static async open(options: StoreOptions): Promise<Database> {
    const persistent = !options.inMemory && !!options.file;
    const store = new Database(options, persistent);
    if (!persistent) {
      store.load(await options.seed());
      return store;
    }
    const file = options.file!;
    const journal = store.journal!;
    await mkdir(dirname(file), { recursive: true });
    const segments = await journal.segments();
    let next = (segments.at(-1) ?? 0) + 1;
    const found = await store.loadSnapshot();
    if (!found) {
      // first start (or the db was deleted to start again): journal segments left beside it belong to the old data
      store.load(await options.seed());
      await journal.removeBefore(Infinity);
      await store.writeSnapshot({ version: 1, journal: next });
      // large collections are then read back from the file just written, as lazy records
      if (store.pageable()) await store.loadSnapshot();
    } else {
      const { head, lazy } = found;
      if (lazy) store.lazy.warm(file);
      const from = Number(head.journal) || 0;
      next = Math.max(next, from); // never write below the segment the snapshot says to replay from
      const reset = await lastReset(journal, from);
      if (reset) store.lazy.drop();
      if (reset) store.load(await options.seed());
      const report = await replayJournal(
        journal,
        reset ?? { segment: from, line: 0 },
        (e) => store.apply(e),
        store.warn,
      );
      for (const c of store.collections.values()) c.endReplay();
      // fold what was replayed into a fresh snapshot soon, so the next start reads one file
      // and write an index for the next start where a large collection could have been read lazily but was not
      if (report.entries || report.damaged || reset || (!lazy && store.pageable())) store.snapshotting!.schedule();
    }
    journal.startAt(next);
    for (const c of store.collections.values()) c.recordChanges();
    return store;
  }

  private get indexPlan(): IndexPlan {
    const hotFields = (name: string) => {
      const spec = this.options.specs[name];
      const inMemory = spec?.onDisk?.inMemory;
      return inMemory ? [...new Set([spec.idField, ...inMemory])] : undefined; // the id index reads every id
    };
    return { lazyFrom: this.lazy.from, hotFields };
  }

  /** Whether a collection is large enough to be kept on disk as lazy records. */
  private pageable(): boolean {
    const plan = this.indexPlan;
    return [...this.collections.values()].some((c) => plan.hotFields(c.name) && c.size >= plan.lazyFrom);
  }

  /** `db.read()`: load the snapshot (large collections lazy when it has an index); undefined when there is none yet. */
  private async loadSnapshot(): Promise<{ head: Record<string, unknown>; lazy: boolean } | undefined> {
    const adapter = this.snapshots!;
    await this.db.read();
    if (!adapter.found) return undefined;
    const { head, collections } = this.db.data;
    this.lazy.drop();
    this.load(collections as Record<string, StoredRecord[]>);
    this.db.data = this.live(head);
    if (adapter.source) this.lazy.addSnapshot(adapter.source);
    return { head, lazy: !!adapter.source };
  }

  /**
   * `db.write()` of the collections as they are now (the lists are copied at the call); with `placeLazy`, records
   * kept on disk are then read from where this snapshot put them.
   */
  private async writeSnapshot(head: Record<string, unknown>, placeLazy = false): Promise<void> {
    this.db.data.head = head;
    const placed: PlacedRecord[] = [];
    if (placeLazy)
      this.snapshots!.placed = (record, offset, length) =>
        void (isPaged(record) && placed.push([record, writesOf(record), offset, length]));
    await this.db.write();
    if (placeLazy) this.lazy.storedInSnapshot(this.options.file!, placed);
  }

  private readonly warn = (message: string) =>
    (this.options.warn ?? ((m: string) => console.warn(`geostub: ${m}`)))(message);

  private load(data: Record<string, StoredRecord[]>): void {
    this.collections.clear();
    this.foreign = {};
    for (const [name, records] of Object.entries(data)) if (!this.options.specs[name]) this.foreign[name] = records;
    for (const [name, spec] of Object.entries(this.options.specs)) {
      const c = new RecordCollection(name, spec, data[name] ?? []);
      this.collections.set(name, c);
    }
  }

  private apply(e: JournalEntry): void {
    if (e.op === 'reset') return; // handled by starting from the seed (lastReset)
    const c = this.collections.get(e.c);
    if (!c) throw new Error(`unknown collection ${e.c}`);
    if (e.op !== 'ins' && e.op !== 'put' && e.op !== 'del')
      throw new Error(`unknown journal operation ${String(e.op)}`);
    c.replay(e.op, String(e.id), e.op === 'del' ? undefined : e.r);
  }

  /** Every collection with its (live) records, known ones first, in spec order. */
  private entries(): [string, readonly StoredRecord[]][] {
    return [
      ...[...this.collections].map(([n, c]) => [n, c.list()] as [string, readonly StoredRecord[]]),
      ...Object.entries(this.foreign),
    ];
  }

  /** A stamp that changes whenever any collection changes (for caches of derived data). */
  stamp(names?: readonly string[]): string {
    let out = String(this.generation);
    if (names) for (const n of names) out += `:${this.collection(n).stamp}`;
    else for (const c of this.collections.values()) out += `:${c.stamp}`;
    return out;
  }

  /** Derived data cached until a named collection changes (`memo('visible:anon', ['resources'], …)`; ≤ 256 kept). */
  memo<T>(key: string, deps: readonly string[], compute: () => T): T {
    return this.memos.get(key, this.stamp(deps), compute, () => true);
  }

  /** A whole answer cached until any collection changes (`Store.memoAnswer`; kept as `answers` says). */
  memoAnswer<T>(key: string, compute: () => T, keep: (value: T) => boolean): T {
    return this.answers.get(key, this.stamp(), compute, keep);
  }

  collection(name: string): RecordCollection {
    const c = this.collections.get(name);
    if (!c) throw new Error(`unknown collection ${name}`);
    return c;
  }

  /** The records kept on disk (large collections) and the cache of those in memory. */
  get diskRecords(): DiskRecordStats {
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
    if (lines.length) this.snapshotting!.schedule();
    await durable;
  }

  /** Flush the journal, write the snapshot if it is behind, and delete the journal segments it includes. */
  async close(): Promise<void> {
    if (!this.journal || this.closed) return;
    await this.persist();
    this.closed = true;
    await this.journal.flushed();
    await this.snapshotting!.stop();
    await this.journal.close();
    this.lazy.close();
  }

  /** Restore the seed fixtures (journaled as a reset entry: a restart after it starts from the seed too). */
  async reset(): Promise<void> {
    const seed = await this.options.seed();
    this.lazy.drop(this.snapshotting?.running);
    this.generation++;
    this.memos.clear();
    this.answers.clear();
    this.load(seed);
    if (!this.journal) return;
    for (const c of this.collections.values()) c.recordChanges();
    const durable = this.journal.append([encodeEntry({ op: 'reset' })]);
    this.snapshotting!.schedule();
    await durable;
  }

  /** A JSON snapshot of every collection (for tests and the inspector). */
  snapshot(): string {
    const out: Record<string, unknown> = {};
    for (const [name, c] of this.collections) out[name] = c.list();
    return JSON.stringify(out);
  }
}
