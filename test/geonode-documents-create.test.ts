/**
 * Document create as GeoNode 4.4 takes it (geonode/documents/api/views.py, DocumentViewSet.perform_create reads
 * request.data): multipart with the file (`doc_file`) as the front end sends it, a URL (`doc_url`) as multipart, a
 * URL-encoded form or JSON; no file, path or URL, both, or an extension outside ALLOWED_DOCUMENT_TYPES is refused
 * with 400 `document_exception` (bodies from geonode/documents/api/tests.py).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASIC, startTestServer, type TestServer } from './helpers/server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

async function post(body: FormData | string, contentType?: string): Promise<{ status: number; json: any }> {
  const headers: Record<string, string> = { Authorization: BASIC.alice };
  if (contentType) headers['Content-Type'] = contentType;
  const res = await fetch(`${s.url}/api/v2/documents/`, { method: 'POST', headers, body });
  return { status: res.status, json: await res.json() };
}

function form(fields: Record<string, string | { name: string; content: string }>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v === 'string') f.append(k, v);
    else f.append(k, new Blob([v.content], { type: 'application/pdf' }), v.name);
  }
  return f;
}

const refusal = (message: string) => ({ success: false, errors: [message], code: 'document_exception' });

describe('creating a document', () => {
  it("multipart with the file (curl -F title=… -F doc_file=@report.pdf): 201, a local document of the file's type, stored", async () => {
    const r = await post(form({ title: 'My doc', doc_file: { name: 'report.pdf', content: '%PDF-1.4 a report' } }));
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    expect(r.json.document).toMatchObject({
      title: 'My doc',
      extension: 'pdf',
      mime_type: 'application/pdf',
      doc_url: null,
      sourcetype: 'LOCAL',
      resource_type: 'document',
    });
    expect(r.json.document).not.toHaveProperty('doc_file');
    const back = await s.request('GET', `/api/v2/documents/${r.json.document.pk}/`, { as: 'alice' });
    expect(back.json.document.title).toBe('My doc');
  });

  it('multipart with a URL (-F doc_url=…): 201, a remote document', async () => {
    const r = await post(form({ title: 'Linked', doc_url: 'https://example.org/files/plan.docx' }));
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    expect(r.json.document).toMatchObject({
      title: 'Linked',
      extension: 'docx',
      doc_url: 'https://example.org/files/plan.docx',
      href: 'https://example.org/files/plan.docx',
      sourcetype: 'REMOTE',
    });
  });

  it('a URL-encoded form and JSON (bare or wrapped in {"document": …}) with doc_url: 201', async () => {
    const a = await post(
      'title=Form+doc&doc_url=https%3A%2F%2Fexample.org%2Fa.pdf',
      'application/x-www-form-urlencoded',
    );
    expect(a.status, JSON.stringify(a.json)).toBe(201);
    expect(a.json.document.doc_url).toBe('https://example.org/a.pdf');
    const b = await post(
      JSON.stringify({ document: { title: 'Wrapped', doc_url: 'https://example.org/b.zip' } }),
      'application/json',
    );
    expect(b.status, JSON.stringify(b.json)).toBe(201);
    expect(b.json.document).toMatchObject({ title: 'Wrapped', extension: 'zip' });
    const c = await post(JSON.stringify({ title: 'By path', file_path: '/srv/files/notes.txt' }), 'application/json');
    expect(c.status, JSON.stringify(c.json)).toBe(201);
    expect(c.json.document).toMatchObject({ extension: 'txt', sourcetype: 'LOCAL' });
  });

  it.each([
    [
      'JSON with a title only',
      JSON.stringify({ title: 'no file' }),
      'application/json',
      refusal('A file, file path or URL must be speficied'),
    ],
    [
      'JSON with null file and path',
      JSON.stringify({ document: { title: 'x', file_path: null, doc_file: null } }),
      'application/json',
      refusal('A file, file path or URL must be speficied'),
    ],
    [
      'a form with a title only',
      'title=no+file',
      'application/x-www-form-urlencoded',
      refusal('A file, file path or URL must be speficied'),
    ],
    [
      'JSON with a path and a URL',
      JSON.stringify({ title: 'x', file_path: '/srv/a.pdf', doc_url: 'https://example.org/a.pdf' }),
      'application/json',
      refusal('Either a file or a URL must be specified, not both'),
    ],
    [
      'a URL of a type GeoNode does not take',
      JSON.stringify({ title: 'x', doc_url: 'https://example.org/setup.exe' }),
      'application/json',
      refusal('The file provided is not in the supported extensions list'),
    ],
    [
      'a form whose doc_file is text, not a file',
      'title=x&doc_file=report.pdf',
      'application/x-www-form-urlencoded',
      {
        success: false,
        errors: ['doc_file: The submitted data was not a file. Check the encoding type on the form.'],
        code: 'invalid',
      },
    ],
  ])("%s: 400 with GeoNode's body, nothing stored", async (_what, body, type, expected) => {
    const before = s.store.collection('resources').size;
    const r = await post(body, type);
    expect(r.status).toBe(400);
    expect(r.json).toEqual(expected);
    expect(s.store.collection('resources').size).toBe(before);
  });

  it('multipart with a file and a URL, and multipart without a title, are refused too', async () => {
    const both = await post(
      form({ title: 'x', doc_url: 'https://example.org/a.pdf', doc_file: { name: 'a.pdf', content: 'x' } }),
    );
    expect(both).toEqual({ status: 400, json: refusal('Either a file or a URL must be specified, not both') });
    const untitled = await post(form({ doc_file: { name: 'a.pdf', content: 'x' } }));
    expect(untitled).toEqual({
      status: 400,
      json: { success: false, errors: ['title: This field is required.'], code: 'invalid' },
    });
  });
});
