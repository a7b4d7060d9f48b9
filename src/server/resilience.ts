/**
 * Latency and injected failures for resilience testing, applied at one point of the request path: around the API
 * answer (after the admin routes, around planted faults and `dispatch`). geostub's own `/__geostub` routes are
 * never delayed or failed.
 *
 * What applies to a request, strongest first:
 * 1. the request's `Prefer` header (RFC 7240): `Prefer: status=503`, `Prefer: delay=2000`, or both
 *    (`Prefer: status=503, delay=2000`); the ones honoured are echoed in `Preference-Applied`. `status=N` answers
 *    any status the operation documents with its documented body (the contract's example, or one made from the
 *    response schema), as Prism's `Prefer: code=` does; a 2xx runs the operation and keeps its answer when the
 *    status is the one asked for. 429/5xx the operation does not document are injected in the API's error shape;
 *    any other undocumented status is refused with a 400 listing the statuses the operation documents;
 * 2. the first rule of `env.settings.rules` whose `match` fits (its fields; the ones it leaves out come from 3.);
 * 3. `env.settings.latency` and `env.settings.errorRate` (500, 502 or 503, drawn at random).
 *
 * An injected error is answered without running the behaviour (nothing is written), in the API's error shape. The
 * settings are read on every request, so `PATCH /__geostub/settings` takes effect at once. Pending delays end when
 * the server closes (their timers are cleared and the requests answered 503), so nothing keeps the process alive.
 */
import { ApiError, apiError } from '../core/errors.js';
import { matchRoute, type Method, type Operation, type Route } from '../contracts/route-table.js';
import { documentedAnswer, documentedStatuses } from '../contracts/examples.js';
import type { Env, Reply } from '../core/types.js';
import type { ApiBinding, PlainRequest } from './dispatch.js';
import { DEFAULT_ERROR_STATUSES, INJECTABLE_STATUSES, MAX_DELAY_MS, ruleMatches } from './resilience-config.js';

export interface Preferences {
  status?: number;
  delay?: number;
  /** preferences geostub knows but cannot honour, with why (sent back in `X-Geostub-Prefer-Ignored`) */
  ignored: string[];
}

