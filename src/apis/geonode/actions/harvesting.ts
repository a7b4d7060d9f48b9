/**
 * Harvesting: the harvestable-resources list and batch PATCH (`geonode/harvesting/api/views.py:70-87`,
 * `geonode/harvesting/api/mixins.py:28-42` (4.4.3)), and the status rules of a harvester create or update
 * (`geonode/harvesting/api/serializers.py:153-228` (4.4.3)) (`harvesterPatchRules`, called by the generic writes
 * through lifecycles/hooks.ts). The background work a status starts runs on the server's clock:
 * lifecycles/harvesters.ts.
 *
 * Sequence for the harvester update: `harvesterPatchRules(current, body)` (throws the GeoNode 400) → apply the body →
 * `startHarvesterWork` (busy status + session, or `regenerateHarvestableResources` when the plan says so) → render
 * the 200 `{"harvester": …}` (it shows the busy status, as GeoNode's does) → persist.
 */
import { apiError } from '../../../core/errors.js';
import { json, type Behaviour } from '../../../core/types.js';
import type { Store, StoredRecord } from '../../../store/index.js';
import { drfBool, isObject, param } from './common.js';
import { renderContext } from '../context.js';
import { pageEnvelope } from '../reading/read.js';
import { renderRecord } from '../rendering/render.js';

export const HARVESTER_STATUSES = [
  'ready',
  'updating-harvestable-resources',
  'aborting-update-harvestable-resources',
  'harvesting-resources',
  'aborting-harvesting-resources',
  'checking-availability',
] as const;

const WORKERS = [
  'geonode.harvesting.harvesters.geonodeharvester.GeonodeUnifiedHarvesterWorker',
  'geonode.harvesting.harvesters.wms.OgcWmsHarvester',
  'geonode.harvesting.harvesters.arcgis.ArcgisHarvesterWorker',
];
const CONFIG = 'harvester_type_specific_configuration';

/** Python's type name of a JSON value (DRF's error texts use it). */
function pyType(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  return 'dict';
}

const truthy = (v: unknown) =>
  !!v && (!isObject(v) || Object.keys(v).length > 0) && (!Array.isArray(v) || v.length > 0);

export type HarvesterWork =
  | 'none'
  | 'update-harvestable-resources'
  | 'harvest'
  | 'check-availability'
  | 'abort'
  | 'regenerate-harvestable-resources';

/**
 * GeoNode's rules for a harvester create (`harvester` null) or update body, in GeoNode's order; throws the 400
 * GeoNode body on a violation, else says what background work the change starts.
 */
export function harvesterPatchRules(harvester: StoredRecord | null, body: unknown): { work: HarvesterWork } {
  const data = isObject(body) ? body : {};
  const status = data.status;
  if (status !== undefined && status !== null && !(HARVESTER_STATUSES as readonly unknown[]).includes(status)) {
    throw apiError('invalid', `"${String(status)}" is not a valid choice.`);
  }
  const type = data.harvester_type ?? harvester?.harvester_type;
  if (data.harvester_type !== undefined && !WORKERS.includes(String(data.harvester_type))) {
    throw apiError('invalid', `"${String(data.harvester_type)}" is not a valid choice.`);
  }
  const config = data[CONFIG] !== undefined ? data[CONFIG] : harvester?.[CONFIG];
  if (type !== undefined && type !== null && config !== undefined && config !== null && !isObject(config)) {
    throw apiError('invalid', `Invalid '${CONFIG}' configuration`);
  }
  if (truthy(status) && truthy(data[CONFIG])) {
    throw apiError('invalid', `Cannot update a harvester's 'status' and '${CONFIG}' at the same time`);
  }
  if (!harvester) {
    if (status !== undefined && status !== null && status !== 'ready') {
      throw apiError(
        'invalid',
        `Invalid initial value for status: '${String(status)}'. Either omit it or provide a value of 'ready'`,
      );
    }
    return { work: 'update-harvestable-resources' }; // a reachable remote is discovered right after creation
  }
  if (harvester.status !== 'ready')
    throw apiError('invalid', "Harvester is currently busy. Please wait until current status becomes 'ready'");
  if (status === 'ready') {
    throw apiError(
      'invalid',
      "Cannot set a status of 'ready' explicitly. This status can only be set by the server, when appropriate.",
    );
  }
  switch (status) {
    case 'updating-harvestable-resources':
      return { work: 'update-harvestable-resources' };
    case 'harvesting-resources':
      return { work: 'harvest' };
    case 'checking-availability':
      return { work: 'check-availability' };
    case 'aborting-update-harvestable-resources':
    case 'aborting-harvesting-resources':
      return { work: 'abort' };
  }
  const changed = data[CONFIG] !== undefined && JSON.stringify(data[CONFIG]) !== JSON.stringify(harvester[CONFIG]);
  return { work: changed ? 'regenerate-harvestable-resources' : 'none' };
}

