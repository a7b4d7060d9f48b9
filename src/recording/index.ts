/**
 * `geostub record --from URL`: read a live server's public API (GET only, paced, bounded) and write a fixtures
 * directory (`geonode.json`, `koordinates.json`, in the format `geostub seed` writes) that
 * `geostub serve --fixtures DIR` serves. People are pseudonymised (seeded faker values), emails in any text are
 * replaced, and geostub's fixed accounts and catalogue keys are added so the usual logins work on the recording.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../contracts/load.js';
import { readCollectionsFile, type StoredRecord, writeCollectionsFile } from '../store/index.js';
import { GEONODE_STORE } from '../apis/geonode/store-collections.js';
import { KOORDINATES_STORE } from '../apis/koordinates/index.js';
import { ACCOUNTS } from '../fixtures/geonode-people.js';
import { RecorderHttp, type Unreadable } from './http.js';
import { Pseudonyms } from './people.js';
import { GeonodeRecording } from './geonode.js';
import { recordKoordinates } from './koordinates.js';
import { maskDeep, maskUrls } from '../core/masking.js';

export interface RecordingOptions {
  /** the live server's base URL */
  from: string;
  /** output directory (created) */
  out: string;
  /** most resources, catalogue items, groups and owners read (default 100) */
  limit?: number;
  /** ms between requests (default 200) */
  paceMs?: number;
  /** most requests in all (default 2000) */
  maxRequests?: number;
  /** a Koordinates API key, sent to the catalogue only (`Authorization: key …`) */
  key?: string;
  /** faker seed of the pseudonyms (default 42) */
  seed?: number;
  progress?: (line: string) => void;
  /** told before each request (a progress display; the URL is masked unless `showSecrets`) */
  onRequest?: (count: number, url: string) => void;
  /** keep credentials in what is written and reported (default: masked, `src/core/masking.ts`) */
  showSecrets?: boolean;
}

export interface RecordingReport {
  files: string[];
  counts: Record<string, number>;
  requests: number;
  unreadable: Unreadable[];
}

/** What no anonymous caller can read: noted in every report. */
const PRIVATE_NOTE: Unreadable = {
  what: 'uploads, execution requests, management jobs, harvesters, favorites, ratings, tokens',
  url: '-',
  status: 0,
  reason:
    "private to their users or to administrators: not recorded (geostub's fixed accounts and tokens are added instead)",
};

type Rec = StoredRecord;
const maxOf = (records: Rec[], field: string) => records.reduce((m, r) => Math.max(m, Number(r[field]) || 0), 0);

/** geostub's admin/staff/alice/bob (with their tokens) and default licenses, on pks the recording left free. */
function addGeonodeDefaults(c: Record<string, Rec[]>, defaults: Record<string, Rec[]>): void {
  const users = c.users ?? [];
  const taken = new Set(users.map((u) => u.pk));
  let next = Math.max(maxOf(users, 'pk'), 999) + 1;
  const pkOf = new Map<number, number>();
  for (const a of ACCOUNTS) {
    const base = defaults.users?.find((u) => u.username === a.username);
    if (!base) continue;
    const pk = taken.has(a.pk) ? next++ : a.pk;
    pkOf.set(a.pk, pk);
    users.push({ ...base, pk, link: `/api/v2/users/${pk}` });
  }
  c.users = users;
  c.tokens = (defaults.tokens ?? [])
    .filter((t) => pkOf.has(t.user as number))
    .map((t) => ({ ...t, user: pkOf.get(t.user as number) }));
  const licenses = [...(defaults.licenses ?? [])];
  for (const r of c.resources ?? []) {
    const id = (r.license as Rec | null)?.identifier;
    if (typeof id === 'string' && !licenses.some((l) => l.identifier === id)) {
      licenses.push({
        id: maxOf(licenses, 'id') + 1,
        identifier: id,
        name: id,
        abbreviation: id,
        description: id,
        url: null,
      });
    }
  }
  c.licenses = licenses;
}

