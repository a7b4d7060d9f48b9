/**
 * GeoNode 5's metadata editor API (5.0.2 `geonode/metadata/`), part 1: the JSON schema the editor renders (part 2,
 * `instance.ts`: a resource read in that schema's shape and its PUT/PATCH; part 3,
 * `autocomplete.ts`: the editor's autocompletes).
 *
 * - The schema is what `MetadataManager.build_schema` (metadata/manager.py:57-77) assembles from the handlers of
 *   `METADATA_HANDLERS` (metadata/settings.py): the base fields of `schemas/base.json` with their sub-handlers
 *   (handlers/base.py: category/license autocompletes, date_type, language, frequency and restriction choices),
 *   regions after attribution (handlers/region.py), doi after edition (handlers/doi.py), the thesauri
 *   (handlers/thesaurus.py), hkeywords after tkeywords (handlers/hkeyword.py), linkedresources
 *   (handlers/linkedresource.py) and contacts by role (handlers/contact.py, people/__init__.py Roles).
 *   `required` lists the properties marked `geonode:required`. Choice lists are shortened to a reasonable size.
 * - PUT validates the whole instance against the schema, PATCH only the properties it sends
 *   (`update_schema_instance_partial` stores only the payload's fields); a refused field answers 422
 *   `{"message": "Some errors were found while updating the resource", "extraErrors": {field: {"__errors": [..]}}}`
 *   (metadata/api/views.py:137-152, handlers/abstract.py `_set_error`). GeoNode stores the fields its handlers took
 *   and reports the others; geostub stores nothing when any field is refused.
 */
import type { Env } from '../../../core/types.js';
import { ROLES, FREQUENCIES, LANGUAGES, RESTRICTIONS, SPATIAL_TYPES } from './vocabularies.js';

export type Obj = Record<string, unknown>;

export const AUTOCOMPLETE = '/api/v2/metadata/autocomplete';

const idLabel = (idTitle = 'id') => ({
  type: 'object',
  properties: { id: { type: 'string', title: idTitle }, label: { type: 'string', title: 'title' } },
});
const text = (title: string, maxLength: number | undefined, nullable: boolean, extra: Obj = {}): Obj => ({
  type: nullable ? ['string', 'null'] : 'string',
  title,
  ...(maxLength ? { maxLength } : {}),
  ...extra,
});
const textarea = { 'ui:options': { widget: 'textarea', rows: 5 } };

/** The thesauri of the store (`tkeywords`' embedded thesaurus), with the ids the autocomplete route takes. */
export function thesauri(env: Env): { id: number; slug: string; name: string; uri: string }[] {
  const out = new Map<string, { id: number; slug: string; name: string; uri: string }>();
  for (const k of env.store.collection('tkeywords').list()) {
    const t = k.thesaurus as Obj | undefined;
    if (!t || out.has(String(t.slug))) continue;
    out.set(String(t.slug), { id: out.size + 1, slug: String(t.slug), name: String(t.name), uri: String(t.uri ?? '') });
  }
  return [...out.values()];
}

