/** `geostub serve`: start the mock and say where it is. */
import { startGeostub, VERSION, type RunningGeostub } from '../server/start.js';
import type { ServeArgs } from './serve-options.js';
import { readTlsFiles, selfSignedCertificate, type TlsMaterial } from '../server/tls.js';
import { parseErrorRate, parseLatency, readResilienceConfig } from '../server/resilience-config.js';
import { logExchanges, parseLogFormat, useColor } from './log-format.js';
import { join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { PACKAGE_ROOT } from '../contracts/load.js';
import { DEFAULT_GEONODE_RELEASE } from '../contracts/release.js';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { checkServeArgs } from './serve-checks.js';
import { fileProblem } from './usage.js';
import { FixtureError } from '../contracts/fixture-check.js';
import { checkAdminToken, describeAdminRule } from '../server/admin-access.js';
import { normaliseOrigin } from '../server/cors.js';

export function fail(message: string): never {
  console.error(`geostub: ${message}`);
  process.exit(2);
}

/** `--tls-cert`/`--tls-key` (both or neither), else `--tls` makes a self-signed pair; undefined = plain http. */
async function tlsMaterial(args: ServeArgs): Promise<TlsMaterial | undefined> {
  const cert = args['tls-cert'],
    key = args['tls-key'];
  if (!!cert !== !!key)
    throw new Error('--tls-cert and --tls-key go together: give both files (or --tls for a self-signed pair)');
  if (cert && key) {
    let files: TlsMaterial;
    try {
      files = await readTlsFiles(cert, key);
    } catch (err) {
      throw new Error(`cannot read the TLS files: ${fileProblem(err) ?? (err as Error).message}`);
    }
    try {
      new X509Certificate(files.cert);
    } catch {
      throw new Error(
        `--tls-cert ${cert} holds no PEM certificate (a "-----BEGIN CERTIFICATE-----" block); give the certificate file`,
      );
    }
    try {
      createPrivateKey(files.key);
    } catch {
      throw new Error(
        `--tls-key ${key} holds no PEM private key (a "-----BEGIN PRIVATE KEY-----" block); give the key file of --tls-cert`,
      );
    }
    return files;
  }
  return args.tls ? selfSignedCertificate({ hosts: [args.host] }) : undefined;
}

/** Starts the server for `serve`'s arguments and prints where it is (through `print`). */
export async function launch(
  args: ServeArgs,
  print: (line: string) => void = console.log,
  argv?: readonly string[],
): Promise<RunningGeostub> {
  await checkServeArgs(args, argv);
  const geonode = Number(args.geonode ?? DEFAULT_GEONODE_RELEASE) === 5 ? 5 : 4; // checked by checkServeArgs
  const format = parseLogFormat(args['log-format']);
  if (args['watch-reset'] && !args.watch) throw new Error('--watch-reset goes with --watch');
  const fromFile = args.config ? await readResilienceConfig(args.config) : {};
  const tls = await tlsMaterial(args);
  const adminToken = checkAdminToken(args['admin-token'], '--admin-token');
  const corsOrigins = (args['cors-origin'] ?? []).map((o) => normaliseOrigin(o, '--cors-origin'));
  if (corsOrigins.length && !args.cors)
    throw new Error('--cors-origin goes with CORS on: drop --no-cors (or the --cors-origin)');
  const running = await startGeostub({
    tls,
    port: args.port,
    host: args.host,
    db: args.db,
    inMemory: args['in-memory'],
    fixtures: args.fixtures,
    patchAll: args['patch-all'],
    geonode,
    auth: args.auth === 'off' ? 'off' : 'on',
    bodyLimit: args['body-limit'],
    cors: args.cors,
    corsOrigins,
    showSecrets: args['show-secrets'],
    adminToken,
    adminOpen: args['admin-open'],
    jobDuration: args['job-duration'],
    lazy: { cacheMB: args['cache-mb'], from: args['lazy-from'] },
    faults: args.fault,
    latency: args.latency === undefined ? fromFile.latency : parseLatency(args.latency, '--latency'),
    errorRate:
      args['error-rate'] === undefined ? fromFile.errorRate : parseErrorRate(args['error-rate'], '--error-rate'),
    rules: fromFile.rules,
  });
  const stops: (() => void)[] = [];
  if (!args.quiet) stops.push(logExchanges(running.exchanges, { format, color: useColor() }, print));
  const lines: [string, string][] = [
    ['GeoNode API v2', `${running.url}/api/v2/`],
    [
      'profile',
      geonode === 5 ? 'GeoNode 5.0 (--geonode 5)' : "GeoNode 4.4, the seed's API (--geonode 4; 5 serves GeoNode 5.0)",
    ],
    ['Koordinates', `${running.url}/services/api/v1/data/`],
    ['docs', `${running.url}/api/v2/schema/swagger-ui/ (the API reference; also at /api/v2/schema/redoc/)`],
    ['inspector', `${running.url}/__geostub/`],
    ['admin routes', `${describeAdminRule(running.adminRule, !!adminToken)}; inspector too`],
    ['data', running.store.persistent ? (args.db ?? '.geostub/db.json') : 'in memory'],
  ];
  lines.push([
    'secrets',
    args['show-secrets']
      ? 'SHOWN in clear in the log and the inspector (--show-secrets: local debugging only)'
      : 'masked in the log and the inspector (--show-secrets to see them)',
  ]);
  if (args.cors)
    lines.push([
      'cors',
      `credentials for loopback origins${corsOrigins.length ? ` and ${corsOrigins.join(', ')}` : ''}; other origins get answers without credentials`,
    ]);
  if (args.auth === 'off') lines.push(['auth', 'off: every request acts as the superuser (not faithful)']);
  if (tls && !args['tls-cert'])
    lines.push(['certificate', `self-signed for localhost, 127.0.0.1 (${running.url}/__geostub/cert.pem)`]);
  const s = running.env.settings;
  if (s.latency || s.errorRate || s.rules.length) {
    const parts = [
      s.latency
        ? `latency ${s.latency.min === s.latency.max ? s.latency.min : `${s.latency.min}-${s.latency.max}`} ms`
        : '',
      s.errorRate ? `error rate ${s.errorRate}` : '',
      s.rules.length ? `${s.rules.length} rule(s)${args.config ? ` from ${args.config}` : ''}` : '',
    ];
    lines.push(['resilience', `${parts.filter(Boolean).join(', ')} (GET/PATCH ${running.url}/__geostub/settings)`]);
  }
  if (args.watch) {
    const { watchGeostub } = await import('../server/watch.js');
    const fixtures = resolve(args.fixtures ?? join(PACKAGE_ROOT, 'fixtures'));
    const watcher = await watchGeostub(running, {
      fixtures,
      reset: args['watch-reset'],
      onReload: (e) =>
        print(
          format === 'json'
            ? JSON.stringify({ event: 'reload', ...e })
            : e.ok
              ? `reloaded ${e.what}: ${e.summary}`
              : `could not reload ${e.what} (still serving the previous ones): ${e.error}`,
        ),
    });
    stops.push(() => watcher.close());
    lines.push([
      'watching',
      `${fixtures} and the contracts${args['watch-reset'] ? ' (a fixture change resets the store)' : ' (writes are kept)'}`,
    ]);
  }
  if (format === 'json')
    print(
      JSON.stringify({
        event: 'listening',
        version: VERSION,
        url: running.url,
        ...Object.fromEntries(lines.map(([k, v]) => [k.split(' ')[0].toLowerCase(), v])),
      }),
    );
  else {
    print(`geostub ${VERSION} listening on ${running.url}`);
    for (const [k, v] of lines) print(`  ${`${k}:`.padEnd(18)}${v}`);
  }
  for (const w of running.warnings)
    print(format === 'json' ? JSON.stringify({ event: 'warning', message: w }) : `warning: ${w}`);
  const close = running.close;
  running.close = () => {
    for (const stop of stops) stop();
    return close();
  };
  return running;
}

/**
 * V8 grows its heap by up to 4× the live data between full collections while a server allocates fast, which a
 * long-lived mock pays for in garbage headroom. Once the store is loaded (a phase that wants the default, fewer
 * collections while it allocates), the CLI server lets the heap grow by 50% instead: more frequent collections for
 * less resident memory, which matters most when large collections are held in memory rather than on disk. Only the
 * CLI does this: `startGeostub` runs in its caller's process, whose settings are the caller's.
 */
const HEAP_GROWTH_FLAG = '--heap-growing-percent=50';

/** A start failure the options explain, in words naming the option (undefined: not one of those). */
export function startProblem(
  err: unknown,
  args: { port: number; host: string; db?: string; fixtures?: string },
): string | undefined {
  const e = err as NodeJS.ErrnoException & { hostname?: string };
  switch (e.code) {
    case 'EADDRINUSE':
      return `--port ${args.port}: port ${args.port} is already in use; pick another with --port (0 picks any free port)`;
    case 'EACCES':
      if (e.syscall === 'listen')
        return `--port ${args.port} needs administrator rights; pick one above 1023 (0 picks any free port)`;
      break;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EADDRNOTAVAIL':
      return `--host "${args.host}" is not an address of this machine; give 127.0.0.1 (this machine only), 0.0.0.0 (every interface) or one of its own addresses`;
  }
  const words = fileProblem(err);
  if (words) {
    const path = e.path ?? '';
    const flag = args.fixtures && path.startsWith(resolve(args.fixtures)) ? '--fixtures' : '--db';
    return `${flag}: cannot use the files it names: ${words}; ${flag === '--db' ? 'give a file path in a folder you can write (or --in-memory)' : 'give a folder holding geonode.json and koordinates.json'}`;
  }
  return undefined;
}

export async function serve(args: ServeArgs): Promise<void> {
  try {
    const running = await launch(args);
    setFlagsFromString(HEAP_GROWTH_FLAG);
    const stop = () => running.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (err) {
    if (err instanceof FixtureError) {
      // not a usage mistake: the data cannot be served (exit 1, as any failed start)
      console.error(`geostub: ${err.message}`);
      process.exit(1);
    }
    fail(startProblem(err, args) ?? (err as Error).message);
  }
}
