#!/usr/bin/env node
/** The geostub command line: serve | seed | lint. */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { contractPath, lintContract, loadContract } from '../src/contracts/load.js';
import { buildRouteTable, allOperations } from '../src/contracts/route-table.js';
import { startGeostub, VERSION } from '../src/server/start.js';
import { DEFAULT_SCALE, DEFAULT_SEED, writeFixtures } from '../src/fixtures/index.js';

const fail = (message: string): never => {
  console.error(`geostub: ${message}`);
  process.exit(2);
};

await yargs(hideBin(process.argv))
  .scriptName('geostub')
  .version(VERSION)
  .usage('$0 <command> [options]\n\nA mock GeoNode REST API v2 and Koordinates Data Catalog API on localhost, driven by OpenAPI contracts.')
  .command(
    'serve',
    'Serve both APIs (GeoNode at /api/v2/, the catalogue at /services/api/v1/)',
    (y) =>
      y
        .option('port', { alias: 'p', type: 'number', default: 8000, describe: 'port to listen on (0 = any free port)' })
        .option('host', { type: 'string', default: '127.0.0.1', describe: 'interface to bind (0.0.0.0 for every interface)' })
        .option('db', { type: 'string', describe: 'lowdb JSON file [default: .geostub/db.json under the working directory]' })
        .option('in-memory', { type: 'boolean', default: false, describe: 'keep the data in memory only; nothing is written' })
        .option('fixtures', { type: 'string', describe: 'directory with geonode.json and koordinates.json (from `geostub seed`) to load on first start' })
        .option('patch-all', { type: 'boolean', default: true, describe: 'dynamic-rest patch-all on list PATCH (stock GeoNode has it off: --no-patch-all)' })
        .option('body-limit', { type: 'string', default: '1mb', describe: 'largest request body; larger ones get 413' })
        .option('cors', { type: 'boolean', default: true, describe: 'send CORS headers (--no-cors to turn off)' })
        .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'no per-request log lines' })
        .example('$0 serve', 'serve the seed fixtures on http://127.0.0.1:8000')
        .example('$0 serve --in-memory --port 0', 'a throw-away instance on a free port')
        .example('$0 seed --scale 10000 --out big && $0 serve --fixtures big --db big/db.json', 'serve 10,000 resources'),
    async (argv) => {
      try {
        const running = await startGeostub({
          port: argv.port,
          host: argv.host,
          db: argv.db,
          inMemory: argv['in-memory'],
          fixtures: argv.fixtures,
          patchAll: argv['patch-all'],
          bodyLimit: argv['body-limit'],
          cors: argv.cors,
          log: argv.quiet ? undefined : (l) => console.log(`${l.method} ${l.url} ${l.status} ${l.ms.toFixed(1)}ms${l.error ? ` ${l.error}` : ''}`),
        });
        console.log(`geostub ${VERSION} listening on ${running.url}`);
        console.log(`  GeoNode API v2:   ${running.url}/api/v2/`);
        console.log(`  Koordinates:      ${running.url}/services/api/v1/data/`);
        console.log(`  data:             ${running.store.persistent ? (argv.db ?? '.geostub/db.json') : 'in memory'}`);
        const stop = () => running.close().then(() => process.exit(0));
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        if (e.code === 'EADDRINUSE') fail(`port ${argv.port} is already in use; pick another with --port`);
        fail(e.message);
      }
    },
  )
  .command(
    'seed',
    'Generate deterministic fixtures (same seed and scale ⇒ the same bytes)',
    (y) =>
      y
        .option('seed', { type: 'number', default: DEFAULT_SEED, describe: 'faker seed' })
        .option('scale', { type: 'number', default: DEFAULT_SCALE, describe: 'number of GeoNode resources and of catalogue items' })
        .option('out', { type: 'string', default: 'fixtures', describe: 'output directory' })
        .example('$0 seed --seed 7 --scale 10000 --out /tmp/big', 'a 10,000-resource data set'),
    async (argv) => {
      if (!Number.isInteger(argv.scale) || argv.scale < 1) fail('--scale must be a positive whole number');
      if (!Number.isInteger(argv.seed)) fail('--seed must be a whole number');
      const started = Date.now();
      const { files, bytes } = await writeFixtures({ seed: argv.seed, scale: argv.scale, out: argv.out, progress: (l) => console.log(l) });
      console.log(`wrote ${files.join(', ')} (${(bytes / 1e6).toFixed(1)} MB) in ${Date.now() - started} ms`);
    },
  )
  .command(
    'lint [files..]',
    'Validate the contracts (OpenAPI 3.0, plus geostub\'s x-geostub-behaviour bindings); exit 1 on any problem',
    (y) =>
      y
        .positional('files', { type: 'string', array: true, describe: 'contract files [default: both of geostub\'s contracts]' })
        .example('$0 lint', 'check contracts/geonode-v2.yaml and contracts/koordinates-catalog.yaml'),
    async (argv) => {
      const files = argv.files?.length ? argv.files : [contractPath('geonode'), contractPath('koordinates')];
      const problems: string[] = [];
      let count = 0;
      for (const file of files) {
        const found = await lintContract(file);
        if (!found.length) {
          const contract = await loadContract(file).catch((err: Error) => (problems.push(`${file}: ${err.message}`), undefined));
          if (contract) {
            const ops = allOperations(buildRouteTable([contract]));
            count += ops.length;
            for (const op of ops) if (op.behaviour === 'unbound') found.push(`${file}: ${op.operationId} (${op.method.toUpperCase()} ${op.path}) has no x-geostub-behaviour`);
          }
        }
        problems.push(...found);
      }
      if (problems.length) {
        for (const p of problems) console.error(p);
        console.error(`geostub lint: ${problems.length} problem(s)`);
        process.exit(1);
      }
      console.log(`contracts OK: ${count} operations in ${files.join(', ')}`);
    },
  )
  .demandCommand(1, 'Name a command: serve, seed or lint (geostub --help lists them).')
  .strict()
  .help()
  .parseAsync();
