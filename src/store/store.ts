/**
 * The store: named collections persisted as one lowdb JSON file. lowdb's JSONFile adapter (steno) writes a
 * temporary file and renames it over the old one, so each write is atomic; concurrent writes are coalesced.
 * The seed fixtures are copied in on first start and never written.
 */
import { mkdir, readFile, access } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Low, Memory } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { Collection, type CollectionSpec, type StoredRecord } from './collection.js';

export interface StoreData {
  version: 1;
  collections: Record<string, StoredRecord[]>;
}

export interface StoreOptions {
  /** path of the lowdb JSON file; ignored when inMemory */
  file?: string;
  inMemory?: boolean;
  /** the seed data (already loaded fixtures); deep-copied into the store on first start and on reset */
  seed: () => Promise<Record<string, StoredRecord[]>>;
  specs: Record<string, CollectionSpec>;
}

export class Store {
  private collections = new Map<string, Collection>();
  /** bumped by reset, so caches keyed on collection versions never survive a reset */
  private generation = 0;
  private memos = new Map<string, { stamp: string; value: unknown }>();
  private constructor(
    private readonly db: Low<StoreData>,
    private readonly options: StoreOptions,
    readonly persistent: boolean,
  ) {}

  static async open(options: StoreOptions): Promise<Store> {
    const persistent = !options.inMemory && !!options.file;
    let db: Low<StoreData>;
    if (persistent) {
      const file = options.file!;
      await mkdir(dirname(file), { recursive: true });
      db = new Low<StoreData>(new JSONFile<StoreData>(file), { version: 1, collections: {} });
      const exists = await access(file).then(
        () => true,
        () => false,
      );
      if (exists) {
        try {
          await db.read();
        } catch (err) {
          throw new Error(`The database file ${file} is not valid JSON (${(err as Error).message}). Delete it to start again from the seed fixtures.`);
        }
        if (!db.data || typeof db.data !== 'object' || !db.data.collections) {
          throw new Error(`The database file ${file} is not a geostub database (no "collections" key). Delete it to start again from the seed fixtures.`);
        }
      } else {
        db.data = { version: 1, collections: await options.seed() };
        await db.write();
      }
    } else {
      db = new Low<StoreData>(new Memory<StoreData>(), { version: 1, collections: await options.seed() });
    }
    const store = new Store(db, options, persistent);
    store.buildCollections();
    return store;
  }

  private buildCollections(): void {
    this.collections.clear();
    const data = this.db.data.collections;
    for (const [name, spec] of Object.entries(this.options.specs)) {
      if (!data[name]) data[name] = [];
      this.collections.set(name, new Collection(name, spec, data[name]));
    }
    // keep collections the specs do not know (data from another version) untouched in the file
  }

  /** A stamp that changes whenever any collection changes (for caches of derived data). */
  stamp(names?: readonly string[]): string {
    let out = String(this.generation);
    if (names) for (const n of names) out += `:${this.collection(n).version}`;
    else for (const c of this.collections.values()) out += `:${c.version}`;
    return out;
  }

  /**
   * Derived data cached until one of the named collections changes: `memo('visible:anon', ['resources'], () => …)`.
   * At most 256 entries are kept (oldest dropped first).
   */
  memo<T>(key: string, deps: readonly string[], compute: () => T): T {
    const stamp = this.stamp(deps);
    const hit = this.memos.get(key);
    if (hit && hit.stamp === stamp) return hit.value as T;
    const value = compute();
    this.memos.delete(key);
    this.memos.set(key, { stamp, value });
    if (this.memos.size > 256) this.memos.delete(this.memos.keys().next().value as string);
    return value;
  }

  collection(name: string): Collection {
    const c = this.collections.get(name);
    if (!c) throw new Error(`unknown collection ${name}`);
    return c;
  }

  names(): string[] {
    return [...this.collections.keys()];
  }

  /** Persist the current state (atomic temp-file + rename). Resolves once the data is on disk. */
  async persist(): Promise<void> {
    if (!this.persistent) return;
    // collections may have replaced their arrays (removeWhere); point the data at the live arrays
    for (const [name, c] of this.collections) this.db.data.collections[name] = c.all() as StoredRecord[];
    await this.db.write();
  }

  /** Restore the seed fixtures. */
  async reset(): Promise<void> {
    this.db.data = { version: 1, collections: await this.options.seed() };
    this.generation++;
    this.memos.clear();
    this.buildCollections();
    await this.persist();
  }

  /** A JSON snapshot of every collection (for tests and the inspector). */
  snapshot(): string {
    const out: Record<string, unknown> = {};
    for (const [name, c] of this.collections) out[name] = c.all();
    return JSON.stringify(out);
  }
}

/** Read fixture files (`{ "collections": {...} }`) and merge them. */
export async function readFixtureFiles(files: string[]): Promise<Record<string, StoredRecord[]>> {
  const merged: Record<string, StoredRecord[]> = {};
  for (const f of files) {
    const parsed = JSON.parse(await readFile(f, 'utf8')) as { collections?: Record<string, StoredRecord[]> };
    Object.assign(merged, parsed.collections ?? {});
  }
  return merged;
}
