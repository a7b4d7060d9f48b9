/**
 * The exchange log: every request the server answered, kept in a ring buffer and announced as an event. It feeds
 * the per-request log lines, the inspector's live log (server-sent events) and the proxy's violation list.
 *
 * geostub's own requests (`/__geostub/…`: the inspector polling, admin routes) are kept apart, in a smaller ring
 * of their own announced as `own-exchange`, so a busy inspector tab never pushes API requests out of the log and
 * the per-request log lines stay about the APIs. The inspector shows them, and static files (the docs pages'
 * scripts, styles and images, `kind: 'asset'`), only when asked.
 */
import { EventEmitter } from 'node:events';
import { maskHeaders, maskText, maskUrls } from '../core/masking.js';

/** api: an API request (or anything not below); asset: a static file; own: geostub's own routes (`/__geostub/…`) */
export type ExchangeKind = 'api' | 'asset' | 'own';

const ASSET = /\.(?:js|mjs|css|map|png|svg|ico|gif|jpe?g|webp|woff2?|ttf)$/i;

/** Which kind of request a URL is (the path alone decides). */
export function exchangeKind(url: string): ExchangeKind {
  const q = url.indexOf('?');
  const path = q >= 0 ? url.slice(0, q) : url;
  if (path === '/__geostub' || path.startsWith('/__geostub/')) return 'own';
  return ASSET.test(path) ? 'asset' : 'api';
}

export interface Exchange {
  id: number;
  /** what the request was for (undefined: an API request) */
  kind?: ExchangeKind;
  /** ISO time the answer was sent */
  at: string;
  method: string;
  url: string;
  status: number;
  ms: number;
  /** username (GeoNode) or key owner (catalogue) of the caller, null when anonymous */
  user: string | null;
  /** the error catalogue entry, when the answer was an error */
  error?: string;
  /** contract violations found in the answer (strict mode, the proxy) */
  violations: string[];
  requestHeaders: Record<string, string>;
  requestBody?: string;
  responseHeaders: Record<string, string>;
  responseBody?: string;
}

const MAX_BODY = 4 * 1024;

/**
 * The first 4 KB of a body, as a string of its own: a plain `slice` would keep the whole response alive in the
 * ring buffer (V8 slices point into their parent), and 500 retained list pages cost more in garbage collection
 * than everything else a request does.
 */
export function clip(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (text.length <= MAX_BODY) return text;
  return `${Buffer.from(text.slice(0, MAX_BODY), 'utf8').toString('utf8')}… (${text.length - MAX_BODY} more characters)`;
}

/** An exchange with its credentials masked (`src/core/masking.ts`): URL, headers, bodies, violations. */
export function maskExchange<E extends Omit<Exchange, 'id'>>(e: E): E {
  return {
    ...e,
    url: maskUrls(e.url),
    requestHeaders: maskHeaders(e.requestHeaders),
    requestBody: maskText(e.requestBody),
    responseHeaders: maskHeaders(e.responseHeaders),
    responseBody: maskText(e.responseBody),
    violations: e.violations.map((v) => maskText(v)),
  };
}

export interface ExchangeLogOptions {
  /** keep at most this many exchanges (default 500) */
  capacity?: number;
  /** and this many of geostub's own (default 200) */
  ownCapacity?: number;
  /** keep credentials as they came (`--show-secrets`, local debugging only); default false: masked on the way in */
  showSecrets?: boolean;
}

export class ExchangeLog extends EventEmitter {
  private buffer: Exchange[] = [];
  /** geostub's own requests, in a ring of their own */
  private own: Exchange[] = [];
  private nextId = 1;
  readonly capacity: number;
  /** geostub's own requests are kept in a smaller ring */
  readonly ownCapacity: number;
  readonly showSecrets: boolean;

  constructor(options: ExchangeLogOptions | number = {}) {
    super();
    const o = typeof options === 'number' ? { capacity: options } : options;
    this.capacity = o.capacity ?? 500;
    this.ownCapacity = o.ownCapacity ?? 200;
    this.showSecrets = o.showSecrets ?? false;
    this.setMaxListeners(100);
  }

  /**
   * Keeps and announces an exchange, masked unless the log shows secrets: `exchange` for the APIs (and static
   * files), `own-exchange` for geostub's own.
   */
  add(e: Omit<Exchange, 'id'>): Exchange {
    const exchange = { ...(this.showSecrets ? e : maskExchange(e)), id: this.nextId++ };
    const own = exchange.kind === 'own';
    const ring = own ? this.own : this.buffer;
    ring.push(exchange);
    if (ring.length > (own ? this.ownCapacity : this.capacity)) ring.shift();
    this.emit(own ? 'own-exchange' : 'exchange', exchange);
    return exchange;
  }

  /** The newest `n` exchanges, oldest first; geostub's own requests too with `withOwn`. */
  recent(n = this.capacity, withOwn = false): Exchange[] {
    if (!withOwn) return this.buffer.slice(-n);
    return [...this.buffer, ...this.own].sort((a, b) => a.id - b.id).slice(-n);
  }

  get(id: number): Exchange | undefined {
    return this.buffer.find((e) => e.id === id) ?? this.own.find((e) => e.id === id);
  }

  clear(): void {
    this.buffer = [];
    this.own = [];
  }
}
