/**
 * The clock and job controls under `/__geostub` (geostub's own routes, not part of either API):
 *
 * - `GET  /__geostub/clock`          → `{"now", "ahead_ms", "job_duration_ms", "pending"}`
 * - `POST /__geostub/clock/advance`  body `{"ms": N}` → the clock moves N ms forward and due job steps run
 * - `GET  /__geostub/jobs`           → the jobs waiting for their next step, earliest first
 * - `POST /__geostub/jobs/settle`    → every job runs to its end (the clock moves to each step's due time)
 *
 * Bad bodies get 400 `{"error": …}`.
 */
import type { Express, NextFunction, Request, Response } from 'express';
import { apiError } from '../core/errors.js';
import type { Env, Reply } from '../core/types.js';
import type { JobRunner } from '../core/types.js';
import { isoAt } from '../core/clock.js';

/** The largest single move of the clock (a hundred years). */
const MAX_ADVANCE = 100 * 365.25 * 24 * 3600 * 1000;

function clockState(jobs: JobRunner): Record<string, unknown> {
  return {
    now: isoAt(jobs.clock.now()),
    ahead_ms: jobs.clock.ahead,
    job_duration_ms: jobs.stepMs,
    pending: jobs.pending,
  };
}

/** `{"ms": N}` with N a non-negative number of milliseconds. */
function advanceBy(raw: unknown): number {
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8').trim() : '';
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    throw apiError('adminBadRequest', 'The body must be JSON: {"ms": <milliseconds>}.');
  }
  const ms =
    body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>).ms : undefined;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || ms > MAX_ADVANCE) {
    throw apiError('adminBadRequest', '"ms" must be a number of milliseconds, 0 or more: {"ms": 1500}.');
  }
  return ms;
}

export function mountJobRoutes(app: Express, env: Env, send: (res: Response, reply: Reply) => void): void {
  const route =
    (handler: (req: Request, jobs: JobRunner) => Promise<Record<string, unknown>> | Record<string, unknown>) =>
    async (req: Request, res: Response, next: NextFunction) => {
      try {
        if (!env.jobs) throw apiError('routeNotFound', req.path);
        send(res, { status: 200, body: await handler(req, env.jobs) });
      } catch (err) {
        next(err);
      }
    };
  app.get(
    '/__geostub/clock',
    route((_req, jobs) => clockState(jobs)),
  );
  app.post(
    '/__geostub/clock/advance',
    route(async (req, jobs) => {
      const ran = jobs.advance(advanceBy(req.body));
      await env.persist();
      return { ...clockState(jobs), ran };
    }),
  );
  app.get(
    '/__geostub/jobs',
    route((_req, jobs) => ({ now: isoAt(jobs.clock.now()), jobs: jobs.list() })),
  );
  app.post(
    '/__geostub/jobs/settle',
    route(async (_req, jobs) => {
      const settled = jobs.settle();
      await env.persist();
      return { ...clockState(jobs), settled };
    }),
  );
}

/** Run the job steps that became due since the last request (lazily, before the request is answered). */
export function runDueJobs(env: Env) {
  return (_req: Request, _res: Response, next: NextFunction) => {
    try {
      env.jobs?.pump();
    } catch (err) {
      return next(err);
    }
    next();
  };
}
