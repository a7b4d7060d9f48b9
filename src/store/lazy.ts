/**
 * Lazy records: a large collection read from a snapshot that has an index (snapshot-index.ts) is not parsed at
 * start. Each record is a Proxy that answers its "hot" fields (the few that visibility and default orders read
 * across every record, copied into the index) and reads and parses its own line of the snapshot the first time
 * anything else is asked of it (a field, its keys, a write). After that the proxy is a plain pass-through to the
 * parsed record, which keeps the identity code relies on (memoised lists, the id index, in-place updates).
 *
 * The file is read through a descriptor opened at start: a later snapshot is renamed over the path, and the old
 * file stays readable through the descriptor until every record has been parsed (in the background, a slice at a
 * time, see `hydrateInBackground`) or the store closes.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { StoredRecord } from './collection.js';

/** The snapshot a set of lazy records is read from. */
export class LazySource {
  private fd: number | null;
  /** records not parsed yet */
  pending = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
  }

  read(offset: number, length: number, into?: Buffer): Buffer {
    if (this.fd === null) throw new Error(`the snapshot ${this.path} was closed before every record was read`);
    const buf = into && into.length >= length ? into : Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, buf, done, length - done, offset + done);
      if (n === 0) throw new Error(`the snapshot ${this.path} ends before byte ${offset + length}`);
      done += n;
    }
    return buf;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  get open(): boolean {
    return this.fd !== null;
  }
}

/**
 * The hot fields of a lazy collection, column by column (`values.get(field)[i]` is record i's value; `ABSENT` where
 * the record does not have the field). Shared by the collection's records, so a record costs no object of its own
 * for them.
 */
export interface HotColumns {
  names: ReadonlySet<string>;
  values: ReadonlyMap<string, unknown[]>;
}

export const ABSENT: unique symbol = Symbol('absent');
const STATE = Symbol('lazy record');

/** Per-record state: the proxy's handler itself (the traps live on its prototype, so `this` is the state). */
interface LazyState {
  source: LazySource;
  offset: number;
  length: number;
  columns: HotColumns;
  /** the record's row in `columns` */
  row: number;
  parsed: boolean;
  target: StoredRecord;
}

/** Parse a record line (a trailing comma of the line layout is dropped) into the target, in the file's key order. */
function fill(state: LazyState, text: string): void {
  const parsed = JSON.parse(text.endsWith(',') ? text.slice(0, -1) : text) as StoredRecord;
  for (const k of Object.keys(parsed)) if (k !== '__proto__') state.target[k] = parsed[k];
  state.parsed = true;
  state.source.pending--;
}

function hydrateState(state: LazyState): void {
  if (!state.parsed) fill(state, state.source.read(state.offset, state.length).toString('utf8', 0, state.length));
}

const TRAPS: ProxyHandler<StoredRecord> = {
  get(this: LazyState, target, key) {
    if (!this.parsed) {
      if (key === STATE) return this;
      if (typeof key === 'string' && this.columns.names.has(key)) {
        const v = this.columns.values.get(key)![this.row];
        return v === ABSENT ? undefined : v;
      }
      if (typeof key === 'symbol') return Reflect.get(target, key);
      hydrateState(this);
    } else if (key === STATE) return this;
    return Reflect.get(target, key);
  },
  has(this: LazyState, target, key) {
    hydrateState(this);
    return Reflect.has(target, key);
  },
  ownKeys(this: LazyState, target) {
    hydrateState(this);
    return Reflect.ownKeys(target);
  },
  getOwnPropertyDescriptor(this: LazyState, target, key) {
    hydrateState(this);
    return Reflect.getOwnPropertyDescriptor(target, key);
  },
  set(this: LazyState, target, key, value) {
    hydrateState(this);
    return Reflect.set(target, key, value);
  },
  defineProperty(this: LazyState, target, key, descriptor) {
    hydrateState(this);
    return Reflect.defineProperty(target, key, descriptor);
  },
  deleteProperty(this: LazyState, target, key) {
    hydrateState(this);
    return Reflect.deleteProperty(target, key);
  },
};

/** A record read from `source` at `offset` (`length` bytes, one line) when first needed; its hot fields answer until then. */
export function lazyRecord(source: LazySource, offset: number, length: number, columns: HotColumns, row: number): StoredRecord {
  const target: StoredRecord = {};
  const state = Object.create(TRAPS) as LazyState;
  state.source = source;
  state.offset = offset;
  state.length = length;
  state.columns = columns;
  state.row = row;
  state.parsed = false;
  state.target = target;
  source.pending++;
  return new Proxy(target, state as ProxyHandler<StoredRecord>);
}

const stateOf = (record: StoredRecord): LazyState | undefined => (record as Record<symbol, LazyState | undefined>)[STATE];

/** The record's line as stored in the snapshot, while it has not been parsed (the snapshot writer copies it). */
export function unparsedText(record: StoredRecord): string | undefined {
  const state = stateOf(record);
  if (!state || state.parsed) return undefined;
  const text = state.source.read(state.offset, state.length).toString('utf8', 0, state.length);
  return text.endsWith(',') ? text.slice(0, -1) : text;
}

export function isLazy(record: StoredRecord): boolean {
  const state = stateOf(record);
  return !!state && !state.parsed;
}

/**
 * Parse the lazy records among `records` in the background, reading the file in large sequential slices and
 * yielding to requests between slices; the source is closed once none is left. Returns a stop function.
 */
export function hydrateInBackground(records: readonly StoredRecord[], source: LazySource, sliceBytes = 1 << 20): () => void {
  const waiting = records.map(stateOf).filter((s): s is LazyState => !!s && !s.parsed).sort((a, b) => a.offset - b.offset);
  let at = 0;
  let stopped = false;
  let buf = Buffer.allocUnsafe(sliceBytes);
  const step = () => {
    if (stopped) return;
    if (!source.open) return;
    // one sequential read covering as many waiting records as fit in a slice
    while (at < waiting.length && waiting[at].parsed) at++;
    if (at >= waiting.length) {
      if (source.pending === 0) source.close();
      return;
    }
    const first = waiting[at].offset;
    let end = at;
    while (end < waiting.length && waiting[end].offset + waiting[end].length - first <= Math.max(sliceBytes, waiting[at].length)) end++;
    const span = waiting[end - 1].offset + waiting[end - 1].length - first;
    if (span > buf.length) buf = Buffer.allocUnsafe(span);
    source.read(first, span, buf);
    for (let i = at; i < end; i++) {
      const s = waiting[i];
      if (!s.parsed) fill(s, buf.toString('utf8', s.offset - first, s.offset - first + s.length));
    }
    at = end;
    setImmediate(step);
  };
  setImmediate(step);
  return () => {
    stopped = true;
  };
}
