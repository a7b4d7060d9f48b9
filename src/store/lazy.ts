/**
 * Lazy records: the records of a large collection live on disk, and memory holds only a bounded number of them.
 *
 * A collection read from a snapshot with an index (snapshot-index.ts) starts as one Proxy per record. The proxy
 * answers its "hot" fields (the few that visibility, default orders, facets and common filters read across every
 * record, copied into the index) from shared columns, and loads its record the first time anything else is asked
 * of it: it reads the record's JSON from the file where it is stored (a byte range of the snapshot, or of the
 * journal line that last wrote it) and parses it. Loaded records sit in a `RecordCache` with a budget in bytes of
 * JSON; past it, the least recently used records that match their stored copy are let go again (their proxies stay,
 * so identity, the id index and memoised lists are untouched) and are read again when next needed.
 *
 * A record changed in memory (through the proxy, or `Collection.update`) is kept until its new state is stored:
 * the journal line that holds it is on disk (`saved`, with the line's byte range), or a snapshot including it is in
 * place. Only then may it be let go, and its hot columns are refreshed from it.
 *
 * Files are read through descriptors (`LazySource`), so a snapshot renamed over, or a journal segment deleted, stays
 * readable for the records still stored there; a source is closed once it is retired and no record points at it.
 */
import type { StoredRecord } from './record.js';
import { EMPTY, LazySource, type HotColumns, type LazyState } from './record-cache.js';

export { LazySource, RecordCache } from './record-cache.js';

/**
 * The hot fields of a lazy collection, column by column (`values.get(field)[i]` is row i's value; `ABSENT` where
 * the record does not have the field). Shared by the collection's records, so a record costs no object of its own
 * for them. Values shared by many rows (the index's tables) and values set after a change are frozen.
 */
export type { HotColumns } from './record-cache.js';

export const ABSENT: unique symbol = Symbol('absent');
const STATE = Symbol('lazy record');

/** Parse a record's JSON: from now on the proxy forwards to it. */
function fill(state: LazyState, text: string): void {
  const parsed = JSON.parse(text) as unknown;
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new Error(`${state.source.path} holds a record that is not an object at byte ${state.offset}`);
  state.record = parsed as StoredRecord;
  state.loaded = true;
  state.used = true;
  state.source.cache.add(state);
}

/** The record's JSON as stored (without the trailing comma of the snapshot's line layout). */
function storedText(state: LazyState): string {
  const text = state.source.text(state.offset, state.length);
  return text.endsWith(',') ? text.slice(0, -1) : text;
}

function load(state: LazyState): StoredRecord {
  if (!state.loaded) fill(state, storedText(state));
  else state.used = true;
  return state.record;
}

/** A change through the proxy: the record is kept in memory until its new state is stored. */
function write(state: LazyState): StoredRecord {
  load(state);
  state.writes++;
  return state.record;
}

/**
 * A record's state is its proxy's handler (the traps are its methods), a class so that its fields sit inside the
 * object: at 100,000 records every byte per record counts.
 */
class LazyHandler implements LazyState, ProxyHandler<StoredRecord> {
  loaded = false;
  used = false;
  gone = false;
  writes = 0;
  saved = 0;
  record: StoredRecord = EMPTY;

  constructor(
    public source: LazySource,
    public offset: number,
    public length: number,
    public columns: HotColumns,
    public row: number,
  ) {}

  get(_target: StoredRecord, key: string | symbol): unknown {
    if (key === STATE) return this;
    if (!this.loaded && typeof key === 'string' && this.columns.names.has(key)) {
      const v = this.columns.values.get(key)![this.row];
      return v === ABSENT ? undefined : v;
    }
    return Reflect.get(load(this), key);
  }

  has(_target: StoredRecord, key: string | symbol): boolean {
    if (!this.loaded && typeof key === 'string' && this.columns.names.has(key))
      return this.columns.values.get(key)![this.row] !== ABSENT;
    return Reflect.has(load(this), key);
  }

  ownKeys(): (string | symbol)[] {
    return Reflect.ownKeys(load(this));
  }

  getOwnPropertyDescriptor(_target: StoredRecord, key: string | symbol): PropertyDescriptor | undefined {
    return Reflect.getOwnPropertyDescriptor(load(this), key);
  }

  set(_target: StoredRecord, key: string | symbol, value: unknown): boolean {
    return Reflect.set(write(this), key, value);
  }

