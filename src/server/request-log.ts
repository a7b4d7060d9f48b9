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
import { flatHeaders, maskHeaders, maskText, maskUrls } from '../core/masking.js';

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

/**
 * `clip` for the server's exchange log: the first 4 KB kept as bytes (off the JS heap, so the 500 clips the ring
 * holds are not copied by each young-generation collection: issue 19) and made the same string as `clip` when the
 * exchange is first read.
 */
export function clipLater(text: string | undefined): string | ClippedBody | undefined {
  if (text === undefined || text.length <= MAX_BODY) return text;
  return new ClippedBody(Buffer.from(text.slice(0, MAX_BODY), 'utf8'), text.length - MAX_BODY);
}

export class ClippedBody {
  constructor(
    readonly head: Buffer,
    readonly more: number,
  ) {}

  toString(): string {
    return `${this.head.toString('utf8')}… (${this.more} more characters)`;
  }
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

/** An exchange as the server records it: headers as node holds them (flattened to strings when read). */
export type RecordedExchange = Omit<Exchange, 'id' | 'requestHeaders' | 'responseHeaders' | 'responseBody'> & {
  requestHeaders: Record<string, unknown>;
  responseHeaders: Record<string, unknown>;
  responseBody?: string | ClippedBody;
};

function flattened(e: RecordedExchange): Omit<Exchange, 'id'> {
  return {
    ...e,
    requestHeaders: flatHeaders(e.requestHeaders),
    responseHeaders: flatHeaders(e.responseHeaders),
    responseBody: e.responseBody instanceof ClippedBody ? e.responseBody.toString() : e.responseBody,
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
  /** exchanges kept by `record` and not read yet: unmasked, headers as node held them */
  private unread = new WeakSet<object>();
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

  /**
   * Keeps an exchange the server answered, like `add`; with no one listening for it (`--quiet`, no inspector
   * stream open) it is masked when first read instead, so exchanges pushed out of the ring unread are never
   * masked: masking and flattening headers cost a third of a busy server's throughput (issue 19). Nothing is
   * announced then (no one listens), and every way out of the log (`recent`, `get`, the events) masks first.
   */
  record(e: RecordedExchange): void {
    const own = e.kind === 'own';
    if (this.showSecrets || this.listenerCount(own ? 'own-exchange' : 'exchange') > 0) {
      this.add(flattened(e));
      return;
    }
    const pending = Object.assign(e, { id: this.nextId++ });
    this.unread.add(pending);
    const ring = own ? this.own : this.buffer;
    ring.push(pending as unknown as Exchange);
    if (ring.length > (own ? this.ownCapacity : this.capacity)) ring.shift();
  }

  /** The newest `n` exchanges, oldest first; geostub's own requests too with `withOwn`. */
  recent(n = this.capacity, withOwn = false): Exchange[] {
    this.settle(this.buffer);
    if (!withOwn) return this.buffer.slice(-n);
    this.settle(this.own);
    return [...this.buffer, ...this.own].sort((a, b) => a.id - b.id).slice(-n);
  }

  get(id: number): Exchange | undefined {
    for (const ring of [this.buffer, this.own]) {
      const i = ring.findIndex((e) => e.id === id);
      if (i < 0) continue;
      this.settle(ring, i, i + 1);
      return ring[i];
    }
    return undefined;
  }

  /** Mask (and flatten) the exchanges of a ring from `from` up to `to` that were recorded and not read yet. */
  private settle(ring: Exchange[], from = 0, to = ring.length): void {
    for (let i = from; i < to; i++) {
      const e = ring[i];
      if (this.unread.delete(e)) ring[i] = { ...maskExchange(flattened(e as unknown as RecordedExchange)), id: e.id };
    }
  }

  clear(): void {
    this.buffer = [];
    this.own = [];
  }
}
