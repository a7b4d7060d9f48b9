/**
 * The conformance runner's plain data: what was sent, what came back, what a check found. Checks return these
 * objects and every reporter (console, JSON, JUnit) renders the same ones.
 */
import type { Operation } from '../contracts/route-table.js';

export type ApiName = 'geonode' | 'koordinates';

/** A request as the runner sent it (credentials masked). */
export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** the body as text, when there was one */
  body?: string;
}

export interface Received {
  status: number;
  headers: Record<string, string>;
  /** the media type, without parameters, lower case ('' when absent) */
  mediaType: string;
  text: string;
  /** the parsed JSON body; undefined when the body is empty or not JSON */
  json: unknown;
  ms: number;
}

/** A request the runner sent and the answer it checked (the server's logged exchange is `Exchange`, request-log.ts). */
export interface CheckedExchange {
  request: SentRequest;
  response: Received;
  /** the contract operation the request was meant for */
  op?: Operation;
}

/** What a check found wrong, before the runner adds where it happened. */
export interface Problem {
  expected: string;
  actual: string;
  /** JSON pointer into the contract (`#/paths/~1api~1v2~1resources~1/get/responses/200`) */
  contractPath?: string;
}

/** One failed check, with everything a report needs. */
export interface Failure extends Problem {
  check: string;
  /** the case that ran it (`GET /api/v2/resources/ · pagination`, `scenario crud-resource`) */
  case: string;
  /** `METHOD path-template`, or '-' when no single operation is concerned */
  operation: string;
  request?: { method: string; url: string; body?: string };
  /** the step of a scenario */
  step?: string;
}

export interface CheckRecord {
  check: string;
  operation: string;
  ok: boolean;
  failure?: Failure;
}

export type CaseStatus = 'passed' | 'failed' | 'skipped';

export interface CaseResult {
  id: string;
  kind: 'operation' | 'scenario';
  status: CaseStatus;
  /** why the case did not run (or stopped early) */
  reason?: string;
  checks: CheckRecord[];
  /** operation keys that received a request whose answer was checked */
  exercised: string[];
  ms: number;
  /** query cases the case ran, by `kind lookup` (`--query-depth`) */
  queryCases?: Record<string, number>;
}

export interface CoverageEntry {
  operation: string;
  operationId: string;
  api: ApiName;
  exercised: boolean;
  /** why not, when it was not */
  reason?: string;
}

export interface Coverage {
  total: number;
  exercised: number;
  gets: { total: number; exercised: number };
  operations: CoverageEntry[];
}

export interface RunSummary {
  cases: number;
  casesFailed: number;
  casesSkipped: number;
  checks: number;
  checksFailed: number;
}

export interface RunReport {
  tool: 'geostub conform';
  target: string;
  apis: ApiName[];
  allowWrites: boolean;
  shard?: { index: number; count: number };
  startedAt: string;
  ms: number;
  /** set when the target could not be reached at all: nothing was checked */
  unreachable?: string;
  /** the GeoNode release the target was checked as, and how that was decided */
  geonode?: ReleaseDecision;
  /** set when the target answered, but not as any API asked for (an HTML site, another API): nothing was checked */
  unrecognised?: string;
  /** what the run left out and why (an API the target does not speak) */
  notes?: string[];
  summary: RunSummary;
  cases: CaseResult[];
  failures: Failure[];
  coverage: Coverage;
  /** records the run created and could not remove (the contract has no operation to delete them) */
  leftovers: string[];
  /** query cases run in depth (`--query-depth`): how many, per field kind and lookup */
  queryCases?: QueryCaseCounts;
}

export interface QueryCaseCounts {
  depth: 'quick' | 'normal' | 'full';
  total: number;
  /** field kind (string, integer, datetime, boolean, to-one, to-many, combination, search, sort, catalogue) → lookup → cases */
  byKind: Record<string, Record<string, number>>;
}

export interface Credentials {
  /** GeoNode Basic credentials */
  user?: { name: string; password: string };
  /** GeoNode Bearer token */
  token?: string;
  /** catalogue API key */
  key?: string;
}

export interface Progress {
  done: number;
  total: number;
  failed: number;
  current: string;
}

export interface ConformOptions {
  target: string;
  /** the GeoNode release to check the target as; `auto` (the default) reads it from the target */
  geonode?: 'auto' | 4 | 5;
  apis: ApiName[];
  allowWrites: boolean;
  credentials: Credentials;
  /** keep only cases whose id matches one of these patterns (`*` wildcards; no `*` = substring) */
  only?: string[];
  skip?: string[];
  /** 1-based shard index and shard count */
  shard?: { index: number; count: number };
  /** per request, and the most an async lifecycle may take to reach its final state */
  timeoutMs: number;
  /** directory of scenario files; default the package's contracts/scenarios */
  scenariosDir?: string;
  /** requests in flight at once */
  concurrency?: number;
  onProgress?: (p: Progress) => void;
  /** keep credentials in clear in the report (`--show-secrets`; default masked) */
  showSecrets?: boolean;
  /** how many query cases the depth cases generate (`--query-depth`; default normal) */
  queryDepth?: 'quick' | 'normal' | 'full';
  /** the most records a depth case reads of one list (`--query-budget`; default 1000) */
  queryBudget?: number;
}

/** Which GeoNode release a run checks the target as (`--geonode auto|4|5`). */
export interface ReleaseDecision {
  release: 4 | 5;
  /** `given`: --geonode 4|5; `auto`: read from the target's answers */
  how: 'given' | 'auto';
  /** what the target answered that decided it (auto) */
  evidence: string[];
}
