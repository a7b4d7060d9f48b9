/**
 * The command line as a person meets it (`node dist/bin/geostub.js`, built by `npm test`): every command's help
 * lists its options and examples, and `proxy` / `record` / `seed` work end to end.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SERVE_OPTIONS } from '../src/cli/serve-options.js';
import { PROXY_OPTIONS, RECORD_OPTIONS } from '../src/cli/tools.js';
import { startGeostub } from '../src/index.js';
import { until } from './helpers/poll.js';

const run = promisify(execFile);
const CLI = join(process.cwd(), 'dist', 'bin', 'geostub.js');
const geostub = (args: string[]) => run(process.execPath, [CLI, ...args], { maxBuffer: 16 << 20 });

describe('geostub --help', () => {
  it('lists every command and says where to read more', async () => {
    const { stdout } = await geostub(['--help']);
    for (const c of ['serve', 'conform', 'proxy', 'record', 'seed', 'lint'])
      expect(stdout).toMatch(new RegExp(`geostub ${c}\\b`));
    expect(stdout).toMatch(/geostub <command> --help/);
    expect(stdout).toMatch(/import \{ startGeostub \} from 'geostub'/);
  });

  it.each([
    [
      'serve',
      SERVE_OPTIONS,
      [
        /geostub serve --latency 100-800/,
        /--error-rate 0\.05/,
        /--config faults\.yaml/,
        /Prefer: status=503/,
        /serve --watch/,
        /--log-format json \| jq/,
        /Logins: admin\/admin/,
        /\/__geostub\/settings/,
      ],
    ],
    [
      'proxy',
      PROXY_OPTIONS,
      [/geostub proxy --target/, /https:\/\/demo\.geonode\.org/, /__geostub\//, /the status is documented/],
    ],
    [
      'record',
      RECORD_OPTIONS,
      [/geostub record --from/, /--limit 50/, /geostub serve --fixtures demo/, /faker values/],
    ],
  ] as const)('geostub %s --help lists each option and shows examples', async (command, options, examples) => {
    const { stdout } = await geostub([command, '--help']);
    for (const name of Object.keys(options)) expect(stdout, name).toContain(`--${name}`);
    expect(stdout).toMatch(/Examples:/);
    for (const e of examples) expect(stdout).toMatch(e);
  });

  it('a missing --target or --from is a usage error (exit 2) that says what to give', async () => {
    for (const [args, message] of [
      [['proxy'], /--target is required/],
      [['record'], /--from is required/],
      [['record', '--from', 'http://x', '--limit', '0'], /--limit must be a whole number, 1 or more/],
    ] as const) {
      const err = await geostub([...args]).then(
        () => undefined,
        (e: { code: number; stderr: string }) => e,
      );
      expect(err?.code, args.join(' ')).toBe(2);
      expect(err?.stderr).toMatch(message);
    }
  });
});

describe('the tool commands end to end', () => {
  it('geostub record writes fixtures with a report, and geostub seed reports progress', async () => {
    const mock = await startGeostub();
    try {
      const out = await mkdtemp(join(tmpdir(), 'geostub-record-cli-'));
      const { stdout } = await geostub(['record', '--from', mock.url, '--limit', '5', '--pace', '0', '--out', out]);
      expect(stdout).toMatch(/recording http:\/\/127\.0\.0\.1:\d+ \(at most 5 of each/);
      expect(stdout).toMatch(/GeoNode: 5 resources listed/);
      expect(stdout).toMatch(/wrote .*geonode\.json, .*koordinates\.json after \d+ requests: users \d+/);
      expect(stdout).toMatch(/not recorded:\n {2}users: needs a login/);
      expect(stdout).toContain(`serve it with: geostub serve --fixtures ${out} --in-memory`);
    } finally {
      await mock.close();
    }
    const seeded = await geostub(['seed', '--scale', '20', '--out', await mkdtemp(join(tmpdir(), 'geostub-seed-'))]);
    expect(seeded.stdout).toMatch(/geonode\.json: users \d+.*\nkoordinates\.json: .*\nwrote /);
  });

  it('geostub proxy prints each request with the violations it found', async () => {
    const mock = await startGeostub({ faults: ['field-dropped'] });
    const child = spawn(process.execPath, [CLI, 'proxy', '--target', mock.url, '--port', '0']);
    try {
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      const url = await new Promise<string>((ok, fail) => {
        child.stdout.on('data', () => {
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m) ok(m[1]);
        });
        child.on('exit', (code) => fail(new Error(`proxy exited ${code}: ${out}`)));
      });
      await (await fetch(`${url}/api/v2/resources/?page_size=1`)).text();
      await until(() => /✗/.test(out), 'the violation report (the first check compiles the schemas)', { every: 50 });
      expect(out).toMatch(
        /GET +\/api\/v2\/resources\/\?page_size=1 200 [\d.]+ ms \d+ violations?\n +✗ response_schema: /,
      );
    } finally {
      child.kill();
      await mock.close();
    }
  });
});
