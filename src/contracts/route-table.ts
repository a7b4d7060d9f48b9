/**
 * The route table, built from the contracts' paths. Literal segments win over parameters
 * (`/resources/approved/` before `/resources/{id}/`). Each path knows its trailing-slash rule.
 */
import { resolveRef, type Contract, type Json, type JsonObject } from './load.js';

export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;
export type Method = (typeof METHODS)[number];
export type SlashRule = 'optional' | 'required' | 'none';

export interface Operation {
  api: Contract['api'];
  contract: Contract;
  method: Method;
  path: string;
  operationId: string;
  behaviour: string;
  /** every `x-geostub-*` extension of the path item and the operation (operation wins), without the prefix */
  ext: Record<string, Json>;
  parameters: JsonObject[];
  requestBody?: JsonObject;
  responses: JsonObject;
  node: JsonObject;
}

export interface Route {
  api: Contract['api'];
  path: string;
  slash: SlashRule;
  /** the view's first authentication class (`x-geostub-auth-first`): decides 401 vs 403 */
  authFirst: 'basic' | 'session';
  regex: RegExp;
  paramNames: string[];
  operations: Map<Method, Operation>;
  /** for ordering: literal segments before parameters */
  rank: string;
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
  /** the request had a trailing slash */
  slashed: boolean;
}

function extensions(...nodes: (JsonObject | undefined)[]): Record<string, Json> {
  const ext: Record<string, Json> = {};
  for (const n of nodes) {
    if (!n) continue;
    for (const [k, v] of Object.entries(n)) if (k.startsWith('x-geostub-')) ext[k.slice('x-geostub-'.length)] = v;
  }
  return ext;
}

export function buildRouteTable(contracts: Contract[]): Route[] {
  const routes: Route[] = [];
  for (const contract of contracts) {
    const doc = contract.doc;
    const rootSlash = (doc['x-geostub-slash'] as SlashRule | undefined) ?? 'optional';
    const rootAuth = doc['x-geostub-auth-first'] === 'basic' ? 'basic' : 'session';
    const paths = (doc.paths ?? {}) as JsonObject;
    for (const [path, itemNode] of Object.entries(paths)) {
      const item = itemNode as JsonObject;
      const slash = (item['x-geostub-slash'] as SlashRule | undefined) ?? rootSlash;
      const bare = path.endsWith('/') && path.length > 1 ? path.slice(0, -1) : path;
      const paramNames: string[] = [];
      const segments = bare.split('/');
      const pathParams = ((item.parameters ?? []) as Json[]).map((p) => resolveRef<JsonObject>(doc, p));
      // a path parameter with an `enum` matches only those values: any other value is no route at all (GeoNode
      // registers one relation route per link field, dynamic-rest routers.py:306-351, so `/resources/1/title` is a 404)
      const choices = (name: string): string[] | undefined => {
        const p = pathParams.find((q) => q.in === 'path' && q.name === name);
        const e = (p?.schema as JsonObject | undefined)?.enum;
        return Array.isArray(e) && e.every((v) => typeof v === 'string') ? (e as string[]) : undefined;
      };
      const rest = (name: string) =>
        pathParams.some((q) => q.in === 'path' && q.name === name && q['x-geostub-match'] === 'rest');
      const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const rank = segments.map((s) => (s.startsWith('{') ? '1' : '0')).join('');
      const pattern = segments
        .map((seg) => {
          const m = /^\{([^}]+)\}$/.exec(seg);
          if (m) {
            paramNames.push(m[1]);
            const values = choices(m[1]);
            if (values) return `(${values.map(escape).join('|')})`;
            // `x-geostub-match: rest`: the parameter takes the rest of the path, slashes included (Django's `(?P<path>.*)`)
            return rest(m[1]) ? '(.+)' : '([^/]+)';
          }
          return escape(seg);
        })
        .join('/');
      const route: Route = {
        api: contract.api,
        path,
        slash,
        authFirst:
          item['x-geostub-auth-first'] === 'basic'
            ? 'basic'
            : item['x-geostub-auth-first'] === 'session'
              ? 'session'
              : rootAuth,
        regex: new RegExp(`^${pattern}$`),
        paramNames,
        operations: new Map(),
        rank,
      };
      for (const method of METHODS) {
        const op = item[method] as JsonObject | undefined;
        if (!op) continue;
        const ext = extensions(item, op);
        ext['auth-first'] = route.authFirst; // the root's, unless the path item says otherwise
        const opParams = ((op.parameters ?? []) as Json[]).map((p) => resolveRef<JsonObject>(doc, p));
        route.operations.set(method, {
          api: contract.api,
          contract,
          method,
          path,
          operationId: String(op.operationId ?? `${method} ${path}`),
          behaviour: String(ext.behaviour ?? 'unbound'),
          ext,
          parameters: [...pathParams, ...opParams],
          requestBody: op.requestBody ? resolveRef<JsonObject>(doc, op.requestBody) : undefined,
          responses: (op.responses ?? {}) as JsonObject,
          node: op,
        });
      }
      routes.push(route);
    }
  }
  // literal segments first, then longer paths first
  routes.sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : b.path.length - a.path.length));
  return routes;
}

export function matchRoute(routes: Route[], pathname: string): RouteMatch | undefined {
  const slashed = pathname.length > 1 && pathname.endsWith('/');
  const bare = slashed ? pathname.slice(0, -1) : pathname;
  for (const route of routes) {
    const m = route.regex.exec(bare);
    if (!m) continue;
    const params: Record<string, string> = {};
    route.paramNames.forEach((name, i) => {
      params[name] = safeDecode(m[i + 1]);
    });
    return { route, params, slashed };
  }
  return undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function allOperations(routes: Route[]): Operation[] {
  return routes.flatMap((r) => [...r.operations.values()]);
}
