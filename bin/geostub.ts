#!/usr/bin/env node
/** The geostub command line: serve | conform | proxy | record | seed | lint. */
import { fastServeArgs, SERVE_OPTIONS, type ServeArgs } from '../src/cli/serve-options.js';
import { fail, serve } from '../src/cli/serve.js';
import { VERSION } from '../src/server/start.js';
import type { ConformArgs } from '../src/conformance/options.js';

// `geostub serve` with ordinary options starts without loading yargs; anything else (help, typos, other
// commands) goes through yargs. faker (seed), swagger-parser (lint) and the conformance runner (conform) load only
// in their commands.
const fast = fastServeArgs(process.argv.slice(2));
if (fast) await serve(fast);
else await runYargs();

async function runYargs(): Promise<void> {
  const { default: yargs } = await import('yargs');
  const { hideBin } = await import('yargs/helpers');
  const { CONFORM_OPTIONS } = await import('../src/conformance/options.js');
  const { PROXY_OPTIONS, RECORD_OPTIONS } = await import('../src/cli/tools.js');
  const {
    isUsageError,
    requireValues,
    switchValueProblem,
    describeUnknownOptions,
    closest,
    httpUrl,
    portNumber,
    givenText,
    wholeNumber,
    writableFolder,
    writableFilePath,
  } = await import('../src/cli/usage.js');
  const DEFAULT_SEED = 42;
  const DEFAULT_SCALE = 300;
  const SEED_OPTIONS = {
    seed: { type: 'number', default: DEFAULT_SEED, describe: 'faker seed' },
    scale: { type: 'number', default: DEFAULT_SCALE, describe: 'number of GeoNode resources and of catalogue items' },
    out: { type: 'string', default: 'fixtures', describe: 'output directory' },
  } as const;
  const COMMANDS: Record<string, Record<string, { type?: string; alias?: string }>> = {
    serve: SERVE_OPTIONS,
    conform: CONFORM_OPTIONS,
    proxy: PROXY_OPTIONS,
    record: RECORD_OPTIONS,
    seed: SEED_OPTIONS,
    lint: {},
  };
  const args = hideBin(process.argv);
  const raw = (name: string, alias?: string) => givenText(args, name, alias);
  const switchProblem = COMMANDS[args[0]] && switchValueProblem(args.slice(1), COMMANDS[args[0]]);
  if (switchProblem) fail(switchProblem);

  await yargs(hideBin(process.argv))
    .scriptName('geostub')
    .version(VERSION)
    .usage(
      '$0 <command> [options]\n\nA mock GeoNode REST API v2 and Koordinates Data Catalog API on localhost, driven by OpenAPI contracts.',
    )
    .command(
      'serve',
      'Serve both APIs (GeoNode at /api/v2/, the catalogue at /services/api/v1/)',
      (y) =>
        y
          .options(requireValues(SERVE_OPTIONS))
          .example('$0 serve', 'serve the seed fixtures on http://127.0.0.1:8000 (data kept in .geostub/db.json)')
          .example('$0 serve --in-memory --port 0', 'a throw-away instance on a free port')
          .example(
            '$0 seed --scale 10000 --out big && $0 serve --fixtures big --db big/db.json',
            'serve 10,000 resources',
          )
          .example(
            '$0 serve --latency 100-800 --error-rate 0.05',
            'a slow, flaky server: 100-800 ms per answer, 5% answered 500/502/503',
          )
          .example(
            '$0 serve --config faults.yaml',
            'per-route latency and errors: [{"match": "GET /api/v2/datasets/*", "status": 503}]',
          )
          .example(
            'curl -H "Prefer: status=503" $URL/api/v2/resources/',
            'one failure on demand (or Prefer: delay=2000)',
          )
          .example(
            '$0 serve --watch --fixtures recording',
            'reload fixtures and contracts as they change, keeping the writes',
          )
          .example('$0 serve --log-format json | jq .', 'one JSON object per request')
          .epilogue(
            'Logins: admin/admin, staff/staff, alice/alice, bob/bob (Basic), Bearer geostub-admin-token; catalogue key geostub0koordinates0api0key00001.\n' +
              'Admin routes: GET /__geostub/health, POST /__geostub/reset, GET|PATCH /__geostub/settings (latency, errorRate, rules), ' +
              'POST /__geostub/clock/advance {"ms": N}, POST /__geostub/jobs/settle.',
          ),
      (argv) => serve(argv as unknown as ServeArgs),
    )
    .command(
      'conform',
      'Check a live GeoNode or catalogue (or this mock) against the contracts; exit 0 only when every check passed',
      (y) =>
        y
          .options(requireValues(CONFORM_OPTIONS))
          .example(
            '$0 conform --target https://staging.example.org --user admin:secret',
            'read-only checks of both APIs',
          )
          .example(
            '$0 conform --target http://127.0.0.1:8000 --allow-writes --user admin:admin --key geostub0koordinates0api0key00001 --report junit:conform.xml',
            'every check, with a JUnit report',
          )
          .example('$0 conform --target $URL --shard 2/4', 'the second quarter of the cases, for a CI matrix'),
      async (argv) => {
        for (const r of (argv.report ?? []) as string[]) {
          const m = /^(?:junit|json):(.+)$/.exec(r);
          if (m)
            await writableFilePath(
              'report',
              m[1],
              'a file path in a folder you can write, e.g. --report junit:conform.xml',
            );
        }
        const { conformCommand } = await import('../src/conformance/cli.js');
        process.exitCode = await conformCommand(argv as ConformArgs);
      },
    )
    .command(
      'proxy',
      'Forward every request to a live server and check each answer against the contracts; violations are printed as they happen',
      (y) =>
        y
          .options(requireValues(PROXY_OPTIONS))
          .example('$0 proxy --target https://demo.geonode.org', 'then point your front end at http://127.0.0.1:8010')
          .example(
            '$0 proxy --target http://127.0.0.1:8000 --quiet --log-format json',
            'only the answers that break the contracts, as JSON lines',
          )
          .example(
            'curl -s http://127.0.0.1:8010/__geostub/violations',
            'every violation found so far (DELETE clears them)',
          )
          .epilogue(
            'Checked for each answer: the status is documented for the operation, the Content-Type is a documented one, the body is valid against the documented schema, documented headers are present and well-formed.',
          ),
      async (argv) => {
        const { proxyCommand } = await import('../src/cli/tools.js');
        const { startProblem } = await import('../src/cli/serve.js');
        portNumber('port', argv.port, raw('port', 'p'));
        httpUrl('target', argv.target, 'https://demo.geonode.org');
        try {
          const proxy = await proxyCommand(argv as never);
          const stop = () => proxy.close().then(() => process.exit(0));
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        } catch (err) {
          fail(startProblem(err, { port: argv.port, host: argv.host }) ?? (err as Error).message);
        }
      },
    )
    .command(
      'record',
      "Read a live server's public API (GET only, paced, bounded) into a fixtures directory that `serve --fixtures` serves; people are pseudonymised",
      (y) =>
        y
          .options(requireValues(RECORD_OPTIONS))
          .example(
            '$0 record --from https://demo.geonode.org --limit 50 --out demo',
            'record 50 resources (and what they point at)',
          )
          .example('$0 serve --fixtures demo --in-memory', 'serve the recording')
          .example(
            '$0 record --from https://data.linz.govt.nz --key $KOORDINATES_KEY --out linz',
            'record a Koordinates catalogue',
          )
          .epilogue(
            "Recorded: resources with their details, map layers and extra metadata, groups and members, owners, categories, keywords, regions, upload limits; catalogue items with versions, licenses, groups and users. Names, usernames and emails are replaced with faker values; geostub's own logins and keys are added. What could not be read is listed at the end.",
          ),
      async (argv) => {
        const { recordCommand } = await import('../src/cli/tools.js');
        httpUrl('from', argv.from, 'https://demo.geonode.org');
        wholeNumber('limit', argv.limit, raw('limit'), 1, undefined, 'the most resources and items read');
        wholeNumber('pace', argv.pace, raw('pace'), 0, undefined, 'milliseconds between two requests');
        wholeNumber('max-requests', argv['max-requests'], raw('max-requests'), 1, undefined, 'the most requests sent');
        wholeNumber('seed', argv.seed, raw('seed'), 0, undefined, 'the faker seed of the pseudonyms');
        await writableFolder('out', argv.out, 'a folder to write geonode.json and koordinates.json to');
        process.exitCode = await recordCommand(argv as never);
      },
    )
    .command(
      'seed',
      'Generate deterministic fixtures (same seed and scale ⇒ the same bytes)',
      (y) =>
        y
          .options(requireValues(SEED_OPTIONS))
          .example('$0 seed --seed 7 --scale 10000 --out /tmp/big', 'a 10,000-resource data set'),
      async (argv) => {
        const { seedCommand } = await import('../src/cli/seed-command.js');
        await seedCommand(argv, raw);
      },
    )
    .command(
      'lint [files..]',
      "Validate the contracts (OpenAPI 3.0, plus geostub's x-geostub-behaviour bindings); exit 1 on any problem",
      (y) =>
        y
          .positional('files', {
            type: 'string',
            array: true,
            describe: "contract files [default: both of geostub's contracts]",
          })
          .example('$0 lint', 'check contracts/geonode-v2.yaml and contracts/koordinates-catalog.yaml'),
      async (argv) => {
        const { lintCommand } = await import('../src/cli/lint-command.js');
        await lintCommand(argv.files);
      },
    )
    .demandCommand(1, 'Name a command: serve, conform, proxy, record, seed or lint (geostub --help lists them).')
    .epilogue(
      "Each command has its own options and examples: geostub <command> --help. Programmatic use: import { startGeostub } from 'geostub'.",
    )
    .strict()
    // a usage error (unknown option, missing value, bad choice) exits 2; an error inside a command stays an error
    .fail((message, error) => {
      if (error && error.name !== 'YError') {
        const e: Error = error;
        if (isUsageError(error)) fail(e.message);
        // not a usage mistake: the message, without a stack trace unless asked for
        console.error(`geostub: ${e.message}${process.env.GEOSTUB_DEBUG ? `\n${e.stack}` : ''}`);
        process.exit(1);
      }
      console.error(
        `geostub: ${usageMessage(message ?? error?.message ?? '')}\n(geostub --help, or geostub <command> --help)`,
      );
      process.exit(2);
    })
    .help()
    .parseAsync();

  /** yargs's usage message in geostub's words: unknown options with a "did you mean", an unknown command, a flag without its value. */
  function usageMessage(message: string): string {
    const command = args[0];
    if (command && !command.startsWith('-') && !(command in COMMANDS)) {
      const s = closest(command, Object.keys(COMMANDS));
      return `unknown command "${command}"${s ? `; did you mean ${s}?` : ''} The commands are ${Object.keys(COMMANDS).join(', ')}.`;
    }
    const options = COMMANDS[command];
    // an unknown option first: a misspelt --target is reported as itself, not as a missing --target
    const unknown = options && describeUnknownOptions(command, args.slice(1), options);
    if (unknown) return unknown;
    if (options && /^Unknown argument/.test(message)) {
      // a stray word after the command
      return `${command} takes no ${message.replace(/^Unknown arguments?: /, 'argument ')}; options start with -- (geostub ${command} --help)`;
    }
    let m = /^Not enough arguments following: (.+)$/.exec(message);
    if (m) return `--${m[1]} needs a value (geostub ${command ?? ''} --help describes it)`;
    m = /^Missing required argument: (.+)$/.exec(message);
    if (m)
      return `--${m[1]} is required${command === 'conform' ? ': the server to check, e.g. --target https://staging.example.org' : ''}`;
    m = /^Invalid values:\s+Argument: (\S+), Given: (.+), Choices: (.+)$/s.exec(message);
    if (m) return `--${m[1]} ${m[2]} is not one of ${m[3]}`;
    return message;
  }
}
