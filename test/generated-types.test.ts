/**
 * The contracts outside geostub: openapi-typescript (a well-kept generator other projects use) turns each contract
 * into TypeScript `paths` types, and a front end's calls written against those types (test/data/typed-client.ts.txt:
 * listing resources, a dataset's page, the catalogue's data list) compile under tsc --strict, then run against a live
 * geostub. Every step is a child process in a temporary directory, as in another project.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractPath, PACKAGE_ROOT } from '../src/contracts/load.js';
import { FULL_KEY } from './helpers/koordinates.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const run = promisify(execFile);
const TIMEOUT = 180_000;
const GENERATOR = join(PACKAGE_ROOT, 'node_modules/openapi-typescript/bin/cli.js');
const TSC = join(PACKAGE_ROOT, 'node_modules/typescript/bin/tsc');

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmitOnError: true,
    lib: ['ES2022', 'DOM'], // fetch and Response as a browser front end has them; no node_modules needed
    types: [],
    outDir: 'out',
    skipLibCheck: false,
  },
  include: ['*.ts'],
};

let dir: string;
let s: TestServer;

/** tsc over the directory: its exit code and its diagnostics. */
async function tsc(project: string, ...extra: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(process.execPath, [TSC, '-p', project, ...extra], { cwd: dir });
    return { code: 0, output: stdout };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'geostub-typegen-'));
  // the generator runs where no redocly.yaml is (it would read geostub's lint configuration as its own)
  for (const [api, out] of [
    ['geonode', 'geonode.ts'],
    ['koordinates', 'koordinates.ts'],
  ] as const) {
    await run(process.execPath, [GENERATOR, contractPath(api), '--output', join(dir, out)], { cwd: dir });
  }
  await copyFile(join(PACKAGE_ROOT, 'test/data/typed-client.ts.txt'), join(dir, 'client.ts'));
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
  await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  s = await startTestServer();
}, TIMEOUT);

afterAll(async () => {
  await s?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('TypeScript types generated from the contracts (openapi-typescript)', () => {
  it('have every path of each contract', async () => {
    const geonode = await readFile(join(dir, 'geonode.ts'), 'utf8');
    const koordinatesTypes = await readFile(join(dir, 'koordinates.ts'), 'utf8');
    for (const p of [
      '/api/v2/resources/',
      '/api/v2/datasets/{id}/',
      '/api/v2/resource-service/execution-status/{execution_id}',
    ])
      expect(geonode).toContain(`"${p}": {`);
    for (const p of ['/services/api/v1/data/', '/services/api/v1/layers/{id}/'])
      expect(koordinatesTypes).toContain(`"${p}": {`);
    // readOnly written beside an allOf-wrapped $ref reaches the generated types
    expect(geonode).toMatch(/readonly owner: components\["schemas"\]\["UserEmbed"\];/);
  });

  it(
    "type-check a front end's calls under tsc --strict, and the calls work against geostub",
    async () => {
      const { code, output } = await tsc('tsconfig.json');
      expect(output, output).toBe('');
      expect(code).toBe(0);
      const client = await import(pathToFileURL(join(dir, 'out/client.js')).href);

      const newest = await client.newestResources(s.url);
      expect(newest.total).toBeGreaterThan(5);
      expect(newest.lines).toHaveLength(5);
      for (const line of newest.lines) expect(line).toMatch(/^\w+: .+ \(\w[\w.@+-]*\)$/);

      const ds = (await s.request('GET', '/api/v2/datasets/?page_size=1', { as: null })).json.datasets[0];
      const page = await client.datasetPage(s.url, ds.pk);
      expect(page.title).toBe(ds.title);
      expect(page.owner).toBe(ds.owner.username);
      expect(typeof page.attributes).toBe('number');

      const data = await client.catalogueData(s.url, FULL_KEY);
      expect(data.urls.length).toBeGreaterThan(0);
      for (const u of data.urls) expect(u).toMatch(/\/services\/api\/v1\/(layers|tables|sources)\/\d+\/$/);
    },
    TIMEOUT,
  );

  it(
    'refuse a call the contract does not allow (the check can fail)',
    async () => {
      await writeFile(
        join(dir, 'wrong.ts'),
        [
          "import type { paths } from './geonode.js';",
          "type Detail = paths['/api/v2/datasets/{id}/']['get']['responses'][200]['content']['application/json'];",
          'export const title = (d: Detail): number => d.dataset.title;',
          'export const size = (d: Detail) => d.dataset.owner.username.toFixed(2);',
          "export type Missing = paths['/api/v2/no-such-path/'];",
        ].join('\n'),
      );
      try {
        const { code, output } = await tsc('tsconfig.json', '--noEmit');
        expect(code).not.toBe(0);
        expect(output).toMatch(/wrong\.ts\(3,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/);
        expect(output).toMatch(/wrong\.ts\(4,\d+\): error TS2551: Property 'toFixed' does not exist on type 'string'/);
        expect(output).toMatch(/wrong\.ts\(5,\d+\): error TS2339: Property '\/api\/v2\/no-such-path\/' does not exist/);
      } finally {
        await rm(join(dir, 'wrong.ts'));
      }
    },
    TIMEOUT,
  );
});