/** `GET /api/v2/metadata/schema[/{pk}]`: the editor's JSON schema. */
export function metadataSchema(env: Env): Obj {
  const props: Obj = {
    uuid: { type: 'string', title: 'UUID', maxLength: 36, readOnly: true, 'geonode:handler': 'base' },
    title: text('Title', 255, false, {
      description: 'name by which the cited resource is known',
      'geonode:handler': 'base',
      'geonode:required': true,
    }),
    abstract: text('Abstract', 2000, false, {
      description: 'brief narrative summary of the content of the resource(s)',
      ...textarea,
      'geonode:handler': 'base',
      'geonode:required': true,
    }),
    date: { type: 'string', format: 'date-time', title: 'Date', 'geonode:required': true, 'geonode:handler': 'base' },
    date_type: {
      type: 'string',
      title: 'date type',
      maxLength: 255,
      'geonode:required': true,
      'geonode:handler': 'base',
      oneOf: ['Creation', 'Publication', 'Revision'].map((t) => ({ const: t.toLowerCase(), title: t })),
      default: 'Publication',
    },
    category: {
      ...idLabel(),
      required: ['id'],
      title: 'Category',
      'geonode:required': true,
      'geonode:handler': 'base',
      description:
        'high-level geographic data thematic classification to assist in the grouping and search of available geographic data sets.',
      'ui:options': { 'geonode-ui:autocomplete': `${AUTOCOMPLETE}/categories` },
    },
    language: {
      type: 'string',
      title: 'Language',
      description: 'language used within the dataset',
      maxLength: 16,
      'geonode:required': true,
      'geonode:handler': 'base',
      oneOf: LANGUAGES.map(([c, t]) => ({ const: c, title: t })),
    },
    license: {
      ...idLabel(),
      required: ['id'],
      title: 'License',
      description: 'license of the dataset',
      'geonode:required': true,
      'geonode:handler': 'base',
      'ui:options': { 'geonode-ui:autocomplete': `${AUTOCOMPLETE}/licenses` },
    },
    attribution: text('Attribution', 2048, true, { 'geonode:handler': 'base' }),
    regions: {
      type: 'array',
      title: 'Regions',
      description: 'keyword identifies a location',
      items: idLabel(),
      'geonode:handler': 'region',
      'ui:options': { 'geonode-ui:autocomplete': `${AUTOCOMPLETE}/regions` },
    },
    data_quality_statement: text('data quality statement', 2000, true, { ...textarea, 'geonode:handler': 'base' }),
    restriction_code_type: {
      type: 'string',
      title: 'restrictions',
      description: 'limitation(s) placed upon the access or use of the data.',
      maxLength: 255,
      'geonode:handler': 'base',
      oneOf: RESTRICTIONS.map((c) => ({ const: c, title: c })),
    },
    constraints_other: text('Other constraints', undefined, true, { ...textarea, 'geonode:handler': 'base' }),
    edition: text('edition', 255, true, { description: 'version of the cited resource', 'geonode:handler': 'base' }),
    doi: text('DOI', 255, true, {
      description: 'a DOI will be added by Admin before publication.',
      'geonode:handler': 'doi',
    }),
    purpose: text('purpose', 500, true, { ...textarea, 'geonode:handler': 'base' }),
    supplemental_information: text('supplemental information', 2000, true, {
      default: 'No information provided',
      ...textarea,
      'geonode:handler': 'base',
    }),
    temporal_extent_start: text('temporal extent start', undefined, true, {
      format: 'date-time',
      'geonode:handler': 'base',
    }),
    temporal_extent_end: text('temporal extent end', undefined, true, {
      format: 'date-time',
      'geonode:handler': 'base',
    }),
    maintenance_frequency: {
      type: 'string',
      title: 'maintenance frequency',
      maxLength: 255,
      'geonode:handler': 'base',
      description: 'frequency with which modifications and deletions are made to the data after it is first produced',
      oneOf: FREQUENCIES.map(([c, t]) => ({ const: c, title: t })),
    },
    spatial_representation_type: {
      type: 'string',
      title: 'spatial representation type',
      maxLength: 255,
      'geonode:handler': 'base',
      description: 'method used to represent geographic information in the dataset.',
      oneOf: SPATIAL_TYPES.map((c) => ({ const: c, title: c })),
    },
    tkeywords: {
      type: 'object',
      title: 'Keywords from Thesaurus',
      'geonode:handler': 'thesaurus',
      properties: Object.fromEntries(
        thesauri(env).map((t) => [
          t.slug,
          {
            type: 'array',
            title: t.name,
            items: idLabel(),
            'ui:options': { 'geonode-ui:autocomplete': `${AUTOCOMPLETE}/thesaurus/${t.id}/keywords` },
          },
        ]),
      ),
    },
    hkeywords: {
      type: 'array',
      title: 'Keywords',
      description: 'Hierarchical keywords',
      items: { type: 'string' },
      'geonode:handler': 'hkeyword',
      'ui:options': { 'geonode-ui:autocomplete': { url: `${AUTOCOMPLETE}/hkeywords`, creatable: true } },
    },
    linkedresources: {
      type: 'array',
      title: 'Related resources',
      description: 'Resources related to this one',
      items: idLabel(),
      'geonode:handler': 'linkedresource',
      'ui:options': { 'geonode-ui:autocomplete': `${AUTOCOMPLETE}/resources` },
    },
    contacts: {
      type: 'object',
      title: 'contacts',
      'geonode:handler': 'contact',
      'geonode:required': true,
      required: ROLES.filter((r) => r[2]).map((r) => r[0]),
      properties: Object.fromEntries(
        ROLES.map(([name, label, required, many]) => {
          const user = {
            type: 'object',
            properties: { id: { type: 'string', title: 'User id' }, label: { type: 'string', title: 'User name' } },
          };
          const auto = { 'ui:options': { 'geonode-ui:autocomplete': `${AUTOCOMPLETE}/users` } };
          return [
            name,
            many
              ? { type: 'array', title: label, minItems: required ? 1 : 0, items: user, ...auto }
              : { ...user, title: label, ...auto, required: required ? ['id'] : [] },
          ];
        }),
      ),
    },
  };
  const required = Object.entries(props)
    .filter(([, s]) => (s as Obj)['geonode:required'] === true)
    .map(([k]) => k);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: '/resource.json',
    title: 'GeoNode resource',
    type: 'object',
    properties: props,
    required,
  };
}

const userLabel = (u: Obj) => {
  const names = [u.first_name, u.last_name].filter((n) => typeof n === 'string' && n);
  return `${String(u.username)}${names.length ? ` (${names.join(' ')})` : ''}`;
};
export const userEntry = (u: Obj) => ({ id: String(u.pk), label: userLabel(u) });

/** A resource read in the schema's shape (`build_schema_instance`, metadata/manager.py:88-117). */
