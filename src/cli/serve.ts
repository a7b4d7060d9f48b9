/** `geostub serve`: start the mock and say where it is. */
import { startGeostub, VERSION, type RunningGeostub } from '../server/start.js';
import type { ServeArgs } from './serve-options.js';
import { readTlsFiles, selfSignedCertificate, type TlsMaterial } from '../server/tls.js';

export function fail(message: string): never {
  console.error(`geostub: ${message}`);
  process.exit(2);
}

/** `--tls-cert`/`--tls-key` (both or neither), else `--tls` makes a self-signed pair; undefined = plain http. */
async function tlsMaterial(args: ServeArgs): Promise<TlsMaterial | undefined> {
  const cert = args['tls-cert'], key = args['tls-key'];
  if (!!cert !== !!key) throw new Error('--tls-cert and --tls-key go together: give both files (or --tls for a self-signed pair)');
  if (cert && key) {
    try {
      return await readTlsFiles(cert, key);
    } catch (err) {
      throw new Error(`cannot read the TLS files: ${(err as Error).message}`);
    }
  }
  return args.tls ? selfSignedCertificate({ hosts: [args.host] }) : undefined;
}

/** Starts the server for `serve`'s arguments and prints where it is (through `print`). */
export async function launch(args: ServeArgs, print: (line: string) => void = console.log): Promise<RunningGeostub> {
  if (args.auth !== 'on' && args.auth !== 'off') throw new Error(`--auth takes on or off, not "${args.auth}"`);
  const tls = await tlsMaterial(args);
  const running = await startGeostub({
    tls,
    port: args.port,
    host: args.host,
    db: args.db,
    inMemory: args['in-memory'],
    fixtures: args.fixtures,
    patchAll: args['patch-all'],
    auth: args.auth === 'off' ? 'off' : 'on',
    bodyLimit: args['body-limit'],
    cors: args.cors,
    jobDuration: args['job-duration'],
    faults: args.fault,
    log: args.quiet ? undefined : (l) => print(`${l.method} ${l.url} ${l.status} ${l.ms.toFixed(1)}ms${l.error ? ` ${l.error}` : ''}`),
  });
  print(`geostub ${VERSION} listening on ${running.url}`);
  print(`  GeoNode API v2:   ${running.url}/api/v2/`);
  print(`  Koordinates:      ${running.url}/services/api/v1/data/`);
  print(`  data:             ${running.store.persistent ? (args.db ?? '.geostub/db.json') : 'in memory'}`);
  if (args.auth === 'off') print('  auth:             off: every request acts as the superuser (not faithful)');
  if (tls && !args['tls-cert']) print(`  certificate:      self-signed for localhost, 127.0.0.1 (${running.url}/__geostub/cert.pem)`);
  return running;
}

export async function serve(args: ServeArgs): Promise<void> {
  try {
    const running = await launch(args);
    const stop = () => running.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') fail(`port ${args.port} is already in use; pick another with --port`);
    fail(e.message);
  }
}
