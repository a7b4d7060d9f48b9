/**
 * `serve`'s options checked before anything starts, so a mistake is one sentence naming the flag, the value and
 * what would work (exit 2), whichever parser read the command line (the fast path or yargs).
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServeArgs } from './serve-options.js';
import { SERVE_OPTIONS } from './serve-options.js';
import { faultUsage, unknownFaults } from '../server/faults/index.js';
import {
  fileWords,
  givenText,
  numberAtLeast,
  portNumber,
  readableFile,
  UsageError,
  wholeNumber,
  writableFilePath,
} from './usage.js';

/** A size express's body parser reads: bytes, or a number with kb, mb, gb, tb or pb. */
const SIZE = /^\d+(\.\d+)? *(b|kb|mb|gb|tb|pb)?$/i;

export const FIXTURE_FILES = ['geonode.json', 'koordinates.json'] as const;

/** A fixtures folder holds geonode.json and koordinates.json (what `geostub seed` and `geostub record` write). */
export async function checkFixturesFolder(flag: string, path: string): Promise<void> {
  const how = `give a folder holding ${FIXTURE_FILES.join(' and ')}, as \`geostub seed --out DIR\` or \`geostub record --out DIR\` make`;
  const s = await stat(path).catch((err: unknown) => {
    throw new UsageError(`--${flag} ${path}: the folder ${fileWords(err) ?? (err as Error).message}; ${how}`);
  });
  if (!s.isDirectory()) throw new UsageError(`--${flag} ${path} is a file, not a folder; ${how}`);
  const missing: string[] = [];
  for (const f of FIXTURE_FILES)
    if (
      !(await stat(join(path, f)).then(
        (x) => x.isFile(),
        () => false,
      ))
    )
      missing.push(f);
  if (missing.length) throw new UsageError(`--${flag} ${path} has no ${missing.join(' and no ')}; ${how}`);
}

/** Throws a UsageError for the first option that cannot work. `argv` is the command line, for the text as typed. */
export async function checkServeArgs(args: ServeArgs, argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const raw = (name: keyof typeof SERVE_OPTIONS) =>
    givenText(argv, name, (SERVE_OPTIONS[name] as { alias?: string }).alias);
  portNumber('port', args.port, raw('port'));
  if (typeof args.host !== 'string' || !args.host.trim()) {
    throw new UsageError(
      '--host needs an address: 127.0.0.1 (this machine only), 0.0.0.0 (every interface) or a name of this machine',
    );
  }
  if (typeof args['body-limit'] !== 'string' || !SIZE.test(args['body-limit'])) {
    throw new UsageError(
      `--body-limit "${String(args['body-limit'])}" is not a size: give bytes (1048576) or a number with a unit: 500kb, 1mb, 2gb`,
    );
  }
  numberAtLeast(
    'job-duration',
    args['job-duration'],
    raw('job-duration'),
    0,
    'milliseconds per step of an asynchronous job; 0 ends jobs at once',
  );
  numberAtLeast('cache-mb', args['cache-mb'], raw('cache-mb'), 0, 'megabytes of records kept in memory once read');
  wholeNumber(
    'lazy-from',
    args['lazy-from'],
    raw('lazy-from'),
    1,
    undefined,
    'records from which a collection stays on disk',
  );
  if (args.fault && unknownFaults(args.fault).length) throw new UsageError(`--fault: ${faultUsage(args.fault)}`);
  if (args.auth !== 'on' && args.auth !== 'off')
    throw new UsageError(`--auth takes on or off, not "${String(args.auth)}"`);
  if (args.geonode !== undefined && String(args.geonode) !== '4' && String(args.geonode) !== '5') {
    throw new UsageError(
      `--geonode takes 4 (GeoNode 4.4, the seed's API) or 5 (GeoNode 5.0), not "${String(args.geonode)}"`,
    );
  }
  if (!args['in-memory'])
    await writableFilePath(
      'db',
      args.db ?? join(process.cwd(), '.geostub', 'db.json'),
      'a file path in a folder you can write, or --in-memory',
    );
  if (args.fixtures !== undefined) await checkFixturesFolder('fixtures', args.fixtures);
  if (args.config !== undefined)
    await readableFile('config', args.config, 'config file', 'a JSON or YAML file of rules');
  if (!!args['tls-cert'] !== !!args['tls-key'])
    throw new UsageError('--tls-cert and --tls-key go together: give both files (or --tls for a self-signed pair)');
  for (const flag of ['tls-cert', 'tls-key'] as const) {
    const file = args[flag];
    const what = `a PEM ${flag === 'tls-cert' ? 'certificate' : 'private key'} file`;
    if (file !== undefined) {
      const s = await stat(file).catch((err: unknown) => {
        throw new UsageError(
          `cannot read the TLS files: --${flag} ${file} ${fileWords(err) ?? (err as Error).message}; give ${what}`,
        );
      });
      if (!s.isFile()) throw new UsageError(`cannot read the TLS files: --${flag} ${file} is not a file; give ${what}`);
    }
  }
}
