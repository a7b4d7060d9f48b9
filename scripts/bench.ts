/**
 * `npm run bench`: geostub measured against ceilings run in the same process launch, reported as ratios
 * (absolute numbers drift between launches on these machines; ratios from one launch do not).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFixtures } from '../src/fixtures/index.js';
import { median, timeToFirstResponse } from './bench-startup.js';
import { measure, ratio, type Target } from './bench-throughput.js';
import { durabilitySection } from './bench-durability.js';
import { walkSection } from './bench-walk.js';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', 'bin', 'geostub.js');
const bare = join(here, 'bare-express.js');
const ceiling = join(here, 'ceiling-server.js');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

async function startupSection(work: string, big: string): Promise<void> {
  const serve = (extra: string[]) => (port: number) => [cli, 'serve', '--quiet', '--port', String(port), ...extra];
  // warm db files: the first start copies fixtures in, later starts read the db
  const defaultDb = join(work, 'default-db.json');
  const bigDb = join(work, 'big-db.json');
  await timeToFirstResponse(serve(['--db', defaultDb]), '/api/v2/');
  await timeToFirstResponse(serve(['--db', bigDb, '--fixtures', big]), '/api/v2/');
  const rows: Record<string, number[]> = { bare: [], default: [], defaultInMemory: [], scale10k: [] };
  for (let i = 0; i < ROUNDS; i++) {
    rows.bare.push(await timeToFirstResponse((port) => [bare, String(port)], '/api/v2/'));
    rows.default.push(await timeToFirstResponse(serve(['--db', defaultDb]), '/api/v2/'));
    rows.defaultInMemory.push(await timeToFirstResponse(serve(['--in-memory']), '/api/v2/'));
    rows.scale10k.push(await timeToFirstResponse(serve(['--db', bigDb, '--fixtures', big]), '/api/v2/resources/'));
  }
  const b = median(rows.bare);
  console.log(`\nstartup to first response (median of ${ROUNDS}, spawn → first 200)`);
  console.log(`  bare express 5 + ajv server            ${b.toFixed(0).padStart(6)} ms   1.00×`);
  for (const [label, key] of [
    ['geostub, default fixtures (db file)', 'default'],
    ['geostub, default fixtures (in memory)', 'defaultInMemory'],
    ['geostub, 10,000 resources (db file)', 'scale10k'],
  ] as const) {
    const m = median(rows[key]);
    console.log(`  ${label.padEnd(38)} ${m.toFixed(0).padStart(6)} ms   ${(m / b).toFixed(2)}×`);
  }
  console.log('  targets: default < 1.5× bare; 10,000 resources < 3000 ms');
}

const FILTERED =
  '/api/v2/resources/?filter{title.icontains}=flood&filter{resource_type.in}=dataset&filter{resource_type.in}=map&sort[]=-date&include[]=data';

async function throughputSection(big: string): Promise<void> {
  const geostubArgs = (port: number) => [
    cli,
    'serve',
    '--quiet',
    '--in-memory',
    '--fixtures',
    big,
    '--port',
    String(port),
  ];
  const targets: Target[] = [
    {
      label: 'slice ceiling (node:http)',
      args: (p) => [ceiling, 'slice', join(big, 'geonode.json'), String(p)],
      path: '/',
    },
    {
      label: 'naive filter ceiling (node:http)',
      args: (p) => [ceiling, 'naive', join(big, 'geonode.json'), String(p)],
      path: '/',
    },
    { label: 'geostub: default list page', args: geostubArgs, path: '/api/v2/resources/' },
    { label: 'geostub: filtered, sorted list + include[]=data', args: geostubArgs, path: FILTERED },
    {
      label: 'geostub: catalogue page, filtered + sorted',
      args: geostubArgs,
      path: '/services/api/v1/data/?kind=vector&kind=raster&public=true&sort=name&page_size=20',
    },
  ];
  console.log(
    `\nthroughput with 10,000 resources (autocannon, 32 connections, ${SECONDS} s × ${ROUNDS} rounds, medians)`,
  );
  const rows = await measure(targets, ROUNDS, SECONDS);
  for (const t of targets)
    console.log(`  ${t.label.padEnd(50)} ${median(rows.get(t.label)!).toFixed(0).padStart(7)} req/s`);
  const slice = targets[0].label;
  const naive = targets[1].label;
  console.log('  ratios (per round, median):');
  console.log(
    `    (a) default list page / slice ceiling          ${ratio(rows, targets[2].label, slice).toFixed(2)}×   target ≥ 0.40`,
  );
  console.log(
    `    (b) filtered list / naive filter ceiling       ${ratio(rows, targets[3].label, naive).toFixed(2)}×   target ≥ 1.0`,
  );
  console.log(
    `    (c) catalogue page / slice ceiling             ${ratio(rows, targets[4].label, slice).toFixed(2)}×   target ≥ 0.40`,
  );
}

const work = await mkdtemp(join(tmpdir(), 'geostub-bench-'));
const big = join(work, 'scale-10000');
const only = process.env.BENCH_ONLY;
if (only !== 'durability') {
  console.log('generating 10,000-resource fixtures…');
  await writeFixtures({ seed: 42, scale: 10_000, out: big });
}
if (!only || only === 'startup') await startupSection(work, big);
if (!only || only === 'throughput') await throughputSection(big);
if (!only || only === 'walk') await walkSection(cli, work, big, ROUNDS, SECONDS);
if (!only || only === 'durability') {
  const sizes = (process.env.BENCH_DURABILITY_SIZES ?? '10000,100000').split(',').map(Number);
  await durabilitySection(cli, work, sizes, ROUNDS, SECONDS);
}
await rm(work, { recursive: true, force: true });
