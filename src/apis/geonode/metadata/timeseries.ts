/**
 * `GET|PUT /datasets/{id}/timeseries` [5.x] (5.0.2 layers/api/views.py:198-296, DatasetTimeSeriesSerializer
 * layers/api/serializers.py:218-246): a vector dataset's time dimension. Any authenticated caller (the action's
 * permission classes are `[IsAuthenticated]` only). The choices of `attribute` / `end_attribute` are the pks of the
 * dataset's `xsd:dateTime` / `xsd:date` attributes (Dataset.get_choices, layers/models.py:177-180); a dataset with
 * none, or not a vector, does not support time. geostub keeps the time settings GeoServer would hold in the
 * internal field `time_info` of the dataset record (no contract schema lists it).
 */
import { apiError } from '../../../core/errors.js';
import { json, type Behaviour } from '../../../core/types.js';
import type { StoredRecord } from '../../../store/index.js';
import { drfBool, isObject, param } from '../actions/common.js';
import { requireUser } from '../context.js';

type Obj = Record<string, unknown>;
const PRESENTATIONS = ['LIST', 'DISCRETE_INTERVAL', 'CONTINUOUS_INTERVAL'];
const STEPS = ['years', 'months', 'days', 'hours', 'minutes', 'seconds'];

function timeChoices(ds: StoredRecord): number[] {
  return ((ds.attribute_set as Obj[] | undefined) ?? [])
    .filter((a) => a.attribute_type === 'xsd:dateTime' || a.attribute_type === 'xsd:date')
    .map((a) => Number(a.pk));
}

/** `ChoiceField` input: null/'' → null, else a choice (DRF compares the text of the value). */
function choice(v: unknown, choices: readonly (string | number)[], field: string): string | number | null {
  if (v === undefined || v === null || v === '') return null;
  const found = choices.find((c) => String(c) === String(v));
  if (found === undefined) throw apiError('invalid', `${field}: "${String(v)}" is not a valid choice.`);
  return found;
}

export const timeseries: Behaviour = async (req, env) => {
  requireUser(req);
  const raw = param(req, 'id', 'pk');
  const ds = /^\d{1,15}$/.test(raw) ? env.store.collection('resources').get(String(Number(raw))) : undefined;
  if (!ds || ds.resource_type !== 'dataset') throw apiError('notFound');
  const choices = timeChoices(ds);
  const vector = ds.subtype === 'vector' || ds.subtype === 'vector_time';
  if (!vector || !choices.length)
    return json(200, { message: 'The time dimension is not supported for this dataset.' });
  const stored = isObject(ds.time_info) ? ds.time_info : undefined;
  if (req.method === 'GET') {
    const info =
      stored ??
      (ds.has_time === true
        ? { attribute: choices[0], presentation: 'LIST', precision_value: null, precision_step: 'seconds' }
        : undefined);
    if (ds.has_time !== true || !info) return json(404, { message: 'No time information available.' });
    return json(200, {
      has_time: true,
      attribute: info.attribute ?? null,
      end_attribute: info.end_attribute ?? null,
      presentation: info.presentation ?? 'LIST',
      ...(info.precision_value !== undefined ? { precision_value: info.precision_value } : {}),
      precision_step: info.precision_step ?? 'seconds',
    });
  }
  const body: Obj = isObject(req.body) ? req.body : {};
  const hasTime = body.has_time === undefined ? false : drfBool(body.has_time);
  if (hasTime === undefined) throw apiError('invalid', 'has_time: Must be a valid boolean.');
  const attribute = choice(body.attribute, choices, 'attribute');
  const endAttribute = choice(body.end_attribute, choices, 'end_attribute');
  const presentation =
    body.presentation === undefined ? 'LIST' : choice(body.presentation, PRESENTATIONS, 'presentation');
  const step = body.precision_step === undefined ? 'seconds' : choice(body.precision_step, STEPS, 'precision_step');
  let precision: number | null = null;
  if (body.precision_value !== undefined && body.precision_value !== null && body.precision_value !== '') {
    if (!/^\s*-?\d+\s*$/.test(String(body.precision_value)))
      throw apiError('invalid', 'precision_value: A valid integer is required.');
    precision = Number(body.precision_value);
  }
  if (!hasTime) {
    env.store.collection('resources').update(ds.pk, { has_time: false });
    await env.persist();
    return json(200, { message: 'The time dimension information for this layer was disabled' });
  }
  if (attribute === null && endAttribute === null)
    return json(200, { message: 'Please select at least one option between the attribute and end_attribute' });
  env.store.collection('resources').update(ds.pk, {
    has_time: true,
    time_info: {
      attribute,
      end_attribute: endAttribute,
      presentation,
      precision_value: precision,
      precision_step: step,
    },
  });
  await env.persist();
  return json(200, { message: 'the time information data was updated successfully' });
};
