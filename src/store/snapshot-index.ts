/**
 * The snapshot index (`<db>.index`, JSON), written beside a snapshot so the next start need not parse all of it:
 *
 *     { "version": 1, "size": <snapshot bytes>, "mtimeMs": <snapshot mtime>,
 *       "collections": [ { "name", "start", "end", "lazy"?: { "offsets", "lengths", "hot": { field: [values] } } } ] }
 *
 * `start`/`end` are the byte range of a collection's record lines. A collection of at least `lazyFrom` records is
 * indexed record by record (where each line starts, how long it is, and the values of its hot fields), and its
 * records start as lazy records (lazy.ts), kept on disk and read when needed; smaller collections are read whole
 * from their byte range. The index is used only while the snapshot's size and mtime are the ones it names: a file
 * edited by hand (or a snapshot whose index was not written) is read the ordinary way, and the next snapshot writes
 * a new index.
 */
import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
import type { StoredRecord } from './collection.js';
import { ABSENT, LazySource, deepFreeze, lazyRecord, type HotColumns, type RecordCache } from './lazy.js';

type Rec = Record<string, unknown>;

export interface IndexPlan {
  /** collections with at least this many records are indexed record by record and read lazily */
  lazyFrom: number;
  /** the hot fields of a collection (answered by a lazy record without parsing it); undefined: never lazy */
  hotFields: (collection: string) => readonly string[] | undefined;
}

interface LazyLayout {
  offsets: number[];
  lengths: number[];
  hot: Record<string, unknown[]>;
  /** per hot field, the records that do not have it at all (their value in `hot` is a stand-in null) */
  absent: Record<string, number[]>;
  /**
   * a hot field with few distinct values (an embedded owner) is stored once per value: `hot[field]` then holds
   * indexes into `tables[field]` (-1: absent)
   */
  tables?: Record<string, unknown[]>;
}

interface IndexedCollection {
  name: string;
  start: number;
  end: number;
  lazy?: LazyLayout;
}

interface SnapshotIndex {
  version: 1;
  size: number;
  mtimeMs: number;
  collections: IndexedCollection[];
}

export const indexFileOf = (file: string) => `${file}.index`;

/** Collects the byte layout while the snapshot writer writes. */
export class LayoutRecorder {
  private list: IndexedCollection[] = [];
  private current?: IndexedCollection;
  private hot: readonly string[] = [];

  constructor(private readonly plan?: IndexPlan) {}

  collection(name: string, start: number, count: number): void {
    this.current = { name, start, end: start };
    this.list.push(this.current);
    const hot = this.plan?.hotFields(name);
    if (this.plan && hot && count >= this.plan.lazyFrom) {
      this.hot = hot;
      this.current.lazy = {
        offsets: [],
        lengths: [],
        hot: Object.fromEntries(this.hot.map((f) => [f, []])),
        absent: Object.fromEntries(this.hot.map((f) => [f, []])),
      };
    }
  }

  /** Note a record's place; true when its collection is indexed record by record. */
  record(r: Rec, offset: number, length: number): boolean {
    const lazy = this.current?.lazy;
    if (!lazy) return false;
    lazy.offsets.push(offset);
    lazy.lengths.push(length);
    for (const f of this.hot) {
      const v = r[f];
      if (v === undefined) lazy.absent[f].push(lazy.offsets.length - 1);
      lazy.hot[f].push(v === undefined ? null : v);
    }
    return true;
  }

  end(offset: number): void {
    if (this.current) this.current.end = offset;
  }

  result(): IndexedCollection[] {
    for (const c of this.list) if (c.lazy) tabulate(c.lazy);
    return this.list;
  }
}

/** Store each hot column with few distinct values as a table of values and one index per record. */
function tabulate(lazy: LazyLayout): void {
  const rows = lazy.offsets.length;
  for (const [field, values] of Object.entries(lazy.hot)) {
    const absent = new Set(lazy.absent[field]);
    const seen = new Map<string, number>();
    const indexes: number[] = [];
    for (let i = 0; i < rows && seen.size <= rows / 4; i++) {
      if (absent.has(i)) {
        indexes.push(-1);
        continue;
      }
      const key = JSON.stringify(values[i]);
      let at = seen.get(key);
      if (at === undefined) seen.set(key, (at = seen.size));
      indexes.push(at);
    }
    if (seen.size > rows / 4 || seen.size === 0) continue;
    lazy.tables ??= {};
    lazy.tables[field] = [...seen.keys()].map((k) => JSON.parse(k) as unknown);
    lazy.hot[field] = indexes;
    lazy.absent[field] = [];
  }
}

