/**
 * When the snapshot is rewritten: once writes pause (a second by default, five times as long as the last snapshot
 * took for a large store, at most a minute), at once when the journal has grown past its limit, and at shutdown. A
 * rewrite starts a new journal segment, writes the file in the background and then deletes the segments it covers.
 */
import type { Journal } from './journal.js';

/** A snapshot is also taken, writes or not, once the journal holds this many characters (or the snapshot's size). */
const JOURNAL_LIMIT = 64 << 20;

export interface SnapshotWork {
  journal: Journal;
  /** write the snapshot whose journal starts at segment `from`; resolves once the file is in place */
  write(from: number): Promise<void>;
  /** the journal segments before `from` are deleted */
  deleted(from: number): void;
  /** the snapshot's size on disk */
  bytes(): number;
  delayMs?: number;
  warn(message: string): void;
  file: string;
}

export class SnapshotSchedule {
  /** the journal holds entries the snapshot on disk does not */
  stale = false;
  private timer?: NodeJS.Timeout;
  private writing?: Promise<void>;
  /** how long the last snapshot took to write */
  private ms = 0;
  private stopped = false;

  constructor(private readonly work: SnapshotWork) {}

  /** The background write under way, if any. */
  get running(): Promise<void> | undefined {
    return this.writing;
  }

  /** Rewrite the snapshot once writes pause, or at once when the journal has grown past its limit. */
  schedule(): void {
    if (this.stopped) return;
    this.stale = true;
    clearTimeout(this.timer);
    const bytes = this.work.bytes();
    if (this.work.journal.sinceRotate > Math.max(JOURNAL_LIMIT, bytes)) void this.run();
    else {
      const cost = this.ms || bytes / 100_000; // ~100 MB/s when not measured yet
      const delay = Math.min(60_000, Math.max(this.work.delayMs ?? 1000, 5 * cost));
      this.timer = setTimeout(() => void this.run(), delay);
    }
    this.timer?.unref?.();
  }

  /**
   * Write the snapshot in the background: a new journal segment starts now, the record lists are copied now (the
   * records are serialised as they are reached; entries journaled from now on are replayed over them), and the old
   * segments are deleted once the new file is in place.
   */
  run(): Promise<void> {
    if (this.writing) return this.writing;
    const { journal } = this.work;
    const { from, settled } = journal.rotate();
    this.stale = false;
    this.writing = (async () => {
      let failed = false;
      try {
        const started = Date.now();
        await this.work.write(from);
        this.ms = Date.now() - started;
        await settled;
        await journal.removeBefore(from);
        this.work.deleted(from);
      } catch (err) {
        failed = true;
        this.stale = true;
        this.work.warn(
          `could not rewrite the snapshot ${this.work.file} (${(err as Error).message}); the journal keeps every write`,
        );
      } finally {
        this.writing = undefined;
        if (this.stale && !failed) this.schedule(); // writes arrived while it was written
      }
    })();
    return this.writing;
  }

  /** No more background writes: wait for the one under way, then write once more if the journal is ahead. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.writing;
    if (this.stale) await this.run();
  }
}
