/**
 * `BENCH_ONLY=walk`: what a front end really sends, against a replay of the very same bytes (issue 19).
 *
 * A front end does not ask one page again and again: it walks pages, changes filters and sorts, opens details. The
 * walk is ≥ 800 distinct GeoNode and catalogue URLs (pages across the whole store, filters, sorts, include/exclude,
 * detail GETs) asked strictly in turn by all 32 connections together (one shared counter), so a URL comes back only
 * after every other one has been asked: no answer cache (64 pages) can carry it. Beside it, three fixed URLs: the
 * default list page (the page cache answers it), a small catalogue page and a resource's detail.
 *
 * Geostub answers every URL once first; those bytes are the recording a bare node:http server replays (same launch),
 * so each ratio is geostub req/s ÷ replay req/s for the same bytes on the same sockets.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { freePort, median } from './bench-startup.js';

interface Server {
  child: ChildProcess;
  url: string;
}

async function start(args: string[], probe: string): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [...args, String(port)], { stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 1200; i++) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
    try {
      const res = await fetch(url + probe);
      await res.arrayBuffer();
      if (res.status === 200) return { child, url };
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${args.join(' ')} did not start`);
}

const GEONODE = '/api/v2/resources/';
const CATALOGUE = '/services/api/v1/data/';
export const FIXED = {
  page: GEONODE,
  catalogue: `${CATALOGUE}?page_size=8`,
  detail: '/api/v2/resources/4242',
};

/** A run of pages of one query: `count` pages, the i-th page `1 + (i × step) mod pages` (spread over the whole result). */
interface PageRun {
  base: string;
  count: number;
  step: number;
  /** the response's item count field (`total` on GeoNode; the catalogue answers a bare array: pages are guessed) */
  pages: (url: string) => Promise<number>;
}

async function geonodePages(url: string, base: string): Promise<number> {
  const sep = base.includes('?') ? '&' : '?';
  const body = (await (await fetch(`${url}${base}${sep}page_size=1`)).json()) as { total: number };
  const size = Number(/page_size=(\d+)/.exec(base)?.[1] ?? 10);
  return Math.max(1, Math.ceil(body.total / size));
}

async function cataloguePages(url: string, base: string): Promise<number> {
  // the catalogue pages by Link headers: find the last page by halving
  let lo = 1;
  let hi = 2048;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const res = await fetch(`${url}${base}&page=${mid}`);
    await res.arrayBuffer();
    if (res.status === 200) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The walk's URLs in the order they are asked: kinds interleaved, pages spread over the whole result. */
export async function walkUrls(url: string, pks: number[]): Promise<string[]> {
  const g = (base: string, count: number, step: number): PageRun => ({
    base,
    count,
    step,
    pages: (u) => geonodePages(u, base),
  });
  const c = (base: string, count: number, step: number): PageRun => ({
    base,
    count,
    step,
    pages: (u) => cataloguePages(u, base),
  });
  const runs: PageRun[] = [
    g(`${GEONODE}?page_size=10`, 250, 37),
    g(`${GEONODE}?filter{resource_type}=dataset`, 80, 13),
    g(`${GEONODE}?sort[]=-date`, 60, 17),
    g(`${GEONODE}?sort[]=title&filter{resource_type.in}=map&filter{resource_type.in}=document`, 40, 3),
    g(`${GEONODE}?filter{title.icontains}=a&sort[]=-last_updated`, 30, 5),
    g(`${GEONODE}?exclude[]=*&include[]=pk&include[]=title&include[]=thumbnail_url`, 30, 11),
    g(`${GEONODE}?include[]=data`, 20, 29),
    g('/api/v2/datasets/?page_size=20', 20, 7),
    c(`${CATALOGUE}?page_size=20`, 100, 7),
    c(`${CATALOGUE}?kind=vector&sort=name`, 50, 1),
    c(`${CATALOGUE}?kind=raster&kind=vector&public=true&sort=-updated_at&page_size=10`, 30, 1),
  ];
  const lists: string[][] = [];
  for (const r of runs) {
    const pages = await r.pages(url);
    const seen = new Set<number>();
    for (let i = 0; i < pages * 4 && seen.size < Math.min(r.count, pages); i++)
      seen.add(1 + ((i * r.step + Math.floor((i * r.step) / pages)) % pages));
    lists.push([...seen].map((p) => `${r.base}&page=${p}`));
  }
  lists.push(pks.slice(0, 140).map((pk) => `/api/v2/resources/${pk}`));
  const out: string[] = [];
  for (let i = 0; lists.some((l) => i < l.length); i++) for (const l of lists) if (i < l.length) out.push(l[i]);
  return out;
}

async function record(url: string, paths: string[]): Promise<[string, string, string][]> {
  const out: [string, string, string][] = [];
  for (const p of paths) {
    const res = await fetch(url + p);
    const body = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200)
      throw new Error(`walk: ${p} answered ${res.status}: ${body.toString('utf8').slice(0, 200)}`);
    out.push([p, res.headers.get('content-type') ?? 'application/json', body.toString('base64')]);
  }
  return out;
}

