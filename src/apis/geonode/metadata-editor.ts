/**
 * GeoNode 5's metadata editor API (5.0.2 `geonode/metadata/`): the JSON schema the editor renders, a resource read
 * in that schema's shape (the "instance"), its PUT/PATCH, and the editor's autocompletes.
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
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { json, type Behaviour, type BehaviourRequest, type Env } from '../../behaviours/types.js';
import type { StoredRecord } from '../../store/collection.js';
import { hasLevel, isObject } from './actions-common.js';
import { denied } from './actions-common.js';
import { isAdmin } from './context.js';
import { levelFor } from './permissions.js';

type Obj = Record<string, unknown>;
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const AUTOCOMPLETE = '/api/v2/metadata/autocomplete';

/** Roles in `Roles` order (people/__init__.py:36-46): property name, label, required, many, stored field. */
const ROLES: [name: string, label: string, required: boolean, many: boolean, field: string][] = [
  ['owner', 'Owner', true, false, 'owner'],
  ['author', 'Metadata Author', true, true, 'metadata_author'],
  ['processor', 'Processor', false, true, 'processor'],
  ['publisher', 'Publisher', false, true, 'publisher'],
  ['custodian', 'Custodian', false, true, 'custodian'],
  ['pointOfContact', 'Point of Contact', true, true, 'poc'],
  ['distributor', 'Distributor', false, true, 'distributor'],
  ['resource_user', 'Resource User', false, true, 'resource_user'],
  ['resource_provider', 'Resource Provider', false, true, 'resource_provider'],
  ['originator', 'Originator', false, true, 'originator'],
  ['principal_investigator', 'Principal Investigator', false, true, 'principal_investigator'],
];

/** base/enumerations.py UPDATE_FREQUENCIES. */
const FREQUENCIES: [string, string][] = [
  ['unknown', 'frequency of maintenance for the data is not known'],
  ['continual', 'data is repeatedly and frequently updated'],
  ['notPlanned', 'there are no plans to update the data'],
  ['daily', 'data is updated each day'],
  ['annually', 'data is updated every year'],
  ['asNeeded', 'data is updated as deemed necessary'],
  ['monthly', 'data is updated each month'],
  ['fortnightly', 'data is updated every two weeks'],
  ['irregular', 'data is updated in intervals that are uneven in duration'],
  ['weekly', 'data is updated on a weekly basis'],
  ['biannually', 'data is updated twice each year'],
  ['quarterly', 'data is updated every three months'],
];

/** A shortened ALL_LANGUAGES (base/enumerations.py): ISO 639-2 codes. */
const LANGUAGES: [string, string][] = [
  ['eng', 'English'], ['fre', 'French'], ['ger', 'German'], ['ita', 'Italian'], ['spa', 'Spanish'], ['por', 'Portuguese'],
  ['dut', 'Dutch'], ['swe', 'Swedish'], ['nor', 'Norwegian'], ['dan', 'Danish'], ['fin', 'Finnish'], ['pol', 'Polish'],
  ['cze', 'Czech'], ['gre', 'Greek'], ['rus', 'Russian'], ['ara', 'Arabic'], ['chi', 'Chinese'], ['jpn', 'Japanese'],
  ['kor', 'Korean'], ['hin', 'Hindi'], ['ind', 'Indonesian'], ['tur', 'Turkish'], ['ukr', 'Ukrainian'], ['vie', 'Vietnamese'],
  ['mao', 'Maori'], ['swa', 'Swahili'], ['amh', 'Amharic'], ['tgl', 'Tagalog'], ['per', 'Persian'], ['heb', 'Hebrew'],
];

/** RestrictionCodeType and SpatialRepresentationType fixtures (base/fixtures/initial_data.json), ISO 19115 codes. */
const RESTRICTIONS = ['copyright', 'intellectualPropertyRights', 'license', 'otherRestrictions', 'patent', 'patentPending', 'restricted', 'trademark'];
const SPATIAL_TYPES = ['grid', 'stereoModel', 'tin', 'textTable', 'vector', 'video'];

