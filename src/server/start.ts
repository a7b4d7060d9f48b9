/** Starting and stopping a geostub server: contracts → routes + validators, store, express app, listen. */
import { createServer as createHttp, type RequestListener, type Server } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadContracts, PACKAGE_ROOT, type Contract } from '../contracts/load.js';
import { allOperations, buildRouteTable } from '../contracts/route-table.js';
import {
  DEFAULT_GEONODE_RELEASE,
  GEONODE_RELEASES,
  isGeonodeRelease,
  type GeonodeRelease,
} from '../contracts/release.js';
import { ContractValidators } from '../contracts/validators.js';
import { openStore, readFixtureFiles, type CollectionSpec, type LazyOptions, type Store } from '../store/index.js';
import { checkFixtureFile, FixtureError, type FixtureSchemas } from '../contracts/fixture-check.js';
import { GEONODE_FIXTURE_SCHEMAS, geonodeFixtureWarnings } from '../apis/geonode/fixtures-check.js';
import { KOORDINATES_FIXTURE_SCHEMAS } from '../apis/koordinates/fixtures-check.js';
import type { Env, ServerSettings } from '../core/types.js';
import { Clock, isoAt } from '../core/clock.js';
import { JobScheduler } from '../core/jobs.js';
import { EXECUTION_JOB, HARVESTER_JOB, MANAGEMENT_JOB } from '../apis/geonode/actions/index.js';
import { geonodeBinding, GEONODE_STORE } from '../apis/geonode/index.js';
import { koordinatesBinding, KOORDINATES_STORE } from '../apis/koordinates/index.js';
import { geonodeInspectorAccess } from '../apis/geonode/inspector-access.js';
import { buildApp } from './app.js';
import { ExchangeLog } from './request-log.js';
import { faultUsage, unknownFaults } from './faults/index.js';
import type { RouteLookup } from './request.js';
import { answerClientErrors } from './limits.js';
import { Resilience } from './resilience.js';
import { resilienceSettings, type ResilienceOptions } from './resilience-config.js';
import type { Route } from '../contracts/route-table.js';
import { adminRuleFor, checkAdminToken } from './admin-access.js';
import type { AdminGate, AdminRule } from './admin-rules.js';
import { normaliseOrigin } from './cors.js';

/** What `startGeostub` / `createGeostubApp` take (the CLI's serve options; the programmatic API's `GeostubOptions`
 *  in src/index.ts is built on it). */
export interface ServerStartOptions extends ResilienceOptions {
  port?: number;
  host?: string;
  /** database file (its journal lives beside it); default `.geostub/db.json` under the working directory */
  db?: string;
  inMemory?: boolean;
  /** directory holding geonode.json and koordinates.json; default the package's `fixtures/` */
  fixtures?: string;
  patchAll?: boolean;
  /** the GeoNode release profile: 4 (default, the seed's API) or 5 (GeoNode 5.0's routes, authentication and shapes) */
  geonode?: GeonodeRelease;
  /** `off`: every request acts as the superuser, whatever it sends (not faithful; for quick front-end work) */
  auth?: 'on' | 'off';
  bodyLimit?: string;
  cors?: boolean;
  /** origins (`http://devbox:5173`) allowed to call with the browser's credentials, besides loopback ones */
  corsOrigins?: string[];
  /** keep credentials in clear in the request log and the inspector (local debugging only; default masked) */
  showSecrets?: boolean;
  /** a secret (16+ characters) that opens the admin routes and the inspector when not listening on loopback */
  adminToken?: string;
  /** open the admin routes and the inspector to every caller even when not listening on loopback */
  adminOpen?: boolean;
  /** serve https with this PEM pair (`selfSignedCertificate()` in `src/server/tls.ts` makes one for localhost) */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** ms each step of an asynchronous job takes on the server's virtual clock (default 1500; 0 = jobs end before
   *  the request that started them is answered) */
  jobDuration?: number;
  /** planted faults, by name (`src/server/faults/`; the conformance tests use them); an unknown name throws */
  faults?: string[];
  /**
   * collections of `from` records or more (default 5,000) stay on disk (the db file and its journal) and are read
   * record by record when needed; `cacheMB` of their JSON (default 8) are kept in memory once read
   */
  lazy?: LazyOptions;
  /** the route table's match function (default `matchRoute`); a test wraps it to count lookups per request */
  routeLookup?: RouteLookup;
  /** one line per request */
  log?: (line: { method: string; url: string; status: number; ms: number; error?: string }) => void;
}

