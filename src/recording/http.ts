/**
 * The recorder's HTTP client: GET only, one request at a time, paced (a pause between requests), bounded (a hard
 * cap on the number of requests), with one retry after a 429/502/503/504. What could not be read is noted, never
 * thrown: a recording is made of whatever the server lets an anonymous caller read.
 */

export interface Unreadable {
  /** what was being read (`users`, `resource 12`, `catalogue versions of 1001`) */
  what: string;
  url: string;
  /** the HTTP status, or 0 when there was no answer */
  status: number;
  reason: string;
}

export interface GetResult {
  status: number;
  headers: Headers;
  json: unknown;
}

export interface RecorderHttpOptions {
  /** ms between two requests (default 200) */
  paceMs?: number;
  /** the most requests one recording makes (default 2000) */
  maxRequests?: number;
  timeoutMs?: number;
  /** extra headers for every request (a catalogue key) */
  headers?: Record<string, string>;
  /** headers only for URLs under this path prefix */
  headersUnder?: { prefix: string; headers: Record<string, string> };
  /** told before each request (progress displays) */
  onRequest?: (count: number, url: string) => void;
}

export class RecorderHttp {
  readonly origin: string;
  private readonly base: string;
  requests = 0;
  readonly unreadable: Unreadable[] = [];
  private last = 0;

  constructor(
    from: string,
    private readonly o: RecorderHttpOptions = {},
  ) {
    const u = new URL(from);
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      throw new Error(`--from must be an http:// or https:// URL (got "${from}")`);
    this.origin = u.origin;
    this.base = u.origin + u.pathname.replace(/\/+$/, '');
  }

  /** A path below the server (`/api/v2/…`) or an absolute URL it gave. */
  url(path: string): string {
    return /^https?:\/\//.test(path) ? path : this.base + path;
  }

  /** Host-relative form of a URL on this server (`https://host/api/v2/x` → `/api/v2/x`); other strings unchanged. */
  relative(value: string): string {
    return value.startsWith(this.base + '/') ? value.slice(this.base.length) : value === this.base ? '/' : value;
  }

  get exhausted(): boolean {
    return this.requests >= (this.o.maxRequests ?? 2000);
  }

  private async pace(): Promise<void> {
    const wait = this.last + (this.o.paceMs ?? 200) - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    this.last = Date.now();
  }

  /** GET a JSON document; undefined (and a note in `unreadable`) when it cannot be read. */
  async get(what: string, path: string, headers: Record<string, string> = {}): Promise<GetResult | undefined> {
    const url = this.url(path);
    for (let attempt = 0; ; attempt++) {
      if (this.exhausted) {
        this.unreadable.push({
          what,
          url,
          status: 0,
          reason: `not read: the request budget (${this.o.maxRequests ?? 2000}) is spent`,
        });
        return undefined;
      }
      await this.pace();
      this.requests++;
      this.o.onRequest?.(this.requests, url);
      const under =
        this.o.headersUnder && new URL(url).pathname.startsWith(this.o.headersUnder.prefix)
          ? this.o.headersUnder.headers
          : {};
      let res: Response;
      try {
        res = await fetch(url, {
          headers: { Accept: 'application/json', ...(this.o.headers ?? {}), ...under, ...headers },
          redirect: 'follow',
          signal: AbortSignal.timeout(this.o.timeoutMs ?? 30_000),
        });
      } catch (err) {
        this.unreadable.push({ what, url, status: 0, reason: `no answer: ${(err as Error).message}` });
        return undefined;
      }
      const text = await res.text();
      if ([429, 502, 503, 504].includes(res.status) && attempt === 0) {
        const after = Math.min(10, Number(res.headers.get('retry-after')) || 1);
        await new Promise((r) => setTimeout(r, after * 1000));
        continue;
      }
      if (res.status !== 200) {
        const why =
          res.status === 401 || res.status === 403
            ? 'needs a login (private data is not recorded)'
            : res.status === 404
              ? 'not on this server'
              : 'refused';
        this.unreadable.push({ what, url, status: res.status, reason: why });
        return undefined;
      }
      try {
        return { status: res.status, headers: res.headers, json: JSON.parse(text) };
      } catch {
        this.unreadable.push({ what, url, status: res.status, reason: 'the answer is not JSON' });
        return undefined;
      }
    }
  }
}
