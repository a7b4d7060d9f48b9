/** Express assembly: CORS, body limit, due job steps, admin routes, then every API request goes through the request
 *  path (pipeline.ts). */
import express, { type NextFunction, type Request, type Response } from 'express';
import { ApiError, apiError } from '../core/errors.js';
import type { Env, Reply } from '../core/types.js';
import { matchRoute, type Route } from '../contracts/route-table.js';
import { mountJobRoutes, runDueJobs } from './admin-jobs.js';
import type { ApiBinding } from '../core/binding.js';
import { errorReply, requestPipeline } from './pipeline.js';
import type { RouteLookup } from './request.js';
import { replyHeadersFit, urlLimit } from './limits.js';
import { clip, clipLater, exchangeKind, type ClippedBody, type ExchangeLog } from './request-log.js';
import { mountSettingsRoutes } from './admin-settings.js';
import type { Resilience } from './resilience.js';
import { mountDocs } from './docs-pages.js';
import { mountInspector } from './inspector.js';
import { corsHeaders } from './cors.js';
import { adminGuard, type AdminGate } from './admin-access.js';
import { maskUrls } from '../core/masking.js';

export interface AppParts {
  env: Env;
  routes: Route[];
  apis: Record<string, ApiBinding>;
  bodyLimit: string;
  cors: boolean;
  /** origins allowed with credentials besides loopback ones (`--cors-origin`) */
  corsOrigins?: string[];
  tls: boolean;
  /** the PEM certificate served at `GET /__geostub/cert.pem` when serving https */
  certificate?: string;
  version: string;
  onRequest?: (line: { method: string; url: string; status: number; ms: number; error?: string }) => void;
  /** every answered exchange is recorded here (request log, inspector, proxy) */
  exchanges: ExchangeLog;
  /** latency and injected errors (`src/server/resilience.ts`), applied around the API answer */
  resilience?: Resilience;
  /** the route table's match function; default `matchRoute` (a test may count lookups with a wrapper) */
  routeLookup?: RouteLookup;
  /** who may use the state-changing admin routes and the inspector (`admin-access.ts`) */
  admin: AdminGate;
  /** how many inspector event streams are open (reported by `/__geostub/health`) */
  streams?: { open: number };
}

export function originOf(req: Request, tls: boolean): string {
  const proto = (req.get('x-forwarded-proto') ?? (tls ? 'https' : 'http')).split(',')[0].trim();
  const host = (req.get('x-forwarded-host') ?? req.get('host') ?? 'localhost').split(',')[0].trim();
  return `${proto}://${host}`;
}

function send(res: Response, reply: Reply): void {
  res.status(reply.status);
  for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
  let text: string | undefined;
  if (reply.bytes !== undefined) {
    res.setHeader('Content-Type', reply.contentType ?? 'application/octet-stream');
    res.locals.geostubBody = `<${reply.bytes.length} bytes>`;
    res.end(reply.bytes);
    return;
  }
  if (reply.text !== undefined) {
    res.setHeader('Content-Type', reply.contentType ?? 'text/plain; charset=utf-8');
    text = reply.text;
  } else if (reply.body === undefined || reply.status === 204 || reply.status === 304) {
    text = undefined;
  } else if (typeof reply.body === 'string' && reply.headers?.['Content-Type']?.startsWith('text/plain')) {
    text = reply.body;
  } else {
    if (!res.getHeader('Content-Type')) res.setHeader('Content-Type', reply.contentType ?? 'application/json');
    text = reply.sharedBody ? sharedText(reply.body) : JSON.stringify(reply.body);
  }
  // the exchange log keeps a clip of what was sent, serialised once; clipped now, so a long page is not held (and
  // carried through young-generation collections) until the socket has taken it
  res.locals.geostubBody = clipLater(text);
  // a long text goes out as bytes: node would join the header to a string body and copy both on the heap
  res.end(text !== undefined && text.length > LONG_TEXT ? Buffer.from(text) : text);
}

/** Above this many characters a reply's text is written as a Buffer (the same bytes, no copy on the JS heap). */
const LONG_TEXT = 2048;

/** JSON texts of shared (cached, never mutated) bodies, alive as long as the body is. */
const sharedTexts = new WeakMap<object, string>();
function sharedText(body: unknown): string {
  if (!body || typeof body !== 'object') return JSON.stringify(body);
  let text = sharedTexts.get(body);
  if (text === undefined) sharedTexts.set(body, (text = JSON.stringify(body)));
  return text;
}

