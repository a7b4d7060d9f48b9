/**
 * A dataset's `featureinfo_custom_template` as GeoNode computes it on every read (FeatureInfoTemplateField,
 * GeoNode 4.4.3 layers/api/serializers.py:81-149): the custom template when one is in use, else HTML built from the
 * visible attributes in display order, else null. The markup (including the runs of spaces that Python's
 * backslash-continued string literals leave in it) is GeoNode's, so a front end that renders it sees the same.
 */
import type { StoredRecord } from '../../../store/index.js';

const GAP = ' '.repeat(29);
const WIDE_GAP = ' '.repeat(33);
const CENTRED = '<div class="col-xs-12" align="center" style="font-weight: bold; word-wrap: break-word;">';
const LABEL = '<div class="col-xs-6" style="font-weight: bold; word-wrap: break-word;">';
const VALUE = '<div class="col-xs-6" style="word-wrap: break-word;">';
const VIDEO_TYPES = new Set([
  'type_video_3gp',
  'type_video_flv',
  'type_video_mp4',
  'type_video_ogg',
  'type_video_webm',
  'type_video_youtube',
]);

const prop = (name: string) => `\${properties['${name}']}`;

function cell(type: string, attribute: string, label: string): string {
  const p = prop(attribute);
  if (type === 'type_href') return `${LABEL}${label}:</div>${GAP}${VALUE}<a href="${p}" target="_new">${p}</a></div>`;
  if (type === 'type_image') {
    return `${CENTRED}${GAP}<a href="${p}" target="_new"><img width="100%" height="auto" src="${p}" title="${label}" alt="${label}"/></a></div>`;
  }
  if (VIDEO_TYPES.has(type)) {
    if (type.includes('youtube'))
      return `${CENTRED}${WIDE_GAP}<iframe src="${p}" width="100%" height="360" frameborder="0" allowfullscreen></iframe></div>`;
    const mime = `video/${type.slice(11)}`;
    return `${CENTRED}${WIDE_GAP}<video width="100%" height="360" controls><source src="${p}" type="${mime}">Your browser does not support the video tag.</video></div>`;
  }
  if (type === 'type_audio') {
    return `${CENTRED}${GAP}<audio controls><source src="${p}" type="audio/mpeg">Your browser does not support the audio element.</audio></div>`;
  }
  if (type === 'type_iframe') {
    return `${CENTRED}${GAP}<iframe src="/proxy/?url=${p}" width="100%" height="360" frameborder="0" allowfullscreen></iframe></div>`;
  }
  if (type === 'type_property') return `${LABEL}${label}:</div>${GAP}${VALUE}${p}</div>`;
  return ''; // an unknown type adds an empty row, as GeoNode's if/elif chain does
}

export function featureInfoTemplate(dataset: StoredRecord): string | null {
  const custom = dataset.featureinfo_custom_template;
  // geostub keeps no separate `use_featureinfo_custom_template` flag unless a record sets it: a stored template is in use
  if (dataset.use_featureinfo_custom_template !== false && typeof custom === 'string' && custom !== '') return custom;
  const attributes = Array.isArray(dataset.attribute_set) ? (dataset.attribute_set as StoredRecord[]) : [];
  const shown = attributes
    .filter((a) => a.visible === true)
    .sort((a, b) => Number(a.display_order) - Number(b.display_order));
  if (shown.length === 0) return null;
  let html = '<div style="overflow-x:hidden">';
  for (const a of shown) {
    const attribute = String(a.attribute);
    const label = typeof a.attribute_label === 'string' && a.attribute_label !== '' ? a.attribute_label : attribute;
    html += `<div class="row">${cell(String(a.featureinfo_type ?? 'type_property'), attribute, label)}</div>`;
  }
  return `${html}</div>`;
}
