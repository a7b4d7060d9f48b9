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
  /** the hot columns of the records read from here, let go once every record is parsed */
  readonly columns = new Set<HotColumns>();

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

  /** One more record parsed; with none left, the file and the hot columns are let go. */
  parsedOne(): void {
    if (--this.pending > 0) return;
    for (const c of this.columns) (c.values as Map<string, unknown[]>).clear();
    this.columns.clear();
    this.close();
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
const EMPTY: StoredRecord = Object.freeze({}) as StoredRecord;

/** Per-record state: the proxy's handler itself (the traps live on its prototype, so `this` is the state). */
interface LazyState {
  source: LazySource;
  offset: number;
  length: number;
  columns: HotColumns;
  /** the record's row in `columns` */
  row: number;
  parsed: boolean;
  /**
   * the parsed record (JSON.parse's compact object, used as it is); every trap forwards to it, and the proxy's own
   * target stays an empty, extensible object (which the Proxy invariants allow, since JSON properties are all
   * configurable)
   */
  record: StoredRecord;
}

/** Parse a record line (a trailing comma of the line layout is dropped): from now on the proxy forwards to it. */
function fill(state: LazyState, text: string): void {
  const parsed = JSON.parse(text.endsWith(',') ? text.slice(0, -1) : text) as unknown;
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`the snapshot ${state.source.path} holds a record that is not an object at byte ${state.offset}`);
  state.record = parsed as StoredRecord;
  state.parsed = true;
  state.source.parsedOne();
}

function hydrateState(state: LazyState): void {
  if (!state.parsed) fill(state, state.source.read(state.offset, state.length).toString('utf8', 0, state.length));
}

const TRAPS: ProxyHandler<StoredRecord> = {
  get(this: LazyState, _target, key) {
    if (key === STATE) return this;
    if (!this.parsed) {
      if (typeof key === 'string' && this.columns.names.has(key)) {
        const v = this.columns.values.get(key)![this.row];
        return v === ABSENT ? undefined : v;
      }
      hydrateState(this);
    }
    return Reflect.get(this.record, key);
  },
  has(this: LazyState, _target, key) {
    if (!this.parsed && typeof key === 'string' && this.columns.names.has(key)) return this.columns.values.get(key)![this.row] !== ABSENT;
    hydrateState(this);
    return Reflect.has(this.record, key);
  },
  ownKeys(this: LazyState) {
    hydrateState(this);
    return Reflect.ownKeys(this.record);
  },
  getOwnPropertyDescriptor(this: LazyState, _target, key) {
    hydrateState(this);
    return Reflect.getOwnPropertyDescriptor(this.record, key);
  },
  set(this: LazyState, _target, key, value) {
    hydrateState(this);
    return Reflect.set(this.record, key, value);
  },
  defineProperty(this: LazyState, _target, key, descriptor) {
    hydrateState(this);
    return Reflect.defineProperty(this.record, key, { ...descriptor, configurable: true });
  },
  deleteProperty(this: LazyState, _target, key) {
    hydrateState(this);
    return Reflect.deleteProperty(this.record, key);
  },
};

/** A record read from `source` at `offset` (`length` bytes, one line) when first needed; its hot fields answer until then. */
export function lazyRecord(source: LazySource, offset: number, length: number, columns: HotColumns, row: number): StoredRecord {
  const state = Object.create(TRAPS) as LazyState;
  state.source = source;
  state.offset = offset;
  state.length = length;
  state.columns = columns;
  state.row = row;
  state.parsed = false;
  state.record = EMPTY;
  source.pending++;
  source.columns.add(columns);
  return new Proxy({}, state as ProxyHandler<StoredRecord>);
}

const stateOf = (record: StoredRecord): LazyState | undefined => (record as Record<symbol, LazyState | undefined>)[STATE];

/** The record's line as stored in the snapshot, while it has not been parsed (the snapshot writer copies it). */
export function unparsedText(record: StoredRecord): string | undefined {
  const state = stateOf(record);
  if (!state || state.parsed) return undefined;
  const text = state.source.read(state.offset, state.length).toString('utf8', 0, state.length);
  return text.endsWith(',') ? text.slice(0, -1) : text;
}

/**
 * The object behind a record: for a lazy record its parsed JSON object (parsed now if need be), whose reads and
 * `JSON.stringify` take V8's fast paths rather than the proxy's traps; any other record is itself. For reading and
 * serialising only: identity and writes stay with the record.
 */
export function plainRecord(record: StoredRecord): StoredRecord {
  const state = stateOf(record);
  if (!state) return record;
  hydrateState(state);
  return state.record;
}

export function isLazy(record: StoredRecord): boolean {
  const state = stateOf(record);
  return !!state && !state.parsed;
}

/**
 * Parse the lazy records among `records` in the background, reading the file in large sequential slices and
 * yielding to requests between slices; the source is closed once none is left. Returns a stop function.
 */
export function hydrateInBackground(
  records: readonly StoredRecord[],
  source: LazySource,
  warn: (message: string) => void,
  sliceBytes = 1 << 20,
): () => void {
  const waiting = records.map(stateOf).filter((s): s is LazyState => !!s && !s.parsed).sort((a, b) => a.offset - b.offset);
  let at = 0;
  let stopped = false;
  let buf = Buffer.allocUnsafe(sliceBytes);
  const step = () => {
    if (stopped) return;
    if (!source.open) return;
    // one sequential read covering as many waiting records as fit in a slice
    while (at < waiting.length && waiting[at].parsed) at++;
    if (at >= waiting.length) return; // the last record parsed closed the source
    const first = waiting[at].offset;
    let end = at;
    while (end < waiting.length && waiting[end].offset + waiting[end].length - first <= Math.max(sliceBytes, waiting[at].length)) end++;
    const span = waiting[end - 1].offset + waiting[end - 1].length - first;
    if (span > buf.length) buf = Buffer.allocUnsafe(span);
    source.read(first, span, buf);
    for (let i = at; i < end; i++) {
      const s = waiting[i];
      try {
        if (!s.parsed) fill(s, buf.toString('utf8', s.offset - first, s.offset - first + s.length));
      } catch (err) {
        // a damaged line: left unparsed (a request that needs it gets an error), never a crash
        warn(`a record of ${source.path} at byte ${s.offset} cannot be read (${(err as Error).message})`);
      }
    }
    at = end;
    setImmediate(step);
  };
  setImmediate(step);
  return () => {
    stopped = true;
  };
}
