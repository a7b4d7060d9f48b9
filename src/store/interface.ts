/**
 * The store as the rest of geostub sees it (exported by index.ts): named collections of records, each read and
 * changed through get, list, where, insert, update and delete, and a change stamp. Whether a collection's records are
 * held in memory or read from disk is the store's business; a collection's definition only says which fields are
 * read across every record (`onDisk.inMemory`).
 */
import type { StoredRecord } from './record.js';

export type { StoredRecord } from './record.js';

/** A store collection's definition, written once per collection in its API's table. */
export interface CollectionSpec {
  /** the record field holding the id (`pk`, `id`, `exec_id`, `slug`, …) */
  idField: string;
  /** how new ids are made: `int` (max + 1), `intString` (max + 1 as a string, GeoNode resource pks), or `given` */
  idKind: 'int' | 'intString' | 'given';
  /**
   * The collection's records may live on disk when it is large (a store with a database file, at least `--lazy-from`
   * records); `inMemory` names the fields that then stay in memory: what is read across every record (visibility,
   * default orders, facets, the usual filters). The id always stays. Without `onDisk` every record is held in memory
   * (small records read everywhere, like grants).
   */
  onDisk?: { inMemory: readonly string[] };
}

/** One collection: records in insertion order, found by id in O(1). */
export interface Collection {
  readonly name: string;
  /** the record field holding the id */
  readonly idField: string;
  readonly size: number;
  /** changes whenever a record is inserted, updated or deleted (caches key on it) */
  readonly stamp: number;
  get(id: unknown): StoredRecord | undefined;
  /** every record, in insertion order (the store's own array: do not change it) */
  list(): readonly StoredRecord[];
  /**
   * The records whose `field` equals `value` (or, for an array field, holds it), compared as strings, from an index
   * built on first use and kept up to date by insert, update and delete (so fields changed in place need an
   * `update(id, {})`, as for the journal). Order is not the collection's.
   */
  where(field: string, value: unknown): StoredRecord[];
  /** the id the next insert would get (for `int`/`intString` collections) */
  nextId(): number | string;
  /** add a record (its id made by `idKind` when missing); an id already there throws */
  insert(record: StoredRecord): StoredRecord;
  /**
   * Replace fields of a stored record in place (the object identity is kept). A behaviour that changed a record in
   * place calls `update(id, {})` so the change is journaled and indexed.
   */
  update(id: unknown, patch: StoredRecord): StoredRecord | undefined;
  delete(id: unknown): boolean;
  /** delete every record `pred` holds for; how many went */
  deleteWhere(pred: (record: StoredRecord) => boolean): number;
}

/** What `/__geostub/health` says of the records kept on disk (`lazy`). */
export interface DiskRecordStats {
  /** records kept on disk */
  records: number;
  /** of which in memory now */
  loaded: number;
  /** MB of JSON in memory now, and at most */
  loadedMB: number;
  cacheMB: number;
  /** records read from disk so far */
  reads: number;
}

/** The store: its collections, derived data cached until they change, and durability. */
export interface Store {
  /** the collection `name` (an unknown name throws: names come from the API tables) */
  collection(name: string): Collection;
  names(): string[];
  /** changes whenever a named collection (default: any) changes, or on reset (for caches of derived data) */
  stamp(names?: readonly string[]): string;
  /** derived data cached until a named collection changes (`memo('visible:anon', ['resources'], …)`; ≤ 256 kept) */
  memo<T>(key: string, deps: readonly string[], compute: () => T): T;
  /**
   * A whole answer cached until any collection changes (a page a front end asks for again while nothing changed).
   * `keep` says whether a computed answer is worth a place (large pages are not); at most 64 are kept, each from the
   * second time it is computed (so a walk over many pages does not churn them).
   */
  memoAnswer<T>(key: string, compute: () => T, keep: (value: T) => boolean): T;
  /** resolves once every change made so far is on disk (a no-op in memory) */
  persist(): Promise<void>;
  /** restore the seed fixtures (journaled: a restart after it starts from the seed too) */
  reset(): Promise<void>;
  /** flush the journal and write the snapshot if it is behind */
  close(): Promise<void>;
  /** whether the data is kept in a database file (false: in memory) */
  readonly persistent: boolean;
  readonly diskRecords: DiskRecordStats;
  /** every collection as one JSON text (tests compare it before and after a refused request) */
  snapshot(): string;
}

/**
 * `from`: collections of at least this many records whose definition allows it (`onDisk`) are indexed beside the
 * snapshot and kept on disk, read record by record when needed; `cacheMB`: how much of their JSON is kept in memory
 * once read.
 */
export interface LazyOptions {
  from?: number;
  cacheMB?: number;
}
