/**
 * geostub's programmatic API: `import { startGeostub } from 'geostub'`.
 *
 * ```ts
 * const geostub = await startGeostub();            // in memory, on a free port
 * await fetch(`${geostub.url}/api/v2/resources/`);
 * await geostub.reset();                            // back to the seed fixtures
 * await geostub.close();
 * ```
 *
 * Every instance has its own store, clock, settings and request log: two instances in one process share nothing.
 */
import { startGeostub as startServer, VERSION, type ServerStartOptions, type RunningGeostub } from './server/start.js';
import {
  parseSettings,
  settingsView,
  type ResilienceOptions,
  type ResilienceSettings,
} from './server/resilience-config.js';
import type { Store } from './store/index.js';
import type { ExchangeLog } from './server/request-log.js';
import type { ConformOptions, RunReport } from './conformance/types.js';

export const version = VERSION;

export interface GeostubOptions extends Omit<ServerStartOptions, 'port' | 'inMemory' | 'log' | 'routeLookup'> {
  /** default 0: a free port (read it from `url` or `port`) */
  port?: number;
  /** default true: nothing is written to disk; false keeps the data in `db` (default `.geostub/db.json`) */
  inMemory?: boolean;
}

export interface Geostub {
  /** `http://127.0.0.1:<port>` (https with `tls`) */
  url: string;
  port: number;
  /** the data, for direct reads and set-up: `store.collection('resources').get('12')` */
  store: Store;
  /** every answered API request, newest last (`exchanges.recent()`), announced as `exchange` events */
  exchanges: ExchangeLog;
  /** restore the seed fixtures and drop pending jobs (as `POST /__geostub/reset`); settings are kept */
  reset(): Promise<void>;
  /** move the virtual clock forward; asynchronous jobs whose steps fall due run now. Returns how many steps ran. */
  advanceClock(ms: number): Promise<number>;
  /** run every pending asynchronous job to its end. Returns how many jobs settled. */
  settle(): Promise<number>;
  /** latency, error rate and per-route rules now in force (as `GET /__geostub/settings`) */
  settings(): ResilienceSettings;
  /** change them (as `PATCH /__geostub/settings`): `setSettings({ latency: '100-300', errorRate: 0.1 })`;
   *  `faults` plants named deviations from the contracts (`geostub serve --fault x` lists them). Throws on a bad
   *  value and changes nothing. */
  setSettings(patch: ResilienceOptions & { faults?: string[] }): ResilienceSettings;
  /** stop listening, end pending delays and jobs, flush the store */
  close(): Promise<void>;
  /** the server underneath (express app, env, node server), for what the above does not cover */
  running: RunningGeostub;
}

/** Start a geostub: in memory and on a free port unless told otherwise. */
export async function startGeostub(options: GeostubOptions = {}): Promise<Geostub> {
  const running = await startServer({ ...options, port: options.port ?? 0, inMemory: options.inMemory ?? true });
  const { env, store } = running;
  let closing: Promise<void> | undefined;
  return {
    url: running.url,
    port: running.port,
    store,
    exchanges: running.exchanges,
    running,
    async reset() {
      await store.reset();
      env.jobs?.reset();
    },
    async advanceClock(ms: number) {
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0)
        throw new RangeError(`advanceClock takes milliseconds, 0 or more (got ${String(ms)})`);
      const ran = env.jobs?.advance(ms) ?? 0;
      await env.persist();
      return ran;
    },
    async settle() {
      const settled = env.jobs?.settle() ?? 0;
      await env.persist();
      return settled;
    },
    settings: () => settingsView(env.settings),
    setSettings(patch) {
      Object.assign(env.settings, parseSettings(patch));
      return settingsView(env.settings);
    },
    close: () => (closing ??= running.close()),
  };
}

/**
 * Run the conformance checks of `geostub conform` against a server and return the report (the runner is loaded on
 * first use; `geostub/conformance` exports it directly, with `exitCode` and the reporters).
 */
export async function runConformance(options: ConformOptions): Promise<RunReport> {
  const runner = await import('./conformance/runner.js');
  return runner.runConformance(options);
}

export { startProxy, type ProxyOptions, type RunningProxy, type Violation } from './proxy/server.js';
export type { ResilienceOptions, ResilienceSettings } from './server/resilience-config.js';
export type { LatencyRange, ResilienceRule } from './core/types.js';
export type { Exchange, ExchangeLog } from './server/request-log.js';
export type { Store } from './store/index.js';
export type { RunningGeostub } from './server/start.js';
export type { ApiName, CaseResult, ConformOptions, Credentials, Progress, RunReport } from './conformance/types.js';
