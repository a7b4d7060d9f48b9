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
import { syncDirectory } from './snapshot.js';
import type { Change, RecordCollection } from './collection.js';
import type { StoredRecord } from './interface.js';
import { isPaged, plainRecord, writesOf } from './lazy.js';

export type JournalEntry =
  | { op: 'ins' | 'put'; c: string; id: string; r: StoredRecord }
  | { op: 'del'; c: string; id: string }
  | { op: 'reset' };

const hex = (s: string) => crc32(s).toString(16).padStart(8, '0');
/** `,"k":"xxxxxxxx"}` */
const SUFFIX = 16;

/** One journal line: the entry's JSON with its checksum as a last field, and a newline. */
export function encodeEntry(entry: JournalEntry): string {
  return withChecksum(JSON.stringify(entry));
}

/** An entry's JSON text (`{…}`) as a journal line: its checksum added as a last field, and a newline. */
function withChecksum(payload: string): string {
  return `${payload.slice(0, -1)},"k":"${hex(payload)}"}\n`;
}

/** The entry a journal line holds, or undefined when the line is damaged (checksum, JSON or shape). */
export function decodeLine(line: string): JournalEntry | undefined {
  if (line.length < SUFFIX + 2 || !line.endsWith('"}') || line.slice(-SUFFIX, -SUFFIX + 6) !== ',"k":"')
    return undefined;
  const payload = line.slice(0, -SUFFIX) + '}';
  if (hex(payload) !== line.slice(-10, -2)) return undefined;
  try {
    const entry = JSON.parse(payload) as JournalEntry;
    return entry && typeof entry === 'object' && typeof entry.op === 'string' ? entry : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A lazy record's new state as written into the journal: line `line` of a batch, its JSON `length` bytes from byte
 * `start` of the line, made when the record had `writes` changes (lazy.ts `saved`).
 */
export interface JournaledRecord {
  record: StoredRecord;
  writes: number;
  line: number;
  start: number;
  length: number;
}

/**
 * The journal lines for a collection's recorded changes (see `RecordCollection.takeChanges`), appended to `out`; where the
 * JSON of each lazy record sits in its line goes to `stored`. A line is `encodeEntry`'s, built from its parts.
 */
export function changeLines(
  name: string,
  collection: RecordCollection,
  changes: Map<string, Change>,
  out: string[],
  stored?: JournaledRecord[],
): void {
  for (const [id, change] of changes) {
    const rec = collection.get(id);
    if (change === 'del' || !rec) {
      out.push(encodeEntry({ op: 'del', c: name, id }));
      continue;
    }
    const head = `{"op":${JSON.stringify(change)},"c":${JSON.stringify(name)},"id":${JSON.stringify(id)},"r":`;
    const json = JSON.stringify(plainRecord(rec));
    if (stored && isPaged(rec))
      stored.push({
        record: rec,
        writes: writesOf(rec),
        line: out.length,
        start: Buffer.byteLength(head),
        length: Buffer.byteLength(json),
      });
    out.push(withChecksum(`${head}${json}}`)); // what encodeEntry makes of the entry, with the record's place known
  }
}

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
  /** who wants to know where their lines were written: their first line's index in `pending`, how many, callback */
  private watchers: Watcher[] = [];
  /** bytes in each open segment */
  private sizes = new Map<number, number>();
  private pendingBatch: Batch | null = null;
  private inflight: Promise<void> | null = null;
  private running = false;
  private scheduled = false;
  /** characters appended since the last `rotate` (a snapshot is due when this grows large) */
  sinceRotate = 0;
  /** write + fdatasync rounds so far (each serves every line queued before it started) */
  flushes = 0;

  constructor(
    private readonly dbFile: string,
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

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

  /**
   * Queue lines; resolves once they (and every line queued before them) are on disk. `placed`, if given, hears the
   * segment and the byte offset of each of these lines once they are on disk (before this resolves).
   */
  append(lines: string[], placed?: (segment: number, offsets: number[]) => void): Promise<void> {
    if (lines.length) {
      if (placed) this.watchers.push([this.pending.length, lines.length, placed]);
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
      const watchers = this.watchers;
      const b = this.pendingBatch!;
      this.pending = [];
      this.watchers = [];
      this.pendingBatch = null;
      this.inflight = b.promise;
      const segment = this.current;
      try {
        const fh = await this.handle(segment);
        const chunk = Buffer.from(lines.join(''), 'utf8');
        const base = this.sizes.get(segment) ?? 0;
        await fh.write(chunk);
        await fh.datasync();
        this.sizes.set(segment, base + chunk.length);
        this.flushes++;
        if (watchers.length) tellPlaces(lines, watchers, segment, base, this.warn);
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
      this.sizes.set(n, (await fh.stat()).size);
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
      await this.handles
        .get(s)
        ?.close()
        .catch(() => undefined);
      this.handles.delete(s);
      this.sizes.delete(s);
      await unlink(this.segmentPath(s)).catch(() => undefined);
    }
  }

  /** Resolves when every queued line is on disk (or failed). */
  async flushed(): Promise<void> {
    while (this.running || this.scheduled || this.pending.length)
      await (this.pendingBatch?.promise ?? this.inflight ?? new Promise((r) => setImmediate(r))).catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.flushed();
    for (const fh of this.handles.values()) await fh.close().catch(() => undefined);
    this.handles.clear();
  }
}

type Watcher = [first: number, count: number, placed: (segment: number, offsets: number[]) => void];

/** Tell each watcher where its lines went: `lines` were written at byte `base` of `segment`. */
function tellPlaces(
  lines: string[],
  watchers: Watcher[],
  segment: number,
  base: number,
  warn: (m: string) => void,
): void {
  let at = base;
  let line = 0;
  for (const [first, count, placed] of watchers) {
    for (; line < first; line++) at += Buffer.byteLength(lines[line]);
    const offsets: number[] = [];
    for (; line < first + count; line++) {
      offsets.push(at);
      at += Buffer.byteLength(lines[line]);
    }
    try {
      placed(segment, offsets);
    } catch (err) {
      warn(`after a journal write: ${(err as Error).message}`);
    }
  }
}
