/**
 * The `serve` options, written once: yargs builds its help and parser from this table, and the fast path below
 * reads the same table with node's `util.parseArgs`, so `geostub serve` starts without loading yargs (~60 ms).
 */
import { parseArgs } from 'node:util';

export interface OptionSpec {
  type: 'string' | 'number' | 'boolean';
  default?: string | number | boolean;
  alias?: string;
  /** repeatable: the value is a list */
  array?: boolean;
  describe: string;
}

export const SERVE_OPTIONS = {
  port: { type: 'number', default: 8000, alias: 'p', describe: 'port to listen on (0 = any free port)' },
  host: { type: 'string', default: '127.0.0.1', describe: 'interface to bind (0.0.0.0 for every interface)' },
  db: { type: 'string', describe: 'lowdb JSON file [default: .geostub/db.json under the working directory]' },
  'in-memory': { type: 'boolean', default: false, describe: 'keep the data in memory only; nothing is written' },
  fixtures: {
    type: 'string',
    describe: 'directory with geonode.json and koordinates.json (from `geostub seed`) loaded on first start',
  },
  geonode: {
    type: 'string',
    default: '4',
    describe:
      "GeoNode release profile: 4 (the seed's API, GeoNode 4.4) or 5 (GeoNode 5.0: anonymous callers get 401 + WWW-Authenticate, permission PUTs merge, no uploads list, the 5.x API families)",
  },
  'patch-all': {
    type: 'boolean',
    default: true,
    describe: 'dynamic-rest patch-all on list PATCH; --no-patch-all behaves like a stock GeoNode',
  },
  'body-limit': { type: 'string', default: '1mb', describe: 'largest request body; larger ones get 413' },
  cors: {
    type: 'boolean',
    default: true,
    describe:
      'send CORS headers (--no-cors to turn them off): credentials for loopback origins and --cors-origin ones, none for others',
  },
  'cors-origin': {
    type: 'string',
    array: true,
    describe:
      "an origin besides loopback ones that may call with the browser's credentials, e.g. http://devbox:5173 (repeatable)",
  },
  'show-secrets': {
    type: 'boolean',
    default: false,
    describe:
      'show credentials (Authorization, cookies, tokens, passwords) in clear in the request log and the inspector; local debugging only',
  },
  'admin-token': {
    type: 'string',
    describe:
      'a secret (16+ characters) that opens the admin routes and the inspector, as Authorization: Bearer TOKEN, when not listening on loopback',
  },
  'admin-open': {
    type: 'boolean',
    default: false,
    describe:
      'leave the admin routes (reset, settings, clock, jobs) and the inspector open to anyone even when not listening on loopback',
  },
  quiet: { type: 'boolean', default: false, alias: 'q', describe: 'no per-request log lines' },
  auth: {
    type: 'string',
    default: 'on',
    describe:
      'on: credentials and permissions as GeoNode checks them; off: every request acts as the superuser (quick front-end work, not faithful)',
  },
  'cache-mb': {
    type: 'number',
    default: 8,
    describe:
      'a collection of --lazy-from records or more stays on disk (db.json and its journal) and is read record by record; this many MB of its JSON are kept in memory once read (raise it to trade memory for faster filters on rarely used fields)',
  },
  'lazy-from': {
    type: 'number',
    default: 5000,
    describe:
      'collections of this many records or more (GeoNode resources and map layers, catalogue items) stay on disk from the next start; smaller ones are held in memory',
  },
  'job-duration': {
    type: 'number',
    default: 1500,
    describe:
      'ms each step of an asynchronous job (execution, upload, command, harvest) takes on the virtual clock; 0 = jobs end at once',
  },
  tls: {
    type: 'boolean',
    default: false,
    describe:
      'serve https with a self-signed certificate for localhost made at start (in memory; GET /__geostub/cert.pem serves it)',
  },
  'tls-cert': { type: 'string', describe: 'serve https with this PEM certificate (with --tls-key)' },
  'tls-key': { type: 'string', describe: 'the PEM private key of --tls-cert' },
  fault: {
    type: 'string',
    array: true,
    describe:
      'plant a named deviation from the contracts, to prove a conformance checker catches it (repeatable; an unknown name lists them)',
  },
  latency: {
    type: 'string',
    describe:
      'delay every API answer: 300 (ms) or a range 100-800 (drawn at random per request); change it at runtime with PATCH /__geostub/settings',
  },
  'error-rate': {
    type: 'string',
    describe:
      "answer this share of API requests (0 to 1, e.g. 0.05 or 5%) with 500, 502 or 503 in the real API's error shape",
  },
  config: {
    type: 'string',
    describe:
      'JSON or YAML file of per-route rules ([{"match": "GET /api/v2/datasets/*", "latency": "200-400", "errorRate": 0.5, "status": 503}]) or {latency, errorRate, rules}',
  },
  'log-format': {
    type: 'string',
    default: 'text',
    describe:
      'text: one line per request (coloured on a terminal); json: one JSON object per line (for CI logs and jq)',
  },
  watch: {
    type: 'boolean',
    default: false,
    describe: 'reload the fixtures and the contracts when their files change; writes made through the API are kept',
  },
  'watch-reset': {
    type: 'boolean',
    default: false,
    describe: 'with --watch: a fixture change resets the store to the new fixtures (drops writes)',
  },
} as const satisfies Record<string, OptionSpec>;