const idLabel = (idTitle = 'id') => ({ type: 'object', properties: { id: { type: 'string', title: idTitle }, label: { type: 'string', title: 'title' } } });
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
  for (const k of env.store.collection('tkeywords').all()) {
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
    title: text('Title', 255, false, { description: 'name by which the cited resource is known', 'geonode:handler': 'base', 'geonode:required': true }),
    abstract: text('Abstract', 2000, false, { description: 'brief narrative summary of the content of the resource(s)', ...textarea, 'geonode:handler': 'base', 'geonode:required': true }),
    date: { type: 'string', format: 'date-time', title: 'Date', 'geonode:required': true, 'geonode:handler': 'base' },
    date_type: {
      type: 'string', title: 'date type', maxLength: 255, 'geonode:required': true, 'geonode:handler': 'base',
      oneOf: ['Creation', 'Publication', 'Revision'].map((t) => ({ const: t.toLowerCase(), title: t })), default: 'Publication',
    },
    category: {
      ...idLabel(), required: ['id'], title: 'Category', 'geonode:required': true, 'geonode:handler': 'base',
      description: 'high-level geographic data thematic classification to assist in the grouping and search of available geographic data sets.',
      'ui:options': { 'geonode-ui:autocomplete': `${AUTOCOMPLETE}/categories` },
    },
    language: {
      type: 'string', title: 'Language', description: 'language used within the dataset', maxLength: 16, 'geonode:required': true, 'geonode:handler': 'base',
      oneOf: LANGUAGES.map(([c, t]) => ({ const: c, title: t })),
    },
    license: {
      ...idLabel(), required: ['id'], title: 'License', description: 'license of the dataset', 'geonode:required': true, 'geonode:handler': 'base',
      'ui:options': { 'geonode-ui:autocomplete': `${AUTOCOMPLETE}/licenses` },
    },
    attribution: text('Attribution', 2048, true, { 'geonode:handler': 'base' }),
    regions: {
      type: 'array', title: 'Regions', description: 'keyword identifies a location', items: idLabel(), 'geonode:handler': 'region',
      'ui:options': { 'geonode-ui:autocomplete': `${AUTOCOMPLETE}/regions` },
    },
    data_quality_statement: text('data quality statement', 2000, true, { ...textarea, 'geonode:handler': 'base' }),
    restriction_code_type: {
      type: 'string', title: 'restrictions', description: 'limitation(s) placed upon the access or use of the data.', maxLength: 255, 'geonode:handler': 'base',
      oneOf: RESTRICTIONS.map((c) => ({ const: c, title: c })),
    },
    constraints_other: text('Other constraints', undefined, true, { ...textarea, 'geonode:handler': 'base' }),
    edition: text('edition', 255, true, { description: 'version of the cited resource', 'geonode:handler': 'base' }),
    doi: text('DOI', 255, true, { description: 'a DOI will be added by Admin before publication.', 'geonode:handler': 'doi' }),
    purpose: text('purpose', 500, true, { ...textarea, 'geonode:handler': 'base' }),
    supplemental_information: text('supplemental information', 2000, true, { default: 'No information provided', ...textarea, 'geonode:handler': 'base' }),
    temporal_extent_start: text('temporal extent start', undefined, true, { format: 'date-time', 'geonode:handler': 'base' }),
    temporal_extent_end: text('temporal extent end', undefined, true, { format: 'date-time', 'geonode:handler': 'base' }),
    maintenance_frequency: {
      type: 'string', title: 'maintenance frequency', maxLength: 255, 'geonode:handler': 'base',
      description: 'frequency with which modifications and deletions are made to the data after it is first produced',
      oneOf: FREQUENCIES.map(([c, t]) => ({ const: c, title: t })),
    },
    spatial_representation_type: {
      type: 'string', title: 'spatial representation type', maxLength: 255, 'geonode:handler': 'base',
      description: 'method used to represent geographic information in the dataset.',
      oneOf: SPATIAL_TYPES.map((c) => ({ const: c, title: c })),
    },
    tkeywords: {
      type: 'object', title: 'Keywords from Thesaurus', 'geonode:handler': 'thesaurus',
      properties: Object.fromEntries(thesauri(env).map((t) => [t.slug, {
        type: 'array', title: t.name, items: idLabel(),
        'ui:options': { 'geonode-ui:autocomplete': `${AUTOCOMPLETE}/thesaurus/${t.id}/keywords` },
      }])),
    },
    hkeywords: {
      type: 'array', title: 'Keywords', description: 'Hierarchical keywords', items: { type: 'string' }, 'geonode:handler': 'hkeyword',
      'ui:options': { 'geonode-ui:autocomplete': { url: `${AUTOCOMPLETE}/hkeywords`, creatable: true } },
    },
    linkedresources: {
      type: 'array', title: 'Related resources', description: 'Resources related to this one', items: idLabel(), 'geonode:handler': 'linkedresource',
      'ui:options': { 'geonode-ui:autocomplete': `${AUTOCOMPLETE}/resources` },
    },
    contacts: {
      type: 'object', title: 'contacts', 'geonode:handler': 'contact', 'geonode:required': true,
      required: ROLES.filter((r) => r[2]).map((r) => r[0]),
      properties: Object.fromEntries(ROLES.map(([name, label, required, many]) => {
        const user = { type: 'object', properties: { id: { type: 'string', title: 'User id' }, label: { type: 'string', title: 'User name' } } };
        const auto = { 'ui:options': { 'geonode-ui:autocomplete': `${AUTOCOMPLETE}/users` } };
        return [name, many ? { type: 'array', title: label, minItems: required ? 1 : 0, items: user, ...auto } : { ...user, title: label, ...auto, required: required ? ['id'] : [] }];
      })),
    },
  };
  const required = Object.entries(props).filter(([, s]) => (s as Obj)['geonode:required'] === true).map(([k]) => k);
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', $id: '/resource.json', title: 'GeoNode resource', type: 'object', properties: props, required };
}

