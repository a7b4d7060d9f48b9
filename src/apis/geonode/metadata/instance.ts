/**
 * GeoNode 5's metadata editor API, part 2: a resource read in the schema's shape (the "instance"), its PUT/PATCH
 * validated against the schema served (`schema.ts`) and written back to the resource, and the viewset's
 * list and schema answers (5.0.2 metadata/api/views.py:47-157, metadata/manager.py:88-210).
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { json, type Behaviour, type Env } from '../../../core/types.js';
import type { StoredRecord } from '../../../store/index.js';
import { denied, hasLevel, isObject } from '../actions/common.js';
import { metadataSchema, thesauri, userEntry, type Obj } from './schema.js';
import { ROLES } from './vocabularies.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export function metadataInstance(env: Env, res: StoredRecord): Obj {
  const code = (v: unknown) => (isObject(v) ? (v.identifier as string) : (v ?? null));
  const category = isObject(res.category)
    ? env.store
        .collection('categories')
        .list()
        .find((c) => c.identifier === (res.category as Obj).identifier)
    : undefined;
  const license = isObject(res.license)
    ? env.store
        .collection('licenses')
        .list()
        .find((l) => l.identifier === (res.license as Obj).identifier)
    : undefined;
  const regions = env.store.collection('regions').list();
  const tk: Obj = Object.fromEntries(thesauri(env).map((t) => [t.slug, [] as unknown[]]));
  for (const k of (res.tkeywords as Obj[] | undefined) ?? []) {
    const slug = String((k.thesaurus as Obj | undefined)?.slug ?? '');
    if (Array.isArray(tk[slug]))
      (tk[slug] as unknown[]).push({ id: k.uri ?? k.slug, label: (k.i18n as Obj | undefined)?.en ?? k.name });
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
    ? {
        type: 'object',
        properties: Object.fromEntries(
          Object.keys(instance)
            .filter((k) => k in props)
            .map((k) => [k, props[k]]),
        ),
      }
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
      setError(
        errors,
        path,
        `metadata_error_store: '${String(instance[field])}' is not one of the choices of ${field}`,
      );
      continue;
    }
    setError(errors, path, `metadata_error_store: ${path.join('/') || 'instance'} ${e.message ?? 'is not valid'}`);
  }
  return errors;
}

/** Write the instance's fields (those of `keys`) back to the stored resource, as the handlers do. */
function storeFields(env: Env, res: StoredRecord, instance: Obj, keys: string[]): Obj {
  const patch: Obj = {};
  const plain = (v: unknown) =>
    typeof v === 'string'
      ? v
          .replace(/<[^>]*>/g, ' ')
          .replace(/\s+/g, ' ')
          .trim()
      : v;
  for (const key of keys) {
    const v = instance[key];
    switch (key) {
      case 'uuid':
        break; // readOnly
      case 'title':
        patch.title = typeof v === 'string' ? v.replace(/,/g, '_') : v; // TitleSubHandler (GeoNode issue 8198)
        break;
      case 'category': {
        const c = isObject(v)
          ? env.store
              .collection('categories')
              .list()
              .find((x) => x.identifier === v.id)
          : undefined;
        patch.category = c ? { identifier: c.identifier, gn_description: c.gn_description } : null;
        break;
      }
      case 'license': {
        const l = isObject(v)
          ? env.store
              .collection('licenses')
              .list()
              .find((x) => x.identifier === v.id)
          : undefined;
        patch.license = l ? { identifier: l.identifier } : null;
        break;
      }
      case 'restriction_code_type':
      case 'spatial_representation_type':
        patch[key] = typeof v === 'string' && v ? { identifier: v } : null;
        break;
      case 'regions': {
        const all = env.store.collection('regions').list();
        patch.regions = (Array.isArray(v) ? v : []).flatMap((r) => {
          const found = isObject(r) ? all.find((x) => String(x.id) === String(r.id)) : undefined;
          return found ? [{ code: found.code, name: found.name }] : [];
        });
        break;
      }
      case 'hkeywords':
        patch.keywords = (Array.isArray(v) ? v : []).map((n) => ({
          name: String(n),
          slug: String(n)
            .toLowerCase()
            .replace(/[^a-z0-9]+/g, '-')
            .replace(/^-|-$/g, ''),
        }));
        break;
      case 'tkeywords': {
        const all = env.store.collection('tkeywords').list();
        const ids = new Set(
          Object.values(isObject(v) ? v : {})
            .flatMap((list) => (Array.isArray(list) ? list : []))
            .map((k) => (isObject(k) ? String(k.id) : '')),
        );
        patch.tkeywords = all
          .filter((k) => ids.has(String(k.uri)) || ids.has(String(k.slug)))
          .map((k) => ({ name: k.name, slug: k.slug, uri: k.uri, thesaurus: k.thesaurus, i18n: k.i18n }));
        break;
      }
      case 'linkedresources':
        patch.linked_to = (Array.isArray(v) ? v : []).flatMap((r) =>
          isObject(r) && env.store.collection('resources').get(String(r.id)) && String(r.id) !== String(res.pk)
            ? [String(r.id)]
            : [],
        );
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
        if (
          key === 'abstract' ||
          key === 'purpose' ||
          key === 'constraints_other' ||
          key === 'supplemental_information' ||
          key === 'data_quality_statement'
        ) {
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

/** `GET /metadata/schema[/{pk}]`: `{pk}` must be digits (the action's `url_path` regex), any number is the same schema. */
export const metadataSchemaAnswer: Behaviour = (req, env) =>
  req.params.pk !== undefined && !/^\d+$/.test(req.params.pk)
    ? json(404, { detail: 'Not found.' })
    : json(200, metadataSchema(env));

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
  if (partial && !Object.keys(body).length)
    return json(200, { message: 'The resource was updated successfully', extraErrors: {} });
  const schema = metadataSchema(env);
  const errors = schemaErrors(schema, body, partial);
  if (Object.keys(errors).length)
    return json(422, { message: 'Some errors were found while updating the resource', extraErrors: errors });
  const props = Object.keys(schema.properties as Obj);
  storeFields(env, res, body, partial ? props.filter((k) => k in body) : props);
  await env.persist();
  return json(200, { message: 'The resource was updated successfully', extraErrors: {} });
};
