/**
 * The runner's HTTP client: one request in, one Exchange out (credentials masked in what is recorded). A request
 * that gets no HTTP answer at all throws `NoAnswer`; the runner reports it, it never counts as a pass.
 */
import type { ApiName, Credentials, CheckedExchange, Received, SentRequest } from './types.js';
import type { Operation } from '../contracts/route-table.js';
import { maskHeaders } from '../core/masking.js';

export class NoAnswer extends Error {
  constructor(
    readonly url: string,
    readonly why: string,
  ) {
    super(`${url}: no answer (${why})`);
    this.name = 'NoAnswer';
  }
}

export interface RequestSpec {
  method: string;
  /** a path (and query) below the target, or an absolute URL (a link the target gave) */
  path: string;
  headers?: Record<string, string>;
  /** a JSON body */
  json?: unknown;
  /** an application/x-www-form-urlencoded body */
  form?: Record<string, string>;
  /** a multipart/form-data body: field → text, or a file */
  multipart?: Record<string, string | { filename: string; content: string }>;
  /** `anonymous`: send no credentials */
  as?: 'anonymous' | 'default';
  op?: Operation;
}

export class HttpClient {
  /** every operation key that got an answer, for coverage */
  readonly answered = new Set<string>();

  constructor(
    readonly target: string,
    private readonly credentials: Credentials,
    private readonly timeoutMs: number,
  ) {}

  /** The Authorization header the runner sends to an API, if any. */
  authorization(api: ApiName): string | undefined {
    const c = this.credentials;
    if (api === 'koordinates') return c.key ? `key ${c.key}` : undefined;
    if (c.user) return 'Basic ' + Buffer.from(`${c.user.name}:${c.user.password}`).toString('base64');
    if (c.token) return `Bearer ${c.token}`;
    return undefined;
  }

  hasCredentials(api: ApiName): boolean {
    return this.authorization(api) !== undefined;
  }

  url(path: string): string {
    return /^https?:\/\//i.test(path)
      ? path
      : this.target.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`);
  }

  async send(api: ApiName, spec: RequestSpec): Promise<CheckedExchange> {
    const url = this.url(spec.path);
    const headers: Record<string, string> = { Accept: 'application/json', ...(spec.headers ?? {}) };
    const auth = spec.as === 'anonymous' ? undefined : this.authorization(api);
    if (auth && !Object.keys(headers).some((k) => k.toLowerCase() === 'authorization')) headers.Authorization = auth;
    let body: string | FormData | undefined;
    let shown: string | undefined;
    if (spec.json !== undefined) {
      body = shown = JSON.stringify(spec.json);
      headers['Content-Type'] ??= 'application/json';
    } else if (spec.form) {
      body = shown = new URLSearchParams(spec.form).toString();
      headers['Content-Type'] ??= 'application/x-www-form-urlencoded';
    } else if (spec.multipart) {
      const form = new FormData();
      for (const [k, v] of Object.entries(spec.multipart)) {
        if (typeof v === 'string') form.append(k, v);
        else form.append(k, new Blob([v.content]), v.filename);
      }
      body = form;
      shown = `multipart/form-data: ${Object.keys(spec.multipart).join(', ')}`;
    }
    const request: SentRequest = {
      method: spec.method.toUpperCase(),
      url,
      headers: maskHeaders(headers),
      ...(shown !== undefined ? { body: shown } : {}),
    };
    const started = performance.now();
    let res: Response;
    try {
      res = await fetch(url, {
        method: request.method,
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new NoAnswer(url, describeNetworkError(err, this.timeoutMs));
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw new NoAnswer(url, describeNetworkError(err, this.timeoutMs));
    }
    const response: Received = {
      status: res.status,
      headers: Object.fromEntries([...res.headers.entries()].map(([k, v]) => [k.toLowerCase(), v])),
      mediaType: (res.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase(),
      text,
      json: parseJson(text),
      ms: performance.now() - started,
    };
    if (spec.op) this.answered.add(opKey(spec.op));
    return { request, response, op: spec.op };
  }
}

export function opKey(op: Pick<Operation, 'method' | 'path'>): string {
  return `${op.method.toUpperCase()} ${op.path}`;
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describeNetworkError(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no response within ${timeoutMs} ms`;
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
}