const userLabel = (u: Obj) => {
  const names = [u.first_name, u.last_name].filter((n) => typeof n === 'string' && n);
  return `${String(u.username)}${names.length ? ` (${names.join(' ')})` : ''}`;
};
const userEntry = (u: Obj) => ({ id: String(u.pk), label: userLabel(u) });

/** A resource read in the schema's shape (`build_schema_instance`, metadata/manager.py:88-117). */
export function metadataInstance(env: Env, res: StoredRecord): Obj {
  const code = (v: unknown) => (isObject(v) ? (v.identifier as string) : (v ?? null));
  const category = isObject(res.category) ? env.store.collection('categories').all().find((c) => c.identifier === (res.category as Obj).identifier) : undefined;
  const license = isObject(res.license) ? env.store.collection('licenses').all().find((l) => l.identifier === (res.license as Obj).identifier) : undefined;
  const regions = env.store.collection('regions').all();
  const tk: Obj = Object.fromEntries(thesauri(env).map((t) => [t.slug, [] as unknown[]]));
  for (const k of (res.tkeywords as Obj[] | undefined) ?? []) {
    const slug = String((k.thesaurus as Obj | undefined)?.slug ?? '');
    if (Array.isArray(tk[slug])) (tk[slug] as unknown[]).push({ id: k.uri ?? k.slug, label: (k.i18n as Obj | undefined)?.en ?? k.name });
  }
  const resources = env.store.collection('resources');
  const contacts: Obj = {};
  for (const [name, , , many, field] of ROLES) {
    const v = res[field];
    contacts[name] = many ? (Array.isArray(v) ? (v as Obj[]).map(userEntry) : []) : isObject(v) ? userEntry(v) : null;
  }
  return {
    uuid: res.uuid,
    title: res.title,
    abstract: res.abstract ?? '',
    date: res.date,
    date_type: res.date_type,
    category: category ? { id: category.identifier, label: category.gn_description } : null,
    language: res.language,
    license: license ? { id: license.identifier, label: license.name } : null,
    attribution: res.attribution ?? null,
    regions: ((res.regions as Obj[] | undefined) ?? []).map((r) => {
      const found = regions.find((x) => x.code === r.code);
      return { id: String(found?.id ?? r.code), label: String(r.name) };
    }),
    data_quality_statement: res.data_quality_statement ?? null,
    restriction_code_type: code(res.restriction_code_type),
    constraints_other: res.constraints_other ?? null,
    edition: res.edition ?? null,
    doi: res.doi ?? null,
    purpose: res.purpose ?? null,
    supplemental_information: res.supplemental_information ?? null,
    temporal_extent_start: res.temporal_extent_start ?? null,
    temporal_extent_end: res.temporal_extent_end ?? null,
    maintenance_frequency: res.maintenance_frequency ?? null,
    spatial_representation_type: code(res.spatial_representation_type),
    tkeywords: tk,
    hkeywords: ((res.keywords as Obj[] | undefined) ?? []).map((k) => String(k.name)),
    linkedresources: ((res.linked_to as unknown[] | undefined) ?? []).flatMap((pk) => {
      const r = resources.get(String(pk));
      return r ? [{ id: String(r.pk), label: `${String(r.title)} [${String(r.resource_type)}]` }] : [];
    }),
    contacts,
  };
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const compiled = new Map<string, ValidateFunction>();
function validatorFor(schema: Obj): ValidateFunction {
  const { $schema: _s, $id: _i, ...plain } = schema;
  const key = JSON.stringify(plain);
  let v = compiled.get(key);
  if (!v) {
    if (compiled.size > 32) compiled.clear();
    v = ajv.compile(plain);
    compiled.set(key, v);
  }
  return v;
}

type Errors = Record<string, unknown>;
function setError(errors: Errors, path: string[], msg: string): void {
  let at: Errors = errors;
  for (const step of path) at = (at[step] ??= {}) as Errors;
  ((at.__errors ??= []) as string[]).push(msg);
}

/** Schema violations of the fields sent, as GeoNode's `extraErrors` tree. */
function schemaErrors(schema: Obj, instance: Obj, partial: boolean): Errors {
  const props = schema.properties as Obj;
  const checked = partial
    ? { type: 'object', properties: Object.fromEntries(Object.keys(instance).filter((k) => k in props).map((k) => [k, props[k]])) }
    : schema;
  const validate = validatorFor(checked);
  const errors: Errors = {};
  if (validate(instance)) return errors;
  for (const e of validate.errors ?? []) {
    const path = e.instancePath.split('/').filter(Boolean);
    if (e.keyword === 'required') path.push(String((e.params as { missingProperty: string }).missingProperty));
    const field = path[0];
    // `oneOf` of const choices reports every branch: one message per field is enough
    if (e.keyword === 'const' || (e.keyword === 'oneOf' && props[field] && (props[field] as Obj).oneOf)) {
      if (e.keyword === 'const') continue;
      setError(errors, path, `metadata_error_store: '${String(instance[field])}' is not one of the choices of ${field}`);
      continue;
    }
    setError(errors, path, `metadata_error_store: ${path.join('/') || 'instance'} ${e.message ?? 'is not valid'}`);
  }
  return errors;
}

/** Write the instance's fields (those of `keys`) back to the stored resource, as the handlers do. */
function storeFields(env: Env, res: StoredRecord, instance: Obj, keys: string[]): Obj {
  const patch: Obj = {};
  const plain = (v: unknown) => (typeof v === 'string' ? v.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim() : v);
  for (const key of keys) {
    const v = instance[key];
    switch (key) {
      case 'uuid':
        break; // readOnly
      case 'title':
        patch.title = typeof v === 'string' ? v.replace(/,/g, '_') : v; // TitleSubHandler (GeoNode issue 8198)
        break;
      case 'category': {
        const c = isObject(v) ? env.store.collection('categories').all().find((x) => x.identifier === v.id) : undefined;
        patch.category = c ? { identifier: c.identifier, gn_description: c.gn_description } : null;
        break;
      }
      case 'license': {
        const l = isObject(v) ? env.store.collection('licenses').all().find((x) => x.identifier === v.id) : undefined;
        patch.license = l ? { identifier: l.identifier } : null;
        break;
      }
      case 'restriction_code_type':
      case 'spatial_representation_type':
        patch[key] = typeof v === 'string' && v ? { identifier: v } : null;
        break;
      case 'regions': {
        const all = env.store.collection('regions').all();
        patch.regions = (Array.isArray(v) ? v : []).flatMap((r) => {
          const found = isObject(r) ? all.find((x) => String(x.id) === String(r.id)) : undefined;
          return found ? [{ code: found.code, name: found.name }] : [];
        });
        break;
      }
      case 'hkeywords':
        patch.keywords = (Array.isArray(v) ? v : []).map((n) => ({ name: String(n), slug: String(n).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') }));
        break;
      case 'tkeywords': {
        const all = env.store.collection('tkeywords').all();
        const ids = new Set(Object.values(isObject(v) ? v : {}).flatMap((list) => (Array.isArray(list) ? list : [])).map((k) => (isObject(k) ? String(k.id) : '')));
        patch.tkeywords = all.filter((k) => ids.has(String(k.uri)) || ids.has(String(k.slug))).map((k) => ({ name: k.name, slug: k.slug, uri: k.uri, thesaurus: k.thesaurus, i18n: k.i18n }));
        break;
      }
      case 'linkedresources':
        patch.linked_to = (Array.isArray(v) ? v : []).flatMap((r) => (isObject(r) && env.store.collection('resources').get(String(r.id)) && String(r.id) !== String(res.pk) ? [String(r.id)] : []));
        break;
      case 'contacts': {
        if (!isObject(v)) break;
        const users = env.store.collection('users');
        const embed = (e: unknown) => {
          const u = isObject(e) ? users.get(Number(e.id)) : undefined;
          if (!u) return undefined;
          const { pk, username, first_name, last_name, avatar, is_superuser, is_staff, email, link } = u;
          return { pk, username, first_name, last_name, avatar, is_superuser, is_staff, email, link };
        };
        for (const [name, , , many, field] of ROLES) {
          if (name === 'owner' || !(name in v)) continue; // the owner is not saved as a contact (handlers/contact.py:35)
          const list = many ? (Array.isArray(v[name]) ? (v[name] as unknown[]) : []) : [v[name]];
          patch[field] = list.map(embed).filter((u) => u !== undefined);
        }
        break;
      }
      default:
        patch[key] = v ?? null;
        if (key === 'abstract' || key === 'purpose' || key === 'constraints_other' || key === 'supplemental_information' || key === 'data_quality_statement') {
          patch[`raw_${key}`] = plain(v ?? null);
        }
    }
  }
  patch.last_updated = env.now();
  env.store.collection('resources').update(res.pk, patch);
  return patch;
}

const notFound = () => json(404, { message: 'The dataset was not found' });

/** `GET /api/v2/metadata/`: the viewset's list (metadata/api/views.py:55-62). */
export const metadataRoot: Behaviour = (req) => {
  const base = `${req.origin}/api/v2/metadata`;
  return json(200, { schema: `${base}/schema/`, instance: `${base}/instance/<pk>/` });
};

export const metadataSchemaAnswer: Behaviour = (_req, env) => json(200, metadataSchema(env));

/**
 * `GET|PUT|PATCH /api/v2/metadata/instance/{pk}` (metadata/api/views.py:85-157): UserHasPerms with GET
 * `view_resourcebase`, PUT/PATCH `change_resourcebase_metadata`; a missing resource is a 404
 * `{"message": "The dataset was not found"}`; GET answers `application/schema-instance+json`.
 */
export const metadataInstanceAnswer: Behaviour = async (req, env) => {
  const raw = req.params.pk ?? '';
  const res = /^\d{1,15}$/.test(raw) ? env.store.collection('resources').get(String(Number(raw))) : undefined;
  if (!res) return notFound();
  const write = req.method !== 'GET';
  if (!hasLevel(env, res, req.user, write ? 'edit' : 'view')) denied(req);
  if (!write) return { status: 200, body: metadataInstance(env, res), contentType: 'application/schema-instance+json' };
  const body = req.body;
  if (!isObject(body)) {
    const errors: Errors = {};
    setError(errors, [], 'metadata_error_save: the instance must be a JSON object');
    return json(422, { message: 'Some errors were found while updating the resource', extraErrors: errors });
  }
  const partial = req.method === 'PATCH';
  if (partial && !Object.keys(body).length) return json(200, { message: 'The resource was updated successfully', extraErrors: {} });
  const schema = metadataSchema(env);
  const errors = schemaErrors(schema, body, partial);
  if (Object.keys(errors).length) return json(422, { message: 'Some errors were found while updating the resource', extraErrors: errors });
  const props = Object.keys(schema.properties as Obj);
  storeFields(env, res, body, partial ? props.filter((k) => k in body) : props);
  await env.persist();
  return json(200, { message: 'The resource was updated successfully', extraErrors: {} });
};

// ---- autocompletes (metadata/api/urls.py:35-70, metadata/api/views.py:160-330) ----

const PAGE = 10; // django-autocomplete-light's BaseQuerySetView.paginate_by
const q = (req: BehaviourRequest) => (req.query.get('q') ?? '').toLowerCase();
const has = (v: unknown, needle: string) => !needle || String(v ?? '').toLowerCase().includes(needle);

/** dal's Select2QuerySetView answer: a page of 10 and `pagination.more`. */
function select2(req: BehaviourRequest, all: unknown[]) {
  const page = Math.max(1, Number.parseInt(req.query.get('page') ?? '1', 10) || 1);
  const results = all.slice((page - 1) * PAGE, page * PAGE);
  return json(200, { results, pagination: { more: all.length > page * PAGE } });
}

const byText = (f: (r: StoredRecord) => unknown) => (a: StoredRecord, b: StoredRecord) => String(f(a)).localeCompare(String(f(b)));

export const metadataAutocomplete: Behaviour = (req, env) => {
  const kind = String(req.op.ext.action);
  const needle = q(req);
  const coll = (n: string) => env.store.collection(n).all();
  switch (kind) {
    case 'categories':
      return json(200, { results: [...coll('categories')].filter((c) => has(c.gn_description, needle)).sort(byText((c) => c.gn_description)).map((c) => ({ id: c.identifier, label: c.gn_description })) });
    case 'licenses':
      return json(200, { results: [...coll('licenses')].filter((l) => has(l.name, needle)).sort(byText((l) => l.name)).map((l) => ({ id: l.identifier, label: l.name })) });
    case 'thesaurus': {
      const id = req.params.thesaurusid ?? '';
      const t = thesauri(env).find((x) => String(x.id) === id || x.slug === id);
      const keywords = t ? coll('tkeywords').filter((k) => (k.thesaurus as Obj | undefined)?.slug === t.slug) : [];
      const label = (k: StoredRecord) => (k.i18n as Obj | undefined)?.en;
      const translated = keywords.filter((k) => typeof label(k) === 'string').filter((k) => has(label(k), needle)).sort(byText((k) => label(k)));
      const untranslated = keywords.filter((k) => typeof label(k) !== 'string').sort(byText((k) => k.name));
      return json(200, { results: [...translated.map((k) => ({ id: k.uri, label: label(k) })), ...untranslated.map((k) => ({ id: k.uri, label: `! ${String(k.name)}` }))] });
    }
    case 'users': {
      const users = req.user ? [...coll('users')].filter((u) => has(u.username, needle) || has(u.email, needle) || has(u.first_name, needle) || has(u.last_name, needle)) : [];
      return select2(req, users.sort((a, b) => Number(a.pk) - Number(b.pk)).map((u) => userEntry(u)));
    }
    case 'resources': {
      const list = [...coll('resources')].filter((r) => has(r.title, needle) && levelFor(env.store, r, req.user) !== 'none').sort(byText((r) => r.title));
      return select2(req, list.map((r) => ({ id: String(r.pk), label: `${String(r.title)} [${String(r.resource_type)}]` })));
    }
    case 'regions':
      return select2(req, [...coll('regions')].filter((r) => has(r.name, needle)).sort((a, b) => Number(a.id) - Number(b.id)).map((r) => ({ id: String(r.id), label: r.name })));
    case 'hkeywords':
      return select2(req, [...coll('keywords')].filter((k) => has(k.slug, needle)).sort((a, b) => Number(a.id) - Number(b.id)).map((k) => k.name));
    case 'groups': {
      const user = req.user;
      const mine = user ? new Set(coll('memberships').filter((m) => m.user === user.pk).map((m) => m.group)) : new Set();
      const groups = [...coll('groups')].filter((g) => (isAdmin(user) || mine.has(g.pk)) && has(g.title, needle)).sort(byText((g) => g.title));
      return select2(req, groups.map((g) => ({ id: String(g.pk), label: g.title })));
    }
    default:
      return json(404, { detail: 'Not found.' });
  }
};