export function buildApp(parts: AppParts): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', false); // raw keys are read by geostub itself (`include[]` is not `include`)

  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const error = res.getHeader('X-Geostub-Error') as string | undefined;
      const { method, originalUrl: url } = req;
      parts.onRequest?.({
        method,
        url: parts.exchanges.showSecrets ? url : maskUrls(url),
        status: res.statusCode,
        ms,
        error,
      });
      // the log masks what it keeps (unless --show-secrets), and flattens the headers, once someone reads it
      parts.exchanges.record({
        method,
        url,
        status: res.statusCode,
        ms,
        error,
        kind: exchangeKind(url),
        at: new Date().toISOString(),
        user: (res.locals.geostubUser as string | undefined) ?? null,
        violations: (res.locals.geostubViolations as string[] | undefined) ?? [],
        requestHeaders: req.headers,
        requestBody: Buffer.isBuffer(req.body) && req.body.length ? clip(req.body.toString('utf8')) : undefined,
        responseHeaders: res.getHeaders(),
        responseBody: res.locals.geostubBody as string | ClippedBody | undefined, // clipped by send
      });
    });
    next();
  });
  const lookup = parts.routeLookup ?? matchRoute;
  if (parts.cors) app.use(corsHeaders(parts.routes, { origins: parts.corsOrigins, lookup }));
  app.use(adminGuard(parts.admin));

  app.use(urlLimit()); // 414 in JSON (oversized header blocks are answered by answerClientErrors in start.ts)
  app.use(express.raw({ type: () => true, limit: parts.bodyLimit }));
  app.use(runDueJobs(parts.env));

  app.get('/__geostub/health', (_req, res) => {
    const counts: Record<string, number> = {};
    for (const name of parts.env.store.names()) counts[name] = parts.env.store.collection(name).size;
    const { persistent, diskRecords } = parts.env.store;
    send(res, {
      status: 200,
      body: {
        status: 'ok',
        version: parts.version,
        profile: { geonode: parts.env.settings.geonode },
        persistent,
        collections: counts,
        lazy: diskRecords,
        event_streams: parts.streams?.open ?? 0,
        memory: memory(),
      },
    });
  });
  app.post('/__geostub/reset', async (_req, res, next) => {
    try {
      await parts.env.store.reset();
      parts.env.jobs?.reset();
      send(res, { status: 200, body: { status: 'reset' } });
    } catch (err) {
      next(err);
    }
  });
  if (parts.certificate) {
    const pem = parts.certificate;
    app.get('/__geostub/cert.pem', (_req, res) =>
      send(res, { status: 200, text: pem, contentType: 'application/x-pem-file' }),
    );
  }
  mountJobRoutes(app, parts.env, send);
  mountSettingsRoutes(app, parts.env, send);
  const streams = parts.streams;
  mountInspector(app, {
    env: parts.env,
    exchanges: parts.exchanges,
    gate: parts.admin,
    send,
    onStream: streams && ((d) => void (streams.open += d)),
  });
  mountDocs(app, parts.env.contracts, (req) => originOf(req, parts.tls)); // GeoNode's schema UIs, before dispatch
  app.use('/__geostub', (req, _res, next) => next(apiError('routeNotFound', req.originalUrl.split('?')[0])));

  const answer = requestPipeline({ ...parts, lookup });
  app.use(async (req: Request, res: Response, next: NextFunction) => {
    try {
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      const reply = await answer({
        method: req.method,
        url: req.originalUrl,
        origin: originOf(req, parts.tls),
        headers,
        raw: Buffer.isBuffer(req.body) && req.body.length > 0 ? req.body : undefined,
        onIdentity: (user) => {
          if (user) res.locals.geostubUser = String(user.username ?? user.id ?? '');
        },
      });
      send(res, replyHeadersFit(reply));
    } catch (err) {
      next(err);
    }
  });

  // errors from before the request path (limits, body size) and from geostub's own routes, and bugs: catalogued
  // errors as the real API writes them (through the request path's errorReply), never a stack trace or HTML
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    let e: ApiError;
    if (err instanceof ApiError) e = err;
    else if (isHttpParserError(err) && err.type === 'entity.too.large')
      e = apiError('payloadTooLarge', parts.bodyLimit);
    else if (isHttpParserError(err) && err.status && err.status < 500) e = apiError('parseError', err.message);
    else {
      console.error(
        `geostub: internal error on ${req.method} ${parts.exchanges.showSecrets ? req.originalUrl : maskUrls(req.originalUrl)}:`,
        err,
      );
      e = apiError('internal');
    }
    if (res.headersSent) return;
    send(res, errorReply(e));
  });
  return app;
}

/** The process's memory in bytes (`npm run soak` tells heap growth from RSS noise with it). */
function memory(): { rss: number; heap_used: number; heap_total: number; external: number } {
  const m = process.memoryUsage();
  return { rss: m.rss, heap_used: m.heapUsed, heap_total: m.heapTotal, external: m.external };
}

function isHttpParserError(err: unknown): err is { type?: string; status?: number; message: string } {
  return !!err && typeof err === 'object' && 'type' in err;
}