export interface RunningGeostub {
  url: string;
  port: number;
  store: Store;
  env: Env;
  server: Server;
  /** every answered request (ring buffer + `exchange` events) */
  exchanges: ExchangeLog;
  /** what looked doubtful in the fixtures when they were loaded (nobody can log in, unknown collections) */
  warnings: string[];
  /** the contract route table in use (watch mode swaps its contents when the contracts change) */
  routes: Route[];
  /** who may use the state-changing admin routes and the inspector, from the address listened on */
  adminRule: AdminRule;
  /** inspector event streams open now */
  eventStreams(): number;
  close(): Promise<void>;
}

export const VERSION = '0.1.0';
/** ms per job step unless `jobDuration` says otherwise: short, but long enough for a front end to show progress */
export const DEFAULT_JOB_DURATION = 1500;

/** every store collection of both APIs with its id rule */
export const STORE_SPECS: Record<string, CollectionSpec> = { ...GEONODE_STORE, ...KOORDINATES_STORE };
const FIXTURE_SCHEMAS: FixtureSchemas = { ...GEONODE_FIXTURE_SCHEMAS, ...KOORDINATES_FIXTURE_SCHEMAS };

/**
 * The fixture files of `dir`, each checked against the contracts before any record is served: problems (records the
 * API could not have answered) throw a FixtureError listing them; doubtful things (nobody can log in, collections
 * this version does not know) are pushed to `warnings`. geostub's own fixtures are not checked record by record
 * (`check` false; a test keeps them valid), which keeps a start ~0.5 s faster: compiling the checks is most of it.
 */
export async function readCheckedFixtures(
  dir: string,
  specs: Record<string, CollectionSpec>,
  contracts: Contract[],
  validators: ContractValidators,
  warnings: string[],
  check = true,
): Promise<Record<string, Record<string, unknown>[]>> {
  const merged: Record<string, Record<string, unknown>[]> = {};
  const problems: string[] = [];
  const found: string[] = [];
  for (const name of ['geonode.json', 'koordinates.json']) {
    const file = join(dir, name);
    const collections = await readFixtureFiles([file]);
    if (check) problems.push(...checkFixtureFile(name, collections, specs, FIXTURE_SCHEMAS, contracts, validators));
    for (const c of Object.keys(collections)) {
      if (!specs[c])
        found.push(
          `${name}: collection "${c}" is not one geostub knows (a typo, or data from another version?); it is not served`,
        );
    }
    if (name === 'geonode.json') found.push(...geonodeFixtureWarnings(name, collections));
    Object.assign(merged, collections);
  }
  if (problems.length) throw new FixtureError(problems.map((p) => `${dir}/${p}`));
  for (const w of found) if (!warnings.includes(w)) warnings.push(w);
  return merged;
}

/** What `createGeostubApp` builds. `app` is typed as node's request listener (it is an express app) so that the
 *  published types need no `@types/express`. */
export interface GeostubApp {
  app: RequestListener;
  env: Env;
  routes: Route[];
  store: Store;
  contracts: Contract[];
  exchanges: ExchangeLog;
  resilience: Resilience;
  /** what the fixtures check found doubtful (nobody can log in, unknown collections) */
  warnings: string[];
  admin: AdminGate;
  streams: { open: number };
}

