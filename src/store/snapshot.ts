/**
 * Snapshot (and fixture) files: `{ <head fields>, "collections": { "<name>": [records] } }`.
 *
 * Decision: the file stays one ordinary JSON document (lowdb's JSONFile, `jq` and any editor read it whole), but
 * geostub writes it in a line layout, one record per line:
 *
 *     {"version":1,"journal":7,"collections":{
 *     "users":[
 *     {"pk":1000,…},
 *     {"pk":1001,…}
 *     ],
 *     "tokens":[],
 *     …
 *     }}
 *
 * `JSON.stringify` never puts a raw newline inside a value, so each record is exactly one line. geostub reads a file
 * in this layout line by line (one `JSON.parse` per record), so a store of 100,000 resources (hundreds of MB, longer
 * than V8's longest string) loads without ever being one string; a file in any other layout (edited by hand,
 * pretty-printed) is read with one `JSON.parse` when it is small enough for that, and the next snapshot writes it
 * back in the line layout. Writing goes record by record in ~1 MB slices (each slice awaits the disk, so a
 * background snapshot never holds the event loop for long), to a temporary file that is fsynced and renamed over
 * the old one, so a snapshot on disk is always whole.
 */
import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { forEachLine } from './lines.js';
import { plainRecord, storedJson } from './lazy.js';
import { LayoutRecorder, writeIndex, type IndexPlan } from './snapshot-index.js';

type Rec = Record<string, unknown>;

export interface CollectionsFile {
  /** the fields before `collections` (`version`, `journal`; `generator`, `seed`, `scale` in fixtures) */
  head: Rec;
  collections: Record<string, Rec[]>;
}

/** Longest file read with one `JSON.parse` (V8 strings stop at 2^29 - 24 characters). */
const WHOLE_FILE_LIMIT = 500_000_000;
const SLICE = 1 << 20;

export class SnapshotFormatError extends Error {}

/** Read a collections file in the line layout (streamed) or, when small enough, in any JSON layout. */
export async function readCollectionsFile(file: string): Promise<CollectionsFile> {
  const streamed = await readLineLayout(file);
  if (streamed.ok) return streamed.value;
  const { size } = await stat(file);
  if (size > WHOLE_FILE_LIMIT) {
    throw new SnapshotFormatError(
      `${streamed.problem}; a file of ${(size / 1e6).toFixed(0)} MB must be in geostub's one-record-per-line layout`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new SnapshotFormatError((err as Error).message);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new SnapshotFormatError('the file does not hold a JSON object');
  const { collections, ...head } = parsed as Rec;
  if (!collections || typeof collections !== 'object' || Array.isArray(collections))
    throw new SnapshotFormatError('no "collections" key');
  for (const [name, records] of Object.entries(collections)) {
    if (!Array.isArray(records)) throw new SnapshotFormatError(`collection "${name}" is not an array`);
  }
  return { head, collections: collections as Record<string, Rec[]> };
}

type LayoutResult = { ok: true; value: CollectionsFile } | { ok: false; problem: string };

const COLLECTION_START = /^("(?:[^"\\]|\\.)*"):\[(\],?)?$/;
const COLLECTION_END = /^\],?$/;

async function readLineLayout(file: string): Promise<LayoutResult> {
  let head: Rec | undefined;
  const collections: Record<string, Rec[]> = {};
  let current: Rec[] | null = null;
  let ended = false;
  let problem: string | undefined;
  await forEachLine(file, (line, no) => {
    const fail = (why: string) => ((problem = `line ${no}: ${why}`), false as const);
    if (no === 1) {
      if (!line.startsWith('{') || !line.endsWith('"collections":{')) return fail('not in the line layout');
      try {
        head = JSON.parse(line + '}}') as Rec;
      } catch {
        return fail('not in the line layout');
      }
      delete head.collections;
      return;
    }
    if (ended) return line.trim() === '' ? undefined : fail('text after the end of the document');
    if (current) {
      if (line.startsWith('{')) {
        let rec: unknown;
        try {
          rec = JSON.parse(line.endsWith(',') ? line.slice(0, -1) : line);
        } catch (err) {
          return fail(`not a JSON record (${(err as Error).message})`);
        }
        if (!rec || typeof rec !== 'object' || Array.isArray(rec)) return fail('not a JSON object');
        current.push(rec as Rec);
        return;
      }
      if (COLLECTION_END.test(line)) return void (current = null);
      return fail('expected a record or "]"');
    }
    const start = COLLECTION_START.exec(line);
    if (start) {
      const list: Rec[] = [];
      collections[JSON.parse(start[1]) as string] = list;
      if (!start[2]) current = list;
      return;
    }
    if (line === '}}') return void (ended = true);
    return fail('expected a collection or "}}"');
  });
  if (problem) return { ok: false, problem };
  if (!head) return { ok: false, problem: 'the file is empty' };
  if (!ended) return { ok: false, problem: 'the file ends early (no closing "}}")' };
  return { ok: true, value: { head, collections } };
}

