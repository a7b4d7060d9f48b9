/**
 * The developer-tool commands: `geostub proxy` (a validating proxy in front of a live server) and `geostub record`
 * (fixtures from a live server). Their option tables live here, next to the code that reads them; bin/geostub.ts
 * hands them to yargs and imports this module only when one of these commands runs.
 */
import type { OptionSpec } from './serve-options.js';
import { formatExchange, parseLogFormat, useColor } from './log-format.js';
import type { Exchange } from '../server/request-log.js';
import { progress } from './progress.js';
import { UsageError } from './usage.js';
import { maskUrls } from '../core/masking.js';

export const PROXY_OPTIONS = {
  target: {
    type: 'string',
    describe: 'the live server to forward to (required): https://demo.geonode.org, http://127.0.0.1:8000',
  },
  port: { type: 'number', default: 8010, alias: 'p', describe: 'port to listen on (0 = any free port)' },
  host: { type: 'string', default: '127.0.0.1', describe: 'interface to bind' },
  insecure: { type: 'boolean', default: false, describe: "accept a target's self-signed certificate" },
  quiet: { type: 'boolean', default: false, alias: 'q', describe: 'print only violations, not every request' },
  'log-format': {
    type: 'string',
    default: 'text',
    describe: 'text (coloured on a terminal) or json (one object per line)',
  },
  'show-secrets': {
    type: 'boolean',
    default: false,
    describe:
      'show credentials (Authorization, cookies, tokens, passwords) in clear in the log and the violations; local debugging only',
  },
  'admin-token': {
    type: 'string',
    describe:
      'a secret (16+ characters) that lets a caller clear the violations (DELETE /__geostub/violations) when not listening on loopback',
  },
  'admin-open': {
    type: 'boolean',
    default: false,
    describe: 'let anyone clear the violations even when not listening on loopback',
  },
} as const satisfies Record<string, OptionSpec>;

export const RECORD_OPTIONS = {
  from: { type: 'string', describe: 'the live server to read (required): https://demo.geonode.org' },
  limit: { type: 'number', default: 100, describe: 'most resources, catalogue items, groups and owners read' },
  out: { type: 'string', default: 'recording', describe: 'directory to write geonode.json and koordinates.json to' },
  pace: { type: 'number', default: 200, describe: 'ms to wait between two requests (be kind to the server)' },
  'max-requests': {
    type: 'number',
    default: 2000,
    describe: 'stop reading after this many requests, whatever is left',
  },
  key: {
    type: 'string',
    describe: 'a Koordinates API key, sent to the catalogue only (its public items need one on koordinates.com)',
  },
  seed: { type: 'number', default: 42, describe: 'faker seed of the pseudonyms (names, usernames, emails)' },
  'show-secrets': {
    type: 'boolean',
    default: false,
    describe:
      'keep credentials the server echoed (tokens in links, the --key) in clear in the files and the progress lines; local debugging only',
  },
} as const satisfies Record<string, OptionSpec>;

export interface ProxyArgs {
  target?: string;
  port: number;
  host: string;
  insecure: boolean;
  quiet: boolean;
  'log-format': string;
  'show-secrets'?: boolean;
  'admin-token'?: string;
  'admin-open'?: boolean;
}

export interface RecordArgs {
  from?: string;
  limit: number;
  out: string;
  pace: number;
  'max-requests': number;
  key?: string;
  seed: number;
  'show-secrets'?: boolean;
}

