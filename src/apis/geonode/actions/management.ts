/**
 * Management commands over HTTP (`geonode/management_commands_http/views.py:46-169`, `models.py:28-43`, the ping
 * command `management/commands/ping_mngmt_commands_http.py:27-36` (4.4.3)): admin only (anonymous 401 +
 * `WWW-Authenticate: Basic`, others 403). Jobs live in `management_jobs`; their lifecycle CREATED → QUEUED (start) →
 * STARTED → FINISHED is `startJob` + `advanceJob`, run on the server's clock by `MANAGEMENT_JOB` (the ping command's
 * `--sleep N` adds N seconds to its run). A reply shows the job as it was when queued, as GeoNode's Celery hand-off
 * does.
 */
import { randomUUID } from 'node:crypto';
import { apiError } from '../../../core/errors.js';
import { bookOf, launchJob, type JobKind } from '../../../core/jobs.js';
import { json, type Behaviour, type BehaviourRequest, type Env } from '../../../core/types.js';
import type { StoredRecord } from '../../../store/index.js';
import { drfBool, failureRequested, isObject, param } from './common.js';
import { FAIL_ON_PURPOSE } from '../lifecycles/executions.js';
import { isAdmin, renderContext } from '../context.js';
import { pageEnvelope } from '../reading/read.js';
import { renderRecord } from '../rendering/render.js';
import { MANAGEMENT_COMMANDS, helpText } from './management-commands.js';

function requireAdmin(req: BehaviourRequest): StoredRecord {
  if (!req.user) throw apiError('notAuthenticatedBasic');
  if (!isAdmin(req.user)) throw apiError('permissionDenied');
  return req.user;
}

const ok = (data: unknown, status = 200) => json(status, { success: true, error: null, data });
const render = (req: BehaviourRequest, env: Env, job: StoredRecord, brief = false) =>
  renderRecord('management_jobs', job, renderContext(req, env), { listItem: brief, withDeferred: true });

const forcedException = (job: StoredRecord) =>
  job.command === 'ping_mngmt_commands_http' &&
  ((Array.isArray(job.args) && job.args.includes('--force_exception')) ||
    (isObject(job.kwargs) && !!job.kwargs.force_exception));

/**
 * Why a job's command raised (the ping's `--force_exception`, a failure on purpose, a job geostub could not go on
 * with).
 */
function failure(job: StoredRecord): string | undefined {
  const book = bookOf(job);
  if (book?.error) return book.error;
  if (book?.fail) return FAIL_ON_PURPOSE;
  return forcedException(job) ? 'This is an intentional exception' : undefined;
}

/** The ping command's `--sleep N` / `--sleep=N` / kwargs `sleep`, in ms. */
function sleepMs(job: StoredRecord): number {
  if (job.command !== 'ping_mngmt_commands_http') return 0;
  const args = Array.isArray(job.args) ? job.args.map(String) : [];
  let v: unknown = isObject(job.kwargs) ? job.kwargs.sleep : undefined;
  const at = args.findIndex((a) => a === '--sleep' || a.startsWith('--sleep='));
  if (at >= 0) v = args[at].includes('=') ? args[at].slice(8) : args[at + 1];
  const seconds = Number(v);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
}

/** CREATED → QUEUED (the `start` action and `autostart`). */
export function startJob(job: StoredRecord): void {
  if (job.status === 'CREATED') job.status = 'QUEUED';
}

/** One step of the worker: QUEUED → STARTED → FINISHED (also when the command raised). Returns whether it moved. */
export function advanceJob(job: StoredRecord, now: string): boolean {
  if (job.status === 'QUEUED') {
    Object.assign(job, { status: 'STARTED', start_time: now, celery_result_id: randomUUID() });
    return true;
  }
  if (job.status === 'STARTED') {
    const out = failure(job) ? '' : (MANAGEMENT_COMMANDS[String(job.command)]?.output ?? '');
    Object.assign(job, { status: 'FINISHED', end_time: now, output_message: out });
    return true;
  }
  return false;
}

