/**
 * `BENCH_ONLY=durability`: durable writes against reads on the same server, at 10,000 and 100,000 resources.
 * For each size: generate fixtures (child process), first start copies them into a db (untimed), then startup to the
 * first list page from the db (median); then durable PATCH and GET-detail throughput (autocannon, 32 connections)
 * with the sizes' rounds interleaved, ratios per round, and each server's RSS next to the size of its JSON snapshot.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { freePort, median } from './bench-startup.js';

const run = promisify(execFile);
const ADMIN = 'Basic ' + Buffer.from('admin:admin').toString('base64');

interface Server {
  child: ChildProcess;
  url: string;
  startupMs: number;
}

async function serve(cli: string, dir: string, readyPath = '/api/v2/resources/'): Promise<Server> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [cli, 'serve', '--quiet', '--port', String(port), '--fixtures', dir, '--db', join(dir, 'db.json')],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const res = await fetch(url + readyPath);
      await res.arrayBuffer();
      if (res.status === 200) return { child, url, startupMs: performance.now() - started };
    } catch {
      /* not listening yet */
    }
    if (performance.now() - started > 600_000) throw new Error('no answer within 10 minutes');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** SIGTERM: the server writes its snapshot and exits. */
async function stop(s: Server): Promise<void> {
  const exited = new Promise((r) => (s.child.exitCode !== null ? r(null) : s.child.once('exit', r)));
  s.child.kill('SIGTERM');
  await exited;
}

async function rssMiB(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

interface LazyHealth {
  records: number;
  loaded: number;
  loadedMB: number;
  cacheMB: number;
  reads: number;
}

/** What `/__geostub/health` says of the records kept on disk. */
async function lazyHealth(url: string): Promise<LazyHealth> {
  return ((await (await fetch(`${url}/__geostub/health`)).json()) as { lazy: LazyHealth }).lazy;
}

async function load(url: string, method: 'GET' | 'PATCH', size: number, seconds: number): Promise<number> {
  let n = 0;
  const result = await autocannon({
    url,
    connections: 32,
    duration: seconds,
    headers: { authorization: ADMIN, 'content-type': 'application/json' },
    requests: [
      {
        method,
        setupRequest: (req: Record<string, unknown>) => {
          n++;
          const pk = 1 + ((n * 7919) % size); // spread over the whole collection
          return {
            ...req,
            path: `/api/v2/resources/${pk}/`,
            ...(method === 'PATCH' ? { body: JSON.stringify({ title: `bench write ${n}` }) } : {}),
          };
        },
      },
    ],
  } as unknown as autocannon.Options);
  if (result.non2xx || result.errors) throw new Error(`${method}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.average;
}

interface Sized {
  size: number;
  dir: string;
  json: number;
  startups: number[];
  server?: Server;
  startMem?: { rss: number; peak: number };
  gets: number[];
  patches: number[];
}

/**
 * Per size: fixtures, a first (untimed) start, three timed starts. Then one server per size runs at once and the
 * rounds interleave (GET and PATCH on the first size, then on the next, round after round), so a slow spell of a
 * shared machine lands on every size alike; ratios between sizes are taken round by round, like the others.
 */
export async function durabilitySection(
  cli: string,
  work: string,
  sizes: number[],
  rounds: number,
  seconds: number,
): Promise<void> {
  console.log(
    `\ndurability: durable PATCH (journal + group-committed fdatasync) next to GET detail on the same server`,
  );
  console.log(
    `  (autocannon, 32 connections, ${seconds} s × ${rounds} rounds, sizes interleaved round by round, medians; ratios per round)`,
  );
  const all: Sized[] = [];
  for (const size of sizes) {
    const dir = join(work, `durable-${size}`);
    await run(process.execPath, [cli, 'seed', '--scale', String(size), '--out', dir], { maxBuffer: 1 << 24 });
    await stop(await serve(cli, dir)); // first start: fixtures → db.json (untimed)
    const startups: number[] = [];
    for (let i = 0; i < 3; i++) {
      const s = await serve(cli, dir);
      startups.push(s.startupMs);
      await stop(s);
    }
    all.push({ size, dir, json: (await stat(join(dir, 'db.json'))).size, startups, gets: [], patches: [] });
  }
  try {
    for (const x of all) {
      x.server = await serve(cli, x.dir);
      x.startMem = await rssMiB(x.server.child.pid!);
    }
    for (const x of all) {
      await load(x.server!.url, 'GET', x.size, 1); // warm-up
      await load(x.server!.url, 'PATCH', x.size, 1);
    }
    for (let r = 0; r < rounds; r++) {
      for (const x of all) {
        x.gets.push(await load(x.server!.url, 'GET', x.size, seconds));
        x.patches.push(await load(x.server!.url, 'PATCH', x.size, seconds));
      }
    }
    for (const x of all) await report(x);
  } finally {
    for (const x of all) if (x.server) await stop(x.server);
  }
  if (all.length === 2) {
    const [a, b] = all;
    const perRound = median(b.patches.map((p, i) => p / a.patches[i]));
    console.log(
      `  PATCH at ${b.size.toLocaleString('en')} / at ${a.size.toLocaleString('en')}: ${perRound.toFixed(2)} (median of the rounds' ratios; ${(median(b.patches) / median(a.patches)).toFixed(2)} from the medians)   target within 20% (0.80–1.20)`,
    );
  }
}

async function report(x: Sized): Promise<void> {
  const s = x.server!;
  const mem = await rssMiB(s.child.pid!);
  const lazy = await lazyHealth(s.url);
  const ratio = median(x.patches.map((p, i) => p / x.gets[i]));
  const mb = x.json / 1024 / 1024;
  console.log(`  ${x.size.toLocaleString('en')} resources (db.json ${mb.toFixed(0)} MiB):`);
  console.log(`    GET detail       ${median(x.gets).toFixed(0).padStart(7)} req/s`);
  console.log(
    `    durable PATCH    ${median(x.patches).toFixed(0).padStart(7)} req/s   ${ratio.toFixed(2)}× GET   target ≥ 0.50`,
  );
  console.log(
    `    startup          ${median(x.startups).toFixed(0).padStart(7)} ms (spawn → first list page, median of 3)   target < 2000 at 100,000`,
  );
  console.log(
    `    records on disk  ${String(lazy.records).padStart(7)} (read from disk ${lazy.reads.toLocaleString('en')} times; ${lazy.loaded} in memory, ${lazy.loadedMB} of ${lazy.cacheMB} MiB of JSON)`,
  );
  console.log(
    `    RSS              ${x.startMem!.rss.toFixed(0).padStart(7)} MiB at the first page   ${(x.startMem!.rss / mb).toFixed(2)}× the JSON`,
  );
  console.log(
    `                     ${mem.rss.toFixed(0).padStart(7)} MiB after the load, ${mem.peak.toFixed(0)} MiB peak   ${(mem.rss / mb).toFixed(2)}× / ${(mem.peak / mb).toFixed(2)}× the JSON   target < 3×`,
  );
}