interface Load {
  rps: number;
  p99: number;
}

async function load(url: string, paths: string[], seconds: number): Promise<Load> {
  let n = 0;
  const result = await autocannon({
    url,
    connections: 32,
    duration: seconds,
    requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, path: paths[n++ % paths.length] }) }],
  } as unknown as autocannon.Options);
  if (result.non2xx || result.errors)
    throw new Error(`${paths[0]}…: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99 };
}

export async function walkSection(
  cli: string,
  work: string,
  big: string,
  rounds: number,
  seconds: number,
): Promise<void> {
  const geostub = await start([cli, 'serve', '--quiet', '--in-memory', '--fixtures', big, '--port'], GEONODE);
  let replay: Server | undefined;
  try {
    const first = (await (await fetch(`${geostub.url}${GEONODE}?page_size=100&page=7`)).json()) as {
      resources: { pk: number | string }[];
    };
    const pks = first.resources.map((r) => Number(r.pk));
    const more = (await (await fetch(`${geostub.url}${GEONODE}?page_size=100&page=63`)).json()) as {
      resources: { pk: number | string }[];
    };
    pks.push(...more.resources.map((r) => Number(r.pk)));
    const walk = await walkUrls(geostub.url, pks);
    if (new Set(walk).size !== walk.length || walk.length < 800)
      throw new Error(`walk: ${new Set(walk).size} distinct URLs of ${walk.length}`);
    const recording = await record(geostub.url, [...walk, ...Object.values(FIXED)]);
    const file = join(work, 'walk-recording.json');
    await writeFile(file, JSON.stringify(recording));
    const bytes = recording.slice(0, walk.length).reduce((s, r) => s + Buffer.from(r[2], 'base64').length, 0);
    replay = await start([join(cli, '..', '..', 'scripts', 'replay-server.js'), file], GEONODE);

    const workloads: [string, string[], string][] = [
      [
        `rotating front-end walk (${walk.length} URLs, ${(bytes / walk.length / 1024).toFixed(0)} KB average)`,
        walk,
        '≥ 0.10, p99 ≤ 40 ms',
      ],
      ['fixed default list page (page cache)', [FIXED.page], '≥ 0.20'],
      [`small catalogue page (${FIXED.catalogue})`, [FIXED.catalogue], '≥ 0.11'],
      [`GET detail of a resource (${FIXED.detail})`, [FIXED.detail], '≥ 0.11'],
    ];
    const rows = workloads.map(() => ({ g: [] as Load[], r: [] as Load[] }));
    for (let i = 0; i < workloads.length; i++) {
      await load(geostub.url, workloads[i][1], 1); // warm-up (JIT)
      await load(replay.url, workloads[i][1], 1);
    }
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < workloads.length; i++) {
        rows[i].g.push(await load(geostub.url, workloads[i][1], seconds));
        rows[i].r.push(await load(replay.url, workloads[i][1], seconds));
      }
    }
    console.log(
      `\nfront-end traffic with 10,000 resources against a replay of the same bytes (autocannon, 32 connections, ${seconds} s × ${rounds} rounds, interleaved; medians, ratios per round)`,
    );
    console.log(
      `  ${'workload'.padEnd(62)} ${'geostub'.padStart(9)} ${'p99'.padStart(7)} ${'replay'.padStart(9)} ${'p99'.padStart(7)} ${'ratio'.padStart(7)}   target`,
    );
    for (let i = 0; i < workloads.length; i++) {
      const { g, r } = rows[i];
      const ratio = median(g.map((x, j) => x.rps / r[j].rps));
      console.log(
        `  ${workloads[i][0].padEnd(62)} ${median(g.map((x) => x.rps))
          .toFixed(0)
          .padStart(9)} ${(median(g.map((x) => x.p99)).toFixed(0) + ' ms').padStart(7)} ${median(r.map((x) => x.rps))
          .toFixed(0)
          .padStart(
            9,
          )} ${(median(r.map((x) => x.p99)).toFixed(0) + ' ms').padStart(7)} ${ratio.toFixed(3).padStart(6)}×   ${workloads[i][2]}`,
      );
    }
  } finally {
    geostub.child.kill('SIGKILL');
    replay?.child.kill('SIGKILL');
  }
}
