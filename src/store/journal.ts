/**
 * The write-ahead journal: every change is appended to `<db>.journal.<n>` as one JSON line before the request that
 * made it is answered, and replayed over the snapshot on the next start.
 *
 * - Entries: `{"op":"ins"|"put","c":collection,"id":"7","r":{record}}` (a new or changed record, whole: behaviours
 *   may change fields in place before they call `update`, so a field list could miss some), `{"op":"del",…}` and
 *   `{"op":"reset"}` (back to the seed fixtures). Each line ends with `"k":"<crc32 of the line without k>"`, so a line
 *   cut short or damaged is recognised and skipped with a warning.
 * - Group commit: lines wait in memory until the writer is free; it then writes all of them with one `write` and one
 *   `fdatasync`, and every request whose lines were in that batch is answered. Many concurrent writers share a disk
 *   flush instead of queueing for one each.
 * - Segments: a snapshot starts a new segment (`rotate`) and records its number in the snapshot's head; once the
 *   snapshot is on disk, older segments are deleted. A crash between the two leaves extra segments that the head
 *   tells the next start to ignore.
 */
import { crc32 } from 'node:zlib';
import { open, readdir, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { forEachLine } from './lines.js';
import { syncDirectory } from './snapshot.js';
import type { Change, Collection, StoredRecord } from './collection.js';
import { plainRecord } from './lazy.js';

export type JournalEntry =
  | { op: 'ins' | 'put'; c: string; id: string; r: StoredRecord }
  | { op: 'del'; c: string; id: string }
  | { op: 'reset' };

const hex = (s: string) => crc32(s).toString(16).padStart(8, '0');
/** `,"k":"xxxxxxxx"}` */
const SUFFIX = 16;

/** One journal line: the entry's JSON with its checksum as a last field, and a newline. */
export function encodeEntry(entry: JournalEntry): string {
  const payload = JSON.stringify(entry);
  return `${payload.slice(0, -1)},"k":"${hex(payload)}"}\n`;
}

/** The entry a journal line holds, or undefined when the line is damaged (checksum, JSON or shape). */
export function decodeLine(line: string): JournalEntry | undefined {
  if (line.length < SUFFIX + 2 || !line.endsWith('"}') || line.slice(-SUFFIX, -SUFFIX + 6) !== ',"k":"') return undefined;
  const payload = line.slice(0, -SUFFIX) + '}';
  if (hex(payload) !== line.slice(-10, -2)) return undefined;
  try {
    const entry = JSON.parse(payload) as JournalEntry;
    return entry && typeof entry === 'object' && typeof entry.op === 'string' ? entry : undefined;
  } catch {
    return undefined;
  }
}

/** The journal lines for a collection's recorded changes (see `Collection.takeChanges`). */
export function changeLines(name: string, collection: Collection, changes: Map<string, Change>, out: string[]): void {
  for (const [id, change] of changes) {
    const rec = collection.get(id);
    if (change === 'del' || !rec) out.push(encodeEntry({ op: 'del', c: name, id }));
    else out.push(encodeEntry({ op: change, c: name, id, r: plainRecord(rec) }));
  }
}

/** Whether a line is a reset entry (cheap check before decoding). */
const isResetLine = (line: string) => line.startsWith('{"op":"reset"');

interface Batch {
  promise: Promise<void>;
  resolve(): void;
  reject(err: unknown): void;
}

function batch(): Batch {
  let resolve!: () => void, reject!: (err: unknown) => void;
  const promise = new Promise<void>((ok, fail) => ((resolve = ok), (reject = fail)));
  promise.catch(() => undefined); // the requests awaiting it see the error; nobody else must
  return { promise, resolve, reject };
}

export class Journal {
  private current = 1;
  private readonly handles = new Map<number, FileHandle>();
  private pending: string[] = [];
  private pendingBatch: Batch | null = null;
  private inflight: Promise<void> | null = null;
  private running = false;
  private scheduled = false;
  /** characters appended since the last `rotate` (a snapshot is due when this grows large) */
  sinceRotate = 0;
  /** write + fdatasync rounds so far (each serves every line queued before it started) */
  flushes = 0;

  constructor(private readonly dbFile: string) {}

  segmentPath(n: number): string {
    return `${this.dbFile}.journal.${n}`;
  }

  /** The numbers of the segments on disk, ascending. */
  async segments(): Promise<number[]> {
    const prefix = `${basename(this.dbFile)}.journal.`;
    const names = await readdir(dirname(this.dbFile)).catch(() => [] as string[]);
    return names
      .filter((n) => n.startsWith(prefix) && /^\d+$/.test(n.slice(prefix.length)))
      .map((n) => Number(n.slice(prefix.length)))
      .sort((a, b) => a - b);
  }

  /** Write new entries to segment `n` (created on the first write). */
  startAt(n: number): void {
    this.current = n;
  }

  /** Queue lines; resolves once they (and every line queued before them) are on disk. */
  append(lines: string[]): Promise<void> {
    if (lines.length) {
      for (const l of lines) {
        this.pending.push(l);
        this.sinceRotate += l.length;
      }
      this.pendingBatch ??= batch();
      if (!this.running && !this.scheduled) {
        this.scheduled = true;
        // wait for the rest of this event-loop turn: requests parsed in the same turn share the flush
        setImmediate(() => {
          this.scheduled = false;
          void this.run();
        });
      }
    }
    return this.pendingBatch?.promise ?? this.inflight ?? Promise.resolve();
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    while (this.pending.length) {
      const lines = this.pending;
      const b = this.pendingBatch!;
      this.pending = [];
      this.pendingBatch = null;
      this.inflight = b.promise;
      const segment = this.current;
      try {
        const fh = await this.handle(segment);
        await fh.write(lines.join(''));
        await fh.datasync();
        this.flushes++;
        b.resolve();
      } catch (err) {
        // a failed write may have left half a line: later lines go to a fresh segment
        if (this.current === segment) this.current++;
        b.reject(err);
      }
      this.inflight = null; // settled: a later persist with nothing new must not inherit this batch's error
    }
    this.running = false;
  }

  private async handle(n: number): Promise<FileHandle> {
    let fh = this.handles.get(n);
    if (!fh) {
      fh = await open(this.segmentPath(n), 'a');
      this.handles.set(n, fh);
      await syncDirectory(dirname(this.dbFile));
    }
    return fh;
  }

  /**
   * Start a new segment for the lines queued from now on; returns its number (the first segment a snapshot taken
   * now must replay) and a promise for the batch still being written to the old one.
   */
  rotate(): { from: number; settled: Promise<void> } {
    this.current++;
    this.sinceRotate = 0;
    return { from: this.current, settled: (this.inflight ?? Promise.resolve()).catch(() => undefined) };
  }

  /** Close and delete the segments numbered below `n`. */
  async removeBefore(n: number): Promise<void> {
    for (const s of await this.segments()) {
      if (s >= n) continue;
      await this.handles.get(s)?.close().catch(() => undefined);
      this.handles.delete(s);
      await unlink(this.segmentPath(s)).catch(() => undefined);
    }
  }

  /** Resolves when every queued line is on disk (or failed). */
  async flushed(): Promise<void> {
    while (this.running || this.scheduled || this.pending.length) await (this.pendingBatch?.promise ?? this.inflight ?? new Promise((r) => setImmediate(r))).catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.flushed();
    for (const fh of this.handles.values()) await fh.close().catch(() => undefined);
    this.handles.clear();
  }
}

export interface ReplayReport {
  entries: number;
  damaged: number;
}

/** A place in the journal: entries after line `line` of segment `segment`. */
export interface JournalPosition {
  segment: number;
  line: number;
}

/** Where the last intact reset entry at or after segment `from` is, if there is one. */
export async function lastReset(journal: Journal, from: number): Promise<JournalPosition | undefined> {
  let found: JournalPosition | undefined;
  for (const n of await journal.segments()) {
    if (n < from) continue;
    await forEachLine(journal.segmentPath(n), (line, no) => {
      if (isResetLine(line) && decodeLine(line)?.op === 'reset') found = { segment: n, line: no };
    });
  }
  return found;
}

/**
 * Read the segments after `after`, in order, and hand each intact entry to `apply`; damaged lines (a torn last
 * write, a checksum mismatch) are skipped with one warning per segment. Never throws on content.
 */
export async function replayJournal(journal: Journal, after: JournalPosition, apply: (e: JournalEntry) => void, warn: (msg: string) => void): Promise<ReplayReport> {
  const report: ReplayReport = { entries: 0, damaged: 0 };
  for (const n of await journal.segments()) {
    if (n < after.segment) continue;
    const file = journal.segmentPath(n);
    const bad: number[] = [];
    let torn = false;
    await forEachLine(file, (line, no, terminated) => {
      if (!line || (n === after.segment && no <= after.line)) return;
      const entry = decodeLine(line);
      if (!entry) {
        bad.push(no);
        if (!terminated) torn = true;
        return;
      }
      try {
        apply(entry);
        report.entries++;
      } catch (err) {
        bad.push(no);
        warn(`journal ${file}, line ${no}: ${(err as Error).message}; entry skipped`);
      }
    });
    if (bad.length) {
      report.damaged += bad.length;
      const what = torn && bad.length === 1
        ? 'its last line was cut short by a crash (that write was never acknowledged)'
        : `${bad.length} damaged line(s), first at line ${bad[0]}`;
      warn(`journal ${file}: ${what}; skipped`);
    }
  }
  return report;
}

