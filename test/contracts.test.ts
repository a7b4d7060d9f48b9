/** The contracts: every seed operation is there, they lint, and every operation is bound to a behaviour. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { contractPath, loadContracts } from '../src/contracts/load.js';
import { lintContract } from '../src/contracts/lint.js';
import { allOperations, buildRouteTable, matchRoute } from '../src/contracts/route-table.js';
import { GEONODE_BEHAVIOURS } from '../src/apis/geonode/index.js';
import { KOORDINATES_BEHAVIOURS } from '../src/apis/koordinates/index.js';
import { GEONODE_COLLECTIONS } from '../src/apis/geonode/collections.js';

const KOORDINATES_SEED_OPERATIONS = ['GET /services/api/v1/data/', 'GET /services/api/v1/data/latest/'];

describe('contracts', () => {
  it('cover all 133 operations of the GeoNode seed and both of the catalogue seed (135)', async () => {
    const seed = (await readFile('test/data/geonode-seed-operations.txt', 'utf8')).trim().split('\n');
    expect(seed).toHaveLength(133);
    const ops = new Set(
      allOperations(buildRouteTable(await loadContracts())).map((o) => `${o.method.toUpperCase()} ${o.path}`),
    );
    const missing = [...seed, ...KOORDINATES_SEED_OPERATIONS].filter((s) => !ops.has(s));
    expect(missing).toEqual([]);
  });

  it('pass swagger-parser validation', { tags: ['slow'] }, async () => {
    expect(await lintContract(contractPath('geonode'))).toEqual([]);
    expect(await lintContract(contractPath('koordinates'))).toEqual([]);
  });

  it('bind every operation to a behaviour the server has, and every collection to the collection table', async () => {
    for (const op of allOperations(buildRouteTable(await loadContracts()))) {
      const table = op.api === 'geonode' ? GEONODE_BEHAVIOURS : KOORDINATES_BEHAVIOURS;
      expect(table[op.behaviour], `${op.operationId} → ${op.behaviour}`).toBeTypeOf('function');
      if (op.api === 'geonode' && op.ext.collection !== undefined) {
        expect(GEONODE_COLLECTIONS[String(op.ext.collection)], `${op.operationId} collection`).toBeDefined();
      }
    }
  });

  it('route literal segments before parameters, with each path’s trailing-slash rule', async () => {
    const routes = buildRouteTable(await loadContracts());
    const cases: [string, string, boolean][] = [
      ['/api/v2/resources/approved/', '/api/v2/resources/approved/', true],
      ['/api/v2/resources/approved', '/api/v2/resources/approved/', false],
      ['/api/v2/resources/12/', '/api/v2/resources/{id}/', true],
      ['/api/v2/resources/12/permissions', '/api/v2/resources/{id}/permissions/', false],
      ['/api/v2/resources/12/keywords/', '/api/v2/resources/{id}/{field_name}/', true],
      ['/api/v2/resources/create/dataset/', '/api/v2/resources/create/{resource_type}/', true],
      [
        '/api/v2/resource-service/execution-status/abc',
        '/api/v2/resource-service/execution-status/{execution_id}',
        false,
      ],
    ];
    for (const [path, template, slashed] of cases) {
      const m = matchRoute(routes, path);
      expect(m?.route.path, path).toBe(template);
      expect(m?.slashed, path).toBe(slashed);
    }
    expect(matchRoute(routes, '/api/v2/nothing/here/')).toBeUndefined();
  });

  it('a path parameter with an enum matches only its values; x-geostub-match: rest takes slashes', async () => {
    const routes = buildRouteTable(await loadContracts());
    // dynamic-rest registers one relation route per link field (routers.py:306-351): `title` is no route
    expect(matchRoute(routes, '/api/v2/resources/12/title/')).toBeUndefined();
    expect(matchRoute(routes, '/api/v2/documents/12/owner')).toBeUndefined();
    expect(matchRoute(routes, '/api/v2/documents/12/tkeywords')?.params).toEqual({ id: '12', field_name: 'tkeywords' });
    // the ISO upload action's literal route wins over the relation route
    expect(matchRoute(routes, '/api/v2/datasets/12/metadata')?.route.path).toBe('/api/v2/datasets/{id}/metadata/');
    const file = matchRoute(routes, '/api/v2/assets/3/link/a/b%2Fc.txt');
    expect([file?.route.path, file?.params]).toEqual([
      '/api/v2/assets/{id}/link/{path}',
      { id: '3', path: 'a/b/c.txt' },
    ]);
    expect(matchRoute(routes, '/api/v2/assets/3/download')?.route.path).toBe('/api/v2/assets/{id}/download/');
  });
});
