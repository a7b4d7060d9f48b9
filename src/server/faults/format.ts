/**
 * Planted faults in the format of an answer: envelopes, fields, types, status codes, error bodies, headers and
 * pagination — each one reply a server gets almost right, which a per-response check catches.
 */
import { isObj, envelopeKey, itemsOf, is, visit, withHeader, type Obj } from './kit.js';
import type { Fault } from './types.js';

export const FORMAT_FAULTS: Fault[] = [
  {
    name: 'envelope-key-renamed',
    area: 'envelopes',
    description: 'GeoNode lists carry their items under "results" instead of the plural key',
    reply: (r) => {
      const k = envelopeKey(r.body);
      if (k) {
        const b = r.body as Obj;
        b.results = b[k];
        delete b[k];
      }
      return r;
    },
  },
  {
    name: 'detail-unwrapped',
    area: 'envelopes',
    description: 'GeoNode details answer the bare object, not {"<singular>": {…}}',
    reply: (r, at) =>
      is(at, 'geonode', 'retrieve') && r.status === 200 && isObj(r.body) ? { ...r, body: Object.values(r.body)[0] } : r,
  },
  {
    name: 'field-dropped',
    area: 'fields',
    description: 'GeoNode list items lack "title"',
    reply: (r, at) => {
      if (at.op?.api === 'geonode') for (const i of itemsOf(r.body) ?? []) if (isObj(i)) delete i.title;
      return r;
    },
  },
  {
    name: 'pk-as-number',
    area: 'types',
    description: 'string pks ("12") are sent as numbers (12)',
    reply: (r) => {
      visit(r.body, (o) => {
        if (typeof o.pk === 'string' && /^\d+$/.test(o.pk)) o.pk = Number(o.pk);
      });
      return r;
    },
  },
  {
    name: 'create-answers-200',
    area: 'status codes',
    description: 'a create answers 200 instead of 201',
    reply: (r, at) => (at.op?.behaviour === 'create' && r.status === 201 ? { ...r, status: 200 } : r),
  },
  {
    name: 'not-found-as-400',
    area: 'status codes',
    description: 'a missing id answers 400 instead of 404',
    reply: (r) => (r.status === 404 ? { ...r, status: 400 } : r),
  },
  {
    name: 'method-not-allowed-as-404',
    area: 'status codes',
    description: 'a method the contract does not allow answers 404 instead of 405',
    reply: (r) => (r.status === 405 ? { status: 404, body: { detail: 'Not found.' } } : r),
  },
  {
    name: 'not-found-body-wrong',
    area: 'error bodies',
    description: 'a 404 body in the wrong shape ({"error": …} on GeoNode, {"detail": …} on the catalogue)',
    reply: (r) =>
      r.status === 404 && isObj(r.body)
        ? {
            ...r,
            body: 'detail' in r.body ? { error: r.body.detail, status: 404 } : { detail: r.body.error ?? 'Not found' },
          }
        : r,
  },
  {
    name: 'error-body-text',
    area: 'error bodies',
    description: '400 answers a plain-text "Bad Request" instead of the JSON error body',
    reply: (r) =>
      r.status === 400 ? { status: 400, text: 'Bad Request', contentType: 'text/plain; charset=utf-8' } : r,
  },
  {
    name: 'x-paginate-by-missing',
    area: 'headers',
    description: 'catalogue lists lack the X-Paginate-By header',
    reply: (r) => withHeader(r, 'X-Paginate-By', () => undefined),
  },
  {
    name: 'link-relative',
    area: 'headers',
    description: 'the Link header holds relative URLs',
    reply: (r) => withHeader(r, 'Link', (v) => v.replace(/<https?:\/\/[^/>]+/g, '<')),
  },
  {
    name: 'resource-range-off-by-one',
    area: 'pagination',
    description: 'X-Resource-Range ends one past the last item',
    reply: (r) =>
      withHeader(r, 'X-Resource-Range', (v) =>
        v.replace(/^(\d+)-(\d+)\//, (_m, s: string, e: string) => `${s}-${Number(e) + 1}/`),
      ),
  },
  {
    name: 'next-link-missing',
    area: 'pagination',
    description: 'links.next is null on a full page',
    reply: (r) => {
      const k = envelopeKey(r.body);
      const b = r.body as Obj;
      if (k && (b[k] as unknown[]).length === b.page_size) (b.links as Obj).next = null;
      return r;
    },
  },
  {
    name: 'total-off-by-one',
    area: 'pagination',
    description: 'the envelope total counts one record too many',
    reply: (r) => {
      if (envelopeKey(r.body)) (r.body as Obj).total = Number((r.body as Obj).total) + 1;
      return r;
    },
  },
];
