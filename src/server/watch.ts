/**
 * Watch mode (`geostub serve --watch`): when the fixture files or the contracts change on disk, the running server
 * takes them in without a restart.
 *
 * - Contracts: parsed, turned into a route table and validators (request-body validators compiled at once, so a
 *   broken schema is caught here), then swapped in: the route table's contents, `env.contracts`, `env.validators`.
 *   A contract that does not load leaves the old one serving and is reported.
 * - Fixtures: a three-way merge per record of (fixtures when watching began, the store now, the new fixtures). A
 *   record nobody changed through the API takes the new fixture's value (or goes, when the fixture dropped it); a
 *   record written, created or deleted through the API stays as the writes left it; new fixture records are added.
 *   With `reset`, the store is reset to the new fixtures instead (writes dropped).
 *
 * Changes are debounced (editors write a file in several steps) and compared by content, so a touch does nothing.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createHash } from 'node:crypto';
import { CONTRACT_FILES, loadContract, PACKAGE_ROOT, type Contract } from '../contracts/load.js';
import { allOperations, buildRouteTable } from '../contracts/route-table.js';
import { forRelease, type GeonodeRelease } from '../contracts/release.js';
import { ContractValidators } from '../contracts/validators.js';
import { readFixtureFiles, type Store, type StoredRecord } from '../store/index.js';
import { readCheckedFixtures, STORE_SPECS, type RunningGeostub } from './start.js';

export const FIXTURE_FILES = ['geonode.json', 'koordinates.json'];
export const CONTRACT_NAMES = Object.values(CONTRACT_FILES).map((f) => basename(f));

export interface WatchOptions {
  /** directory of geonode.json and koordinates.json (the one the server was started with) */
  fixtures: string;
  /** directory of the contract files; default the package's `contracts/` */
  contracts?: string;
  /** a fixture change resets the store (drops writes) instead of merging */
  reset?: boolean;
  debounceMs?: number;
  /** told after each reload (or failed attempt) */
  onReload?: (event: ReloadEvent) => void;
}

export type ReloadEvent =
  | { what: 'fixtures' | 'contracts'; ok: true; summary: string }
  | { what: 'fixtures' | 'contracts'; ok: false; error: string };

export interface Watcher {
  close(): void;
  /** resolves once the reloads started so far have finished (for tests) */
  idle(): Promise<void>;
}

export interface MergeSummary {
  updated: number;
  added: number;
  removed: number;
  /** records changed through the API that the new fixtures also changed: the API's version stays */
  kept: number;
}

type Snapshot = Map<string, Map<string, string>>;

async function hashFiles(dir: string, names: string[]): Promise<string> {
  const h = createHash('sha256');
  for (const n of names) h.update(await readFile(join(dir, n)).catch(() => Buffer.from('(missing)'))).update('\0');
  return h.digest('hex');
}

/** Each collection's records as JSON text by id (the base of the three-way merge). */
function snapshotOf(store: Store, data: Record<string, StoredRecord[]>): Snapshot {
  const out: Snapshot = new Map();
  for (const name of store.names()) {
    const idField = store.collection(name).idField;
    out.set(name, new Map((data[name] ?? []).map((r) => [String(r[idField]), JSON.stringify(r)])));
  }
  return out;
}

/** Take the new fixtures into the store, keeping what was written through the API (see the module comment). */
export function mergeFixtures(store: Store, base: Snapshot, next: Record<string, StoredRecord[]>): MergeSummary {
  const sum: MergeSummary = { updated: 0, added: 0, removed: 0, kept: 0 };
  for (const name of store.names()) {
    const c = store.collection(name);
    const idField = c.idField;
    const was = base.get(name) ?? new Map<string, string>();
    const incoming = new Map((next[name] ?? []).map((r) => [String(r[idField]), r]));
    for (const id of new Set([...was.keys(), ...incoming.keys()])) {
      const before = was.get(id);
      const now = c.get(id);
      const fresh = incoming.get(id);
      const freshJson = fresh && JSON.stringify(fresh);
      if (before === freshJson) continue; // the fixture did not change this record
      const untouched = before === undefined ? now === undefined : now !== undefined && JSON.stringify(now) === before;
      if (!untouched) {
        sum.kept++;
        continue;
      }
      if (!fresh) {
        c.delete(id);
        sum.removed++;
      } else if (!now) {
        c.insert(structuredClone(fresh));
        sum.added++;
      } else {
        const rec = c.update(id, structuredClone(fresh))!;
        for (const k of Object.keys(rec)) if (!(k in fresh)) delete rec[k];
        sum.updated++;
      }
    }
  }
  return sum;
}

