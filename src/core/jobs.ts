/**
 * Jobs on the virtual clock. A job is a stored record (an execution request, a management job, a harvester…) that
 * carries its bookkeeping in the internal field `geostub_job` (`{kind, due, at, fail}`; no contract schema lists
 * it, so it is never rendered). Each kind knows how to move its records one step; the scheduler calls `step` when
 * a record's due time has passed on the clock, stamping the step with that due time.
 *
 * Due work runs lazily (`runDue`, called on every request) and by one unref'd timer, so nothing keeps the process
 * alive; `close()` stops the timer. Because the bookkeeping is stored, `load()` picks every unfinished job up again
 * after a restart (or ends it as failed, with the reason, when it cannot go on).
 */
import type { Env, JobBook, JobKind, JobRunner, JobStart } from './types.js';
import type { StoredRecord } from '../store/index.js';
import { Clock, isoAt, msOf, Schedule } from './clock.js';

export const JOB_FIELD = 'geostub_job';

export type { JobBook, JobKind, JobStart } from './types.js';

export const bookOf = (rec: StoredRecord): JobBook | undefined => {
  const b = rec[JOB_FIELD];
  return b && typeof b === 'object' && !Array.isArray(b) ? (b as JobBook) : undefined;
};

/**
 * Start a job: on the server's scheduler when there is one, else (behaviours called without a server) run it to
 * its end at once.
 */
export function launchJob(env: Env, kind: JobKind, rec: StoredRecord, start: JobStart = {}): void {
  if (env.jobs) return env.jobs.start(kind, rec, start);
  const book: JobBook = { kind: kind.name, due: null, at: env.now(), ...(start.fail ? { fail: true } : {}) };
  env.store.collection(kind.collection).update(idOf(env, kind, rec), { [JOB_FIELD]: book });
  for (let i = 0; i < 10_000 && kind.step(env, rec, env.now(), book, 0) !== null; i++);
}

const idOf = (env: Env, kind: JobKind, rec: StoredRecord) => rec[env.store.collection(kind.collection).idField];

export class JobScheduler implements JobRunner {
  private readonly schedule = new Schedule();
  private readonly kinds = new Map<string, JobKind>();
  private timer: NodeJS.Timeout | undefined;
  /** the due time the timer is set for */
  private armedAt: number | undefined;
  private closed = false;

  constructor(
    private readonly env: Env,
    kinds: JobKind[],
    /** ms per step; 0 = every job runs to its end before the request that started it is answered */
    readonly stepMs: number,
    readonly clock: Clock = new Clock(),
    /** called after work ran outside a job's own request (persist) */
    private readonly onWork: () => void = () => {},
  ) {
    for (const k of kinds) this.kinds.set(k.collection, k);
  }

  get pending(): number {
    return this.schedule.size;
  }

  /** The jobs waiting for their next step, earliest first. */
  list(): { collection: string; id: string; kind: string; due: string }[] {
    return this.schedule.list().map(({ key, at }) => {
      const [collection, id] = key.split('\u0000');
      return { collection, id, kind: this.kinds.get(collection)?.name ?? collection, due: isoAt(at) };
    });
  }

  start(kind: JobKind, rec: StoredRecord, start: JobStart = {}): void {
    this.kinds.set(kind.collection, kind);
    const now = this.clock.now();
    const since = Math.min(now, msOf(start.since) || now);
    const due = since + Math.max(0, start.delay ?? this.stepMs);
    const book: JobBook = { kind: kind.name, due: isoAt(due), at: isoAt(now), ...(start.fail ? { fail: true } : {}) };
    const id = idOf(this.env, kind, rec);
    this.env.store.collection(kind.collection).update(id, { [JOB_FIELD]: book });
    this.schedule.set(`${kind.collection}\u0000${String(id)}`, due);
    this.runDue();
  }

