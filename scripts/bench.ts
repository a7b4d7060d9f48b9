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

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', 'bin', 'geostub.js');
const bare = join(here, 'bare-express.js');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

async function startupSection(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'geostub-bench-'));
  const big = join(work, 'scale-10000');
  console.log('generating 10,000-resource fixtures…');
  await writeFixtures({ seed: 42, scale: 10_000, out: big });
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
  await rm(work, { recursive: true, force: true });
}

await startupSection();
