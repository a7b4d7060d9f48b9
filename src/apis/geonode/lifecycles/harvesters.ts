/**
 * The background work of a busy harvester (statuses: `geonode/harvesting/models.py:42-58,294-321,394-413` (4.4.3)),
 * on the server's clock (`HARVESTER_JOB`). A discovery
 * (`updating-harvestable-resources`) or a harvest (`harvesting-resources`) runs a harvesting session whose
 * `records_done` rises, a quarter of `total_records_to_process` per step, while the records it works on show
 * `updating-harvestable-resource` / `harvesting-resource`; a check (`checking-availability`) or an abort takes one
 * step. When the work ends the harvester is `ready` again. The session's `status` (not exposed by the API) ends
 * `finished-all-ok`, `finished-all-failed` (a failure on purpose) or `aborted`.
 */
import { launchJob, type JobKind } from '../../../core/jobs.js';
import type { Env } from '../../../core/types.js';
import type { Store, StoredRecord } from '../../../store/index.js';
import { FAIL_ON_PURPOSE } from './executions.js';
import { regenerateHarvestableResources, type HarvesterWork } from '../actions/harvesting.js';

const BUSY: Partial<Record<HarvesterWork, string>> = {
  'update-harvestable-resources': 'updating-harvestable-resources',
  harvest: 'harvesting-resources',
  'check-availability': 'checking-availability',
};

const sessionType = (status: string) =>
  status === 'harvesting-resources' ? 'harvesting' : 'discover-harvestable-resources';

/** The records a session of this harvester works on, in id order. */
function recordsOf(store: Store, harvester: StoredRecord, harvesting: boolean): StoredRecord[] {
  return store
    .collection('harvestable_resources')
    .list()
    .filter((r) => r.harvester === harvester.id && (!harvesting || r.should_be_harvested === true))
    .sort((a, b) => Number(a.id) - Number(b.id));
}

function openSession(store: Store, harvester: StoredRecord, type: string): StoredRecord | undefined {
  return store
    .collection('harvesting_sessions')
    .list()
    .find(
      (s) =>
        s.harvester === harvester.id && s.session_type === type && (s.status === 'on-going' || s.status === 'pending'),
    );
}

/** Open the session of a discovery or a harvest: `records_done` 0, its records marked as being worked on. */
function beginSession(store: Store, harvester: StoredRecord, now: string): StoredRecord {
  const harvesting = harvester.status === 'harvesting-resources';
  const records = recordsOf(store, harvester, harvesting);
  const working = harvesting ? 'harvesting-resource' : 'updating-harvestable-resource';
  for (const r of records) store.collection('harvestable_resources').update(r.id, { status: working });
  const session = store.collection('harvesting_sessions').insert({
    harvester: harvester.id,
    started: now,
    updated: now,
    ended: null,
    total_records_to_process: records.length,
    records_done: 0,
    status: 'on-going',
    session_type: sessionType(String(harvester.status)),
  });
  store.collection('harvesters').update(harvester.id, { geostub_session: session.id }); // internal: the session this work runs
  return session;
}

/** The session the current work runs: the one it opened, else an open one of its type, else a new one. */
function currentSession(store: Store, harvester: StoredRecord, status: string, now: string): StoredRecord {
  const mine = store.collection('harvesting_sessions').get(harvester.geostub_session);
  if (mine && mine.ended === null && mine.session_type === sessionType(status)) return mine;
  return openSession(store, harvester, sessionType(status)) ?? beginSession(store, harvester, now);
}

/**
 * One step of a busy harvester's work; returns false when it is `ready` (nothing to do). `fail` ends the work as
 * failed on purpose.
 */
export function advanceHarvester(store: Store, harvester: StoredRecord, now: string, fail?: boolean): boolean {
  const status = String(harvester.status);
  if (status === 'ready') return false;
  const sessions = store.collection('harvesting_sessions');
  const changes: StoredRecord = { status: 'ready', last_updated: now };
  if (status.startsWith('aborting')) {
    for (const s of sessions
      .list()
      .filter((x) => x.harvester === harvester.id && (x.status === 'on-going' || x.status === 'pending'))) {
      sessions.update(s.id, { status: 'aborted', ended: now, updated: now });
    }
    for (const r of recordsOf(store, harvester, false))
      if (r.status !== 'ready') store.collection('harvestable_resources').update(r.id, { status: 'ready' });
  } else if (status === 'checking-availability') {
    Object.assign(changes, { last_checked_availability: now, remote_available: !fail });
  } else {
    const harvesting = status === 'harvesting-resources';
    const session = currentSession(store, harvester, status, now);
    const records = recordsOf(store, harvester, harvesting);
    const total = Number(session.total_records_to_process) || 0;
    const done = Math.min(total, Number(session.records_done) + Math.max(1, Math.ceil(total / 4)));
    for (const r of records.slice(Number(session.records_done), done)) {
      store
        .collection('harvestable_resources')
        .update(r.id, { status: 'ready', ...(fail ? {} : { last_updated: now }) });
    }
    sessions.update(session.id, { records_done: done, updated: now });
    if (done < total) {
      store.collection('harvesters').update(harvester.id, {});
      return true;
    }
    sessions.update(session.id, { ended: now, status: fail ? 'finished-all-failed' : 'finished-all-ok' });
    for (const r of records)
      if (r.status !== 'ready') store.collection('harvestable_resources').update(r.id, { status: 'ready' });
    if (!harvesting)
      Object.assign(changes, {
        last_checked_harvestable_resources: now,
        last_check_harvestable_resources_message: fail ? FAIL_ON_PURPOSE : '',
      });
  }
  store.collection('harvesters').update(harvester.id, changes);
  return true;
}

/** Busy harvesters on the server's clock: one step per job duration. */
export const HARVESTER_JOB: JobKind = {
  name: 'harvester',
  collection: 'harvesters',
  pending: (h) => h.status !== 'ready',
  step(env, h, at, book, stepMs) {
    advanceHarvester(env.store, h, at, book.fail === true);
    return h.status === 'ready' ? null : stepMs;
  },
  abandon(env, h, reason, at) {
    const sessions = env.store.collection('harvesting_sessions');
    for (const s of sessions
      .list()
      .filter((x) => x.harvester === h.id && (x.status === 'on-going' || x.status === 'pending'))) {
      sessions.update(s.id, { status: 'finished-all-failed', ended: at, updated: at });
    }
    for (const r of recordsOf(env.store, h, false))
      if (r.status !== 'ready') env.store.collection('harvestable_resources').update(r.id, { status: 'ready' });
    env.store
      .collection('harvesters')
      .update(h.id, { status: 'ready', last_updated: at, last_check_harvestable_resources_message: reason });
  },
};

/**
 * Start what a harvester create or update asked for (`harvesterPatchRules`' plan), after the body was applied:
 * the busy status and its session now, the work on the clock.
 */
export function startHarvesterWork(env: Env, harvester: StoredRecord, work: HarvesterWork, fail: boolean): void {
  const now = env.now();
  if (work === 'none') return;
  if (work === 'regenerate-harvestable-resources') return regenerateHarvestableResources(env.store, harvester, now);
  const busy = BUSY[work];
  if (busy) env.store.collection('harvesters').update(harvester.id, { status: busy, last_updated: now });
  if (busy && busy !== 'checking-availability') beginSession(env.store, harvester, now);
  launchJob(env, HARVESTER_JOB, harvester, { fail });
}
