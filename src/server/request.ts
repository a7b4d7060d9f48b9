/**
 * The routed request: what the first stage of the request path (pipeline.ts) makes of an API request, and what
 * every later stage reads — body parsing, resilience, planted faults and dispatch. The URL is split into path and
 * query once and the contract route table is looked up once, here; no later stage matches or parses again.
 */
import type { Method, Operation, Route, RouteMatch } from '../contracts/route-table.js';
import type { StoredRecord } from '../store/index.js';

/** The route table's match function (`matchRoute`); a server may be given another, e.g. to count lookups. */
export type RouteLookup = (routes: Route[], pathname: string) => RouteMatch | undefined;

/** An API request as express hands it over. */
export interface IncomingRequest {
  method: string;
  /** path + query as sent */
  url: string;
  origin: string;
  headers: Record<string, string | undefined>;
  /** the raw body, undefined when none was sent */
  raw: Buffer | undefined;
  /** told who the caller is, once known (for the exchange log) */
  onIdentity?: (user: StoredRecord | null) => void;
}

export interface RoutedRequest {
  /** upper case, as sent (HEAD stays HEAD; its operation is GET's) */
  method: string;
  pathname: string;
  /** the query text after `?`, as sent ('' when none): kept for redirects, which echo it */
  search: string;
  /** the query, parsed once; keys kept raw (`include[]` is not `include`, geostub reads them itself) */
  query: URLSearchParams;
  /** the contract route and its path parameters; undefined when no route matches (dispatch answers the 404) */
  match: RouteMatch | undefined;
  /** the route's operation for the method (HEAD is GET's); undefined without a route or for a method it lacks */
  op: Operation | undefined;
  origin: string;
  headers: Record<string, string | undefined>;
  /** the parsed body (stage 2); `{present: false}` until then and when none was sent */
  body: ParsedBody;
  onIdentity?: (user: StoredRecord | null) => void;
  /** headers the resilience stage adds to whatever this request is answered (a reply or an error) */
  replyHeaders?: Record<string, string>;
}

export interface ParsedBody {
  present: boolean;
  value: unknown;
}

const NO_BODY: ParsedBody = { present: false, value: undefined };

/** Stage 1: split the URL into path and query, and match the route table, once. */
export function routeRequest(incoming: IncomingRequest, routes: Route[], lookup: RouteLookup): RoutedRequest {
  const { url } = incoming;
  const q = url.indexOf('?');
  const pathname = q >= 0 ? url.slice(0, q) : url;
  const search = q >= 0 ? url.slice(q + 1) : '';
  const method = incoming.method.toUpperCase();
  const match = lookup(routes, pathname);
  return {
    method,
    pathname,
    search,
    query: new URLSearchParams(search),
    match,
    op: match?.route.operations.get((method === 'HEAD' ? 'get' : method.toLowerCase()) as Method),
    origin: incoming.origin,
    headers: incoming.headers,
    body: NO_BODY,
    onIdentity: incoming.onIdentity,
  };
}

/** The request with another query (planted faults rewrite it): the text and its parse, kept together. */
export function withSearch(req: RoutedRequest, search: string): RoutedRequest {
  return { ...req, search, query: new URLSearchParams(search) };
}

/**
 * The request sent to another URL of the same server, routed anew (its own lookup): for a planted fault that asks
 * the honest server about another path than the one asked (`At.reroute`). The body and caller stay the request's.
 */
export function reroute(req: RoutedRequest, url: string, routes: Route[], lookup: RouteLookup): RoutedRequest {
  const { method, origin, headers, onIdentity } = req;
  return {
    ...routeRequest({ method, url, origin, headers, raw: undefined, onIdentity }, routes, lookup),
    body: req.body,
  };
}
