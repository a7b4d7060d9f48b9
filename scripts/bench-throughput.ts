/** Throughput of child-process servers under autocannon, in interleaved rounds (ratios taken round by round). */
import { spawn, type ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import { freePort, median } from './bench-startup.js';

export interface Target {
  label: string;
  /** node arguments; the port is appended by `start` */
  args: (port: number) => string[];
  path: string;
  headers?: Record<string, string>;
}

async function start(t: Target): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, t.args(port), { stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    try {
      const res = await fetch(url + t.path, { headers: t.headers });
      await res.arrayBuffer();
      if (res.status === 200) return { child, url };
      throw new Error(`${t.label}: ${t.path} answered ${res.status}`);
    } catch (err) {
      if ((err as Error).message.includes('answered')) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`${t.label} did not start`);
}

async function load(url: string, t: Target, seconds: number): Promise<number> {
  const result = await autocannon({
    url: url + t.path,
    headers: t.headers,
    connections: 32,
    duration: seconds,
    pipelining: 1,
  });
  if (result.non2xx || result.errors) throw new Error(`${t.label}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.average;
}

/** Start every target, then per round load each for `seconds` (after a warm-up); medians and per-round ratios. */
export async function measure(targets: Target[], rounds: number, seconds: number): Promise<Map<string, number[]>> {
  const running = [];
  for (const t of targets) running.push({ t, ...(await start(t)) });
  const out = new Map<string, number[]>(targets.map((t) => [t.label, []]));
  try {
    for (const r of running) await load(r.url, r.t, 1); // warm-up (JIT, caches)
    for (let round = 0; round < rounds; round++) {
      for (const r of running) out.get(r.t.label)!.push(await load(r.url, r.t, seconds));
    }
  } finally {
    for (const r of running) r.child.kill('SIGKILL');
  }
  return out;
}

export function ratio(rows: Map<string, number[]>, label: string, ceiling: string): number {
  const a = rows.get(label)!;
  const b = rows.get(ceiling)!;
  return median(a.map((x, i) => x / b[i]));
}

export { median };