/** A changed worker configuration: the harvestable resources are listed again, with the harvester's default choice. */
export function regenerateHarvestableResources(store: Store, harvester: StoredRecord, now: string): void {
  const coll = store.collection('harvestable_resources');
  for (const r of coll.list().filter((x) => x.harvester === harvester.id)) {
    coll.update(r.id, {
      should_be_harvested: harvester.harvest_new_resources_by_default === true,
      status: 'ready',
      last_updated: now,
    });
  }
  store.collection('harvesters').update(harvester.id, { last_checked_harvestable_resources: now, last_updated: now });
}

/**
 * `GET|PATCH /api/v2/harvesters/{harvester_id}/harvestable-resources/` (no permission class: anyone). An unknown
 * harvester is a 404 and an unknown `unique_identifier` a 400 naming it (GeoNode: 500 for both).
 */
export const harvestableResources: Behaviour = async (req, env) => {
  const raw = param(req, 'harvester_id', 'id');
  const harvester = /^\d{1,15}$/.test(raw) ? env.store.collection('harvesters').get(Number(raw)) : undefined;
  if (!harvester) throw apiError('notFound');
  const ctx = renderContext(req, env);
  const render = (r: StoredRecord) => renderRecord('harvestable_resources', r, ctx, { listItem: true });
  const coll = env.store.collection('harvestable_resources');
  const mine = coll
    .list()
    .filter((r) => r.harvester === harvester.id)
    .sort((a, b) => Number(a.id) - Number(b.id));
  if (req.method === 'GET') return json(200, pageEnvelope(req, mine, 'harvestable_resources', render));
  const body =
    isObject(req.body) && Array.isArray(req.body.harvestable_resources) ? req.body.harvestable_resources : req.body;
  if (!Array.isArray(body)) throw apiError('invalid', `Expected a list of items but got type "${pyType(body)}".`);
  const changes: { rec: StoredRecord; value: boolean }[] = [];
  for (const item of body) {
    if (!isObject(item)) throw apiError('invalid', `Invalid data. Expected a dictionary, but got ${pyType(item)}.`);
    const uid = item.unique_identifier;
    if (uid === undefined) throw apiError('invalid', 'This field is required.');
    if (uid === null) throw apiError('invalid', 'This field may not be null.');
    if (String(uid).trim() === '') throw apiError('invalid', 'This field may not be blank.');
    if (item.should_be_harvested === undefined) throw apiError('invalid', 'This field is required.');
    const value = drfBool(item.should_be_harvested);
    if (value === undefined) throw apiError('invalid', 'Must be a valid boolean.');
    const rec = mine.find((r) => r.unique_identifier === String(uid));
    if (!rec)
      throw apiError(
        'invalid',
        `Harvester ${String(harvester.id)} has no harvestable resource with unique_identifier "${String(uid)}".`,
      );
    changes.push({ rec, value });
  }
  for (const { rec, value } of changes) coll.update(rec.id, { should_be_harvested: value });
  await env.persist();
  return json(200, { harvestable_resources: changes.map(({ rec }) => render(rec)) });
};
