/**
 * Cases generated from each read operation of the contracts: a valid request, an anonymous one where the contract
 * asks for credentials, a missing id, an invalid parameter (per-path method cases: method-cases.ts).
 */
import type { JsonObject } from '../contracts/load.js';
import { type Operation } from '../contracts/route-table.js';
import { call, type Case } from './context.js';
import {
  documentedResponse,
  documentedResponseKeys,
  listShape,
  pathParameterNames,
  pointer,
  requiresAuth,
  successStatus,
} from './contract-view.js';
import { opKey } from './http.js';
import { expandPath } from './params.js';
import { NO_MISSING_ID, NOT_IDS } from './samples.js';
import { shorten } from './recorder.js';

const DENIED = new Set([401, 403]);

/** The valid request of an operation, its path filled from the target. */
export function requestCase(op: Operation): Case {
  return {
    id: `${opKey(op)} · request`,
    kind: 'operation',
    api: op.api,
    ops: [op],
    writes: false,
    async run(ctx, rec) {
      if (requiresAuth(op) && !ctx.http.hasCredentials(op.api))
        return void (rec.skipped = 'the contract requires credentials and none were given');
      const resolved = await ctx.resolver.resolve(op);
      if (!resolved.ok) return void (rec.skipped = resolved.reason);
      const x = await call(ctx, rec, op.api, { method: 'GET', path: expandPath(op.path, resolved.params), op });
      const expected = successStatus(op);
      if (DENIED.has(x.response.status) && documentedResponse(op, x.response.status)) {
        rec.skipped = `the target refused these credentials (${x.response.status})`;
        rec.exercised.delete(opKey(op));
        return;
      }
      rec.record(
        'status_code_expected',
        x.response.status === expected
          ? []
          : [
              {
                expected: `${expected} for a valid request`,
                actual: `${x.response.status} ${shorten(x.response.text, 200)}`,
                contractPath: pointer(op, 'responses', String(expected)),
              },
            ],
        x,
      );
    },
  };
}

/** Anonymous on an operation whose security needs credentials: the documented 401 or 403. */
export function anonymousCase(op: Operation): Case | undefined {
  if (!requiresAuth(op)) return undefined;
  const refusals: string[] = documentedResponseKeys(op).filter((s) => s === '401' || s === '403');
  if (!refusals.length) return undefined;
  return {
    id: `${opKey(op)} · anonymous`,
    kind: 'operation',
    api: op.api,
    ops: [op],
    writes: false,
    async run(ctx, rec) {
      const resolved = await ctx.resolver.resolve(op);
      if (!resolved.ok) return void (rec.skipped = resolved.reason);
      const x = await call(ctx, rec, op.api, {
        method: 'GET',
        path: expandPath(op.path, resolved.params),
        op,
        as: 'anonymous',
      });
      // a GeoNode view whose first authentication class is Basic challenges (401 + WWW-Authenticate); one with
      // Session first cannot, so it answers 403 (DRF's NotAuthenticated: APIView.permission_denied)
      const basic = op.api === 'geonode' && op.ext['auth-first'] === 'basic' && refusals.includes('401');
      const expected =
        op.api !== 'geonode' ? refusals : basic ? ['401'] : refusals.includes('403') ? ['403'] : refusals;
      const challenged = !basic || !!x.response.headers['www-authenticate'];
      const ok = expected.includes(String(x.response.status)) && challenged;
      rec.record(
        'auth_required',
        ok
          ? []
          : [
              {
                expected: `${expected.join(' or ')} without credentials${basic ? ', with WWW-Authenticate (Basic authentication comes first)' : ''}`,
                actual: `${x.response.status} ${shorten(x.response.text, 200)}`,
                contractPath: pointer(op, 'security'),
              },
            ],
        x,
      );
    },
  };
}

