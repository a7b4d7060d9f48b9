/**
 * The store's one entry: the rest of geostub sees collections through the `Store` and `Collection` interfaces
 * (get, list, where, insert, update, delete, and the change stamp; interface.ts) and the few functions below. How
 * records are kept (in memory, or on disk for a large collection whose definition allows it), the journal, the
 * snapshot and its lowdb root are this folder's business; nothing outside it imports another file of it
 * (test/architecture.test.ts).
 */
import { Database } from './database.js';
import { writeCollectionsFile as writeFile } from './snapshot.js';
import type { Store } from './interface.js';
import type { StoreOptions } from './options.js';

export type { Collection, CollectionSpec, DiskRecordStats, LazyOptions, Store, StoredRecord } from './interface.js';
export type { StoreOptions } from './options.js';

/** Open a store: read the database file (and replay its journal) or copy the seed in, as `options` say. */
export function openStore(options: StoreOptions): Promise<Store> {
  return Database.open(options);
}

/** A deep copy of a stored record, as plain JSON data (never `structuredClone`, which refuses records on disk). */
export { copyRecord } from './collection.js';

/**
 * A record's fields as one plain object, for reading many of them or serialising the record now: a record kept on
 * disk is read (if it is not in memory) and its own object returned, whose reads take V8's fast paths; any other
 * record is itself. Identity and writes stay with the record: change it, never the object this returns.
 */
export { plainRecord as readRecord } from './lazy.js';

/**
 * Collections files (fixtures, recordings, `geostub seed`): `{ <head>, "collections": { name: [records] } }`, read
 * in any JSON layout and written one record per line (snapshot.ts).
 */
export { readCollectionsFile, readFixtureFiles, type CollectionsFile } from './snapshot.js';

/** Write a collections file, one record per line, whole or not at all (temporary file, fsync, rename); its bytes. */
export function writeCollectionsFile(
  file: string,
  head: Record<string, unknown>,
  collections: Iterable<readonly [string, readonly unknown[]]>,
): Promise<number> {
  return writeFile(file, head, collections);
}
