/** What planted faults are written with: reading GeoNode and catalogue pages, rewriting requests and replies. */
import type { Env, Reply } from '../../core/types.js';
import { withSearch, type RoutedRequest } from '../request.js';
import type { At } from './types.js';

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
export const ENVELOPE_HEAD = ['links', 'total', 'page', 'page_size'];
/** A GeoNode page envelope `{links, total, page, page_size, <key>: [...]}` and its items key. */
export function envelopeKey(body: unknown): string | undefined {
  if (!isObj(body) || !ENVELOPE_HEAD.every((k) => k in body)) return undefined;
  return Object.keys(body).find((k) => !ENVELOPE_HEAD.includes(k) && Array.isArray(body[k]));
}
export const itemsOf = (body: unknown): unknown[] | undefined => {
  const key = envelopeKey(body);
  return key ? ((body as Obj)[key] as unknown[]) : Array.isArray(body) ? body : undefined;
};
export const is = (at: At, api: string, ...behaviours: string[]) =>
  at.op?.api === api && (!behaviours.length || behaviours.includes(at.op.behaviour));
export const isList = (at: At) =>
  at.method === 'GET' &&
  (at.op?.behaviour === 'list' || at.op?.behaviour === 'catalogList' || at.op?.behaviour === 'resourceSubset');

/** The request with some query parameters removed (the others kept as sent). */
export function dropParams(req: RoutedRequest, drop: (key: string) => boolean): RoutedRequest {
  if (!req.search) return req;
  const kept = req.search
    .split('&')
    .filter((pair) => !drop(decodeURIComponent(pair.split('=')[0].replace(/\+/g, ' '))));
  return withSearch(req, kept.join('&'));
}

/** Apply `fn` to every object of a body, depth first. */
export function visit(node: unknown, fn: (o: Obj) => void): void {
  if (Array.isArray(node)) node.forEach((n) => visit(n, fn));
  else if (isObj(node)) {
    fn(node);
    Object.values(node).forEach((n) => visit(n, fn));
  }
}

export const withHeader = (reply: Reply, name: string, f: (v: string) => string | undefined): Reply => {
  const headers = { ...(reply.headers ?? {}) };
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  if (!key) return reply;
  const v = f(headers[key]);
  if (v === undefined) delete headers[key];
  else headers[key] = v;
  return { ...reply, headers };
};

/**
 * The reply with its last item left out and the page kept well formed: a GeoNode envelope's `total` (and
 * `links.next` when the page becomes the last one), a catalogue page's `X-Resource-Range`. A server that answers
 * part of a query this way passes every per-page check.
 */
export function dropLastItem(r: Reply): Reply {
  const key = envelopeKey(r.body);
  if (key) {
    const b = r.body as Obj;
    const items = b[key] as unknown[];
    if (!items.length) return r;
    items.pop();
    b.total = Number(b.total) - 1;
    if (isObj(b.links) && Number(b.page) * Number(b.page_size) >= (b.total as number)) b.links.next = null;
    return r;
  }
  if (!Array.isArray(r.body) || !r.body.length) return r;
  r.body.pop();
  return withHeader(r, 'X-Resource-Range', (v) =>
    v.replace(
      /^(\d+)-(\d+)\/(\d+)$/,
      (_m, a: string, e: string, t: string) => `${a}-${Number(e) - 1}/${Number(t) - 1}`,
    ),
  );
}

export const hasKey = (at: At, test: (key: string) => boolean) => [...at.query.keys()].some(test);
export const repeatedName = (at: At, ...names: string[]) => names.some((n) => at.query.getAll(n).length > 1);

/** A bearer token of a superuser, for the fault that lets anonymous writes through. */
export function superuserToken(env: Env): string {
  const users = env.store.collection('users');
  const t = env.store
    .collection('tokens')
    .list()
    .find((x) => users.get(x.user as number)?.is_superuser === true);
  return String(t?.token ?? '');
}

/** The user name of a Basic authorization header ('' otherwise). */
export function basicUser(header: string | undefined): string {
  const m = /^Basic\s+(\S+)/i.exec(header ?? '');
  return m ? Buffer.from(m[1], 'base64').toString('utf8').split(':')[0] : '';
}

/** A permissions PUT that also sets every user granted before, but not named now, to `none`: a replace, not a merge. */
export function withUnnamedUsersRemoved(req: RoutedRequest, at: At): RoutedRequest {
  const pk = /\/(\d+)\/permissions\/?$/.exec(req.pathname)?.[1];
  const body = req.body.value;
  if (!pk || !isObj(body) || !Array.isArray(body.users)) return req;
  const named = new Set(body.users.map((u) => (isObj(u) ? u.id : undefined)));
  const granted = ((at.env.store.collection('grants').get(pk)?.users as Obj[] | undefined) ?? []).filter(
    (u) => u.permissions !== 'owner' && !named.has(u.id),
  );
  return {
    ...req,
    body: {
      present: true,
      value: { ...body, users: [...body.users, ...granted.map((u) => ({ id: u.id, permissions: 'none' }))] },
    },
  };
}
