/** One named collection: records in insertion order plus an id index (O(1) lookup by id). */
export type StoredRecord = Record<string, unknown>;

export interface CollectionSpec {
  /** the record field holding the id (`pk`, `id`, `exec_id`, `slug`, …) */
  idField: string;
  /** how new ids are made: `int` (max + 1), `intString` (max + 1 as a string, GeoNode resource pks), or `given` */
  idKind: 'int' | 'intString' | 'given';
}

export class Collection {
  private records: StoredRecord[];
  private index = new Map<string, StoredRecord>();
  private maxId = 0;
  /** bumped on every change; renderers and caches key on it */
  version = 0;

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

  get size(): number {
    return this.records.length;
  }

  all(): readonly StoredRecord[] {
    return this.records;
  }

  get(id: unknown): StoredRecord | undefined {
    return this.index.get(String(id));
  }

  has(id: unknown): boolean {
    return this.index.has(String(id));
  }

  /** The id the next insert would get (for `int`/`intString` collections). */
  nextId(): number | string {
    const n = this.maxId + 1;
    return this.spec.idKind === 'intString' ? String(n) : n;
  }

  insert(record: StoredRecord): StoredRecord {
    if (this.spec.idKind !== 'given' && (record[this.spec.idField] === undefined || record[this.spec.idField] === null)) {
      record[this.spec.idField] = this.nextId();
    }
    const key = String(record[this.spec.idField]);
    if (this.index.has(key)) throw new Error(`duplicate id ${key} in ${this.name}`);
    this.records.push(record);
    this.indexRecord(record);
    this.version++;
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
    this.version++;
    return rec;
  }

  remove(id: unknown): boolean {
    const key = String(id);
    const rec = this.index.get(key);
    if (!rec) return false;
    this.index.delete(key);
    const at = this.records.indexOf(rec);
    if (at >= 0) this.records.splice(at, 1);
    this.version++;
    return true;
  }

  removeWhere(pred: (r: StoredRecord) => boolean): number {
    const keep: StoredRecord[] = [];
    let removed = 0;
    for (const r of this.records) {
      if (pred(r)) {
        this.index.delete(String(r[this.spec.idField]));
        removed++;
      } else keep.push(r);
    }
    if (removed) {
      this.records = keep;
      this.version++;
    }
    return removed;
  }
}
