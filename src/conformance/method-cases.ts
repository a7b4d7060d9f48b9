/**
 * Per-path method cases generated from the contracts: a method the contract does not list answers 405, and on a
 * GeoNode path whose writes need a login an anonymous caller is refused before that.
 */
import { METHODS, type Method, type Operation } from '../contracts/route-table.js';
import type { Case, RunContext } from './context.js';
import { pathParameterNames, requiresAuth } from './contract-view.js';
import { expandPath, missingValue } from './params.js';
import { NOT_IDS, PARAM_SOURCES } from './samples.js';

import type { CaseRecorder } from './recorder.js';
import { shorten } from './recorder.js';
import type { ApiName } from './types.js';

/** The constant a path parameter that is not an id takes (samples.ts). */
const constantOf = (name: string) => String((PARAM_SOURCES['*'][name] as { value?: string } | undefined)?.value ?? 'x');

const PROBE_ORDER: Method[] = ['put', 'patch', 'post', 'delete'];

/**
 * Per GeoNode path whose writes need a login: an anonymous call with a method the contract does not list is refused
 * as unauthenticated before any 405 (DRF's APIView.initial checks permissions before it looks up the handler).
 */
export function anonymousMethodCase(api: ApiName, path: string, ops: Operation[]): Case | undefined {
  if (api !== 'geonode') return undefined;
  const listed = new Set(ops.map((o) => o.method));
  const method = PROBE_ORDER.find((m) => !listed.has(m));
  const writes = ops.filter((o) => o.method !== 'get' && o.method !== 'head' && o.method !== 'options');
  if (!method || !METHODS.includes(method) || writes.length === 0 || !writes.every(requiresAuth)) return undefined;
  const model = ops[0];
  return {
    id: `${method.toUpperCase()} ${path} · anonymous method`,
    kind: 'operation',
    api,
    ops: [],
    writes: true,
    async run(ctx: RunContext, rec: CaseRecorder) {
      const params = Object.fromEntries(
        pathParameterNames(path).map((n) => [n, NOT_IDS.has(n) ? constantOf(n) : missingValue(model, n)]),
      );
      const x = await ctx.http.send(api, {
        method: method.toUpperCase(),
        path: expandPath(path, params),
        json: {},
        as: 'anonymous',
      });
      const ok = x.response.status === 401 || x.response.status === 403;
      rec.record(
        'anonymous_before_method',
        ok
          ? []
          : [
              {
                expected: `401 or 403: ${path}'s writes need a login, and authentication is checked before the method`,
                actual: `${x.response.status} ${shorten(x.response.text, 200)}`,
                contractPath: `#/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}`,
              },
            ],
        x,
        `${method.toUpperCase()} ${path}`,
      );
    },
  };
}

/** Per path: a method the contract does not list answers 405 (sent to an id that does not exist). */
export function methodNotAllowedCase(api: ApiName, path: string, ops: Operation[]): Case | undefined {
  const listed = new Set(ops.map((o) => o.method));
  const method = PROBE_ORDER.find((m) => !listed.has(m));
  if (!method || !METHODS.includes(method)) return undefined;
  const model = ops[0];
  return {
    id: `${method.toUpperCase()} ${path} · method not allowed`,
    kind: 'operation',
    api,
    ops: [],
    writes: true,
    async run(ctx: RunContext, rec: CaseRecorder) {
      // DRF authenticates and checks permissions before it looks for the method's handler: without credentials a
      // GeoNode view that needs a login answers 401/403, so the probe means something only with credentials
      if (api === 'geonode' && !ctx.http.hasCredentials(api))
        return void (rec.skipped = 'GeoNode checks authentication before the method; the probe needs credentials');
      const params = Object.fromEntries(
        pathParameterNames(path).map((n) => [n, NOT_IDS.has(n) ? constantOf(n) : missingValue(model, n)]),
      );
      const x = await ctx.http.send(api, { method: method.toUpperCase(), path: expandPath(path, params), json: {} });
      rec.record(
        'method_not_allowed_405',
        x.response.status === 405
          ? []
          : [
              {
                expected: `405: the contract lists only ${[...listed].map((m) => m.toUpperCase()).join(', ')} for ${path}`,
                actual: `${x.response.status} ${shorten(x.response.text, 200)}`,
                contractPath: `#/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}`,
              },
            ],
        x,
        `${method.toUpperCase()} ${path}`,
      );
    },
  };
}
