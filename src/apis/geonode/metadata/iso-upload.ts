/**
 * `PUT /api/v2/datasets/{id}/metadata` (geonode/layers/api/views.py:99-165 at 4.4.3): replace a dataset's metadata
 * with an uploaded ISO 19115 XML file (multipart field `metadata_file`). GeoNode's dataset API exceptions carry
 * status 500 with a JSON body (layers/api/exceptions.py); they are reproduced as sent.
 */
import { apiError } from '../../../core/errors.js';
import { json, type Behaviour } from '../../../core/types.js';
import type { StoredRecord } from '../../../store/index.js';
import { bodyParams, type UploadedFile } from '../actions/common.js';
import { isSuperuser, requireLevel, requireUser } from '../context.js';
import { isWellFormedId } from '../collections.js';
import { GEONODE_COLLECTIONS } from '../collections.js';

const failure = (message: string, code: string) => json(500, { success: false, errors: [message], code });

/** The text of the first `<gco:CharacterString>` inside the first `<gmd:{element}>`, entities decoded. */
function isoText(xml: string, element: string): string | null {
  const m = new RegExp(
    `<(?:\\w+:)?${element}\\b[^>]*>\\s*<(?:\\w+:)?CharacterString[^>]*>([\\s\\S]*?)</(?:\\w+:)?CharacterString>`,
  ).exec(xml);
  return m ? decode(m[1].trim()) : null;
}

function decode(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

export interface IsoMetadata {
  uuid: string | null;
  title: string | null;
  abstract: string | null;
  keywords: string[];
}

/** geonode/layers/metadata.py set_metadata, ISO branch: the root must be (gmd|gmi):MD_Metadata. */
export function parseIso(xml: string): IsoMetadata | null {
  const root = /^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*<((?:\w+:)?MD_Metadata)\b/.exec(xml);
  if (!root || !xml.includes(`</${root[1]}>`)) return null;
  const keywords: string[] = [];
  const kw = /<(?:\w+:)?keyword\b[^>]*>\s*<(?:\w+:)?CharacterString[^>]*>([\s\S]*?)<\/(?:\w+:)?CharacterString>/g;
  for (let m = kw.exec(xml); m; m = kw.exec(xml)) if (m[1].trim()) keywords.push(decode(m[1].trim()));
  return {
    uuid: isoText(xml, 'fileIdentifier'),
    title: isoText(xml, 'title'),
    abstract: isoText(xml, 'abstract'),
    keywords,
  };
}

const slugify = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

export const datasetMetadataUpload: Behaviour = async (req, env) => {
  const user = requireUser(req); // IsAuthenticated first
  const id = req.params.id;
  const resources = env.store.collection('resources');
  const rec = isWellFormedId(GEONODE_COLLECTIONS.resources, id) ? resources.get(id) : undefined;
  if (!isSuperuser(user)) {
    // UserHasPerms: get_object_or_404(ResourceBase, pk) then change_resourcebase_metadata (the edit level)
    if (!rec) throw apiError('notFound');
    requireLevel(env, req, rec, 'edit');
  }
  if (!rec || rec.resource_type !== 'dataset')
    throw apiError('geonodeNotFound', `Dataset with ID ${id} is not available`);
  const params = bodyParams(req.body);
  const file = params.metadata_file as UploadedFile | string | undefined;
  if (file === undefined) return failure('This field is required.', 'invalid_dataset_exception');
  if (file === '') return failure('A valid metadata file must be specified', 'invalid_metadata_exception');
  const xml = typeof file === 'string' ? file : file.data.toString('utf8');
  const iso = parseIso(xml);
  if (!iso) return failure('Unsupported metadata format', 'invalid_metadata_exception');
  if (iso.uuid && iso.uuid !== rec.uuid)
    return failure(
      'The UUID identifier from the XML Metadata, is different from the one saved',
      'invalid_metadata_exception',
    );
  const changes: StoredRecord = { last_updated: env.now() };
  if (iso.title) changes.title = iso.title;
  if (iso.abstract !== null) changes.abstract = iso.abstract;
  if (iso.keywords.length) changes.keywords = [...new Set(iso.keywords)].map((name) => ({ name, slug: slugify(name) }));
  resources.update(rec.pk, changes);
  await env.persist();
  return json(200, { success: true, message: ['Metadata successfully updated'] });
};
