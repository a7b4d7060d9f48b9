/**
 * Who may use geostub's own routes that change state (`POST /__geostub/reset`, `PATCH /__geostub/settings`,
 * `POST /__geostub/clock/advance`, `POST /__geostub/jobs/settle`: every `/__geostub/…` request other than GET, HEAD
 * and OPTIONS) and the inspector (`/__geostub/` and `/__geostub/inspector/…`, its scripts aside). One rule, decided
 * by the address the server actually listens on:
 *
 * - `loopback`: listening on 127.0.0.0/8 or ::1 only → open to every caller (only this machine can reach it);
 * - `guarded`: any other interface (`--host 0.0.0.0`, a LAN address) → a superuser's credentials (Basic, Bearer,
 *   `?token=`, as the GeoNode API takes them) or the `--admin-token` (`Authorization: Bearer TOKEN` or
 *   `?token=TOKEN`) are needed: none → 401, someone else's → 403, in geostub's admin error form `{"error": …}`;
 * - `open`: `--admin-open` → open on every interface, knowingly.
 *
 * In every rule a state-changing request whose `Origin` is a foreign web page (not loopback, not `--cors-origin`, not
 * the server's own origin) is refused (403) unless it carries admin credentials: a page the developer visits cannot
 * reset the mock behind their back (the browser sends such a simple POST without asking).
 */
import type { NextFunction, Request, Response } from 'express';
import { isIP } from 'node:net';
import { apiError } from '../core/errors.js';
import { sameSecret } from '../core/secret.js';
import { credentialedOrigin } from './cors.js';

export { ADMIN_RULES, type AdminCaller, type AdminGate, type AdminRule, type SuperuserAccess } from './admin-rules.js';
import type { AdminCaller, AdminGate, AdminRule } from './admin-rules.js';

/** Shortest `--admin-token` taken: a network-facing secret must not be guessable. */
export const MIN_ADMIN_TOKEN = 16;

export function checkAdminToken(token: string | undefined, flag = '--admin-token'): string | undefined {
  if (token === undefined) return undefined;
  if (typeof token !== 'string' || token.length < MIN_ADMIN_TOKEN || /\s/.test(token)) {
    throw new Error(
      `${flag} needs a secret of at least ${MIN_ADMIN_TOKEN} characters without spaces (for example the output of \`openssl rand -hex 16\`)`,
    );
  }
  return token;
}

/** 127.0.0.0/8, ::1 and IPv4-mapped loopback; `localhost` names it too. */
export function isLoopbackAddress(address: string): boolean {
  const a = address.toLowerCase().replace(/^\[|\]$/g, '');
  if (a === 'localhost' || a === '::1') return true;
  const v4 = a.startsWith('::ffff:') ? a.slice(7) : a;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** The rule for a server listening on `address` (from `server.address()`). */
export function adminRuleFor(address: string, o: { adminOpen?: boolean }): AdminRule {
  if (isLoopbackAddress(address)) return 'loopback';
  return o.adminOpen ? 'open' : 'guarded';
}

/** The start banner's line for the rule. */
export function describeAdminRule(rule: AdminRule, hasToken: boolean): string {
  if (rule === 'loopback') return 'open (the server listens on loopback only)';
  if (rule === 'open') return 'OPEN to anyone who can reach this interface (--admin-open)';
  return `superuser credentials${hasToken ? ' or the --admin-token (Authorization: Bearer …)' : ''} required (not on loopback)`;
}

const queryOf = (req: Request) =>
  new URLSearchParams(req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '');

/** The caller of an admin route, by the admin token or a superuser's credentials. */
export function adminCaller(gate: AdminGate, req: Request): AdminCaller {
  const authorization = req.get('authorization');
  const query = queryOf(req);
  if (gate.token) {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1] ?? query.get('token') ?? undefined;
    if (bearer !== undefined && sameSecret(bearer, gate.token)) return { username: null, token: bearer, admin: true };
  }
  const su = gate.access?.(authorization, query);
  if (su) return { username: su.username, token: su.token, admin: true };
  return { username: null, token: null, admin: false };
}

/** Whether the route is one the rule covers (state-changing admin routes, the inspector page and data). */
export function isGuardedRoute(method: string, path: string): boolean {
  if (path !== '/__geostub' && !path.startsWith('/__geostub/')) return false;
  if (method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS') return true;
  if (path.startsWith('/__geostub/inspector/app/')) return false; // the page's scripts: no data in them
  return path === '/__geostub/' || path.startsWith('/__geostub/inspector/');
}

const changesState = (method: string) => method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';

/**
 * A page served by geostub itself (the inspector at `http://devbox:8000/__geostub/`): its `Origin` names the host it
 * sent the request to. Not on a loopback-only server reached by another name, though: that is how a DNS-rebinding
 * page (a hostile name resolved to 127.0.0.1) looks; such a name can be allowed with `--cors-origin`.
 */
function sameOrigin(gate: AdminGate, origin: string, host: string | undefined): boolean {
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return false;
  }
  if (!host || u.host.toLowerCase() !== host.toLowerCase()) return false;
  return gate.rule !== 'loopback' || isLoopbackAddress(u.hostname);
}

/**
 * Express middleware applying the rule. The inspector page itself (`GET /__geostub/`) is left to the inspector,
 * which answers a sign-in page with a Basic challenge; `res.locals.geostubAdmin` tells it (and the session route)
 * who the caller is.
 */
export function adminGuard(gate: AdminGate) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!isGuardedRoute(req.method, req.path)) return next();
    const caller = adminCaller(gate, req);
    res.locals.geostubAdmin = caller;
    const origin = req.get('origin');
    if (
      changesState(req.method) &&
      origin !== undefined &&
      !caller.admin &&
      !credentialedOrigin(origin, gate.origins) &&
      !sameOrigin(gate, origin, req.get('host'))
    ) {
      return next(apiError('adminForeignOrigin', origin));
    }
    if (gate.rule !== 'guarded' || caller.admin) return next();
    if (req.method === 'GET' && req.path === '/__geostub/') return next(); // the sign-in page (inspector.ts)
    const tried = req.get('authorization') !== undefined || queryOf(req).has('token');
    next(apiError(tried ? 'adminForbidden' : 'adminUnauthorized', !!gate.token));
  };
}

/** Whether the gate lets this request's caller in (for the inspector page, which answers its own sign-in page). */
export const gateOpen = (gate: AdminGate, caller: AdminCaller | undefined) =>
  gate.rule !== 'guarded' || !!caller?.admin;
