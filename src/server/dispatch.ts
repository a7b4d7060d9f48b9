/**
 * The request path after express: route (contract route table) → trailing-slash rule → method → identity →
 * request validation (ajv) → behaviour → reply. Framework-free: it takes a plain request and returns a Reply.
 */
import { apiError } from '../core/errors.js';
import { matchRoute, type Method, type Route } from '../contracts/route-table.js';
import { describeErrors } from '../contracts/validators.js';
import type { BehaviourRequest, Env, Reply } from '../core/types.js';
import { FORBIDDEN_KEYS, parseRawQuery } from '../query/raw-query.js';
import type { StoredRecord } from '../store/collection.js';
import type { ApiBinding } from '../core/binding.js';

/** The binding type lives in src/core (the APIs implement it and may not import the server); re-exported here. */
export type { ApiBinding };

export interface PlainRequest {
  method: string;
  /** path + query as sent */
  url: string;
  origin: string;
  headers: Record<string, string | undefined>;
  body: { present: boolean; value: unknown };
  /** told who the caller is, once known (for the exchange log) */
  onIdentity?: (user: StoredRecord | null) => void;
}

export function dispatch(
  routes: Route[],
  apis: Record<string, ApiBinding>,
  env: Env,
  req: PlainRequest,
): Reply | Promise<Reply> {
  const q = req.url.indexOf('?');
  const pathname = q >= 0 ? req.url.slice(0, q) : req.url;
  const search = q >= 0 ? req.url.slice(q + 1) : '';
  const match = matchRoute(routes, pathname);
  if (!match) throw apiError('routeNotFound', pathname);
  const { route, params, slashed } = match;
  if (route.slash === 'required' && !slashed) {
    return { status: 301, headers: { Location: `${pathname}/${search ? `?${search}` : ''}` }, body: undefined };
  }
  if (route.slash === 'none' && slashed) throw apiError('routeNotFound', pathname);
  const binding = apis[route.api];
  const method = (req.method === 'HEAD' ? 'get' : req.method.toLowerCase()) as Method;
  const query = parseRawQuery(search);
  for (const key of query.keys()) {
    if (key.split(/[[\]{}.]/).some((segment) => FORBIDDEN_KEYS.has(segment))) {
      throw apiError('parseError', `The query parameter "${key}" is not allowed.`);
    }
  }
  const op = route.operations.get(method);
  if (method === 'options' && !op) {
    const allow = [...route.operations.keys()].map((m) => m.toUpperCase()).concat('OPTIONS');
    return {
      status: 200,
      headers: { Allow: allow.join(', ') },
      body: { name: route.path, renders: ['application/json'], parses: ['application/json'], allowed_methods: allow },
    };
  }
  const identity = binding.identify(env, { headers: req.headers, query, route });
  req.onIdentity?.(identity.user);
  if (!op) {
    if (identity.error) throw identity.error;
    throw binding.methodNotAllowed(req.method.toUpperCase(), route, identity.user);
  }
  if (identity.error) throw identity.error;
  const validate = env.validators.requestBody(op);
  if (validate && req.body.present && !validate(req.body.value)) {
    const [first] = describeErrors(validate.errors);
    throw binding.invalidBody(humanise(first), first?.field);
  }
  const behaviour = binding.behaviours[op.behaviour];
  if (!behaviour) throw new Error(`${op.operationId}: no behaviour named "${op.behaviour}"`);
  const breq: BehaviourRequest = {
    op,
    method: req.method.toUpperCase() === 'HEAD' ? 'GET' : req.method.toUpperCase(),
    pathname,
    origin: req.origin,
    params,
    query,
    body: req.body.value,
    headers: req.headers,
    user: identity.user,
  };
  return behaviour(breq, env);
}

function humanise(p: ReturnType<typeof describeErrors>[number] | undefined): string {
  if (!p) return 'Invalid data.';
  const where = p.field ? `${p.field}: ` : '';
  switch (p.keyword) {
    case 'required':
      return `${p.field}: This field is required.`;
    case 'enum':
      return `${where}Not a valid choice (${p.message}).`;
    case 'type':
      return `${where}Incorrect type: ${p.message}.`;
    default:
      return `${where}${p.message}.`;
  }
}
