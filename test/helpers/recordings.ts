/**
 * Responses recorded from koordinates.com and test.koordinates.com, kept as data in test/data/koordinates-recordings/
 * (each file cites the koordinates/python-client file and variable it was taken from), and a small node:http server
 * that replays them at their paths, as the real API would answer.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { koordinatesLinks, koordinatesPage, resourceRange } from '../../src/apis/koordinates/query/index.js';

export const RECORDINGS_DIR = join(import.meta.dirname, '..', 'data', 'koordinates-recordings');

export interface RecordingSource {
  repository: string;
  commit: string;
  file: string;
  variable: string;
}

export interface Recording {
  /** file name under test/data/koordinates-recordings/ */
  name: string;
  sources: RecordingSource[];
  recorded_from: string;
  /** the contract operations (and paths) this body is a real answer of */
  answers?: { operation: string; path: string }[];
  /** a list the contract has no operation for: each entry is checked against this component schema */
  entries?: { schema: string; note: string };
  body: unknown;
}

export function loadRecordings(): Recording[] {
  return readdirSync(RECORDINGS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({
      name: f,
      ...(JSON.parse(readFileSync(join(RECORDINGS_DIR, f), 'utf8')) as Omit<Recording, 'name'>),
    }));
}

/** `file:variable` of each source, for messages. */
export const cite = (r: Recording) => r.sources.map((s) => `${s.file}:${s.variable}`).join(' = ');

type Entry = Record<string, unknown>;

/** The path of an absolute API URL (`https://koordinates.com/services/api/v1/layers/1/` → `/services/api/v1/layers/1/`). */
const pathOf = (url: string) => new URL(url).pathname;

export interface ReplayServer {
  url: string;
  /** path → how many times it was answered */
  served: Map<string, number>;
  close(): Promise<void>;
}

/**
 * Replays recordings. Each `answers` path serves its recorded body; the entries of recorded lists are served at
 * their own `url` too (a licence of the /licenses/ list at /licenses/9/). A path with several recordings answers
 * them in turn. The catalogue paths (/data/, /data/latest/) serve one list: every recorded detail object first (a
 * catalogue entry under `Expand: list` is the detail object its url answers), then the recorded catalogue entries,
 * so the runner's id lookups (the first layer, set, source, licence it finds) reach recorded details. They page it
 * with `page`/`page_size` and send the headers the real catalogue sends (X-Paginate-By, X-Resource-Range, Link).
 * With `sortKey`, `sort=name` / `sort=-name` order the catalogue by that key (ties by id). Anything else is the
 * real API's 404 body.
 */
export async function startReplayServer(
  recordings: Recording[],
  options: { sortKey?: (entry: Entry) => string } = {},
): Promise<ReplayServer> {
  const byPath = new Map<string, unknown[]>();
  const add = (path: string, body: unknown) => byPath.set(path, [...(byPath.get(path) ?? []), body]);
  const koordinatesEntries: Entry[] = [];
  const details: Entry[] = [];
  for (const r of recordings) {
    for (const a of r.answers ?? []) {
      if (a.operation === 'catalogList' || a.operation === 'catalogLatest') continue;
      add(a.path, r.body);
      if (!Array.isArray(r.body) && !details.some((d) => d.url === (r.body as Entry).url))
        details.push(r.body as Entry);
    }
    if (r.answers?.some((a) => a.operation === 'catalogList')) koordinatesEntries.push(...(r.body as Entry[]));
  }
  for (const r of recordings) {
    if (!r.entries) continue;
    for (const e of r.body as Entry[])
      if (typeof e.url === 'string' && !byPath.has(pathOf(e.url))) add(pathOf(e.url), e);
  }
  const list = [
    ...details.filter((d) => /\/(layers|tables|sets|documents|sources)\/\d+\/$/.test(String(d.url))),
    ...koordinatesEntries,
  ];
  const turn = new Map<string, number>();
  const served = new Map<string, number>();

  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://replay');
    const origin = `http://${req.headers.host}`;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    served.set(u.pathname, (served.get(u.pathname) ?? 0) + 1);
    if (req.method !== 'GET') return send(405, { error: `Method "${req.method}" not allowed.` });
    if (u.pathname === '/services/api/v1/data/' || u.pathname === '/services/api/v1/data/latest/') {
      const page = Number(u.searchParams.get('page') ?? 1);
      const pageSize = Number(u.searchParams.get('page_size') ?? 100);
      if (!(page >= 1) || !(pageSize >= 1)) return send(400, { page: ['Invalid page.'] });
      const sort = u.searchParams.get('sort');
      const key = options.sortKey;
      const ordered =
        key && (sort === 'name' || sort === '-name')
          ? [...list].sort(
              (a, b) => (sort === 'name' ? 1 : -1) * key(a).localeCompare(key(b)) || Number(a.id) - Number(b.id),
            )
          : list;
      const { start, end } = koordinatesPage(ordered.length, page, pageSize);
      return send(200, ordered.slice(start, end), {
        'X-Paginate-By': String(pageSize),
        'X-Resource-Range': resourceRange(start, end, list.length),
        Link: koordinatesLinks(origin + u.pathname, u.searchParams, page, pageSize, list.length),
      });
    }
    const bodies = byPath.get(u.pathname);
    if (!bodies) return send(404, { error: 'Not found.' });
    const i = turn.get(u.pathname) ?? 0;
    turn.set(u.pathname, i + 1);
    send(200, bodies[i % bodies.length]);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    close: () => new Promise<void>((ok, fail) => server.close((e) => (e ? fail(e) : ok()))),
  };
}
