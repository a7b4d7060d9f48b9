/**
 * `Prefer: status=N` answers any status the contract documents for the operation, with its documented body (the
 * contract's example, or one made from the response schema), as Prism's `Prefer: code=` does; an undocumented status
 * is refused with the API's 400 listing the documented ones. Real server, real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allOperations } from '../src/contracts/route-table.js';
import { documentedStatuses } from '../src/contracts/examples.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let g: TestServer;
beforeAll(async () => {
  g = await startTestServer();
});
afterAll(() => g.close());

const prefer = (status: number | string, extra: Record<string, string> = {}) => ({
  headers: { Prefer: `status=${status}`, ...extra },
});

describe('Prefer: status=N', () => {
  it('answers a documented 404 with the documented body instead of the record', async () => {
    const r = await g.request('GET', '/api/v2/regions/1/', prefer(404));
    expect(r.status).toBe(404);
    expect(r.json).toEqual({ detail: 'Not found.' });
    expect(r.headers.get('preference-applied')).toBe('status=404');
    const koordinates = await g.request('GET', '/services/api/v1/layers/1001/', prefer(404));
    expect(koordinates.status).toBe(404);
    expect(koordinates.json).toEqual({ error: expect.any(String) });
  });

  it('carries the documented headers: 401 on a Basic-first view has WWW-Authenticate', async () => {
    const r = await g.request('GET', '/api/v2/management/jobs/', prefer(401, {}));
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toBe('Basic realm="api"');
    expect(r.json).toMatchObject({ success: false, code: 'not_authenticated' });
  });

  it('a documented error status runs nothing: a POST answered 400 writes nothing', async () => {
    const before = g.store.collection('regions').size + g.store.collection('groups').size;
    const r = await g.request('POST', '/api/v2/groups/', { body: { title: 'never written' }, ...prefer(400) });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ success: false });
    expect(
      g.store
        .collection('groups')
        .list()
        .some((x) => x.title === 'never written'),
    ).toBe(false);
    expect(g.store.collection('regions').size + g.store.collection('groups').size).toBe(before);
  });

  it('a documented 2xx the operation gives itself keeps the real answer', async () => {
    const r = await g.request('GET', '/api/v2/regions/1/', prefer(200));
    expect(r.status).toBe(200);
    expect(r.json.regions).toMatchObject({ id: 1 });
    expect(r.headers.get('preference-applied')).toBe('status=200');
  });

  it("an undocumented status is refused with the API's 400 naming the statuses the operation documents", async () => {
    const r = await g.request('GET', '/api/v2/regions/1/', prefer(418));
    expect(r.status).toBe(400);
    expect(r.headers.get('x-geostub-error')).toBe('preferStatusUndocumented');
    expect(r.headers.get('preference-applied')).toBeNull();
    expect(r.json).toEqual({
      success: false,
      code: 'invalid',
      errors: [
        expect.stringMatching(
          /status=418 is not documented for GET \/api\/v2\/regions\/\{id\}\/ .*documents 200, 400, 404/,
        ),
      ],
    });
    const koordinates = await g.request('GET', '/services/api/v1/layers/1001/', prefer(409));
    expect(koordinates.status).toBe(400);
    expect(koordinates.json).toEqual({
      non_field_errors: [
        expect.stringMatching(
          /status=409 is not documented for GET \/services\/api\/v1\/layers\/\{id\}\/ .*documents 200, 401, 403, 404/,
        ),
      ],
    });
  });

  it("429 and 5xx are injected in the API's error shape even where undocumented; a malformed status is ignored", async () => {
    const r = await g.request('GET', '/api/v2/regions/1/', prefer(503));
    expect(r.status).toBe(503);
    expect(r.headers.get('x-geostub-error')).toBe('injectedGeonode');
    const bad = await g.request('GET', '/api/v2/regions/1/', prefer('abc'));
    expect(bad.status).toBe(200);
    expect(bad.headers.get('x-geostub-prefer-ignored')).toMatch(/status=abc/);
  });

  it('every documented non-2xx status of every operation answers that status with a body valid against its schema', async () => {
    let checked = 0;
    const problems: string[] = [];
    for (const op of allOperations(g.routes)) {
      // a parameter with an enum (a relation route's field name) takes its first value; ids take 1
      const enumOf = (name: string) =>
        (op.parameters.find((p) => p.name === name)?.schema as { enum?: unknown[] } | undefined)?.enum;
      const path = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => String(enumOf(name)?.[0] ?? '1'));
      for (const status of documentedStatuses(op.responses).filter((s) => s >= 300)) {
        const r = await g.request(op.method.toUpperCase(), path, prefer(status));
        checked++;
        if (r.status !== status) {
          problems.push(`${op.method} ${op.path} ${status}: answered ${r.status} ${r.text.slice(0, 120)}`);
          continue;
        }
        const schema = g.env.validators.responseSchema(op, status);
        if (schema && op.method !== 'head' && r.headers.get('content-type')?.includes('json')) {
          const validate = g.env.validators.forSchema(op.api, schema);
          if (!validate(r.json))
            problems.push(`${op.method} ${op.path} ${status}: ${JSON.stringify(validate.errors?.slice(0, 2))}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  });
});
