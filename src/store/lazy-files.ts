/**
 * The files a store's lazy records are stored in (lazy.ts): snapshots, each closed once no record is left in it, and
 * journal segments, which store a record's newer state from the moment its journal line is on disk until a snapshot
 * includes it. Also the record cache they share, and what `/__geostub/health` says of them.
 */
import { open } from 'node:fs/promises';
import type { DiskRecordStats, LazyOptions, StoredRecord } from './interface.js';
import { LazySource, RecordCache, saved } from './lazy.js';

/** A lazy record's copy written into a snapshot: the record, its change count then, and where its line is. */
export type PlacedRecord = [record: StoredRecord, writes: number, offset: number, length: number];

export const LAZY_DEFAULTS = { from: 5_000, cacheMB: 8 } as const;

export class LazyFiles {
  readonly cache: RecordCache;
  readonly from: number;
  private snapshots = new Set<LazySource>();
  private segments = new Map<number, LazySource>();
  private warming?: { stop: boolean };

  constructor(
    options: LazyOptions | undefined,
    private readonly segmentPath: (n: number) => string,
  ) {
    const from = options?.from ?? LAZY_DEFAULTS.from;
    const cacheMB = options?.cacheMB ?? LAZY_DEFAULTS.cacheMB;
    if (!Number.isInteger(from) || from < 1)
      throw new Error(`--lazy-from (lazy.from) must be a whole number of records, 1 or more, not ${String(from)}`);
    if (!Number.isFinite(cacheMB) || cacheMB < 0)
      throw new Error(`the record cache (--cache-mb, lazy.cacheMB) must be 0 or more MB, not ${String(cacheMB)}`);
    this.from = from;
    this.cache = new RecordCache(cacheMB * 1024 * 1024);
  }

  /** A snapshot whose records were just read from it or written into it: no others will be, so it closes once none is left. */
  addSnapshot(source: LazySource): void {
    source.retire();
    if (source.open) this.snapshots.add(source);
  }

  /**
   * Read a snapshot the store starts from once, front to back, in the background (a second after the start, a 4 MB
   * slice at a time, off the event loop), so the operating system's file cache holds it and records are read at memory speed rather than
   * the disk's. That memory is the OS's, given back under pressure; the process keeps nothing.
   */
  warm(path: string, afterMs = 1000): void {
    const state = (this.warming = { stop: false });
    // after a pause: the start's own reads (the index, the first pages) go first
    setTimeout(() => void read(), afterMs).unref();
    const read = async () => {
      if (state.stop) return;
      const fh = await open(path, 'r').catch(() => undefined);
      if (!fh) return;
      const slice = Buffer.allocUnsafe(4 << 20);
      try {
        while (!state.stop && (await fh.read(slice, 0, slice.length, null)).bytesRead > 0);
      } catch {
        /* a cache warm-up only: reads that fail are the records' business */
      } finally {
        await fh.close().catch(() => undefined);
      }
    };
  }

  /** Lazy records written into the snapshot `file` are read from it from now on (those not changed since). */
  storedInSnapshot(file: string, placed: PlacedRecord[]): void {
    if (!placed.length) return;
    const source = new LazySource(file, this.cache);
    for (const [record, writes, offset, length] of placed) saved(record, writes, source, offset, length);
    this.addSnapshot(source);
  }

  /** Journal segment `n` as a file records are stored in. */
  segment(n: number): LazySource {
    let source = this.segments.get(n);
    if (!source) this.segments.set(n, (source = new LazySource(this.segmentPath(n), this.cache)));
    return source;
  }

  /** The segments below `n` were deleted: they stay readable for the records still stored there, then close. */
  segmentsDeletedBefore(n: number): void {
    for (const [s, source] of this.segments) {
      if (s >= n) continue;
      source.retire();
      this.segments.delete(s);
    }
  }

  /** The records read from these files are gone (a reset): close them after `until` (a snapshot still reading them). */
  drop(until?: Promise<unknown>): void {
    if (this.warming) this.warming.stop = true;
    const sources = [...this.snapshots, ...this.segments.values()];
    this.snapshots.clear();
    this.segments.clear();
    if (sources.length) void (until ?? Promise.resolve()).then(() => sources.forEach((s) => s.close()));
  }

  close(): void {
    if (this.warming) this.warming.stop = true;
    for (const s of [...this.snapshots, ...this.segments.values()]) s.close();
  }

  get stats(): DiskRecordStats {
    let records = 0;
    for (const s of this.snapshots) {
      if (s.open) records += s.records;
      else this.snapshots.delete(s);
    }
    for (const s of this.segments.values()) records += s.records;
    const mb = (n: number) => Math.round((n / 1024 / 1024) * 100) / 100;
    return {
      records,
      loaded: this.cache.loaded,
      loadedMB: mb(this.cache.bytes),
      cacheMB: mb(this.cache.budget),
      reads: this.cache.loads,
    };
  }
}