  defineProperty(_target: StoredRecord, key: string | symbol, descriptor: PropertyDescriptor): boolean {
    return Reflect.defineProperty(write(this), key, { ...descriptor, configurable: true });
  }

  deleteProperty(_target: StoredRecord, key: string | symbol): boolean {
    return Reflect.deleteProperty(write(this), key);
  }

  /** Every proxy shares one empty target, which must stay extensible: a record cannot be frozen or sealed. */
  preventExtensions(): boolean {
    return false;
  }
}

/**
 * The target of every lazy record's proxy: never changed (every trap that would change it forwards to the record),
 * and the Proxy invariants hold with an empty extensible target because JSON properties are all configurable.
 */
const TARGET: StoredRecord = {};

/** A record stored in `source` at `offset` (`length` bytes), loaded when first needed; its hot fields answer until then. */
export function lazyRecord(
  source: LazySource,
  offset: number,
  length: number,
  columns: HotColumns,
  row: number,
): StoredRecord {
  source.retain();
  return new Proxy(TARGET, new LazyHandler(source, offset, length, columns, row));
}

const stateOf = (record: StoredRecord): LazyState | undefined =>
  (record as Record<symbol, LazyState | undefined>)[STATE];

/** The record's JSON as stored, while it is not loaded (the snapshot writer copies it rather than load it). */
export function storedJson(record: StoredRecord): string | undefined {
  const state = stateOf(record);
  return !state || state.loaded ? undefined : storedText(state);
}

/**
 * The object behind a record: for a lazy record its loaded JSON object (loaded now if need be), whose reads and
 * `JSON.stringify` take V8's fast paths rather than the proxy's traps; any other record is itself. For reading and
 * serialising now: identity and writes stay with the record, and the object may be let go on a later turn.
 */
export function plainRecord(record: StoredRecord): StoredRecord {
  const state = stateOf(record);
  return state ? load(state) : record;
}

/** Whether a record is a lazy record not in memory now. */
export function isLazy(record: StoredRecord): boolean {
  const state = stateOf(record);
  return !!state && !state.loaded;
}

/** Whether a record is a lazy record at all (loaded or not). */
export function isPaged(record: StoredRecord): boolean {
  return !!stateOf(record);
}

/** A change made by `Collection` (an update, even one that changed nested values in place): keep the record until stored. */
export function changed(record: StoredRecord): void {
  const state = stateOf(record);
  if (state) write(state);
}

/**
 * The record left its collection: it is loaded for whoever still holds it (the answer to a DELETE) and leaves the
 * cache, and its stored copy no longer holds its source open.
 */
export function forget(record: StoredRecord): void {
  const state = stateOf(record);
  if (!state || state.gone) return;
  load(state);
  state.gone = true;
  state.source.release();
}

/** The change count a stored copy made now describes (for `saved`). */
export function writesOf(record: StoredRecord): number {
  return stateOf(record)?.writes ?? 0;
}

/**
 * A copy of the record made when it had `writes` changes is now stored at `offset`/`length` in `source`: unless it
 * changed again since, it is read from there from now on, may be let go, and its hot columns follow its new values.
 */
export function saved(record: StoredRecord, writes: number, source: LazySource, offset: number, length: number): void {
  const state = stateOf(record);
  if (!state || state.gone || state.writes !== writes) return;
  const wasChanged = state.saved !== state.writes;
  source.retain();
  state.source.release();
  state.source = source;
  state.offset = offset;
  state.length = length;
  state.saved = writes;
  if (wasChanged && state.loaded) refreshColumns(state);
  if (state.loaded) source.cache.check();
}

function refreshColumns(state: LazyState): void {
  for (const field of state.columns.names) {
    const column = state.columns.values.get(field)!;
    const value = state.record[field];
    const now = value === undefined ? ABSENT : value; // as stored: JSON has no undefined
    const was = column[state.row];
    if (now === was || (now !== ABSENT && was !== ABSENT && JSON.stringify(now) === JSON.stringify(was))) continue;
    column[state.row] =
      now === ABSENT || now === null || typeof now !== 'object' ? now : deepFreeze(JSON.parse(JSON.stringify(now)));
  }
}

export function deepFreeze<T>(v: T): T {
  if (!v || typeof v !== 'object' || Object.isFrozen(v)) return v;
  Object.freeze(v);
  for (const x of Object.values(v)) deepFreeze(x);
  return v;
}
