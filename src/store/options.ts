/** What a store is opened with (`openStore`, database.ts). */
import type { CollectionSpec, LazyOptions, StoredRecord } from './interface.js';

export interface StoreOptions {
  /** path of the snapshot JSON file; ignored when inMemory */
  file?: string;
  inMemory?: boolean;
  /** the seed data (already loaded fixtures); deep-copied into the store on first start and on reset */
  seed: () => Promise<Record<string, StoredRecord[]>>;
  specs: Record<string, CollectionSpec>;
  /** where warnings go (damaged journal lines, a failed background snapshot); default stderr */
  warn?: (message: string) => void;
  /**
   * milliseconds without writes before the snapshot is rewritten (default 1000; a large store waits five times as
   * long as its last snapshot took, up to a minute, so a busy server is not slowed by repeated snapshots)
   */
  snapshotDelayMs?: number;
  /**
   * `from`: collections of at least this many records (default 5,000) are indexed beside the snapshot and kept on
   * disk, read record by record when needed (snapshot-index.ts, lazy.ts); `cacheMB`: how much of their JSON is
   * kept in memory once read (default 8)
   */
  lazy?: LazyOptions;
}
