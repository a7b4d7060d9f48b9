/**
 * geostub's snapshot as a lowdb adapter. The store's root is a lowdb `Low` (as in json-server v1): `db.read()` at
 * start reads the snapshot through this adapter, `db.data` holds the collections, and `db.write()` folds them back
 * into the file. What the adapter adds to lowdb's own JSONFile is the file's layout and its companions:
 *
 * - the snapshot is written one record per line, in slices, to a temporary file that is fsynced and renamed over the
 *   old one (snapshot.ts), so a file on disk is always whole and a large store never becomes one string;
 * - large collections get an index beside the file (snapshot-index.ts), and a read through a valid index gives
 *   their records as lazy ones, read from the file when needed (`source`);
 * - a write reports where each lazy record landed (`placed`), so records can leave memory and be read from there.
 *
 * Single-record writes between snapshots do not go through lowdb: they are geostub's journal (journal.ts).
 */
import { access, stat } from 'node:fs/promises';
import type { Adapter } from 'lowdb';
import type { StoredRecord } from './collection.js';
import type { LazySource, RecordCache } from './record-cache.js';
import { readCollectionsFile, SnapshotFormatError, writeLineLayout } from './snapshot.js';
import { readIndexedSnapshot, type IndexedSnapshot, type IndexPlan } from './snapshot-index.js';

/** What `db.data` holds: the head fields (`version`, `journal`) and every collection's records. */
export interface SnapshotData {
  head: Record<string, unknown>;
  collections: Record<string, readonly StoredRecord[]>;
}

/** Told, as each record of a large collection is written, where it sits in the file. */
export type Placed = (record: StoredRecord, offset: number, length: number) => void;

export class SnapshotAdapter implements Adapter<SnapshotData> {
  /** the file the last read's lazy records are read from (undefined when none is lazy) */
  source?: LazySource;
  /** the file's size after the last read or write */
  bytes = 0;
  /** whether the last read found a snapshot */
  found = false;
  /** set for one write by the store: where each lazy record was written */
  placed?: Placed;

  constructor(
    readonly file: string,
    private readonly plan: () => IndexPlan,
    private readonly cache: RecordCache,
  ) {}

  /** The snapshot, or null when there is none yet (lowdb then keeps the default data). */
  async read(): Promise<SnapshotData | null> {
    this.source = undefined;
    this.found = await access(this.file).then(
      () => true,
      () => false,
    );
    if (!this.found) return null;
    const read = await readSnapshot(this.file, this.plan().hotFields, this.cache);
    this.source = read.source;
    this.bytes = (await stat(this.file)).size;
    return { head: read.head, collections: read.collections };
  }

  /**
   * Write `data` as the snapshot. The record lists are copied before the first await, so a background write saves
   * the collections as they were when it was called (writes journaled after that are replayed over it).
   */
  async write(data: SnapshotData): Promise<void> {
    const lists = Object.entries(data.collections).map(([name, records]) => [name, records.slice()] as const);
    const { placed } = this;
    this.placed = undefined;
    this.bytes = await writeLineLayout(this.file, { ...data.head }, lists, this.plan(), placed);
  }
}

/** Read a snapshot: through its index when it has a valid one, else the ordinary way; a useful error when unreadable. */
async function readSnapshot(
  file: string,
  hotFields: IndexPlan['hotFields'],
  cache: RecordCache,
): Promise<IndexedSnapshot> {
  // an index that cannot be followed (a damaged file that kept its size and mtime) falls back to the ordinary read
  const indexed = await readIndexedSnapshot(file, hotFields, cache).catch(() => undefined);
  if (indexed) return indexed;
  try {
    return await readCollectionsFile(file);
  } catch (err) {
    if (!(err instanceof SnapshotFormatError)) throw err;
    throw new Error(
      `The database file ${file} is not valid JSON or not a geostub database (${err.message}). Delete it to start again from the seed fixtures.`,
    );
  }
}
