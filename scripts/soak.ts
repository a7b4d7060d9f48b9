/**
 * `npm run soak -- --minutes N`: does a long run stay flat? Starts `geostub serve` (a db file, so the journal works,
 * JSON request log read line by line), then drives it at full speed until the time is up:
 *
 * - workers looping over a mix: list and detail reads of both APIs (filters, sorts, include[]), single PATCHes,
 *   bulk creates followed by bulk deletes, bulk PATCHes, and asynchronous jobs (an execution created, its status
 *   polled until finished, then the execution request and the resource it made deleted), so the data stays the
 *   same size;
 * - the inspector's event stream held open for the whole run, and short-lived event-stream clients that connect,
 *   read a little and go away;
 * - the server's RSS sampled (`/proc/<pid>/status`) every `--sample-ms`.
 *
 * Verdict (exit 0 only when all hold): after the warm-up (the first minute, or a third of a shorter run) the median
 * RSS of every 30-second window is within ±10% of the first window's (single samples saw with each garbage
 * collection; they are reported too); no 5xx answer; no error in the server's log (a
 * 5xx line, or anything on its stderr); every event-stream client that went away was released (the server's count,
 * `event_streams` in `/__geostub/health`, back to the one held open, then 0).
 *
 * Options: --minutes N (default 10), --workers N (default 6), --sample-ms N (default 2000), --job-duration N
 * (default 30 ms per job step).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** An answer's JSON as the soak reads it: loosely, field by field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the soak pokes at many answer shapes
type Json = any;

const here = dirname(fileURLToPath(import.meta.url));
const CLI = join(here, '..', 'bin', 'geostub.js');
const ADMIN = { Authorization: 'Basic ' + Buffer.from('admin:admin').toString('base64') };
const KEY = { Authorization: 'key geostub0koordinates0api0key00001' };

function options() {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '10' },
      workers: { type: 'string', default: '6' },
      'sample-ms': { type: 'string', default: '2000' },
      'job-duration': { type: 'string', default: '30' },
    },
    strict: true,
  });
  const num = (name: keyof typeof values, min: number) => {
    const n = Number(values[name]);
    if (!Number.isFinite(n) || n < min)
      throw new Error(`--${name} must be a number, ${min} or more (got "${values[name]}")`);
    return n;
  };
  return {
    minutes: num('minutes', 0.1),
    workers: Math.round(num('workers', 1)),
    sampleMs: num('sample-ms', 100),
    jobDuration: num('job-duration', 0),
  };
}

interface Tally {
  requests: number;
  byStatus: Map<number, number>;
  byAction: Map<string, number>;
  jobs: number;
  streamsOpened: number;
  serverErrors: string[];
}

async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1]);
  return kb * 1024;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const pct = (x: number, ref: number) => `${x >= ref ? '+' : ''}${(((x - ref) / ref) * 100).toFixed(1)}%`;
const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : 0);
const WINDOW_MS = 30_000;

async function main(): Promise<void> {
  const o = options();
  const work = await mkdtemp(join(tmpdir(), 'geostub-soak-'));
  const child = spawn(
    process.execPath,
    [
      CLI,
      'serve',
      '--port',
      '0',
      '--db',
      join(work, 'db.json'),
      '--log-format',
      'json',
      '--job-duration',
      String(o.jobDuration),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const tally: Tally = {
    requests: 0,
    byStatus: new Map(),
    byAction: new Map(),
    jobs: 0,
    streamsOpened: 0,
    serverErrors: [],
  };
  let logLines = 0;
  const url = await new Promise<string>((ok, fail) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      let entry: { event?: string; url?: string; status?: number; path?: string; method?: string } | undefined;
      try {
        entry = JSON.parse(line);
      } catch {
        tally.serverErrors.push(`log line that is not JSON: ${line.slice(0, 200)}`);
        return;
      }
      if (entry?.event === 'listening') return ok(entry.url!);
      logLines++;
      if (typeof entry?.status === 'number' && entry.status >= 500)
        tally.serverErrors.push(`log: ${entry.method} ${entry.path} → ${entry.status}`);
    });
    createInterface({ input: child.stderr! }).on('line', (line) =>
      tally.serverErrors.push(`stderr: ${line.slice(0, 300)}`),
    );
    child.once('exit', (code) =>
      fail(new Error(`geostub exited (${code}) before listening: ${tally.serverErrors.join('\n')}`)),
    );
  });
  console.log(
    `soak: geostub pid ${child.pid} at ${url}; ${o.minutes} min, ${o.workers} workers, RSS every ${o.sampleMs} ms`,
  );

  const started = Date.now();
  const deadline = started + o.minutes * 60_000;
  const warmupMs = Math.min(60_000, (o.minutes * 60_000) / 3);
  const count = (action: string, status: number, what: string) => {
    tally.requests++;
    tally.byStatus.set(status, (tally.byStatus.get(status) ?? 0) + 1);
    tally.byAction.set(action, (tally.byAction.get(action) ?? 0) + 1);
    if (status >= 400) tally.byAction.set(`${action} ${status}`, (tally.byAction.get(`${action} ${status}`) ?? 0) + 1);
    if (status >= 400 && (tally.byStatus.get(status) ?? 0) <= 3) console.log(`soak: ${status} for ${action}: ${what}`);
  };
  const call = async (
    action: string,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = ADMIN,
    form = false,
  ): Promise<{ status: number; json: Json }> => {
    const res = await fetch(url + path, {
      method,
      headers: {
        ...headers,
        ...(body === undefined
          ? {}
          : { 'Content-Type': form ? 'application/x-www-form-urlencoded' : 'application/json' }),
      },
      body: body === undefined ? undefined : form ? String(body) : JSON.stringify(body),
    });
    const text = await res.text();
    count(action, res.status, `${method} ${path}`);
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, json };
  };

  const healthAtStart = (await call('health', 'GET', '/__geostub/health')).json;
  const pks = ((await call('read', 'GET', '/api/v2/resources/?page_size=100')).json.resources as { pk: string }[]).map(
    (r) => r.pk,
  );
  const items = (
    (await call('read', 'GET', '/services/api/v1/data/?page_size=50', undefined, KEY)).json as { url: string }[]
  ).map((i) => new URL(i.url).pathname);
  const pick = <T>(list: T[]): T => list[Math.floor(Math.random() * list.length)];
  let serial = 0;

  const READS = [
    () => '/api/v2/resources/?page_size=20&sort[]=-date',
    () =>
      '/api/v2/resources/?filter{resource_type.in}=dataset&filter{resource_type.in}=map&filter{title.icontains}=a&include[]=data&page_size=10',
    () => `/api/v2/resources/${pick(pks)}/`,
    () => '/api/v2/datasets/?page=2&page_size=10',
    () => '/api/v2/users/?page_size=10',
    () => '/api/v2/categories/',
    () => '/api/v2/resources/?search=water&page_size=5',
  ];
  const actions: [number, () => Promise<unknown>][] = [
    [
      50,
      () =>
        Math.random() < 0.3
          ? call(
              'read',
              'GET',
              Math.random() < 0.5 ? '/services/api/v1/data/?kind=vector&sort=name&page_size=20' : pick(items),
              undefined,
              KEY,
            )
          : call('read', 'GET', pick(READS)()),
    ],
    [20, () => call('write', 'PATCH', `/api/v2/resources/${pick(pks)}/`, { title: `soak ${++serial}` })],
    [
      10,
      async () => {
        const made = await call(
          'bulk',
          'POST',
          '/api/v2/resources',
          Array.from({ length: 5 }, (_, i) => ({ title: `soak bulk ${serial}-${i}` })),
        );
        const ids = ((made.json?.resources ?? []) as { pk: string }[]).map((r) => ({ id: r.pk }));
        if (ids.length) await call('bulk', 'DELETE', '/api/v2/resources', ids);
      },
    ],
    [
      10,
      () =>
        call(
          'bulk',
          'PATCH',
          '/api/v2/resources',
          [pick(pks), pick(pks), pick(pks)]
            .filter((x, i, a) => a.indexOf(x) === i)
            .map((id) => ({ id, abstract: `soak bulk ${++serial}` })),
        ),
    ],
    [
      10,
      async () => {
        const started = await call(
          'job',
          'POST',
          '/api/v2/resources/create/dataset/',
          `defaults=${encodeURIComponent(JSON.stringify({ title: `soak job ${++serial}` }))}`,
          ADMIN,
          true,
        );
        const id = started.json?.execution_id as string | undefined;
        if (!id) return;
        let state = started.json;
        while (state?.status !== 'finished' && state?.status !== 'failed' && Date.now() < deadline + 30_000) {
          await new Promise((r) => setTimeout(r, Math.max(5, o.jobDuration / 2)));
          state = (await call('job', 'GET', `/api/v2/resource-service/execution-status/${id}`)).json;
        }
        tally.jobs++;
        await call('job', 'DELETE', `/api/v2/executionrequest/${id}`); // GeoNode lets its owner delete it: data stays flat
        const uuid = state?.output_params?.output?.uuid as string | undefined;
        if (!uuid) return;
        const found = (await call('job', 'GET', `/api/v2/resources/?filter{uuid}=${uuid}`)).json?.resources as
          { pk: string }[] | undefined;
        for (const r of found ?? []) await call('job', 'DELETE', `/api/v2/resources/${r.pk}/`);
      },
    ],
  ];
  const total = actions.reduce((n, [w]) => n + w, 0);
  const choose = () => {
    let r = Math.random() * total;
    for (const [w, a] of actions) if ((r -= w) < 0) return a;
    return actions[0][1];
  };
  const worker = async () => {
    while (Date.now() < deadline) {
      try {
        await choose()();
      } catch (err) {
        tally.serverErrors.push(`request failed: ${(err as Error).message}`);
      }
    }
  };

  // the event stream held open for the whole run, read to the end
  const held = new AbortController();
  let heldBytes = 0;
  const heldReading = fetch(`${url}/__geostub/inspector/events`, { signal: held.signal })
    .then(async (res) => {
      tally.streamsOpened++;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) heldBytes += chunk.length;
    })
    .catch(() => {});
  // clients that connect, read one chunk and go away (one at a time, back to back)
  const churn = async () => {
    while (Date.now() < deadline) {
      const abort = new AbortController();
      try {
        const res = await fetch(`${url}/__geostub/inspector/events?since=${1e12}`, { signal: abort.signal });
        tally.streamsOpened++;
        await res.body!.getReader().read();
      } catch {
        // aborted
      }
      abort.abort();
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const samples: { t: number; rss: number }[] = [];
  const heaps: { t: number; heap: number }[] = [];
  const sampler = setInterval(() => {
    rssOf(child.pid!).then(
      (rss) => samples.push({ t: Date.now() - started, rss }),
      () => {},
    );
    fetch(`${url}/__geostub/health`)
      .then((r) => r.json())
      .then(
        (h: { memory?: { heap_used: number } }) =>
          h.memory && heaps.push({ t: Date.now() - started, heap: h.memory.heap_used }),
        () => {},
      );
  }, o.sampleMs);
  const progress = setInterval(() => {
    const last = samples.at(-1);
    console.log(
      `soak: ${((Date.now() - started) / 60_000).toFixed(1)} min, ${tally.requests} requests, ${tally.jobs} jobs, RSS ${last ? mb(last.rss) : '-'}`,
    );
  }, 60_000);

  await Promise.all([...Array.from({ length: o.workers }, worker), churn()]);
  clearInterval(sampler);
  clearInterval(progress);
  const elapsed = (Date.now() - started) / 1000;

  // event-stream clients that went away must be released: only the held one is left, then none
  const streamsOpen = async () => (await call('health', 'GET', '/__geostub/health')).json.event_streams as number;
  const until = async (want: number) => {
    for (let i = 0; i < 100 && (await streamsOpen()) !== want; i++) await new Promise((r) => setTimeout(r, 50));
    return streamsOpen();
  };
  const withHeld = await until(1);
  const healthAtEnd = (await call('health', 'GET', '/__geostub/health')).json;
  held.abort();
  await heldReading;
  const afterAll = await until(0);

  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  await rm(work, { recursive: true, force: true });

  // RSS saws up and down with each garbage collection (the V8 heap used moves between ~35 and ~65 MB here): a
  // single sample is a poor reference. So the check is on 30-second windows: the median RSS of each window after
  // the warm-up must stay within ±10% of the first such window's median. Single samples are reported as well.
  const after = samples.filter((s) => s.t >= warmupMs);
  const windows: number[] = [];
  for (let from = warmupMs; from < elapsed * 1000; from += WINDOW_MS) {
    const inWindow = after.filter((s) => s.t >= from && s.t < from + WINDOW_MS).map((s) => s.rss);
    if (inWindow.length) windows.push(median(inWindow));
  }
  const reference = windows[0] ?? 0;
  const min = Math.min(...windows);
  const max = Math.max(...windows);
  const sampleMin = Math.min(...after.map((s) => s.rss));
  const sampleMax = Math.max(...after.map((s) => s.rss));
  const lastMinute = samples.filter((s) => s.t >= elapsed * 1000 - 60_000).map((s) => s.rss);
  const fiveXX = [...tally.byStatus].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
  const checks: [string, boolean, string][] = [
    [
      'RSS within ±10% after the warm-up',
      windows.length > 0 && min >= reference * 0.9 && max <= reference * 1.1,
      `30-s window medians after ${(warmupMs / 1000).toFixed(0)} s: first ${mb(reference)}, min ${mb(min)} (${pct(min, reference)}), max ${mb(max)} (${pct(max, reference)}), last ${mb(windows.at(-1) ?? 0)} (${pct(windows.at(-1) ?? 0, reference)}); single samples ${mb(sampleMin)}–${mb(sampleMax)}; last minute median ${mb(median(lastMinute))}; ${samples.length} samples`,
    ],
    ['no 5xx', fiveXX === 0, `${fiveXX} of ${tally.requests}`],
    [
      'no error in the log',
      tally.serverErrors.length === 0,
      tally.serverErrors.length ? tally.serverErrors.slice(0, 5).join(' | ') : `${logLines} log lines, none an error`,
    ],
    [
      'event-stream clients released',
      withHeld === 1 && afterAll === 0,
      `${tally.streamsOpened} opened; open after the run: ${withHeld} (the held one), after it closed: ${afterAll}; held stream read ${mb(heldBytes)}`,
    ],
  ];
  console.log(
    `\nsoak: ${elapsed.toFixed(0)} s, ${tally.requests} requests (${(tally.requests / elapsed).toFixed(0)}/s), ${tally.jobs} jobs`,
  );
  console.log(`  by action: ${[...tally.byAction].map(([a, n]) => `${a} ${n}`).join(', ')}`);
  console.log(
    `  by status: ${[...tally.byStatus]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s} ${n}`)
      .join(', ')}`,
  );
  console.log(
    `  RSS samples (MB): ${samples
      .filter((_, i) => i % Math.max(1, Math.floor(samples.length / 20)) === 0)
      .map((s) => (s.rss / 1e6).toFixed(0))
      .join(' ')}`,
  );
  const grown = Object.keys(healthAtEnd.collections)
    .filter((c) => healthAtEnd.collections[c] !== healthAtStart.collections[c])
    .map((c) => `${c} ${healthAtStart.collections[c]} → ${healthAtEnd.collections[c]}`);
  console.log(`  collections changed in size: ${grown.join(', ') || 'none'}`);
  const heapAfter = heaps.filter((h) => h.t >= warmupMs);
  if (heapAfter.length) {
    const firstMinute = median(heapAfter.filter((h) => h.t < warmupMs + 60_000).map((h) => h.heap));
    const lastHeapMinute = median(heapAfter.filter((h) => h.t >= elapsed * 1000 - 60_000).map((h) => h.heap));
    console.log(
      `  V8 heap used after the warm-up: ${mb(Math.min(...heapAfter.map((h) => h.heap)))}–${mb(Math.max(...heapAfter.map((h) => h.heap)))}; median of the first minute ${mb(firstMinute)}, of the last ${mb(lastHeapMinute)} (${pct(lastHeapMinute, firstMinute)})`,
    );
  }
  for (const [name, ok, detail] of checks) console.log(`  ${ok ? 'PASS' : 'FAIL'}  ${name}: ${detail}`);
  const passed = checks.every(([, ok]) => ok);
  console.log(passed ? 'soak: PASSED' : 'soak: FAILED');
  process.exitCode = passed ? 0 : 1;
}

main().catch((err: unknown) => {
  console.error(`soak: ${(err as Error).message}`);
  process.exitCode = 2;
});
