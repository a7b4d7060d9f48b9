/**
 * The inspector: a page at `/__geostub/` for a front-end developer's spare browser tab, and the data it reads under
 * `/__geostub/inspector/` (recent exchanges, one exchange in full, a server-sent event stream of new ones, the
 * jobs with their states). The page also uses geostub's other admin routes (health, reset, clock, jobs, settings)
 * and the APIs themselves (the record browser sends the user's query as is).
 *
 * Who may use it is the admin rule (`admin-access.ts`): open when the server listens on loopback only (or with
 * `--admin-open`); otherwise a superuser (Basic credentials, a Bearer token or `?token=`) or the `--admin-token`,
 * and the page answers 401 with a Basic challenge, so a browser asks. Nothing here is on an API path.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Express, Request, Response } from 'express';
import { apiError } from '../core/errors.js';
import type { Env, Reply } from '../core/types.js';
import { bookOf } from '../core/jobs.js';
import { PACKAGE_ROOT } from '../contracts/load.js';
import { FAULTS } from './faults/index.js';
import type { Exchange, ExchangeLog } from './request-log.js';
import { inspectorPage, signInPage } from './inspector-page.js';
import { adminCaller, gateOpen, type AdminCaller, type AdminGate, type SuperuserAccess } from './admin-access.js';

/** The superuser behind a request's credentials (Basic, Bearer, `?token=`), or null. */
export type InspectorAccess = SuperuserAccess;

export interface InspectorParts {
  env: Env;
  exchanges: ExchangeLog;
  /** the admin rule (the guard in front of these routes has applied it already) */
  gate: AdminGate;
  send: (res: Response, reply: Reply) => void;
  /** told when an event-stream client connects (+1) or goes (-1) */
  onStream?: (delta: 1 | -1) => void;
}

/** The compiled page scripts (`src/inspector/*.ts`, built by `npm run build`). */
export const INSPECTOR_SCRIPTS = join(PACKAGE_ROOT, 'dist', 'src', 'inspector');

export type ExchangeSummary = Omit<Exchange, 'requestHeaders' | 'requestBody' | 'responseHeaders' | 'responseBody'>;
const summary = ({
  requestHeaders: _a,
  requestBody: _b,
  responseHeaders: _c,
  responseBody: _d,
  ...rest
}: Exchange): ExchangeSummary => rest;

/**
 * The live log shows API requests; `?all=1` (the page's toggle) adds geostub's own requests (`/__geostub/…`) and
 * static files (the docs pages' scripts, styles and images).
 */
const wantsAll = (req: Request) => /^(1|true|yes)$/i.test(queryOf(req).get('all') ?? '');
const shown = (all: boolean) => (e: Exchange) => all || e.kind === undefined || e.kind === 'api';

const queryOf = (req: Request) =>
  new URLSearchParams(req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '');

export interface JobRow {
  collection: string;
  id: string;
  kind: string;
  /** the record's own state (`status`, else `state`) */
  state: string | null;
  pending: boolean;
  due: string | null;
  at: string;
  error?: string;
}

/** Every record that ran (or runs) as a job on this server, newest step first. */
export function jobRows(env: Env, limit = 100): JobRow[] {
  const rows: JobRow[] = [];
  for (const name of env.store.names()) {
    const coll = env.store.collection(name);
    for (const rec of coll.list()) {
      const book = bookOf(rec);
      if (!book) continue;
      const state = rec.status ?? rec.state;
      rows.push({
        collection: name,
        id: String(rec[coll.idField]),
        kind: book.kind,
        state: state === undefined || state === null ? null : String(state),
        pending: book.due !== null,
        due: book.due,
        at: book.at,
        ...(book.error ? { error: book.error } : {}),
      });
    }
  }
  return rows.sort((a, b) => Number(b.pending) - Number(a.pending) || b.at.localeCompare(a.at)).slice(0, limit);
}

export function mountInspector(app: Express, parts: InspectorParts): void {
  const { env, exchanges, send } = parts;
  const who = (req: Request, res: Response): AdminCaller =>
    (res.locals.geostubAdmin as AdminCaller | undefined) ?? adminCaller(parts.gate, req);
  // the data routes below need no check of their own: the admin guard (app.ts) has answered 401/403 already when
  // the rule asks for credentials and there are none
  const html = (res: Response, status: number, text: string) => {
    res.status(status).setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.end(text);
  };

  app.get('/__geostub/', (req, res) => {
    if (!req.originalUrl.startsWith('/__geostub/'))
      return res.redirect(301, `/__geostub/${req.originalUrl.slice('/__geostub'.length)}`);
    if (gateOpen(parts.gate, who(req, res))) return html(res, 200, inspectorPage());
    res.setHeader('WWW-Authenticate', 'Basic realm="geostub inspector", charset="UTF-8"');
    html(res, 401, signInPage());
  });
  app.get('/__geostub/inspector/app/:file', (req, res, next) => {
    const file = String(req.params.file);
    if (!/^[a-z][a-z-]*\.js$/.test(file) || !existsSync(join(INSPECTOR_SCRIPTS, file))) return next();
    res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.sendFile(join(INSPECTOR_SCRIPTS, file));
  });

  app.get('/__geostub/inspector/session', (req, res) => {
    const user = who(req, res);
    send(res, {
      status: 200,
      body: { auth: env.settings.auth, access: parts.gate.rule, username: user.username, token: user.token },
    });
  });
  app.get('/__geostub/inspector/exchanges', (req, res) => {
    const all = wantsAll(req);
    send(res, { status: 200, body: { exchanges: exchanges.recent(undefined, all).filter(shown(all)).map(summary) } });
  });
  app.get('/__geostub/inspector/exchanges/:id', (req, res, next) => {
    const e = exchanges.get(Number(req.params.id));
    if (!e) return next(apiError('notFound'));
    send(res, { status: 200, body: e });
  });
  app.get('/__geostub/inspector/jobs', (_req, res) => {
    send(res, {
      status: 200,
      body: { now: env.now(), pending: env.jobs?.pending ?? 0, step_ms: env.jobs?.stepMs ?? 0, jobs: jobRows(env) },
    });
  });

  app.get('/__geostub/inspector/faults', (_req, res) => {
    send(res, {
      status: 200,
      body: { faults: FAULTS.map(({ name, area, description }) => ({ name, area, description })) },
    });
  });

  // server-sent events: the exchanges after Last-Event-ID (or ?since=) from the ring buffer, then each new one
  app.get('/__geostub/inspector/events', (req, res) => {
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    const since = Number(req.get('last-event-id') ?? queryOf(req).get('since') ?? 0) || 0;
    const all = wantsAll(req);
    const show = shown(all);
    const write = (e: Exchange) =>
      void (show(e) && res.write(`id: ${e.id}\nevent: exchange\ndata: ${JSON.stringify(summary(e))}\n\n`));
    res.write('retry: 2000\n\n');
    for (const e of exchanges.recent(undefined, all)) if (e.id > since) write(e);
    exchanges.on('exchange', write);
    if (all) exchanges.on('own-exchange', write);
    parts.onStream?.(1);
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    ping.unref();
    let stopped = false;
    const stop = () => {
      if (stopped) return;
      stopped = true;
      exchanges.off('exchange', write);
      exchanges.off('own-exchange', write);
      clearInterval(ping);
      parts.onStream?.(-1);
    };
    req.on('close', stop);
    res.on('close', stop);
  });
}