async function loadContractsFrom(dir: string, release: GeonodeRelease): Promise<Contract[]> {
  const loaded = await Promise.all(CONTRACT_NAMES.map((n) => loadContract(join(dir, n))));
  return loaded.map((c) => forRelease(c, release));
}

/** Swap freshly loaded contracts into a running server; throws (changing nothing) when they do not load. */
export async function reloadContracts(running: RunningGeostub, dir: string): Promise<string> {
  const contracts = await loadContractsFrom(dir, running.env.settings.geonode);
  const routes = buildRouteTable(contracts);
  const validators = new ContractValidators(contracts);
  const ops = allOperations(routes);
  validators.warm(ops);
  running.routes.splice(0, running.routes.length, ...routes);
  running.env.contracts = contracts;
  running.env.validators = validators;
  return `${ops.length} operations`;
}

export async function watchGeostub(running: RunningGeostub, o: WatchOptions): Promise<Watcher> {
  const contractsDir = o.contracts ?? join(PACKAGE_ROOT, 'contracts');
  const fixtureFiles = FIXTURE_FILES.map((f) => join(o.fixtures, f));
  const { store, env } = running;
  let base = snapshotOf(store, await readFixtureFiles(fixtureFiles));
  const hashes = {
    fixtures: await hashFiles(o.fixtures, FIXTURE_FILES),
    contracts: await hashFiles(contractsDir, CONTRACT_NAMES),
  };
  let chain = Promise.resolve();
  const report = o.onReload ?? (() => {});

  const reloadFixtures = async () => {
    // checked against the contracts as at start: a broken edit is reported and the previous fixtures kept
    const data = await readCheckedFixtures(o.fixtures, STORE_SPECS, env.contracts, env.validators, []);
    if (o.reset) {
      await store.reset();
      env.jobs?.reset();
      base = snapshotOf(store, data);
      return 'store reset to the new fixtures';
    }
    const s = mergeFixtures(store, base, data);
    base = snapshotOf(store, data);
    await store.persist();
    return `${s.updated} updated, ${s.added} added, ${s.removed} removed${s.kept ? `, ${s.kept} kept as written through the API` : ''}`;
  };

  const check = (what: 'fixtures' | 'contracts') => {
    chain = chain.then(async () => {
      const hash =
        what === 'fixtures'
          ? await hashFiles(o.fixtures, FIXTURE_FILES)
          : await hashFiles(contractsDir, CONTRACT_NAMES);
      if (hash === hashes[what]) return;
      try {
        const summary = what === 'fixtures' ? await reloadFixtures() : await reloadContracts(running, contractsDir);
        hashes[what] = hash;
        report({ what, ok: true, summary });
      } catch (err) {
        report({ what, ok: false, error: (err as Error).message });
      }
    });
  };

  const timers = new Map<string, NodeJS.Timeout>();
  const debounced = (what: 'fixtures' | 'contracts') => {
    clearTimeout(timers.get(what));
    timers.set(
      what,
      setTimeout(() => {
        timers.delete(what);
        check(what);
      }, o.debounceMs ?? 150),
    );
  };
  const watchers: FSWatcher[] = [
    watch(o.fixtures, (_e, name) => (!name || FIXTURE_FILES.includes(String(name))) && debounced('fixtures')),
    watch(contractsDir, (_e, name) => (!name || CONTRACT_NAMES.includes(String(name))) && debounced('contracts')),
  ];
  return {
    close() {
      for (const w of watchers) w.close();
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    },
    idle: async () => {
      while (timers.size) await new Promise((r) => setTimeout(r, 20));
      await chain;
    },
  };
}
