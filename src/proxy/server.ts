/**
 * `geostub proxy --target URL`: a validating reverse proxy. Every request is forwarded to the live server as it
 * came (method, path, query, headers, body; `X-Forwarded-Host/Proto/For` added); the answer goes back to the client
 * untouched (a `Location` on the target's origin is rewritten to the proxy's), and is checked against the contracts.
 * Violations are announced as they happen and listed at `GET /__geostub/violations` (`DELETE` clears them); every
 * other path, `/__geostub/…` included, is forwarded.
 *
 * What the proxy keeps and shows (its exchange log, the violations) has credentials masked unless `showSecrets`
 * (`src/core/masking.ts`); what it forwards is untouched. Clearing the violations follows geostub's admin rule
 * (`src/server/admin-access.ts`): open when listening on loopback, else the `adminToken` (or `adminOpen`).
 */
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { loadContracts } from '../contracts/load.js';
import { buildRouteTable } from '../contracts/route-table.js';
import { ContractValidators } from '../contracts/validators.js';
import { ExchangeLog, clip } from '../server/request-log.js';
import { maskText, maskUrls } from '../core/masking.js';
import { sameSecret } from '../core/secret.js';
import { adminRuleFor, checkAdminToken } from '../server/admin-access.js';
import type { AdminRule } from '../server/admin-rules.js';
import { checkAnswer, describeFinding, type Finding } from './check.js';
import { HOP_BY_HOP, bodyText, flatten, readBody } from './wire.js';

export interface ProxyOptions {
  /** the live server: `https://demo.geonode.org` (a path prefix is kept) */
  target: string;
  /** default 0: a free port */
  port?: number;
  host?: string;
  /** accept a target's self-signed certificate */
  insecure?: boolean;
  /** ms to wait for the target's answer (default 60000) */
  timeoutMs?: number;
  /** largest request body forwarded (default 50 MB) */
  maxBodyBytes?: number;
  /** keep credentials in clear in the log and the violations (local debugging only; default masked) */
  showSecrets?: boolean;
  /** a secret (16+ characters) that lets a caller clear the violations when not listening on loopback */
  adminToken?: string;
  /** let anyone clear the violations even when not listening on loopback */
  adminOpen?: boolean;
}

export interface Violation extends Finding {
  id: number;
  /** the id of the exchange (request log) it was found in */
  exchange: number;
  at: string;
  method: string;
  url: string;
  status: number;
}

export interface RunningProxy {
  url: string;
  port: number;
  target: string;
  /** who may clear the violations, from the address listened on */
  adminRule: AdminRule;
  /** every forwarded exchange, with its violations (`exchange` events as they happen) */
  exchanges: ExchangeLog;
  /** the violations found so far, oldest first (the newest 1000 are kept) */
  violations(): Violation[];
  /** how many violations were found since start (or the last clear) */
  violationCount(): number;
  clearViolations(): void;
  close(): Promise<void>;
}

const KEEP = 1000;

