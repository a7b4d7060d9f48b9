/**
 * What a generic create or update starts besides the write itself: for harvesters, GeoNode's status rules
 * (`harvesterPatchRules`, a 400 on violation, checked before anything changes) and the background work the change
 * asks for, started once the body is applied. Other collections: nothing.
 */
import type { BehaviourRequest, Env } from '../../../core/types.js';
import type { StoredRecord } from '../../../store/index.js';
import { failureRequested } from '../actions/common.js';
import { harvesterPatchRules } from '../actions/harvesting.js';
import { startHarvesterWork } from './harvesters.js';

/** Check a write before it happens; returns what to start after it (or undefined). `current` is null on create. */
export function beforeWrite(
  req: BehaviourRequest,
  env: Env,
  key: string,
  current: StoredRecord | null,
  body: unknown,
): ((rec: StoredRecord) => void) | undefined {
  if (key !== 'harvesters') return undefined;
  const { work } = harvesterPatchRules(current, body);
  const fail = failureRequested(req, {});
  return (rec) => startHarvesterWork(env, rec, work, fail);
}
