/**
 * The self-check: every operation of both contracts gets a valid request on the running mock, and its status,
 * content type and body must be what the contract documents. Every fixture record validates against its schema.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContracts, type Contract } from '../src/contracts/load.js';
import { allOperations, buildRouteTable, type Operation } from '../src/contracts/route-table.js';
import { ContractValidators, describeErrors } from '../src/contracts/validators.js';
import { BASIC, startTestServer, type TestServer } from './helpers/server.js';
import { expandPath, fillBody, fillParams, sampleFor } from './helpers/walk.js';

let s: TestServer;
let contracts: Contract[];
let ops: Operation[];
let validators: ContractValidators;

beforeAll(async () => {
  s = await startTestServer();
  contracts = await loadContracts();
  ops = allOperations(buildRouteTable(contracts));
  validators = new ContractValidators(contracts);
});
afterAll(() => s.close());

/**
 * The lowest documented 2xx. An operation that documents none is a refusal by design (e.g. DELETE /users/): the
 * admin gets past the 401/403 checks and meets its last documented 4xx (the 405).
 */
function successStatus(op: Operation): number {
  const codes = Object.keys(op.responses)
    .filter((c) => /^\d\d\d$/.test(c))
    .map(Number)
    .sort();
  return codes.find((c) => c >= 200 && c < 300) ?? codes.filter((c) => c >= 400 && c < 500).pop()!;
}

async function send(op: Operation) {
  try {
    return await sendUnchecked(op);
  } catch (err) {
    throw new Error(`${op.method.toUpperCase()} ${op.path}: ${(err as Error).message}`);
  }
}

async function sendUnchecked(op: Operation) {
  const params = fillParams(op, s.store);
  const sample = sampleFor(op);
  const headers: Record<string, string> = {
    Authorization: op.api === 'koordinates' ? 'key geostub0koordinates0api0key00001' : BASIC.admin,
  };
  let body: BodyInit | undefined;
  if (sample.files) {
    const form = new FormData();
    for (const [k, f] of Object.entries(sample.files))
      form.append(k, new Blob([f.content], { type: 'text/xml' }), f.filename);
    body = form;
  } else if (sample.form) {
    const form = new FormData();
    for (const [k, v] of Object.entries(sample.form))
      form.append(k, new Blob([`{"type":"FeatureCollection","features":[]}`]), v);
    body = form;
  } else if (sample.urlencoded !== undefined) {
    body = sample.urlencoded;
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  } else if (sample.body !== undefined) {
    body = JSON.stringify(fillBody(sample.body, s.store, params));
    headers['Content-Type'] = 'application/json';
  }
  const url = s.url + expandPath(op.path, params);
  if (sample.setup) {
    const res = await fetch(url, {
      method: sample.setup.method,
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify(sample.setup.body),
    });
    expect(res.status, `setup of ${op.operationId}`).toBeLessThan(300);
  }
  const res = await fetch(url, { method: op.method.toUpperCase(), headers, body, redirect: 'manual' });
  const text = await res.text();
  return { res, text, url };
}

function check(op: Operation, status: number, contentType: string, text: string, url: string) {
  const expected = successStatus(op);
  expect(status, `${op.method.toUpperCase()} ${url}: ${text.slice(0, 400)}`).toBe(expected);
  const schema = validators.responseSchema(op, status, contentType.split(';')[0]);
  if (status === 204 || schema === undefined) {
    // no documented body: there must be none
    expect(text, url).toBe('');
    return;
  }
  if (contentType.includes('openapi') && !contentType.includes('json')) {
    expect(text).toMatch(/^openapi: 3\.0\.3/m);
    return;
  }
  if ((schema as { format?: string }).format === 'binary') {
    // a file (asset download/link): a body, of a type the contract documents
    expect(text.length, url).toBeGreaterThan(0);
    expect(contentType, url).not.toMatch(/json/);
    return;
  }
  expect(contentType, url).toMatch(/json/);
  const validate = validators.forSchema(op.api, schema);
  const body = JSON.parse(text);
  const ok = validate(body);
  expect(ok, `${op.operationId} ${url}: ${JSON.stringify(describeErrors(validate.errors))}`).toBe(true);
}

describe('self-check: every read operation answers what its contract documents', () => {
  it('walks every GET operation of both contracts', async () => {
    const reads = ops.filter((o) => o.method === 'get');
    expect(reads.length).toBeGreaterThan(70);
    for (const op of reads) {
      const { res, text, url } = await send(op);
      check(op, res.status, res.headers.get('content-type') ?? '', text, url);
    }
  });
});

describe('self-check: every write operation answers what its contract documents', () => {
  it('walks every non-GET operation on a freshly reset store', async () => {
    const writes = ops.filter((o) => o.method !== 'get');
    expect(writes.length).toBeGreaterThan(60);
    for (const op of writes) {
      await fetch(`${s.url}/__geostub/reset`, { method: 'POST' });
      const { res, text, url } = await send(op);
      check(op, res.status, res.headers.get('content-type') ?? '', text, url);
    }
  });
});

describe('fixtures validate against their contract schemas', () => {
  it('every stored record of every GeoNode endpoint, rendered in full (deferred fields too), is a valid detail object', async () => {
    const { GEONODE_COLLECTIONS } = await import('../src/apis/geonode/collections.js');
    const { renderRecord } = await import('../src/apis/geonode/rendering/render.js');
    const geonode = contracts.find((c) => c.api === 'geonode')!;
    const admin = s.store.collection('users').get(1000)!;
    let checked = 0;
    for (const [key, c] of Object.entries(GEONODE_COLLECTIONS)) {
      const validate = validators.forSchema('geonode', { $ref: `#/components/schemas/${c.itemSchema}` });
      for (const record of s.store.collection(c.store).list()) {
        if (c.scope && !c.scope(record)) continue;
        const rendered = renderRecord(
          key,
          record,
          { contract: geonode, store: s.store, origin: s.url, user: admin },
          { withDeferred: true },
        );
        expect(
          validate(rendered),
          `${key} ${String(record[c.idField])}: ${JSON.stringify(describeErrors(validate.errors))}`,
        ).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(800);
  });

  it('every rendered record of every list is valid (walked through the API, all pages)', async () => {
    await fetch(`${s.url}/__geostub/reset`, { method: 'POST' });
    const lists = ops.filter((o) => o.method === 'get' && o.behaviour === 'list');
    for (const op of lists) {
      const validate = validators.forSchema(op.api, validators.responseSchema(op, 200)!);
      for (let page = 1; page < 100; page++) {
        const { res, text } = await (async () => {
          const url = `${s.url}${op.path}?page=${page}&page_size=100`;
          const r = await fetch(url, { headers: { Authorization: BASIC.admin } });
          return { res: r, text: await r.text() };
        })();
        expect(res.status, `${op.path} page ${page}: ${text.slice(0, 300)}`).toBe(200);
        const body = JSON.parse(text);
        expect(validate(body), `${op.path} page ${page}: ${JSON.stringify(describeErrors(validate.errors))}`).toBe(
          true,
        );
        if (!body.links.next) break;
      }
    }
  });
});