/** Management jobs on the server's clock: one step per job duration, plus the ping's sleep while STARTED. */
export const MANAGEMENT_JOB: JobKind = {
  name: 'management-command',
  collection: 'management_jobs',
  pending: (job) => job.status === 'QUEUED' || job.status === 'STARTED',
  step(env, job, at, _book, stepMs) {
    advanceJob(job, at);
    env.store.collection('management_jobs').update(job.id, {});
    if (job.status === 'STARTED') return stepMs + sleepMs(job);
    return job.status === 'QUEUED' ? stepMs : null;
  },
  abandon(env, job, _reason, at) {
    if (job.status !== 'QUEUED' && job.status !== 'STARTED') return;
    env.store
      .collection('management_jobs')
      .update(job.id, { status: 'FINISHED', start_time: job.start_time ?? at, end_time: at, output_message: '' });
  },
};

/** Celery's view of a job for `…/status/` (nulls before the worker took it). */
function celeryMeta(job: StoredRecord): Record<string, unknown> {
  if (job.status === 'FINISHED') {
    const failed = failure(job);
    const traceback = failed
      ? `Traceback (most recent call last):\n  File "${String(job.command)}.py", line 40, in handle\n    raise Exception(${JSON.stringify(failed)})\nException: ${failed}\n`
      : null;
    return { date_done: job.end_time, status: failed ? 'FAILURE' : 'SUCCESS', traceback, worker: 'celery@geostub' };
  }
  if (job.status === 'STARTED')
    return { date_done: null, status: 'STARTED', traceback: null, worker: 'celery@geostub' };
  return { date_done: null, status: null, traceback: null, worker: null };
}

/** `GET /management/commands/`. */
export const managementCommands: Behaviour = (req) => {
  requireAdmin(req);
  return ok(Object.keys(MANAGEMENT_COMMANDS));
};

/** `GET /management/commands/{cmd_name}/`: the command's help text. */
export const managementCommand: Behaviour = (req) => {
  requireAdmin(req);
  const name = param(req, 'cmd_name', 'command', 'name');
  const c = Object.hasOwn(MANAGEMENT_COMMANDS, name) ? MANAGEMENT_COMMANDS[name] : undefined;
  if (!c) throw apiError('managementNotFound');
  return ok(helpText(name, c));
};

/** A JSONField value: JSON text in a form body, the value itself in a JSON body. */
function jsonField(v: unknown, form: boolean): { value: unknown; bad?: boolean } {
  if (!form || typeof v !== 'string') return { value: v };
  try {
    return { value: JSON.parse(v) as unknown };
  } catch {
    return { value: v, bad: true };
  }
}

/** `POST /management/commands/[{cmd_name}/[jobs/]]` and `POST /management/jobs/`: 201 with the job. */
export const managementJobCreate: Behaviour = async (req, env) => {
  const user = requireAdmin(req);
  const body = isObject(req.body) ? req.body : {};
  const fromPath = param(req, 'cmd_name', 'command');
  const command = 'command' in body ? body.command : fromPath || null;
  if (command === null || command === undefined) throw apiError('invalid', 'This field may not be null.');
  if (typeof command === 'string' && command.trim() === '') throw apiError('invalid', 'This field may not be blank.');
  const name = String(command);
  if (!Object.hasOwn(MANAGEMENT_COMMANDS, name)) throw apiError('invalid', 'Command not found');
  const form = /form/i.test(req.headers['content-type'] ?? '');
  const args = jsonField(body.args ?? [], form);
  if (args.bad) throw apiError('invalid', 'Value must be valid JSON.');
  if (!Array.isArray(args.value)) throw apiError('invalid', 'args must be a list');
  if (args.value.includes('--help')) throw apiError('invalid', 'Forbidden argument: "--help"');
  const kwargs = jsonField(body.kwargs ?? {}, form);
  if (kwargs.bad) throw apiError('invalid', 'Value must be valid JSON.');
  if (!isObject(kwargs.value)) throw apiError('invalid', 'kwargs must be a dict');
  const autostart = body.autostart === undefined ? true : drfBool(body.autostart);
  if (autostart === undefined) throw apiError('invalid', 'Must be a valid boolean.');
  const job = env.store.collection('management_jobs').insert({
    command: name,
    app_name: MANAGEMENT_COMMANDS[name].app,
    user: user.pk,
    status: 'CREATED',
    created_at: env.now(),
    start_time: null,
    end_time: null,
    args: args.value,
    kwargs: kwargs.value,
    celery_result_id: null,
    output_message: null,
  });
  if (autostart) startJob(job);
  env.store.collection('management_jobs').update(job.id, {}); // a changed record: cached renderings are stale
  const shown = render(req, env, job);
  if (autostart)
    launchJob(env, MANAGEMENT_JOB, job, { since: String(job.created_at), fail: failureRequested(req, body) });
  await env.persist();
  return ok(shown, 201);
};

