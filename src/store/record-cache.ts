/**
 * Where lazy records (lazy.ts) are stored and kept: the files they are read from (`LazySource`) and the cache of
 * those loaded in memory (`RecordCache`), with the per-record state both work on.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { StoredRecord } from './record.js';

/** Hot fields of a large collection, one column per field, read without loading records (lazy.ts). */
export interface HotColumns {
  names: ReadonlySet<string>;
  values: ReadonlyMap<string, unknown[]>;
}

let scratch = Buffer.allocUnsafe(64 * 1024);

/** A file records are stored in (a snapshot or a journal segment), read through a descriptor. */
export class LazySource {
  private fd: number | null;
  /** records whose stored copy is in this file */
  private refs = 0;
  /** replaced (an older snapshot) or deleted (a journal segment a snapshot includes): closed when no record is left */
  private retired = false;

  constructor(
    readonly path: string,
    readonly cache: RecordCache,
  ) {
    this.fd = openSync(path, 'r');
  }

  /** `length` bytes at `offset`, as text (read into one scratch buffer shared by every source: no allocation per read) */
  text(offset: number, length: number): string {
    if (scratch.length < length) scratch = Buffer.allocUnsafe(Math.max(length, 2 * scratch.length));
    return this.read(offset, length, scratch).toString('utf8', 0, length);
  }

  read(offset: number, length: number, into?: Buffer): Buffer {
    if (this.fd === null) throw new Error(`the file ${this.path} was closed before every record stored in it was read`);
    const buf = into && into.length >= length ? into : Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, buf, done, length - done, offset + done);
      if (n === 0) throw new Error(`the file ${this.path} ends before byte ${offset + length}`);
      done += n;
    }
    return buf;
  }

  retain(): void {
    this.refs++;
  }

  release(): void {
    if (--this.refs <= 0 && this.retired) this.close();
  }

  /** No new record will be stored here; close once none is left (at once if none is). */
  retire(): void {
    this.retired = true;
    if (this.refs <= 0) this.close();
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  get open(): boolean {
    return this.fd !== null;
  }

  /** records stored here */
  get records(): number {
    return this.refs;
  }
}

export const EMPTY: StoredRecord = Object.freeze({}) as StoredRecord;

/** Per-record state: the proxy's handler itself (the traps live on its prototype, so `this` is the state). */
export interface LazyState {
  /** where the record's JSON is stored: `length` bytes at `offset` (a trailing comma of the snapshot layout is ignored) */
  source: LazySource;
  offset: number;
  length: number;
  columns: HotColumns;
  /** the record's row in `columns` */
  row: number;
  loaded: boolean;
  /** read since the cache last looked (a second chance before it is let go) */
  used: boolean;
  /** removed from its collection: its source is no longer held for it */
  gone: boolean;
  /** changes made in memory so far */
  writes: number;
  /** `writes` when the stored copy was made: while they differ the record is kept in memory */
  saved: number;
  /** the loaded record (JSON.parse's compact object, used as it is); every trap forwards to it */
  record: StoredRecord;
}

/**
 * The loaded records of a store, up to `budget` bytes of their JSON. Past it, a pass on the next turn of the event
 * loop (never inside a request's synchronous work) lets go of records in the order they were loaded, giving those
 * read since the last pass a second chance (the clock algorithm) and keeping those changed and not yet stored.
 */
export class RecordCache {
  private queue: LazyState[] = [];
  private head = 0;
  private trimming = false;
  bytes = 0;
  /** records read from disk so far */
  loads = 0;

  constructor(readonly budget: number) {}

  get loaded(): number {
    return this.queue.length - this.head;
  }

  add(state: LazyState): void {
    this.queue.push(state);
    this.bytes += state.length;
    this.loads++;
    this.check();
  }

  /** Over budget: trim on the next turn. */
  check(): void {
    if (this.bytes > this.budget && !this.trimming) {
      this.trimming = true;
      setImmediate(() => this.trim());
    }
  }

  /** Let go of records until the cache is back under 90% of its budget (at most two passes over it). */
  trim(): void {
    this.trimming = false;
    const target = this.budget * 0.9;
    let visits = 2 * this.loaded;
    while (this.bytes > target && visits-- > 0 && this.head < this.queue.length) {
      const s = this.queue[this.head++];
      if (!s.loaded) continue;
      if (s.gone) {
        this.bytes -= s.length; // out of the cache, kept by whoever still holds it
        continue;
      }
      if (s.used || s.writes !== s.saved) {
        s.used = false;
        this.queue.push(s);
        continue;
      }
      this.bytes -= s.length;
      s.loaded = false;
      s.record = EMPTY;
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}
