/**
 * GeoNode 4.4's document create (geonode/documents/api/views.py, DocumentViewSet.perform_create): the body is read
 * from request.data, so multipart (`title`, `doc_file` file, optional `metadata_only`), a URL-encoded form and JSON
 * are all taken. Exactly one of a file (`file_path` or `doc_file`) or `doc_url` must be given; the extension comes
 * from `extension` or the file's (here also the URL's) name and must be an allowed document type. Each refusal is a
 * 400 `document_exception` body, as GeoNode's DocumentException (geonode/documents/api/exceptions.py) answers.
 */
import { apiError } from '../../../core/errors.js';
import type { StoredRecord } from '../../../store/index.js';
import { bodyParams, drfBool, isUploadedFile } from '../actions/common.js';

/** GeoNode's default ALLOWED_DOCUMENT_TYPES (geonode/settings.py); a real server may configure its own. */
export const ALLOWED_DOCUMENT_TYPES: ReadonlySet<string> = new Set([
  'txt',
  'log',
  'doc',
  'docx',
  'ods',
  'odt',
  'sld',
  'qml',
  'xls',
  'xlsx',
  'xml',
  'bm',
  'bmp',
  'dwg',
  'dxf',
  'fif',
  'gif',
  'jpg',
  'jpe',
  'jpeg',
  'png',
  'tif',
  'tiff',
  'pbm',
  'odp',
  'ppt',
  'pptx',
  'pdf',
  'tar',
  'tgz',
  'rar',
  'gz',
  '7z',
  'zip',
  'aif',
  'aifc',
  'aiff',
  'au',
  'mp3',
  'mpga',
  'wav',
  'afl',
  'avi',
  'avs',
  'fli',
  'mp2',
  'mp4',
  'mpg',
  'ogg',
  'webm',
  '3gp',
  'flv',
  'vdo',
  'glb',
  'pcd',
  'gltf',
  'ifc',
  'csv',
]);

const MIME: Record<string, string> = {
  pdf: 'application/pdf',
  txt: 'text/plain',
  csv: 'text/csv',
  zip: 'application/zip',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  xml: 'application/xml',
  mp4: 'video/mp4',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};

const suffix = (name: string) => /\.([A-Za-z0-9]+)$/.exec(name)?.[1] ?? '';
const given = (v: unknown) => v !== undefined && v !== null && v !== '' && v !== false;

/** What a document create body carries besides the resource fields, checked as GeoNode checks it. */
export interface DocumentCreate {
  /** the body's resource fields (title, abstract, …) with the file, path and URL taken out */
  fields: Record<string, unknown>;
  /** fields the server sets: extension, doc_url, mime_type, name, sourcetype */
  server: (pk: string) => StoredRecord;
}

/** A create body for `/api/v2/documents/` in any of the forms GeoNode reads, or the 400 GeoNode answers. */
export function documentCreate(body: unknown): DocumentCreate {
  const params = bodyParams(body);
  const { file_path: filePath, doc_file: docFile, doc_url: docUrl, extension: ext, ...fields } = params;
  if (given(docFile) && !isUploadedFile(docFile))
    throw apiError('invalid', 'doc_file: The submitted data was not a file. Check the encoding type on the form.');
  if (typeof fields.metadata_only === 'string')
    fields.metadata_only = drfBool(fields.metadata_only) ?? fields.metadata_only;
  const file = given(filePath) ? filePath : given(docFile) ? docFile : undefined;
  if (!file && !given(docUrl)) throw apiError('documentException', 'A file, file path or URL must be speficied');
  if (file && given(docUrl)) throw apiError('documentException', 'Either a file or a URL must be specified, not both');
  const fileName = isUploadedFile(file) ? file.filename : typeof file === 'string' ? file : '';
  // GeoNode takes the extension from the file only; with a URL and no extension it fails with a 500 (None.name):
  // geostub reads the URL's own suffix instead (a deliberate difference)
  const extension = String(
    given(ext) ? ext : suffix(fileName || new URL(String(docUrl), 'http://x').pathname),
  ).toLowerCase();
  if (!ALLOWED_DOCUMENT_TYPES.has(extension))
    throw apiError('documentException', 'The file provided is not in the supported extensions list');
  const title = typeof fields.title === 'string' ? fields.title : '';
  return {
    fields,
    server: (pk) => {
      const href = given(docUrl) ? String(docUrl) : `/documents/${pk}/download`;
      return {
        extension,
        mime_type: MIME[extension] ?? 'application/octet-stream',
        doc_url: given(docUrl) ? String(docUrl) : null,
        name: title || fileName.split('/').pop() || '',
        href,
        sourcetype: given(docUrl) ? 'REMOTE' : 'LOCAL',
        download_url: href,
        embed_url: `/documents/${pk}/embed`,
      };
    },
  };
}