/** geostub's catalogue keys and their users, on ids the recording left free. */
function addKoordinatesDefaults(c: Record<string, Rec[]>, defaults: Record<string, Rec[]>): void {
  const users = c.kx_users ?? [];
  let next = maxOf(users, 'id') + 1;
  const idOf = new Map<number, number>();
  for (const k of defaults.kx_keys ?? []) {
    const uid = k.user as number;
    if (idOf.has(uid)) continue;
    const base = defaults.kx_users?.find((u) => u.id === uid);
    const id = next++;
    idOf.set(uid, id);
    users.push({ ...(base ?? {}), id, url: `/services/api/v1/users/${id}/` });
  }
  c.kx_users = users;
  c.kx_keys = (defaults.kx_keys ?? []).map((k) => ({ ...k, user: idOf.get(k.user as number) }));
}

export async function recordFixtures(o: RecordingOptions): Promise<RecordingReport> {
  const limit = o.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1)
    throw new Error(`--limit must be a positive whole number (got ${String(o.limit)})`);
  const shown = (url: string) => (o.showSecrets ? url : maskUrls(url));
  const http = new RecorderHttp(o.from, {
    paceMs: o.paceMs,
    maxRequests: o.maxRequests,
    onRequest: o.onRequest && ((n, url) => o.onRequest!(n, shown(url))),
    headersUnder: o.key ? { prefix: '/services/', headers: { Authorization: `key ${o.key}` } } : undefined,
  });
  const progress = o.progress ?? (() => {});
  const people = new Pseudonyms(
    o.seed ?? 42,
    ACCOUNTS.map((a) => a.username),
  );
  const ctx = { http, people, limit, progress };
  // what the live server answered is written to files: credentials it echoed (a token in a link, the key) masked
  const scrub = <T>(data: T): T => (o.showSecrets ? data : maskDeep(data, o.key ? [o.key] : []));
  const geonode = scrub(await new GeonodeRecording(ctx).record());
  const koordinates = scrub(await recordKoordinates(ctx));
  const defaults = {
    ...(await readCollectionsFile(join(PACKAGE_ROOT, 'fixtures', 'geonode.json'))).collections,
    ...(await readCollectionsFile(join(PACKAGE_ROOT, 'fixtures', 'koordinates.json'))).collections,
  };
  addGeonodeDefaults(geonode, defaults);
  addKoordinatesDefaults(koordinates, defaults);

  await mkdir(o.out, { recursive: true });
  const head = {
    generator: 'geostub record',
    seed: o.seed ?? 42,
    scale: limit,
    source: shown(http.origin),
    recorded_at: new Date().toISOString(),
  };
  const files: string[] = [];
  const counts: Record<string, number> = {};
  for (const [name, specs, data] of [
    ['geonode.json', GEONODE_STORE, geonode],
    ['koordinates.json', KOORDINATES_STORE, koordinates],
  ] as const) {
    const entries = Object.keys(specs).map((k) => [k, data[k] ?? []] as const);
    for (const [k, v] of entries) counts[k] = v.length;
    const file = join(o.out, name);
    await writeCollectionsFile(file, head, entries);
    files.push(file);
  }
  const unreadable = http.unreadable.map((u) => ({ ...u, url: shown(u.url) }));
  return { files, counts, requests: http.requests, unreadable: [...unreadable, PRIVATE_NOTE] };
}

/** The report as lines for the console. */
export function describeReport(r: RecordingReport): string[] {
  const nonEmpty = Object.entries(r.counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`);
  const lines = [`wrote ${r.files.join(', ')} after ${r.requests} requests: ${nonEmpty.join(', ')}`];
  if (r.unreadable.length) {
    lines.push('not recorded:');
    for (const u of r.unreadable)
      lines.push(
        `  ${u.what}: ${u.reason}${u.status ? ` (${u.status} from ${u.url})` : u.url !== '-' ? ` (${u.url})` : ''}`,
      );
  }
  return lines;
}
