/**
 * Stage 5 of the request path (pipeline.ts): the routed request answered — trailing-slash rule → query keys →
 * identity → method → request validation (ajv) → behaviour → reply. Framework-free: it reads the routed request
 * the first stage built (route and operation included: nothing is matched again) and returns a Reply or throws an
 * ApiError.
 */
import { apiError } from '../core/errors.js';
import { describeErrors } from '../contracts/validators.js';
import type { BehaviourRequest, Env, Reply } from '../core/types.js';
import { FORBIDDEN_KEYS } from '../query/raw-query.js';
import type { ApiBinding } from '../core/binding.js';
import type { RoutedRequest } from './request.js';

export function dispatch(apis: Record<string, ApiBinding>, env: Env, req: RoutedRequest): Reply | Promise<Reply> {
  const { match, pathname, search, query, op } = req;
  if (!match) throw apiError('routeNotFound', pathname);
  const { route, params, slashed } = match;
  if (route.slash === 'required' && !slashed) {
    return { status: 301, headers: { Location: `${pathname}/${search ? `?${search}` : ''}` }, body: undefined };
  }
  if (route.slash === 'none' && slashed) throw apiError('routeNotFound', pathname);
  const binding = apis[route.api];
  for (const key of query.keys()) {
    if (key.split(/[[\]{}.]/).some((segment) => FORBIDDEN_KEYS.has(segment))) {
      throw apiError('parseError', `The query parameter "${key}" is not allowed.`);
    }
  }
  if (req.method === 'OPTIONS' && !op) {
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
    throw binding.methodNotAllowed(req.method, route, identity.user);
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
    method: req.method === 'HEAD' ? 'GET' : req.method,
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
