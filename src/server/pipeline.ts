/**
 * The request path of an API request, stage by stage. express (app.ts) answers geostub's own routes (CORS
 * preflights, `/__geostub/…`, the docs pages) and hands every other request here; it leaves as one Reply.
 *
 *   1. route       request.ts     split the URL into path and query once; look the route up once (→ RoutedRequest)
 *   2. body        body.ts        parse the raw body, by content type or the operation's `x-geostub-body` mode
 *   3. resilience  resilience.ts  latency, injected 429/5xx and `Prefer`, around 4–5 (idle: straight through)
 *   4. faults      faults/        planted faults, around 5 (only when some are planted)
 *   5. dispatch    dispatch.ts    trailing-slash rule, identity, method, validation (ajv), behaviour
 *   6. reply                      the headers stage 3 adds, on a reply or an error alike
 *   7. errors      errorReply     every ApiError of stages 2–5 becomes its response here, the one place that names
 *                                 it in `X-Geostub-Error` (express's error handler uses it for the rest)
 *
 * Every stage reads the routed request of stage 1: nothing matches a route or parses the URL again. Errors have
 * one form, a thrown ApiError, from any stage; a planted fault that rewrites an error throws it again, reshaped
 * (faults/apply.ts). docs/development.md#the-request-path tells the same in prose.
 */
import { ApiError } from '../core/errors.js';
import type { Env, Reply } from '../core/types.js';
import type { Route } from '../contracts/route-table.js';
import { readBody } from './body.js';
import type { ApiBinding } from '../core/binding.js';
import { dispatch } from './dispatch.js';
import { applyFaults } from './faults/apply.js';
import { faultsNamed } from './faults/index.js';
import type { Resilience } from './resilience.js';
import { reroute, routeRequest, type IncomingRequest, type RouteLookup, type RoutedRequest } from './request.js';

export interface PipelineParts {
  env: Env;
  routes: Route[];
  apis: Record<string, ApiBinding>;
  /** the route table's match function (`matchRoute`, or a wrapper that counts) */
  lookup: RouteLookup;
  resilience?: Resilience;
}

/** The response for an error: its status, body and headers, and its catalogue name in `X-Geostub-Error`. */
export function errorReply(e: ApiError, extra?: Record<string, string>): Reply {
  return { status: e.status, body: e.body, headers: { 'X-Geostub-Error': e.errorName, ...e.headers, ...extra } };
}

/** Answers API requests: the stages above, in order. Errors that are not ApiErrors (bugs) are thrown on. */
export function requestPipeline(parts: PipelineParts): (incoming: IncomingRequest) => Promise<Reply> {
  const { env, routes, apis, lookup, resilience } = parts;
  const run = (req: RoutedRequest) => dispatch(apis, env, req); // 5
  // planted faults are read per request: /__geostub/settings changes them
  const where = { env, reroute: (req: RoutedRequest, url: string) => reroute(req, url, routes, lookup) };
  const planted = (req: RoutedRequest) => {
    const names = env.settings.faults;
    return names?.length ? applyFaults(faultsNamed(names), where, req, run) : run(req); // 4
  };
  const resilient = resilience ? (req: RoutedRequest) => resilience.stage(req, planted) : planted; // 3
  return async (incoming) => {
    const req = routeRequest(incoming, routes, lookup); // 1
    try {
      req.body = readBody(incoming.raw, req); // 2
      const reply = await resilient(req);
      return req.replyHeaders ? { ...reply, headers: { ...reply.headers, ...req.replyHeaders } } : reply; // 6
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      return errorReply(err, req.replyHeaders); // 7
    }
  };
}
