/**
 * Fixtures are checked against the contracts when loaded: a record the API could not have answered stops the start
 * with the file, the collection, the record (index and id) and the field named; a fixture set nobody can log in to
 * (or with a collection geostub does not know) starts with a warning. Real files in a temp folder, the real CLI.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startGeostub } from '../src/server/start.js';
import { launch } from '../src/cli/serve.js';
import { fastServeArgs } from '../src/cli/serve-options.js';
import { loadContracts } from '../src/contracts/load.js';
import { ContractValidators } from '../src/contracts/validators.js';
import { checkFixtureFile, FixtureError } from '../src/contracts/fixture-check.js';
import { readFixtureFiles } from '../src/store/index.js';
import { GEONODE_STORE } from '../src/apis/geonode/index.js';
import { KOORDINATES_STORE } from '../src/apis/koordinates/index.js';
import { GEONODE_FIXTURE_SCHEMAS } from '../src/apis/geonode/fixtures-check.js';
import { KOORDINATES_FIXTURE_SCHEMAS } from '../src/apis/koordinates/fixtures-check.js';
import { until } from './helpers/poll.js';

type Rec = Record<string, unknown>;
type Data = { collections: Record<string, Rec[]> };
const CLI = join(process.cwd(), 'dist', 'bin', 'geostub.js');

/** A fixtures folder: the shipped fixtures, changed by `edit`. */
async function fixtures(edit: (geonode: Data, koordinates: Data) => void): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'geostub-fixtures-'));
  const geonode = JSON.parse(await readFile('fixtures/geonode.json', 'utf8')) as Data;
  const koordinates = JSON.parse(await readFile('fixtures/koordinates.json', 'utf8')) as Data;
  edit(geonode, koordinates);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'geonode.json'), JSON.stringify(geonode));
  await writeFile(join(dir, 'koordinates.json'), JSON.stringify(koordinates));
  return dir;
}

const serve = (args: string[]) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    const child = execFile(
      process.execPath,
      [CLI, 'serve', '--in-memory', '--port', '0', ...args],
      { timeout: 30_000 },
      (err, stdout, stderr) => done({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
    // a server that started is stopped once it has said what it had to say
    child.stdout!.on('data', (d: Buffer) => /warning: .*log in/.test(String(d)) && child.kill('SIGTERM'));
  });

describe('fixtures checked on load', () => {
  it('the shipped fixtures pass the check (they are not checked at each start)', async () => {
    const contracts = await loadContracts();
    const validators = new ContractValidators(contracts);
    const specs = { ...GEONODE_STORE, ...KOORDINATES_STORE };
    const schemas = { ...GEONODE_FIXTURE_SCHEMAS, ...KOORDINATES_FIXTURE_SCHEMAS };
    for (const f of ['geonode.json', 'koordinates.json']) {
      expect(
        checkFixtureFile(f, await readFixtureFiles([join('fixtures', f)]), specs, schemas, contracts, validators),
      ).toEqual([]);
    }
  });

  it('refuses broken records, naming the file, the record (index and id) and the field', async () => {
    const dir = await fixtures((g, k) => {
      const r = g.collections.resources;
      r[12].title = 12;
      r[13].featured = 'no';
      (r[14].owner as Rec).username = null;
      g.collections.users[2].is_superuser = 'yes';
      delete g.collections.regions[0].id;
      g.collections.categories[1].id = g.collections.categories[0].id;
      (g.collections.keywords as unknown[])[3] = 'not a record';
      k.collections.kx_licenses[0].title = ['a list'];
    });
    const err = await startGeostub({ port: 0, inMemory: true, fixtures: dir }).then(
      (g) => (void g.close(), undefined),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(FixtureError);
    const problems = (err as FixtureError).problems.map((p) => p.slice(dir.length + 1));
    const shipped = JSON.parse(await readFile('fixtures/geonode.json', 'utf8')) as Data;
    const r = (i: number) =>
      `geonode.json: resources record ${i} (pk ${JSON.stringify(shipped.collections.resources[i].pk)})`;
    expect(problems).toEqual(
      expect.arrayContaining([
        `${r(12)}: field "title" must be string`,
        `${r(13)}: field "featured" must be boolean`,
        `${r(14)}: field "owner.username" must be string`,
        expect.stringMatching(/^geonode\.json: users record 2 \(pk \d+\): field "is_superuser" must be boolean$/),
        'geonode.json: regions record 0: has no "id"',
        expect.stringMatching(/^geonode\.json: categories record 1 \(id \d+\): "id" \d+ is used by an earlier record$/),
        'geonode.json: keywords record 3: must be an object, not string',
        expect.stringMatching(/^koordinates\.json: kx_licenses record 0 \(id \d+\): field "title" must be string$/),
      ]),
    );
    expect(problems).toHaveLength(8);
  });

  it('the CLI exits 1 with the list, capped, and does not start', async () => {
    const dir = await fixtures((g) => {
      for (let i = 0; i < 30; i++) g.collections.resources[i].title = i;
    });
    const r = await serve(['--fixtures', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/listening/);
    expect(r.stderr).toMatch(/the fixtures cannot be served: 30 problem\(s\)/);
    expect(r.stderr).toMatch(/geonode\.json: resources record 0 \(pk "?\d+"?\): field "title" must be string/);
    expect(r.stderr.match(/field "title" must be string/g)).toHaveLength(20);
    expect(r.stderr).toMatch(/… and 10 more/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('warns at start when no user can log in, and about collections geostub does not know', async () => {
    const dir = await fixtures((g) => {
      for (const u of g.collections.users) delete u.password;
      g.collections.tokens = [];
      g.collections.widgets = [{ id: 1 }];
    });
    const g = await startGeostub({ port: 0, inMemory: true, fixtures: dir });
    try {
      expect(g.warnings).toEqual([
        expect.stringMatching(/^geonode\.json: collection "widgets" is not one geostub knows/),
        expect.stringMatching(/^geonode\.json: no user can log in .* give a user a password/),
      ]);
    } finally {
      await g.close();
    }
    const r = await serve(['--fixtures', dir]);
    expect(r.stdout).toMatch(/listening on/);
    expect(r.stdout).toMatch(/warning: geonode\.json: no user can log in/);
    // a token that names a user is a login too
    const withToken = await fixtures((g) => {
      for (const u of g.collections.users) delete u.password;
    });
    const g2 = await startGeostub({ port: 0, inMemory: true, fixtures: withToken });
    expect(g2.warnings).toEqual([]);
    await g2.close();
  });

  it('--watch checks a changed fixture file too: a broken edit is reported and the previous records kept', async () => {
    const dir = await fixtures(() => {});
    const lines: string[] = [];
    const running = await launch(
      { ...fastServeArgs(['serve', '--port', '0', '--in-memory'])!, fixtures: dir, watch: true },
      (l) => lines.push(l),
    );
    try {
      const data = JSON.parse(await readFile(join(dir, 'geonode.json'), 'utf8')) as Data;
      const pk = data.collections.resources[0].pk;
      const before = running.store.collection('resources').get(pk as string)?.title;
      data.collections.resources[0].title = 404;
      await writeFile(join(dir, 'geonode.json'), JSON.stringify(data));
      await until(() => lines.some((l) => l.startsWith('could not reload fixtures')), 'the failed reload');
      expect(lines.find((l) => l.startsWith('could not reload fixtures'))).toMatch(
        /geonode\.json: resources record 0 \(pk "?\d+"?\): field "title" must be string/,
      );
      expect(running.store.collection('resources').get(pk as string)?.title).toBe(before);
    } finally {
      await running.close();
    }
  });
});