/** `geostub proxy`: runs until interrupted; prints each exchange (or only violations with --quiet). */
export async function proxyCommand(
  args: ProxyArgs,
  print: (line: string) => void = console.log,
): Promise<{ close(): Promise<void>; url: string }> {
  if (!args.target)
    throw new UsageError('--target is required: the live server to forward to, e.g. --target https://demo.geonode.org');
  const format = parseLogFormat(args['log-format']);
  const { startProxy } = await import('../proxy/server.js');
  const { checkAdminToken } = await import('../server/admin-access.js');
  const adminToken = checkAdminToken(args['admin-token'], '--admin-token');
  const show = args['show-secrets'] === true;
  const proxy = await startProxy({
    target: args.target,
    port: args.port,
    host: args.host,
    insecure: args.insecure,
    showSecrets: show,
    adminToken,
    adminOpen: args['admin-open'],
  });
  const opts = { format, color: useColor() };
  proxy.exchanges.on(
    'exchange',
    (e: Exchange) => (!args.quiet || e.violations.length) && print(formatExchange(e, opts)),
  );
  const secrets = show
    ? 'SHOWN in clear in the log and the violations (--show-secrets: local debugging only)'
    : 'masked in the log and the violations (--show-secrets to see them)';
  const clearing =
    proxy.adminRule === 'loopback'
      ? 'open (the proxy listens on loopback only)'
      : proxy.adminRule === 'open'
        ? 'OPEN to anyone who can reach this interface (--admin-open)'
        : adminToken
          ? 'the --admin-token required (Authorization: Bearer …)'
          : 'refused: not on loopback (give --admin-token or --admin-open)';
  const lines = [
    `geostub proxy listening on ${proxy.url}`,
    `  forwarding to:    ${proxy.target}`,
    `  violations:       ${proxy.url}/__geostub/violations`,
    `  clearing them:    ${clearing}`,
    `  secrets:          ${secrets}`,
  ];
  if (format === 'json')
    print(
      JSON.stringify({
        event: 'listening',
        url: proxy.url,
        target: proxy.target,
        violations: `${proxy.url}/__geostub/violations`,
        secrets,
      }),
    );
  else lines.forEach((l) => print(l));
  return proxy;
}

/** `geostub record`: returns the exit code (0, or 1 when nothing at all could be read). */
export async function recordCommand(args: RecordArgs, print: (line: string) => void = console.log): Promise<number> {
  if (!args.from)
    throw new UsageError('--from is required: the live server to read, e.g. --from https://demo.geonode.org');
  for (const [name, v, min] of [
    ['--limit', args.limit, 1],
    ['--pace', args.pace, 0],
    ['--max-requests', args['max-requests'], 1],
  ] as const) {
    if (!Number.isInteger(v) || v < min)
      throw new UsageError(`${name} must be a whole number, ${min} or more (got ${String(v)})`);
  }
  const { recordFixtures, describeReport } = await import('../recording/index.js');
  const p = progress(print);
  const show = args['show-secrets'] === true;
  p.line(
    show
      ? 'secrets: kept in clear in the files and progress lines (--show-secrets: local debugging only)'
      : 'secrets: masked in the files and progress lines (--show-secrets to keep them)',
  );
  p.line(
    `recording ${show ? args.from : maskUrls(args.from)} (at most ${args.limit} of each, ${args.pace} ms between requests) into ${args.out}/`,
  );
  try {
    const report = await recordFixtures({
      from: args.from,
      out: args.out,
      limit: args.limit,
      paceMs: args.pace,
      maxRequests: args['max-requests'],
      key: args.key,
      seed: args.seed,
      showSecrets: show,
      progress: (l) => p.line(l),
      onRequest: (n, url) => p.status(`request ${n}: GET ${url}`),
    });
    p.done();
    describeReport(report).forEach((l) => print(l));
    const read = Object.entries(report.counts).some(([k, n]) => n > 0 && (k === 'resources' || k === 'kx_items'));
    if (!read) {
      print(
        `nothing was read from ${show ? args.from : maskUrls(args.from)}: is it a GeoNode or a Koordinates catalogue?`,
      );
      return 1;
    }
    print(`serve it with: geostub serve --fixtures ${args.out} --in-memory`);
    return 0;
  } finally {
    p.done();
  }
}

export { isUsageError } from './usage.js';
