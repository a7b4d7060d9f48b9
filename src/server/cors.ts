/**
 * CORS, decided by the request's `Origin`:
 *
 * - a loopback origin (`http(s)://localhost:*`, `127.x.x.x:*`, `[::1]:*`: a front end's dev server on the same
 *   machine) or one given with `--cors-origin` is echoed with `Access-Control-Allow-Credentials: true`, so the
 *   browser sends and reads cookies and `Authorization`;
 * - any other origin gets `Access-Control-Allow-Origin: *` and no credentials: a page elsewhere can read the public
 *   answers, never with the credentials the browser holds for the mock; geostub's own routes (`/__geostub/…`: admin
 *   and inspector) get no CORS headers for it at all;
 * - `*` never goes with `Allow-Credentials: true`, and `Vary: Origin` is always sent.
 *
 * A preflight (`OPTIONS` with `Access-Control-Request-Method`) is answered 204 with the methods the contract has for
 * that path (plus `OPTIONS`, and `HEAD` with `GET`) and the request headers its operations may take: `Accept`,
 * `Content-Type`, `Prefer` (geostub's resilience switch), the credential headers of the security schemes in force
 * (`Authorization`; `X-CSRFToken` for GeoNode's session cookie, contracts/geonode-v2.yaml `cookieAuth`) and the
 * operations' header parameters (the catalogue's `Expand`). A path no contract has gets no `Allow-*` headers.
 */
import type { NextFunction, Request, Response } from 'express';
import { matchRoute, type Operation, type Route } from '../contracts/route-table.js';
import type { RouteLookup } from './request.js';
import type { JsonObject } from '../contracts/load.js';

export interface CorsOptions {
  /** origins allowed with credentials besides loopback ones (`--cors-origin`, exact `scheme://host[:port]`) */
  origins?: string[];
  /** the route table's match function (default `matchRoute`) */
  lookup?: RouteLookup;
}

const EXPOSED = 'Link, X-Paginate-By, X-Resource-Range, X-Geostub-Error, Location, Preference-Applied, Retry-After';
const ALWAYS_ALLOWED_HEADERS = ['Accept', 'Content-Type', 'Prefer'];
/** geostub's own routes: what the inspector page sends */
const ADMIN_METHODS = ['GET', 'HEAD', 'POST', 'PATCH', 'OPTIONS'];
const ADMIN_HEADERS = ['Accept', 'Authorization', 'Content-Type'];

/** `http(s)://localhost[:port]`, `http(s)://127.x.x.x[:port]`, `http(s)://[::1][:port]`. */
export function isLoopbackOrigin(origin: string): boolean {
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return false;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
  const h = u.hostname.toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** An origin as browsers send it (`scheme://host[:port]`, default port dropped), or an error naming the flag. */
export function normaliseOrigin(value: string, flag = '--cors-origin'): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new Error(`${flag} takes an origin such as http://devbox:5173 (scheme, host and port), not "${value}"`);
  }
  if (
    (u.protocol !== 'http:' && u.protocol !== 'https:') ||
    (u.pathname !== '/' && u.pathname !== '') ||
    u.search ||
    u.hash ||
    u.username
  ) {
    throw new Error(
      `${flag} takes an origin such as http://devbox:5173 (scheme, host and port, no path), not "${value}"`,
    );
  }
  return u.origin;
}

/** Whether `origin` may use the mock with the browser's credentials. */
export function credentialedOrigin(origin: string, allowed: ReadonlySet<string>): boolean {
  return isLoopbackOrigin(origin) || allowed.has(origin.toLowerCase());
}

function securityHeaders(op: Operation): string[] {
  const doc = op.contract.doc as JsonObject;
  const schemes = ((doc.components as JsonObject | undefined)?.securitySchemes ?? {}) as Record<string, JsonObject>;
  const security = (op.node.security ?? doc.security ?? []) as Record<string, unknown>[];
  const out: string[] = [];
  for (const requirement of security) {
    for (const name of Object.keys(requirement)) {
      const s = schemes[name];
      if (!s) continue;
      if (s.type === 'http') out.push('Authorization');
      else if (s.type === 'apiKey' && s.in === 'header') out.push(String(s.name));
      else if (s.type === 'apiKey' && s.in === 'cookie') out.push('X-CSRFToken');
    }
  }
  return out;
}

/** The methods and request headers the contract allows on a path (undefined: no contract path matches). */
export function preflightAllows(
  routes: Route[],
  pathname: string,
  lookup: RouteLookup = matchRoute,
): { methods: string[]; headers: string[] } | undefined {
  if (pathname === '/__geostub' || pathname.startsWith('/__geostub/'))
    return { methods: ADMIN_METHODS, headers: ADMIN_HEADERS };
  const match = lookup(routes, pathname);
  if (!match) return undefined;
  const methods = new Set<string>();
  const headers = new Set<string>(ALWAYS_ALLOWED_HEADERS);
  for (const [method, op] of match.route.operations) {
    methods.add(method.toUpperCase());
    if (method === 'get') methods.add('HEAD');
    for (const h of securityHeaders(op)) headers.add(h);
    for (const p of op.parameters) if (p.in === 'header') headers.add(String(p.name));
  }
  methods.add('OPTIONS');
  return { methods: [...methods], headers: [...headers] };
}

/** Express middleware answering CORS headers and preflights (see the module comment). */
export function corsHeaders(routes: Route[], options: CorsOptions = {}) {
  const allowed = new Set((options.origins ?? []).map((o) => o.toLowerCase()));
  return (req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Vary', 'Origin');
    const origin = req.get('origin');
    const own = req.path === '/__geostub' || req.path.startsWith('/__geostub/');
    const credentialed = origin !== undefined && credentialedOrigin(origin, allowed);
    if (own && !credentialed) return next();
    if (credentialed) {
      res.setHeader('Access-Control-Allow-Origin', origin!);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
    } else res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Expose-Headers', EXPOSED);
    if (req.method === 'OPTIONS' && req.get('access-control-request-method')) {
      const allows = preflightAllows(routes, req.path, options.lookup);
      if (allows) {
        res.setHeader('Access-Control-Allow-Methods', allows.methods.join(', '));
        res.setHeader('Access-Control-Allow-Headers', allows.headers.join(', '));
        res.setHeader('Access-Control-Max-Age', '600');
      }
      res.status(204).end();
      return;
    }
    next();
  };
}