export async function createGeostubApp(options: ServerStartOptions = {}): Promise<GeostubApp> {
  if (options.faults && unknownFaults(options.faults).length) throw new Error(faultUsage(options.faults));
  const release = options.geonode ?? DEFAULT_GEONODE_RELEASE;
  if (!isGeonodeRelease(release))
    throw new Error(`geonode must be one of ${GEONODE_RELEASES.join(', ')} (got ${String(options.geonode)})`);
  const contracts = await loadContracts(PACKAGE_ROOT, release);
  const routes = buildRouteTable(contracts);
  const validators = new ContractValidators(contracts);
  const fixturesDir = resolve(options.fixtures ?? join(PACKAGE_ROOT, 'fixtures'));
  const specs = STORE_SPECS;
  const warnings: string[] = [];
  const store = await openStore({
    file: options.inMemory ? undefined : resolve(options.db ?? join(process.cwd(), '.geostub', 'db.json')),
    inMemory: options.inMemory,
    seed: () =>
      readCheckedFixtures(
        fixturesDir,
        specs,
        contracts,
        validators,
        warnings,
        fixturesDir !== resolve(PACKAGE_ROOT, 'fixtures'),
      ),
    specs,
    lazy: options.lazy,
  });
  const settings: ServerSettings = {
    patchAll: options.patchAll ?? true,
    auth: options.auth ?? 'on',
    geonode: release,
    ...resilienceSettings(options),
    faults: [...(options.faults ?? [])],
  };
  const clock = new Clock();
  const env: Env = {
    store,
    contracts,
    validators,
    settings,
    persist: () => store.persist(),
    now: () => isoAt(clock.now()),
  };
  const jobDuration = options.jobDuration ?? DEFAULT_JOB_DURATION;
  if (!Number.isFinite(jobDuration) || jobDuration < 0)
    throw new Error(`jobDuration must be a number of milliseconds, 0 or more (got ${String(options.jobDuration)})`);
  const persistQuietly = () =>
    void store.persist().catch((err: unknown) => console.error('geostub: could not persist after a job step:', err));
  env.jobs = new JobScheduler(env, [EXECUTION_JOB, MANAGEMENT_JOB, HARVESTER_JOB], jobDuration, clock, persistQuietly);
  if (env.jobs.load().failed > 0) await store.persist(); // unfinished jobs resume; unusable ones end failed
  const exchanges = new ExchangeLog({ showSecrets: options.showSecrets });
  const admin: AdminGate = {
    rule: 'guarded', // until the server listens (startGeostub) and the address is known
    token: checkAdminToken(options.adminToken, 'adminToken'),
    origins: new Set((options.corsOrigins ?? []).map((o) => normaliseOrigin(o, 'corsOrigins').toLowerCase())),
    access: geonodeInspectorAccess(store),
  };
  const streams = { open: 0 };
  const apis = { geonode: geonodeBinding, koordinates: koordinatesBinding };
  const resilience = new Resilience(env, apis);
  const app = buildApp({
    exchanges,
    admin,
    streams,
    env,
    routes,
    apis,
    resilience,
    bodyLimit: options.bodyLimit ?? '1mb',
    cors: options.cors ?? true,
    corsOrigins: [...admin.origins],
    tls: !!options.tls,
    certificate: options.tls ? String(options.tls.cert) : undefined,
    version: VERSION,
    onRequest: options.log,
    routeLookup: options.routeLookup,
  });
  return { app, env, routes, store, contracts, exchanges, resilience, warnings, admin, streams };
}

export async function startGeostub(options: ServerStartOptions = {}): Promise<RunningGeostub> {
  const { app, env, store, routes, exchanges, resilience, warnings, admin, streams } = await createGeostubApp(options);
  const server = options.tls ? createHttps({ cert: options.tls.cert, key: options.tls.key }, app) : createHttp(app);
  answerClientErrors(server); // JSON 414/431/400 for requests node's parser refuses
  server.keepAliveTimeout = 5000;
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 8000, options.host ?? '127.0.0.1', () => ok());
  });
  const { port, address } = server.address() as AddressInfo;
  admin.rule = adminRuleFor(address, { adminOpen: options.adminOpen });
  const warming = env.validators.warmInBackground(allOperations(routes));
  const host = options.host && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : '127.0.0.1';
  const url = `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    port,
    store,
    env,
    server,
    exchanges,
    routes,
    warnings,
    adminRule: admin.rule,
    eventStreams: () => streams.open,
    close: () =>
      new Promise<void>((ok) => {
        warming.stop();
        resilience.close();
        env.jobs?.close();
        server.closeAllConnections?.();
        server.close(() => ok());
      }).then(() => store.close()),
  };
}
