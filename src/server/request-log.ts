/**
 * The exchange log: every request the server answered, kept in a ring buffer and announced as an event. It feeds
 * the per-request log lines, the inspector's live log (server-sent events) and the proxy's violation list.
 */
import { EventEmitter } from 'node:events';
import { maskHeaders, maskText, maskUrls } from '../behaviours/masking.js';

export interface Exchange {
  id: number;
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

/** An exchange with its credentials masked (`src/behaviours/masking.ts`): URL, headers, bodies, violations. */
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
  /** keep credentials as they came (`--show-secrets`, local debugging only); default false: masked on the way in */
  showSecrets?: boolean;
}

export class ExchangeLog extends EventEmitter {
  private buffer: Exchange[] = [];
  private nextId = 1;
  readonly capacity: number;
  readonly showSecrets: boolean;

  constructor(options: ExchangeLogOptions | number = {}) {
    super();
    const o = typeof options === 'number' ? { capacity: options } : options;
    this.capacity = o.capacity ?? 500;
    this.showSecrets = o.showSecrets ?? false;
    this.setMaxListeners(100);
  }

  /** Record an exchange (masked unless the log shows secrets) and announce it. */
  add(e: Omit<Exchange, 'id'>): Exchange {
    const exchange = { ...(this.showSecrets ? e : maskExchange(e)), id: this.nextId++ };
    this.buffer.push(exchange);
    if (this.buffer.length > this.capacity) this.buffer.shift();
    this.emit('exchange', exchange);
    return exchange;
  }

  /** The newest `n` exchanges, oldest first. */
  recent(n = this.capacity): Exchange[] {
    return this.buffer.slice(-n);
  }

  get(id: number): Exchange | undefined {
    return this.buffer.find((e) => e.id === id);
  }

  clear(): void {
    this.buffer = [];
  }
}
