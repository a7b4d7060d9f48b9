/**
 * What every case gets to run with, and `call`: send one request for an operation and apply the per-response
 * checks of its contract to the answer.
 */
import type { Operation } from '../contracts/route-table.js';
import type { ContractValidators } from '../contracts/validators.js';
import { RESPONSE_CHECKS } from './checks/response.js';
import { opKey, type HttpClient, type RequestSpec } from './http.js';
import type { ParamResolver } from './params.js';
import type { CaseRecorder } from './recorder.js';
import type { ApiName, ConformOptions, CheckedExchange } from './types.js';

export interface RunContext {
  http: HttpClient;
  validators: ContractValidators;
  ops: Operation[];
  resolver: ParamResolver;
  options: ConformOptions;
  /** the GeoNode release the target is checked as: scenarios and steps marked for other releases are skipped */
  release: 4 | 5;
  /** unique per run: names of the records a run creates carry it */
  runId: string;
  /** records the run created and could not remove */
  leftovers: string[];
}

export interface Case {
  /** stable id: `--only`, `--skip` and `--shard` work on it */
  id: string;
  kind: 'operation' | 'scenario';
  api: ApiName;
  /** operations the case means to exercise (coverage says why they were not, when they were not) */
  ops: Operation[];
  /** sends something other than GET, HEAD or OPTIONS */
  writes: boolean;
  run(ctx: RunContext, rec: CaseRecorder): Promise<void>;
}

export interface CallOptions {
  /** the scenario step, for failures */
  step?: string;
  /** validate the body against the contract schema (default true) */
  schema?: boolean;
}

/** Send a request meant for `spec.op` and record the contract's response checks on the answer. */
export async function call(
  ctx: RunContext,
  rec: CaseRecorder,
  api: ApiName,
  spec: RequestSpec,
  options: CallOptions = {},
): Promise<CheckedExchange> {
  const x = await ctx.http.send(api, spec);
  if (spec.op) {
    rec.exercised.add(opKey(spec.op));
    for (const check of RESPONSE_CHECKS) {
      if (check.name === 'response_schema' && options.schema === false) continue;
      rec.record(check.name, check.run(x, { validators: ctx.validators }), x, undefined, options.step);
    }
  }
  return x;
}

/** The operation of the contract that serves `METHOD path` (the path may carry a query and ids). */
export function findOperation(ops: Operation[], method: string, path: string): Operation | undefined {
  const pathname = path.replace(/^https?:\/\/[^/]+/i, '').split('?')[0];
  const m = method.toLowerCase();
  const candidates = ops.filter((o) => o.method === m && templateRegex(o.path).test(pathname));
  // literal segments win over parameters, as in the route table
  return candidates.sort((a, b) => literalScore(b.path) - literalScore(a.path))[0];
}

const regexCache = new Map<string, RegExp>();
function templateRegex(template: string): RegExp {
  let r = regexCache.get(template);
  if (!r) {
    const body = template
      .replace(/\/$/, '')
      .split('/')
      .map((s) => (/^\{[^}]+\}$/.test(s) ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    r = new RegExp(`^${body}/?$`);
    regexCache.set(template, r);
  }
  return r;
}

function literalScore(template: string): number {
  return template.split('/').filter((s) => s && !s.startsWith('{')).length;
}
