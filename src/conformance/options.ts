/**
 * `geostub conform` options, written once: yargs builds help and parsing from this table, and
 * `conformOptionsFrom` turns parsed arguments into ConformOptions or a usage error (exit 2). No heavy imports.
 */
import type { ApiName, ConformOptions } from './types.js';
import { UsageError } from '../cli/usage.js';

export const CONFORM_OPTIONS = {
  target: {
    type: 'string',
    describe: 'base URL of the server to check, e.g. https://staging.example.org',
    demandOption: true,
  },
  api: {
    type: 'string',
    choices: ['geonode', 'koordinates', 'all'],
    default: 'all',
    describe: 'which contract to check',
  },
  'allow-writes': {
    type: 'boolean',
    default: false,
    describe:
      'also run the checks that write (they create their own records and remove them); without it only GET, HEAD and OPTIONS are sent',
  },
  user: { type: 'string', describe: 'GeoNode Basic credentials NAME:PASS' },
  token: { type: 'string', describe: 'GeoNode Bearer token (instead of --user)' },
  key: { type: 'string', describe: 'catalogue API key (Authorization: key …)' },
  only: {
    type: 'string',
    array: true,
    describe: 'run only cases whose id matches (repeatable; * wildcards, else a substring)',
  },
  skip: { type: 'string', array: true, describe: 'skip cases whose id matches (repeatable)' },
  shard: { type: 'string', describe: 'I/N: run the I-th of N deterministic slices of the cases (for a CI matrix)' },
  report: { type: 'string', array: true, describe: 'also write a report: junit:FILE or json:FILE (repeatable)' },
  geonode: {
    type: 'string',
    default: 'auto',
    describe:
      'the GeoNode release to check the target as: 4, 5, or auto (decided from the target: whether /api/v2/uploads/ exists and how an anonymous /api/v2/users/ is refused)',
  },
  timeout: {
    type: 'number',
    default: 30000,
    describe: 'milliseconds: the most one request, and one async lifecycle, may take',
  },
  'query-depth': {
    type: 'string',
    default: 'normal',
    describe:
      "how deeply list queries are checked against the target's own data: quick (a case per kind and main lookup), normal (every lookup, combinations, sorts of 1–3 keys), full (every field, more values)",
  },
  'query-budget': {
    type: 'number',
    default: 1000,
    describe: 'the most records the query-depth cases read of one list (a larger list is not checked in depth)',
  },
  'show-secrets': {
    type: 'boolean',
    default: false,
    describe:
      'keep credentials (the --user/--token/--key values, passwords in request bodies, tokens in URLs) in clear in the console and report files; local debugging only',
  },
} as const;

export interface ConformArgs {
  target?: string;
  api?: string;
  'allow-writes'?: boolean;
  user?: string;
  token?: string;
  key?: string;
  only?: string[];
  skip?: string[];
  shard?: string;
  report?: string[];
  timeout?: number;
  geonode?: string;
  'show-secrets'?: boolean;
  'query-depth'?: string;
  'query-budget'?: number;
}

export interface ReportTarget {
  format: 'junit' | 'json';
  file: string;
}

/** The CLI's one kind of command-line mistake (exit 2), so `geostub conform` and the other commands share it. */
export { UsageError } from '../cli/usage.js';

export function conformOptionsFrom(args: ConformArgs): { options: ConformOptions; reports: ReportTarget[] } {
  const target = args.target ?? '';
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new UsageError(`--target must be an http(s) URL, not "${target}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--target must be an http(s) URL, not "${target}"`);
  const api = args.api ?? 'all';
  if (!['geonode', 'koordinates', 'all'].includes(api))
    throw new UsageError(`--api must be geonode, koordinates or all, not "${api}"`);
  const apis: ApiName[] = api === 'all' ? ['geonode', 'koordinates'] : [api as ApiName];
  if (args.user !== undefined && args.token !== undefined) throw new UsageError('give --user or --token, not both');
  let user: { name: string; password: string } | undefined;
  if (args.user !== undefined) {
    const at = args.user.indexOf(':');
    if (at < 1) throw new UsageError('--user must be NAME:PASS');
    user = { name: args.user.slice(0, at), password: args.user.slice(at + 1) };
  }
  let shard: { index: number; count: number } | undefined;
  if (args.shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(args.shard);
    if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2]))
      throw new UsageError(`--shard must be I/N with 1 ≤ I ≤ N, not "${args.shard}"`);
    shard = { index: Number(m[1]), count: Number(m[2]) };
  }
  const geonode = args.geonode === undefined || args.geonode === 'auto' ? 'auto' : Number(args.geonode);
  if (geonode !== 'auto' && geonode !== 4 && geonode !== 5)
    throw new UsageError(`--geonode takes 4, 5 or auto, not "${String(args.geonode)}"`);
  const timeout = args.timeout ?? 30000;
  if (!Number.isInteger(timeout) || timeout < 1)
    throw new UsageError('--timeout must be a positive whole number of milliseconds');
  const queryDepth = args['query-depth'] ?? 'normal';
  if (!['quick', 'normal', 'full'].includes(queryDepth))
    throw new UsageError(`--query-depth takes quick, normal or full, not "${queryDepth}"`);
  const queryBudget = args['query-budget'] ?? 1000;
  if (!Number.isInteger(queryBudget) || queryBudget < 1)
    throw new UsageError(
      `--query-budget must be a positive whole number of records, not ${Number.isNaN(queryBudget) ? 'a number' : `"${String(queryBudget)}"`}`,
    );
  const reports = (args.report ?? []).map((r) => {
    const m = /^(junit|json):(.+)$/.exec(r);
    if (!m) throw new UsageError(`--report must be junit:FILE or json:FILE, not "${r}"`);
    return { format: m[1] as ReportTarget['format'], file: m[2] };
  });
  return {
    options: {
      target: target.replace(/\/+$/, ''),
      apis,
      allowWrites: args['allow-writes'] === true,
      geonode,
      credentials: {
        ...(user ? { user } : {}),
        ...(args.token ? { token: args.token } : {}),
        ...(args.key ? { key: args.key } : {}),
      },
      only: args.only,
      skip: args.skip,
      shard,
      timeoutMs: timeout,
      showSecrets: args['show-secrets'] === true,
      queryDepth: queryDepth as 'quick' | 'normal' | 'full',
      queryBudget,
    },
    reports,
  };
}