/** A missing id: the documented 404 with its documented body. */
export function missingIdCase(op: Operation): Case | undefined {
  if (!pathParameterNames(op.path).some((n) => !NOT_IDS.has(n)) || !op.responses['404'] || NO_MISSING_ID.has(op.path))
    return undefined;
  return {
    id: `${opKey(op)} · missing id`,
    kind: 'operation',
    api: op.api,
    ops: [op],
    writes: false,
    async run(ctx, rec) {
      if (requiresAuth(op) && !ctx.http.hasCredentials(op.api))
        return void (rec.skipped = 'the contract requires credentials and none were given');
      const resolved = await ctx.resolver.missing(op);
      if (!resolved.ok) return void (rec.skipped = resolved.reason);
      const x = await call(ctx, rec, op.api, { method: 'GET', path: expandPath(op.path, resolved.params), op });
      rec.record(
        'missing_id_404',
        x.response.status === 404
          ? []
          : [
              {
                expected: `404 for {${resolved.replaced}} = ${resolved.params[resolved.replaced!]}`,
                actual: `${x.response.status} ${shorten(x.response.text, 200)}`,
                contractPath: pointer(op, 'responses', '404'),
              },
            ],
        x,
      );
      if (x.response.status === 404) {
        // the body is the documented one: response_schema already said so; say it under this check's name too
        const schema = rec.checks
          .filter((c) => c.check === 'response_schema' || c.check === 'content_type')
          .filter((c) => !c.ok);
        rec.record(
          'missing_id_404',
          schema.map((c) => ({
            expected: `the documented 404 body (${c.failure!.expected})`,
            actual: c.failure!.actual,
            contractPath: c.failure!.contractPath,
          })),
          x,
        );
      }
    },
  };
}

/** A value for a query parameter that its schema's bounds forbid (enums are not used: GeoNode ignores unknown values). */
export function invalidValue(param: JsonObject): string | undefined {
  const raw = (param.schema ?? {}) as JsonObject;
  const schema = (raw.type === 'array' ? (raw.items ?? {}) : raw) as JsonObject;
  if ((schema.type === 'integer' || schema.type === 'number') && typeof schema.minimum === 'number')
    return String(schema.minimum - 1);
  if ((schema.type === 'integer' || schema.type === 'number') && typeof schema.maximum === 'number')
    return String(schema.maximum + 1);
  return undefined;
}

const PAGING = new Set(['page', 'page_size']);

/**
 * The parameter to spoil: a bounded number (`page` first; paging parameters only where the answer is a paginated
 * list), else an unknown field in `include[]` or `sort[]`, which the contract documents as a 400.
 */
export function invalidParameter(op: Operation): { name: string; value: string } | undefined {
  const query = op.parameters.filter(
    (p) =>
      p.in === 'query' &&
      (!PAGING.has(String(p.name)) || listShape(op)?.kind === 'envelope' || listShape(op)?.kind === 'array'),
  );
  const ordered = [...query.filter((p) => p.name === 'page'), ...query.filter((p) => p.name !== 'page')];
  for (const p of ordered) {
    const value = invalidValue(p);
    if (value !== undefined) return { name: String(p.name), value };
  }
  if (!op.responses['400']) return undefined;
  for (const name of ['include[]', 'sort[]'])
    if (query.some((p) => p.name === name)) return { name, value: 'geostub_no_such_field' };
  return undefined;
}

/** An invalid parameter: a documented 4xx with its documented body. */
export function invalidParamCase(op: Operation): Case | undefined {
  const spoiled = invalidParameter(op);
  const errors = documentedResponseKeys(op).filter((s) => /^4\d\d$/.test(s) && s !== '401' && s !== '403');
  if (!spoiled || !errors.length) return undefined;
  return {
    id: `${opKey(op)} · invalid parameter ${spoiled.name}`,
    kind: 'operation',
    api: op.api,
    ops: [op],
    writes: false,
    async run(ctx, rec) {
      if (requiresAuth(op) && !ctx.http.hasCredentials(op.api))
        return void (rec.skipped = 'the contract requires credentials and none were given');
      const resolved = await ctx.resolver.resolve(op);
      if (!resolved.ok) return void (rec.skipped = resolved.reason);
      const qs = `${encodeURIComponent(spoiled.name)}=${encodeURIComponent(spoiled.value)}`;
      const x = await call(ctx, rec, op.api, {
        method: 'GET',
        path: `${expandPath(op.path, resolved.params)}?${qs}`,
        op,
      });
      const ok = errors.includes(String(x.response.status));
      const param = op.parameters.findIndex((p) => p.in === 'query' && p.name === spoiled.name);
      rec.record(
        'invalid_param_4xx',
        ok
          ? []
          : [
              {
                expected: `${errors.join(' or ')} for ${spoiled.name}=${spoiled.value}`,
                actual: `${x.response.status} ${shorten(x.response.text, 200)}`,
                contractPath: param >= 0 ? pointer(op, 'parameters') : pointer(op, 'responses'),
              },
            ],
        x,
      );
    },
  };
}