/**
 * Write a collections file in the line layout: temporary file, fdatasync, rename, fsync of the directory.
 * Records are serialised as they are reached, so an array may be a copy whose records still change (the journal
 * replayed on top makes the result exact); a lazy record not in memory is copied as the JSON it is stored as.
 * With an `index` plan, the byte layout (and the hot fields of large collections) goes to `<file>.index` after the
 * rename (snapshot-index.ts), and `placed` hears where each record of those large collections was written (called as
 * each is serialised; the file is in place once this resolves). Resolves to the number of bytes written.
 */
export async function writeLineLayout(
  file: string,
  head: Rec,
  collections: Iterable<readonly [string, readonly unknown[]]>,
  index?: IndexPlan,
  placed?: (record: Rec, offset: number, length: number) => void,
): Promise<number> {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  const fh = await open(tmp, 'w');
  let bytes = 0;
  let buffer = JSON.stringify({ ...head, collections: {} }).slice(0, -2) + '\n';
  let offset = Buffer.byteLength(buffer); // byte offset of the end of `buffer` in the file
  const layout = new LayoutRecorder(index);
  const flush = async () => {
    const chunk = Buffer.from(buffer, 'utf8');
    buffer = '';
    bytes += chunk.length;
    await fh.write(chunk);
  };
  const append = (text: string) => {
    buffer += text;
    offset += Buffer.byteLength(text);
  };
  try {
    const list = [...collections];
    for (let ci = 0; ci < list.length; ci++) {
      const [name, records] = list[ci];
      const sep = ci < list.length - 1 ? ',' : '';
      if (!records.length) {
        append(`${JSON.stringify(name)}:[]${sep}\n`);
        layout.collection(name, offset, records.length);
        layout.end(offset);
        continue;
      }
      append(`${JSON.stringify(name)}:[\n`);
      layout.collection(name, offset, records.length);
      const last = records.length - 1;
      for (let i = 0; i <= last; i++) {
        const r = records[i] as Rec;
        const line = (storedJson(r) ?? JSON.stringify(plainRecord(r))) + (i < last ? ',' : '');
        const length = Buffer.byteLength(line);
        if (layout.record(r, offset, length)) placed?.(r, offset, length);
        append(line + '\n');
        if (buffer.length > SLICE) await flush();
      }
      layout.end(offset);
      append(`]${sep}\n`);
    }
    append('}}\n');
    await flush();
    await fh.datasync();
  } catch (err) {
    await fh.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fh.close();
  await rename(tmp, file);
  await syncDirectory(dirname(file));
  if (index) await writeIndex(file, layout.result());
  return bytes;
}

/** fsync a directory so a rename or a new file in it survives a power cut (a no-op where unsupported). */
export async function syncDirectory(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    /* some platforms cannot open or fsync a directory */
  }
}

/** Read fixture files (`{ "collections": {...} }`, any size) and merge them. */
export async function readFixtureFiles(files: string[]): Promise<Record<string, Rec[]>> {
  const merged: Record<string, Rec[]> = {};
  for (const f of files) {
    try {
      Object.assign(merged, (await readCollectionsFile(f)).collections);
    } catch (err) {
      if (err instanceof SnapshotFormatError) throw new Error(`The fixture file ${f} cannot be read: ${err.message}`);
      throw err;
    }
  }
  return merged;
}
