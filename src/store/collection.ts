/**
 * One named collection (the `Collection` of interface.ts): records in insertion order plus an id index (O(1) lookup
 * by id) and secondary indexes (`where`); it also records its changes for the journal and applies the journal's
 * entries while the store loads.
 */
import { changed, forget } from './lazy.js';
import type { Collection, CollectionSpec, StoredRecord } from './interface.js';

export type { CollectionSpec, StoredRecord } from './interface.js';

/**
 * A change recorded since the journal last took the collection's changes: a new record (`ins`), a changed record
 * (`put`) or a removal (`del`). Only the latest state per id is kept, and the journal serialises the whole record
 * when it writes, so fields a behaviour changed in place before calling `update` are journaled too.
 */
export type Change = 'ins' | 'put' | 'del';

/**
 * A deep copy of a stored record (plain JSON data). Not `structuredClone`: a record read lazily is a Proxy
 * (lazy.ts), which structured cloning refuses.
 */
export function copyRecord(record: StoredRecord): StoredRecord {
  return JSON.parse(JSON.stringify(record)) as StoredRecord;
}

/** Copy own fields (never through a `__proto__` setter). */
function assign(target: StoredRecord, source: StoredRecord | undefined): void {
  if (!source) return;
  for (const k of Object.keys(source)) if (k !== '__proto__') target[k] = source[k];
}

export class RecordCollection implements Collection {
  private records: StoredRecord[];
  private index = new Map<string, StoredRecord>();
  private maxId = 0;
  /** bumped on every change; renderers and caches key on it */
  stamp = 0;
  /** changes not yet journaled (null: not recording, as in memory or while replaying) */
  private changes: Map<string, Change> | null = null;
  /** records removed during a replay, dropped from `records` in one pass by `endReplay` */
  private replayRemoved: Set<StoredRecord> | null = null;
  /** secondary indexes (`where`), built on first use and kept up to date by insert/update/remove */
  private secondary = new Map<
    string,
    { byValue: Map<string, Set<StoredRecord>>; keysOf: WeakMap<StoredRecord, string[]> }
  >();

  constructor(
    readonly name: string,
    readonly spec: CollectionSpec,
    records: StoredRecord[],
  ) {
    this.records = records;
    for (const r of records) this.indexRecord(r);
  }

  private indexRecord(r: StoredRecord): void {
    const id = r[this.spec.idField];
    this.index.set(String(id), r);
    const n = Number(id);
    if (Number.isInteger(n) && n > this.maxId) this.maxId = n;
  }

  get idField(): string {
    return this.spec.idField;
  }

  get size(): number {
    return this.records.length;
  }

  list(): readonly StoredRecord[] {
    return this.records;
  }

  get(id: unknown): StoredRecord | undefined {
    return this.index.get(String(id));
  }

  /** The id the next insert would get (for `int`/`intString` collections). */
  nextId(): number | string {
    const n = this.maxId + 1;
    return this.spec.idKind === 'intString' ? String(n) : n;
  }

  insert(record: StoredRecord): StoredRecord {
    if (
      this.spec.idKind !== 'given' &&
      (record[this.spec.idField] === undefined || record[this.spec.idField] === null)
    ) {
      record[this.spec.idField] = this.nextId();
    }
    const key = String(record[this.spec.idField]);
    if (this.index.has(key)) throw new Error(`duplicate id ${key} in ${this.name}`);
    this.records.push(record);
    this.indexRecord(record);
    this.stamp++;
    this.record(key, 'ins');
    for (const field of this.secondary.keys()) this.reindex(field, record);
    return record;
  }

  /** Replace the fields of a stored record in place (the object identity is kept). */
  update(id: unknown, patch: StoredRecord): StoredRecord | undefined {
    const rec = this.get(id);
    if (!rec) return undefined;
    for (const [k, v] of Object.entries(patch)) {
      if (k === this.spec.idField) continue;
      rec[k] = v;
    }
    changed(rec); // a lazy record stays in memory until its new state is stored (even if only nested values changed)
    this.stamp++;
    if (this.changes) {
      const key = String(id);
      if (!this.changes.has(key)) this.changes.set(key, 'put'); // an `ins` not yet journaled stays one
    }
    for (const field of this.secondary.keys()) this.reindex(field, rec);
    return rec;
  }

