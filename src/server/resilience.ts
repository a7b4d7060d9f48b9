/**
 * Latency and injected failures for resilience testing: stage 3 of the request path (pipeline.ts), around planted
 * faults and `dispatch`. geostub's own `/__geostub` routes are never delayed or failed. It reads the routed request
 * (path, operation, API) and matches nothing itself; the headers it adds (`X-Geostub-Delay`, `Preference-Applied`,
 * `X-Geostub-Prefer-Ignored`) go into `req.replyHeaders`, which the pipeline adds to the answer, reply or error.
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
import { documentedAnswer, documentedStatuses } from '../contracts/examples.js';
import type { Env, Reply } from '../core/types.js';
import type { ApiBinding } from '../core/binding.js';
import type { RoutedRequest } from './request.js';
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

type Next = (req: RoutedRequest) => Reply | Promise<Reply>;

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
    private readonly apis: Record<string, ApiBinding>,
    private readonly random: () => number = Math.random,
  ) {}

  /** Nothing configured and no `Prefer` header: the request goes straight through. */
  private idle(req: RoutedRequest): boolean {
    const s = this.env.settings;
    return !s.latency && !(s.errorRate > 0) && s.rules.length === 0 && !req.headers.prefer;
  }

  /** Stage 3: `next` (faults and dispatch) with latency and injected errors around it. */
  stage(req: RoutedRequest, next: Next): Reply | Promise<Reply> {
    return this.idle(req) ? next(req) : this.apply(req, next);
  }

  private async apply(req: RoutedRequest, next: Next): Promise<Reply> {
    const prefer = parsePrefer(req.headers.prefer);
    const d = decide(this.env.settings, req.method, req.pathname, prefer, this.random);
    const extra: Record<string, string> = {};
    if (d.applied) extra['Preference-Applied'] = d.applied;
    if (d.ignored.length) extra['X-Geostub-Prefer-Ignored'] = d.ignored.join('; ');
    if (d.delay > 0) extra['X-Geostub-Delay'] = String(Math.round(d.delay)); // how long this answer was held back (ms)
    if (Object.keys(extra).length) req.replyHeaders = extra; // on whatever answers the request, reply or error
    if (d.delay > 0 && !(await this.sleep(d.delay))) throw this.injected(req, 503);
    if (prefer.status !== undefined && d.status === prefer.status) return this.preferred(req, prefer.status, next);
    if (d.status !== undefined) throw this.injected(req, d.status);
    return next(req);
  }

  /** `Prefer: status=N`: the documented answer for N (a 2xx the operation gives itself is kept as it is). */
  private async preferred(req: RoutedRequest, status: number, next: Next): Promise<Reply> {
    const extra = (req.replyHeaders ??= {});
    const { op } = req;
    const documented = op ? documentedAnswer(op.contract.doc, op.responses, status) : undefined;
    if (!documented) {
      if ((INJECTABLE_STATUSES as readonly number[]).includes(status)) throw this.injected(req, status);
      if (!op) {
        // no operation here (the API answers its own 404 or 405): nothing is documented to choose from
        notApplied(extra, status);
        extra['X-Geostub-Prefer-Ignored'] = [
          extra['X-Geostub-Prefer-Ignored'],
          `status=${status} (no operation of the contracts answers ${req.method} ${req.pathname})`,
        ]
          .filter(Boolean)
          .join('; ');
        return next(req);
      }
      const statuses = documentedStatuses(op.responses);
      const message = `Prefer: status=${status} is not documented for ${op.method.toUpperCase()} ${op.path} (${op.operationId}); it documents ${statuses.join(', ')}${statuses.length ? ', and' : ''} geostub also injects ${INJECTABLE_STATUSES.join(', ')}.`;
      const e = this.apis[op.api]?.invalidBody(message, undefined) ?? apiError('adminBadRequest', message);
      notApplied(extra, status);
      throw apiError('preferStatusUndocumented', { status: e.status, body: e.body, headers: e.headers });
    }
    if (status < 300) {
      const reply = await Promise.resolve(next(req)).catch((err: unknown) => {
        if (!(err instanceof ApiError)) throw err;
        if (err.status === status) throw err; // a planted fault made the error this 2xx: it stays what it is
        return undefined; // the operation answered an error: the documented 2xx instead
      });
      if (reply?.status === status) return reply;
    }
    const body = documented.body;
    return {
      status,
      body: body === undefined ? undefined : structuredClone(body),
      ...(documented.contentType ? (typeof body === 'string' ? { text: body, body: undefined } : {}) : {}),
      ...(documented.contentType ? { contentType: documented.contentType } : {}),
      headers: { ...documented.headers },
    };
  }

  /** The injected error in the shape of the API the request's route belongs to. */
  private injected(req: RoutedRequest, status: number): ApiError {
    const api = req.match?.route.api;
    const binding = (api && this.apis[api]) || Object.values(this.apis)[0];
    return binding?.injectedError?.(status) ?? apiError('internal');
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