/** `GET /management/jobs/` and `/management/commands/{cmd_name}/jobs/`: paginated, newest first, key `data`. */
export const managementJobs: Behaviour = (req, env) => {
  requireAdmin(req);
  const cmd = param(req, 'cmd_name', 'command');
  const jobs = env.store
    .collection('management_jobs')
    .list()
    .filter((j) => !cmd || j.command === cmd)
    .sort((a, b) => Number(b.id) - Number(a.id));
  return json(
    200,
    pageEnvelope(req, jobs, 'data', (j) => render(req, env, j, true)),
  );
};

/** The job a detail URL names (and, under `/commands/{cmd_name}/`, of that command), else 404. */
function findJob(req: BehaviourRequest, env: Env): StoredRecord {
  const raw = param(req, 'id', 'job_id', 'pk');
  const job = /^\d{1,15}$/.test(raw) ? env.store.collection('management_jobs').get(Number(raw)) : undefined;
  const cmd = param(req, 'cmd_name', 'command');
  if (!job || (cmd && job.command !== cmd)) throw apiError('notFound');
  return job;
}

export const managementJob: Behaviour = (req, env) => {
  requireAdmin(req);
  return json(200, render(req, env, findJob(req, env)));
};

/** The unbound job serializer GeoNode returns next to a refused start (its writable fields, blank). */
const EMPTY_JOB_FORM = {
  command: '',
  app_name: '',
  user: null,
  status: null,
  start_time: null,
  end_time: null,
  args: null,
  kwargs: null,
  celery_result_id: null,
  output_message: null,
};

/** `PATCH …/jobs/{id}/start/`: only a CREATED job starts. */
export const managementJobStart: Behaviour = async (req, env) => {
  requireAdmin(req);
  const job = findJob(req, env);
  if (job.status !== 'CREATED') {
    const error = `You can not start the job ${param(req, 'id', 'job_id', 'pk')} because its status is "${String(job.status)}".`;
    return json(400, { success: false, error, data: EMPTY_JOB_FORM });
  }
  startJob(job);
  env.store.collection('management_jobs').update(job.id, {});
  const shown = render(req, env, job);
  launchJob(env, MANAGEMENT_JOB, job, { fail: failureRequested(req, {}) });
  await env.persist();
  return ok(shown);
};

/** `PATCH …/jobs/{id}/stop/`: asks Celery to terminate the task; the job itself is unchanged. */
export const managementJobStop: Behaviour = (req, env) => {
  requireAdmin(req);
  return ok(render(req, env, findJob(req, env)));
};

/** `GET …/jobs/{id}/status/`: the job plus `celery_task_meta`. */
export const managementJobStatus: Behaviour = (req, env) => {
  requireAdmin(req);
  const job = findJob(req, env);
  return json(200, { ...render(req, env, job), celery_task_meta: celeryMeta(job) });
};