/** Write the index of a snapshot just written (temporary file and rename); without a lazy collection, remove it. */
export async function writeIndex(file: string, collections: IndexedCollection[]): Promise<void> {
  const target = indexFileOf(file);
  if (!collections.some((c) => c.lazy)) {
    await unlink(target).catch(() => undefined);
    return;
  }
  const { size, mtimeMs } = await stat(file);
  const index: SnapshotIndex = { version: 1, size, mtimeMs, collections };
  const tmp = `${target}.${process.pid}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(JSON.stringify(index));
    await fh.datasync();
  } finally {
    await fh.close();
  }
  await rename(tmp, target);
}

async function readIndex(file: string): Promise<SnapshotIndex | undefined> {
  let index: SnapshotIndex;
  try {
    index = JSON.parse(await readFile(indexFileOf(file), 'utf8')) as SnapshotIndex;
  } catch {
    return undefined; // none, or unreadable: the snapshot is read the ordinary way
  }
  const now = await stat(file).catch(() => undefined);
  if (
    !now ||
    index?.version !== 1 ||
    index.size !== now.size ||
    index.mtimeMs !== now.mtimeMs ||
    !Array.isArray(index.collections)
  )
    return undefined;
  return index;
}

export interface IndexedSnapshot {
  head: Rec;
  collections: Record<string, StoredRecord[]>;
  /** the file lazy records are read from (undefined when no collection is lazy) */
  source?: LazySource;
}

/**
 * Read a snapshot through its index: small collections parsed from their byte ranges, large ones as lazy records.
 * Undefined when there is no valid index (the caller reads the file the ordinary way).
 */
export async function readIndexedSnapshot(
  file: string,
  hotFields: IndexPlan['hotFields'],
  cache: RecordCache,
): Promise<IndexedSnapshot | undefined> {
  const index = await readIndex(file);
  if (!index) return undefined;
  const source = new LazySource(file, cache);
  try {
    const headLine = firstLine(source.read(0, Math.min(index.size, 1 << 16)));
    if (!headLine.endsWith('"collections":{')) return void source.close();
    const head = JSON.parse(headLine + '}}') as Rec;
    delete head.collections;
    const collections: Record<string, StoredRecord[]> = {};
    for (const c of index.collections) {
      if (c.lazy) {
        const columns = hotColumns(c.lazy, hotFields(c.name) ?? []);
        if (!columns) return void source.close(); // the hot fields changed since the index was written
        const { offsets, lengths } = c.lazy;
        // a cheap check that the offsets lead to records: the first and last lines start with "{"
        for (const i of offsets.length ? [0, offsets.length - 1] : []) {
          if (source.read(offsets[i], 1)[0] !== 0x7b) throw new Error(`the index of ${file} does not match it`);
        }
        const records: StoredRecord[] = new Array(offsets.length);
        for (let i = 0; i < offsets.length; i++) records[i] = lazyRecord(source, offsets[i], lengths[i], columns, i);
        collections[c.name] = records;
      } else {
        collections[c.name] = parseLines(source.read(c.start, c.end - c.start), c.end - c.start);
      }
    }
    if (!index.collections.some((c) => c.lazy)) source.close();
    return { head, collections, source: source.open ? source : undefined };
  } catch (err) {
    source.close();
    throw err;
  }
}

function hotColumns(lazy: LazyLayout, fields: readonly string[]): HotColumns | undefined {
  const values = new Map<string, unknown[]>();
  for (const f of fields) {
    const column = lazy.hot[f];
    if (!Array.isArray(column)) return undefined;
    const table = lazy.tables?.[f];
    if (table) {
      for (const v of table) deepFreeze(v); // shared by every record holding it
      values.set(
        f,
        column.map((i) => (i === -1 ? ABSENT : table[i as number])),
      );
    } else {
      for (const i of lazy.absent?.[f] ?? []) column[i] = ABSENT;
      values.set(f, column);
    }
  }
  return { names: new Set(fields), values };
}

function firstLine(buf: Buffer): string {
  const nl = buf.indexOf(10);
  return buf.toString('utf8', 0, nl < 0 ? buf.length : nl);
}

function parseLines(buf: Buffer, length: number): StoredRecord[] {
  const out: StoredRecord[] = [];
  let start = 0;
  while (start < length) {
    let nl = buf.indexOf(10, start);
    if (nl < 0 || nl > length) nl = length;
    let text = buf.toString('utf8', start, nl);
    if (text.endsWith(',')) text = text.slice(0, -1);
    if (text) out.push(JSON.parse(text) as StoredRecord);
    start = nl + 1;
  }
  return out;
}
