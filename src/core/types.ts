/** The plain-data shapes every behaviour takes and returns; no HTTP framework appears here. */
import type { Contract } from '../contracts/load.js';
import type { Operation } from '../contracts/route-table.js';
import type { ContractValidators } from '../contracts/validators.js';
import type { Store, StoredRecord } from '../store/index.js';

export interface BehaviourRequest {
  op: Operation;
  method: string; // upper case
  pathname: string;
  /** absolute origin of the request, honouring X-Forwarded-Proto/Host: `http://127.0.0.1:8000` */
  origin: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** parsed body (JSON or form), undefined when none was sent */
  body: unknown;
  headers: Record<string, string | undefined>;
  /** the authenticated user (GeoNode users / catalogue key owner), null when anonymous */
  user: StoredRecord | null;
}

export interface Reply {
  status: number;
  /** JSON-serialisable body; undefined = empty body */
  body?: unknown;
  /** a body that is already text (YAML schema) */
  text?: string;
  /** a binary body (asset files, zip archives), sent as is with `contentType` */
  bytes?: Uint8Array;
  contentType?: string;
  headers?: Record<string, string>;
  /**
   * the body object is shared between answers (a cached list page) and never mutated: its JSON text may be
   * reused; whoever changes such a body copies it first (planted faults do)
   */
  sharedBody?: boolean;
}

export interface ServerSettings {
  /** dynamic-rest patch-all (GeoNode ships it off; the seed documents it; geostub default on) */
  patchAll: boolean;
  /** `off`: every request acts as the superuser (quick front-end work; not faithful) */
  auth: 'on' | 'off';
  /** the GeoNode release profile served (`--geonode 4|5`): the contracts are cut for it at start */
  geonode: 4 | 5;
  /** resilience testing (`src/server/resilience.ts`), changed at runtime through `/__geostub/settings` */
  latency: LatencyRange | null;
  /** share of API requests answered with an injected 500/502/503 (0 to 1) */
  errorRate: number;
  /** per-route latency and errors; the first rule that matches a request applies */
  rules: ResilienceRule[];
  /** planted faults by name (`src/server/faults/`), read on every request; `/__geostub/settings` changes them */
  faults?: string[];
}

/** Milliseconds, uniformly drawn from [min, max]. */
export interface LatencyRange {
  min: number;
  max: number;
}

export interface ResilienceRule {
  /** `[METHOD[|METHOD…]] /path/glob` (`*` one segment, `**` any number of segments) */
  match: string;
  latency?: LatencyRange | null;
  errorRate?: number;
  /** the injected status(es), one drawn at random */
  status?: number[];
}

export interface Env {
  store: Store;
  contracts: Contract[];
  validators: ContractValidators;
  settings: ServerSettings;
  /** persist the store; resolves when the write is durable */
  persist(): Promise<void>;
  /** the time now (the server's virtual clock) as an ISO string with microseconds and Z */
  now(): string;
  /** the server's jobs on its virtual clock; without one (behaviours called directly) a job runs to its end at once */
  jobs?: JobRunner;
}

export interface JobBook {
  kind: string;
  /** when the next step is due (ISO); null once the job has ended */
  due: string | null;
  /** when the job last moved (ISO) */
  at: string;
  /** the job was asked to fail (X-Geostub-Fail, `geostub:fail`) */
  fail?: boolean;
  /** why the job failed, when geostub ended it */
  error?: string;
}

export interface JobKind {
  name: string;
  /** the store collection of the job records */
  collection: string;
  /** whether a record is still unfinished (its state, not its bookkeeping) */
  pending(rec: StoredRecord): boolean;
  /** Move the job one step at `at` (ISO). Returns the ms until the next step, or null when the job has ended. */
  step(env: Env, rec: StoredRecord, at: string, book: JobBook, stepMs: number): number | null;
  /** End a job that cannot go on, as failed, saying why. */
  abandon(env: Env, rec: StoredRecord, reason: string, at: string): void;
}

export interface JobStart {
  fail?: boolean;
  /** ms before the first step; default one step duration */
  delay?: number;
  /** when the job was created (ISO; its first step is due `delay` after it); default now */
  since?: string;
}

/** The job scheduler as the rest of the code sees it (core/jobs.ts implements it). */
export interface JobRunner {
  readonly stepMs: number;
  /** the virtual clock the jobs run on */
  readonly clock: { now(): number; readonly ahead: number };
  /** jobs not finished yet */
  readonly pending: number;
  list(): { collection: string; id: string; kind: string; due: string }[];
  start(kind: JobKind, rec: StoredRecord, start?: JobStart): void;
  /** run the steps that are due now; how many ran */
  runDue(): number;
  pump(): number;
  /** move the clock forward and run what falls due; how many steps ran */
  advance(ms: number): number;
  /** run every job to its end; how many steps ran */
  settle(): number;
  load(): { resumed: number; failed: number };
  reset(): void;
  close(): void;
}

export type Behaviour = (req: BehaviourRequest, env: Env) => Reply | Promise<Reply>;

export const json = (status: number, body: unknown, headers?: Record<string, string>): Reply => ({
  status,
  body,
  headers,
});