export async function startProxy(options: ProxyOptions): Promise<RunningProxy> {
  let target: URL;
  try {
    target = new URL(options.target);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new Error(`--target must be an http:// or https:// URL (got "${options.target}")`);
  }
  const base = target.pathname.replace(/\/+$/, '');
  const contracts = await loadContracts();
  const routes = buildRouteTable(contracts);
  const validators = new ContractValidators(contracts);
  const show = options.showSecrets === true;
  const exchanges = new ExchangeLog({ showSecrets: show });
  const adminToken = checkAdminToken(options.adminToken, 'adminToken');
  let adminRule: AdminRule = 'guarded';
  const shownTarget = show ? target.href : maskUrls(target.href);
  let found: Violation[] = [];
  let count = 0;
  let nextId = 1;
  const timeoutMs = options.timeoutMs ?? 60_000;

  const json = (res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...extra });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };

  const forward = (req: IncomingMessage, body: Buffer) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((ok, fail) => {
      const headers: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
      headers.host = target.host;
      headers['x-forwarded-host'] = req.headers.host ?? '';
      headers['x-forwarded-proto'] = 'http';
      headers['x-forwarded-for'] = req.socket.remoteAddress ?? '';
      if (body.length) headers['content-length'] = String(body.length);
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const out = send(
        {
          protocol: target.protocol,
          hostname: target.hostname,
          port: target.port || undefined,
          method: req.method,
          path: base + (req.url ?? '/'),
          headers,
          rejectUnauthorized: !options.insecure,
          timeout: timeoutMs,
        },
        (answer) => {
          const chunks: Buffer[] = [];
          answer.on('data', (c: Buffer) => chunks.push(c));
          answer.on('end', () =>
            ok({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(chunks) }),
          );
          answer.on('error', fail);
        },
      );
      out.on('timeout', () => out.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      out.on('error', fail);
      out.end(body.length ? body : undefined);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    if (url.split('?')[0].replace(/\/+$/, '') === '/__geostub/violations') {
      if (method === 'DELETE') {
        const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
        if (adminRule === 'guarded' && !(adminToken && bearer !== undefined && sameSecret(bearer, adminToken))) {
          const error = `geostub proxy: clearing the violations needs ${adminToken ? 'the --admin-token (Authorization: Bearer <token>)' : '--admin-token or --admin-open'} when the proxy listens beyond loopback`;
          return json(res, req.headers.authorization ? 403 : 401, { error });
        }
        found = [];
        count = 0;
        return json(res, 204, undefined);
      }
      return json(res, 200, { target: shownTarget, count, violations: found });
    }
    let body: Buffer;
    try {
      body = await readBody(req, options.maxBodyBytes ?? 50 << 20);
    } catch (err) {
      return json(res, 413, { error: `geostub proxy: ${(err as Error).message}` });
    }
    const record = (
      status: number,
      responseHeaders: Record<string, string>,
      text: string,
      findings: Finding[],
      error?: string,
    ) => {
      const e = exchanges.add({
        at: new Date().toISOString(),
        method,
        url,
        status,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
        user: null,
        error,
        violations: findings.map(describeFinding),
        requestHeaders: flatten(req.headers),
        requestBody: body.length ? clip(body.toString('utf8')) : undefined,
        responseHeaders,
        responseBody: clip(text),
      });
      for (const f of findings) {
        count++;
        const shown = show ? f : { ...f, expected: maskText(f.expected), actual: maskText(f.actual) };
        found.push({ id: nextId++, exchange: e.id, at: e.at, method, url: e.url, status, ...shown });
      }
      if (found.length > KEEP) found = found.slice(-KEEP);
    };
    let answer;
    try {
      answer = await forward(req, body);
    } catch (err) {
      const message = `geostub proxy: the target ${target.origin} did not answer ${method} ${url}: ${(err as Error).message}`;
      json(res, 502, { error: message }, { 'X-Geostub-Error': 'proxyNoAnswer' });
      return record(
        502,
        { 'content-type': 'application/json' },
        JSON.stringify({ error: message }),
        [],
        'proxyNoAnswer',
      );
    }
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(answer.headers))
      if (v !== undefined && k !== 'connection' && k !== 'keep-alive' && k !== 'transfer-encoding') headers[k] = v;
    const location = answer.headers.location;
    if (location?.startsWith(target.origin))
      headers.location = `http://${req.headers.host ?? 'localhost'}${location.slice(target.origin.length + base.length)}`;
    headers['content-length'] = String(answer.body.length);
    res.writeHead(answer.status, headers);
    res.end(answer.body);
    const text = bodyText(answer.body, answer.headers);
    const flat = flatten(answer.headers);
    record(
      answer.status,
      flat,
      text,
      checkAnswer(routes, validators, method, url, { status: answer.status, headers: flat, text }),
    );
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) json(res, 500, { error: `geostub proxy: ${(err as Error).message}` });
      else res.destroy();
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => ok());
  });
  const { port, address } = server.address() as AddressInfo;
  adminRule = adminRuleFor(address, { adminOpen: options.adminOpen });
  const host = options.host && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    target: shownTarget,
    adminRule,
    exchanges,
    violations: () => found.slice(),
    violationCount: () => count,
    clearViolations: () => {
      found = [];
      count = 0;
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}
