/** `geostub serve`: start the mock and say where it is. */
import { startGeostub, VERSION } from '../server/start.js';
import type { ServeArgs } from './serve-options.js';

export function fail(message: string): never {
  console.error(`geostub: ${message}`);
  process.exit(2);
}

export async function serve(args: ServeArgs): Promise<void> {
  try {
    const running = await startGeostub({
      port: args.port,
      host: args.host,
      db: args.db,
      inMemory: args['in-memory'],
      fixtures: args.fixtures,
      patchAll: args['patch-all'],
      bodyLimit: args['body-limit'],
      cors: args.cors,
      log: args.quiet ? undefined : (l) => console.log(`${l.method} ${l.url} ${l.status} ${l.ms.toFixed(1)}ms${l.error ? ` ${l.error}` : ''}`),
    });
    console.log(`geostub ${VERSION} listening on ${running.url}`);
    console.log(`  GeoNode API v2:   ${running.url}/api/v2/`);
    console.log(`  Koordinates:      ${running.url}/services/api/v1/data/`);
    console.log(`  data:             ${running.store.persistent ? (args.db ?? '.geostub/db.json') : 'in memory'}`);
    const stop = () => running.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') fail(`port ${args.port} is already in use; pick another with --port`);
    fail(e.message);
  }
}