export type ServeArgs = {
  port: number;
  host: string;
  db?: string;
  'in-memory': boolean;
  fixtures?: string;
  geonode?: string;
  'patch-all': boolean;
  'body-limit': string;
  cors: boolean;
  'cors-origin'?: string[];
  'show-secrets'?: boolean;
  'admin-token'?: string;
  'admin-open'?: boolean;
  quiet: boolean;
  auth: string;
  'cache-mb': number;
  'lazy-from': number;
  'job-duration': number;
  tls: boolean;
  'tls-cert'?: string;
  'tls-key'?: string;
  fault?: string[];
  latency?: string;
  'error-rate'?: string | number;
  config?: string;
  'log-format'?: string;
  watch?: boolean;
  'watch-reset'?: boolean;
};

/**
 * `serve` arguments read without yargs, or undefined when anything is unusual (help, a typo, a bad number):
 * the caller then hands the command line to yargs, which explains the problem.
 */
export function fastServeArgs(argv: string[]): ServeArgs | undefined {
  if (argv[0] !== 'serve' || argv.some((a) => a === '--help' || a === '-h' || a === '--version')) return undefined;
  const specs = SERVE_OPTIONS as Record<string, OptionSpec>;
  const negated: Record<string, boolean> = {};
  const rest = argv.slice(1).filter((a) => {
    const m = /^--no-(.+)$/.exec(a);
    if (m && specs[m[1]]?.type === 'boolean') return !(negated[m[1]] = false);
    return true;
  });
  const options = Object.fromEntries(
    Object.entries(specs).map(([name, s]) => [
      name,
      {
        type: s.type === 'boolean' ? 'boolean' : 'string',
        ...(s.alias ? { short: s.alias } : {}),
        ...(s.array ? { multiple: true } : {}),
      },
    ]),
  ) as Parameters<typeof parseArgs>[0] extends infer C ? (C extends { options?: infer O } ? O : never) : never;
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: rest, options, strict: true, allowPositionals: false }).values as Record<
      string,
      string | boolean | undefined
    >;
  } catch {
    return undefined;
  }
  const out: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(specs)) {
    const v = name in negated ? negated[name] : values[name];
    if (v === undefined) out[name] = s.default;
    else if (s.type === 'number') {
      if (typeof v !== 'string' || !/^\d+(\.\d+)?$/.test(v)) return undefined;
      out[name] = Number(v);
    } else out[name] = v;
  }
  return out as ServeArgs;
}