  delete(id: unknown): boolean {
    const key = String(id);
    const rec = this.index.get(key);
    if (!rec) return false;
    this.index.delete(key);
    const at = this.records.indexOf(rec);
    if (at >= 0) this.records.splice(at, 1);
    forget(rec);
    this.stamp++;
    this.record(key, 'del');
    for (const field of this.secondary.keys()) this.reindex(field, rec, true);
    return true;
  }

  deleteWhere(pred: (r: StoredRecord) => boolean): number {
    const keep: StoredRecord[] = [];
    let removed = 0;
    for (const r of this.records) {
      if (pred(r)) {
        const key = String(r[this.spec.idField]);
        this.index.delete(key);
        forget(r);
        this.record(key, 'del');
        for (const field of this.secondary.keys()) this.reindex(field, r, true);
        removed++;
      } else keep.push(r);
    }
    if (removed) {
      this.records = keep;
      this.stamp++;
    }
    return removed;
  }

  /** The records whose `field` equals `value` (see `Collection.where`). */
  where(field: string, value: unknown): StoredRecord[] {
    if (!this.secondary.has(field)) {
      this.secondary.set(field, { byValue: new Map(), keysOf: new WeakMap() });
      for (const r of this.records) this.reindex(field, r);
    }
    const found = this.secondary.get(field)!.byValue.get(String(value));
    return found ? [...found] : [];
  }

  private reindex(field: string, rec: StoredRecord, removing = false): void {
    const ix = this.secondary.get(field)!;
    for (const k of ix.keysOf.get(rec) ?? []) {
      const set = ix.byValue.get(k);
      set?.delete(rec);
      if (set && !set.size) ix.byValue.delete(k);
    }
    if (removing) return void ix.keysOf.delete(rec);
    const v = rec[field];
    const keys =
      v === undefined || v === null
        ? []
        : Array.isArray(v)
          ? [...new Set(v.filter((x) => x !== null && x !== undefined).map(String))]
          : [String(v)];
    if (!keys.length) return void ix.keysOf.delete(rec); // most records have no value (linked_to): no entry
    ix.keysOf.set(rec, keys);
    for (const k of keys) {
      let set = ix.byValue.get(k);
      if (!set) ix.byValue.set(k, (set = new Set()));
      set.add(rec);
    }
  }

  private record(key: string, change: Change): void {
    if (!this.changes) return;
    this.changes.delete(key); // keep first-change order for new records: a re-inserted id goes last, as it does here
    this.changes.set(key, change);
  }

  /** Start recording changes for the journal. */
  recordChanges(): void {
    this.changes ??= new Map();
  }

  /** The changes recorded since the last call (undefined when none), and start a new record. */
  takeChanges(): Map<string, Change> | undefined {
    if (!this.changes?.size) return undefined;
    const out = this.changes;
    this.changes = new Map();
    return out;
  }

  /** Apply one journal entry while loading (nothing is recorded): a whole record or a removal. */
  replay(op: Change, id: string, record?: StoredRecord): void {
    const rec = this.index.get(id);
    if (op === 'del' || (op === 'ins' && rec)) {
      if (rec) {
        this.index.delete(id);
        (this.replayRemoved ??= new Set()).add(rec);
        forget(rec);
      }
      if (op === 'del') return;
    }
    if (!record || typeof record !== 'object') throw new Error(`no record in the entry for ${id} in ${this.name}`);
    if (op === 'put' && rec) {
      for (const k of Object.keys(rec)) if (!Object.hasOwn(record, k)) delete rec[k];
      assign(rec, record);
      return;
    }
    this.records.push(record);
    this.indexRecord(record);
  }

  /** Finish a replay: drop the removed records from the ordered list in one pass. */
  endReplay(): void {
    this.secondary.clear();
    if (!this.replayRemoved) return;
    const gone = this.replayRemoved;
    this.records = this.records.filter((r) => !gone.has(r));
    this.replayRemoved = null;
    this.stamp++;
  }
}