  /** Run every step whose due time has passed; returns how many ran. */
  runDue(): number {
    let ran = 0;
    for (
      let next = this.schedule.first();
      next && next.at <= this.clock.now() && ran < 100_000;
      next = this.schedule.first()
    ) {
      this.runOne(next.key, next.at);
      ran++;
    }
    if (ran > 0 || this.schedule.first()?.at !== this.armedAt) this.arm(); // a request with nothing due costs nothing
    return ran;
  }

  /** `runDue` outside a job's own request (on a request, from the timer): persists when anything ran. */
  pump(): number {
    const ran = this.runDue();
    if (ran > 0) this.onWork();
    return ran;
  }

  /** Move the clock forward and run what became due. */
  advance(ms: number): number {
    this.clock.advance(ms);
    const ran = this.runDue();
    this.arm(); // the next step is nearer now
    return ran;
  }

  /** Run every job to its end, moving the clock to each step's due time. */
  settle(): number {
    let ran = 0;
    for (let next = this.schedule.first(); next && ran < 100_000; next = this.schedule.first()) {
      this.clock.catchUp(next.at);
      ran += this.runDue();
    }
    return ran;
  }

  private runOne(key: string, dueMs: number): void {
    this.schedule.delete(key);
    const [collection, id] = key.split('\u0000');
    const kind = this.kinds.get(collection);
    const coll = this.env.store.collection(collection);
    const rec = coll.get(id);
    const book = rec && bookOf(rec);
    if (!kind || !rec || !book || book.due === null) return; // deleted or reset meanwhile
    const at = isoAt(dueMs);
    let delay: number | null;
    try {
      delay = kind.step(this.env, rec, at, book, this.stepMs);
    } catch (err) {
      const reason = `geostub could not run this job: ${err instanceof Error ? err.message : String(err)}`;
      kind.abandon(this.env, rec, reason, at);
      book.error = reason;
      delay = null;
    }
    const next = delay === null ? null : dueMs + Math.max(0, delay);
    coll.update(id, { [JOB_FIELD]: { ...book, due: next === null ? null : isoAt(next), at } });
    if (next !== null) this.schedule.set(key, next);
  }

  /**
   * Pick up the stored jobs (at start and after a reset): unfinished ones resume at their stored due times; one
   * whose bookkeeping is unusable ends as failed with the reason. The clock never runs behind a job's last step.
   */
  load(): { resumed: number; failed: number } {
    this.schedule.clear();
    let resumed = 0;
    let failed = 0;
    const now = isoAt(this.clock.now());
    for (const kind of this.kinds.values()) {
      const coll = this.env.store.collection(kind.collection);
      for (const rec of coll.list()) {
        const book = bookOf(rec);
        if (!book || book.due === null) continue;
        const id = rec[coll.idField];
        if (!kind.pending(rec)) {
          coll.update(id, { [JOB_FIELD]: { ...book, due: null } });
          continue;
        }
        const due = msOf(book.due);
        if (Number.isNaN(due)) {
          const reason = `geostub could not resume this job after a restart: its stored due time ${JSON.stringify(book.due)} is not a time`;
          kind.abandon(this.env, rec, reason, now);
          coll.update(id, { [JOB_FIELD]: { ...book, due: null, at: now, error: reason } });
          failed++;
          continue;
        }
        this.clock.catchUp(msOf(book.at));
        this.schedule.set(`${kind.collection}\u0000${String(id)}`, due);
        resumed++;
      }
    }
    this.arm();
    return { resumed, failed };
  }

  /** Forget every scheduled step and follow real time again, then pick up the (reset) store's jobs. */
  reset(): void {
    this.clock.reset();
    this.load();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One unref'd timer for the earliest due step (it never keeps the process alive). */
  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const next = this.schedule.first();
    this.armedAt = next?.at;
    if (this.closed || !next) return;
    const wait = Math.min(Math.max(0, next.at - this.clock.now()), 2 ** 31 - 1);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.armedAt = undefined;
      if (!this.closed) this.pump();
    }, wait);
    this.timer.unref();
  }
}