/** The comma-separated preferences of RFC 7240 (`token [= word] *(; parameter)`); quoted values unquoted. */
export function parsePrefer(header: string | undefined): Preferences {
  const out: Preferences = { ignored: [] };
  if (!header) return out;
  for (const raw of header.match(/(?:[^,"]|"(?:[^"\\]|\\.)*")+/g) ?? []) {
    const pref = raw.split(';')[0].trim();
    const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*(?:=\s*("(?:[^"\\]|\\.)*"|[^\s;]*))?$/.exec(pref);
    if (!m) continue;
    const name = m[1].toLowerCase();
    const value = (m[2] ?? '').replace(/^"(.*)"$/, '$1').replace(/\\(.)/g, '$1');
    if (name === 'status') {
      if (/^[1-5]\d\d$/.test(value)) out.status = Number(value);
      else
        out.ignored.push(
          `status=${value} (an HTTP status from 100 to 599 that the operation documents, or ${INJECTABLE_STATUSES.join('|')})`,
        );
    } else if (name === 'delay') {
      const n = Number(value);
      if (/^\d+$/.test(value) && n <= MAX_DELAY_MS) out.delay = n;
      else out.ignored.push(`delay=${value} (milliseconds, 0 to ${MAX_DELAY_MS})`);
    }
  }
  return out;
}

export interface Decision {
  delay: number;
  /** the status to inject, undefined to answer normally */
  status?: number;
  /** `Preference-Applied` value, when any preference was honoured */
  applied?: string;
  ignored: string[];
}

const draw = (min: number, max: number, random: () => number) =>
  max <= min ? min : Math.round(min + random() * (max - min));

/** What happens to one request under the current settings. */
export function decide(
  settings: Env['settings'],
  method: string,
  pathname: string,
  prefer: Preferences,
  random = Math.random,
): Decision {
  const rule = settings.rules.find((r) => ruleMatches(r, method, pathname));
  const latency = rule && rule.latency !== undefined ? rule.latency : settings.latency;
  const rate = rule?.errorRate ?? settings.errorRate;
  const statuses = rule?.status ?? DEFAULT_ERROR_STATUSES;
  const applied: string[] = [];
  let delay = latency ? draw(latency.min, latency.max, random) : 0;
  if (prefer.delay !== undefined) {
    delay = prefer.delay;
    applied.push(`delay=${prefer.delay}`);
  }
  let status: number | undefined;
  if (prefer.status !== undefined) {
    status = prefer.status;
    applied.push(`status=${prefer.status}`);
  } else if (rate > 0 && random() < rate) status = statuses[Math.floor(random() * statuses.length)] ?? 500;
  return { delay, status, applied: applied.length ? applied.join(', ') : undefined, ignored: prefer.ignored };
}

type Answer = (req: PlainRequest) => Reply | Promise<Reply>;

/** Takes `status=N` out of `Preference-Applied` (a delay honoured stays). */
function notApplied(extra: Record<string, string>, status: number): void {
  const rest = (extra['Preference-Applied'] ?? '').split(', ').filter((p) => p && p !== `status=${status}`);
  if (rest.length) extra['Preference-Applied'] = rest.join(', ');
  else delete extra['Preference-Applied'];
}

export class Resilience {
  private timers = new Map<NodeJS.Timeout, () => void>();
  private closed = false;

  constructor(
    private readonly env: Env,
    private readonly routes: Route[],
    private readonly apis: Record<string, ApiBinding>,
    private readonly random: () => number = Math.random,
  ) {}

  /** Nothing configured and no `Prefer` header: the request goes straight through. */
  private idle(req: PlainRequest): boolean {
    const s = this.env.settings;
    return !s.latency && !(s.errorRate > 0) && s.rules.length === 0 && !req.headers.prefer;
  }

  /** `answer` with latency and injected errors around it. */
  around(answer: Answer): Answer {
    return (req) => (this.idle(req) ? answer(req) : this.apply(req, answer));
  }

  private async apply(req: PlainRequest, answer: Answer): Promise<Reply> {
    const q = req.url.indexOf('?');
    const pathname = q >= 0 ? req.url.slice(0, q) : req.url;
    const d = decide(this.env.settings, req.method, pathname, parsePrefer(req.headers.prefer), this.random);
    const extra: Record<string, string> = {};
    if (d.applied) extra['Preference-Applied'] = d.applied;
    if (d.ignored.length) extra['X-Geostub-Prefer-Ignored'] = d.ignored.join('; ');
    if (d.delay > 0) extra['X-Geostub-Delay'] = String(Math.round(d.delay)); // how long this answer was held back (ms)
    if (d.delay > 0 && !(await this.sleep(d.delay))) throw this.injected(pathname, 503, extra);
    const asked = parsePrefer(req.headers.prefer).status;
    if (asked !== undefined && d.status === asked) return this.preferred(req, pathname, asked, extra, answer);
    if (d.status !== undefined) throw this.injected(pathname, d.status, extra);
    if (!Object.keys(extra).length) return answer(req);
    return this.withHeaders(answer, req, extra);
  }

  /** `answer`, with `extra` headers on its reply or its error. */
  private async withHeaders(answer: Answer, req: PlainRequest, extra: Record<string, string>): Promise<Reply> {
    try {
      const reply = await answer(req);
      return { ...reply, headers: { ...(reply.headers ?? {}), ...extra } };
    } catch (err) {
      if (err instanceof ApiError)
        throw new ApiError(err.errorName, {
          status: err.status,
          body: err.body,
          headers: { ...err.headers, ...extra },
        });
      throw err;
    }
  }

  /** The operation a request is for (HEAD is GET's), when a contract route has it. */
  private operation(method: string, pathname: string): Operation | undefined {
    const route = matchRoute(this.routes, pathname)?.route;
    return route?.operations.get((method === 'HEAD' ? 'get' : method.toLowerCase()) as Method);
  }

  /** `Prefer: status=N`: the documented answer for N (a 2xx the operation gives itself is kept as it is). */
  private async preferred(
    req: PlainRequest,
    pathname: string,
    status: number,
    extra: Record<string, string>,
    answer: Answer,
  ): Promise<Reply> {
    const op = this.operation(req.method, pathname);
    const documented = op ? documentedAnswer(op.contract.doc, op.responses, status) : undefined;
    if (!documented) {
      if ((INJECTABLE_STATUSES as readonly number[]).includes(status)) throw this.injected(pathname, status, extra);
      if (!op) {
        // no operation here (the API answers its own 404 or 405): nothing is documented to choose from
        notApplied(extra, status);
        extra['X-Geostub-Prefer-Ignored'] = [
          extra['X-Geostub-Prefer-Ignored'],
          `status=${status} (no operation of the contracts answers ${req.method} ${pathname})`,
        ]
          .filter(Boolean)
          .join('; ');
        return this.withHeaders(answer, req, extra);
      }
      const statuses = documentedStatuses(op.responses);
      const message = `Prefer: status=${status} is not documented for ${op.method.toUpperCase()} ${op.path} (${op.operationId}); it documents ${statuses.join(', ')}${statuses.length ? ', and' : ''} geostub also injects ${INJECTABLE_STATUSES.join(', ')}.`;
      const e = this.apis[op.api]?.invalidBody(message, undefined) ?? apiError('adminBadRequest', message);
      notApplied(extra, status);
      throw apiError('preferStatusUndocumented', {
        status: e.status,
        body: e.body,
        headers: { ...e.headers, ...extra },
      });
    }
    if (status < 300) {
      const reply = await Promise.resolve(answer(req)).catch((err: unknown) => {
        if (err instanceof ApiError) return undefined; // the operation answered an error: the documented 2xx instead
        throw err;
      });
      if (reply?.status === status) return { ...reply, headers: { ...(reply.headers ?? {}), ...extra } };
    }
    const body = documented.body;
    return {
      status,
      body: body === undefined ? undefined : structuredClone(body),
      ...(documented.contentType ? (typeof body === 'string' ? { text: body, body: undefined } : {}) : {}),
      ...(documented.contentType ? { contentType: documented.contentType } : {}),
      headers: { ...documented.headers, ...extra },
    };
  }

  /** The injected error in the shape of the API the path belongs to. */
  private injected(pathname: string, status: number, extra: Record<string, string>): ApiError {
    const api = matchRoute(this.routes, pathname)?.route.api;
    const binding = (api && this.apis[api]) || Object.values(this.apis)[0];
    const e = binding?.injectedError?.(status) ?? apiError('internal');
    return new ApiError(e.errorName, { status: e.status, body: e.body, headers: { ...e.headers, ...extra } });
  }

  /** Resolves true after `ms`, or false at once when the server closes meanwhile. */
  private sleep(ms: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return new Promise((ok) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        ok(true);
      }, ms);
      timer.unref();
      this.timers.set(timer, () => ok(false));
    });
  }

  /** Clear every pending delay (their requests are answered 503); later requests are not delayed. */
  close(): void {
    this.closed = true;
    for (const [timer, cancel] of this.timers) {
      clearTimeout(timer);
      cancel();
    }
    this.timers.clear();
  }
}
