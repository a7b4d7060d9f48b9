/**
 * Command-line mistakes, fed to the real CLI (`node dist/bin/geostub.js …`, built by `npm test`): each is answered
 * with exit code 2 and one sentence naming the flag, the value given and what would work — never a stack trace, a
 * raw errno code (ENOENT, EISDIR, …) or an internal option name (options.port, jobDuration, lazy.cacheMB).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const CLI = join(process.cwd(), 'dist', 'bin', 'geostub.js');

function geostub(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    // a mistake is refused before anything starts; a command that started instead is killed and fails the test
    execFile(process.execPath, [CLI, ...args], { cwd, timeout: 15_000 }, (err, stdout, stderr) => {
      done({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'geostub-cli-errors-'));
  await mkdir(join(dir, 'empty'));
  await writeFile(join(dir, 'a-file'), 'not a certificate\n');
  await mkdir(join(dir, 'half'));
  await writeFile(join(dir, 'half', 'geonode.json'), '{"version":1,"collections":{}}\n');
});

const M = ['--in-memory', '--port', '0'];
/** [command line, what the message must say]; every message must also name the flag it is about */
const CASES: [string[], RegExp][] = [
  // serve: numbers
  [['serve', '--port', 'abc'], /--port must be a whole number from 0 to 65535 \(0 picks any free port\); got "abc"/],
  [['serve', '--port', '99999', '--in-memory'], /--port must be a whole number from 0 to 65535 .*; got "99999"/],
  [['serve', '-p', '1.5', '--in-memory'], /--port must be a whole number .*; got "1\.5"/],
  [['serve', '--port'], /--port needs a value/],
  [['serve', '--job-duration', '-1', ...M], /--job-duration must be a number, 0 or more \(milliseconds .*\); got "-1"/],
  [['serve', '--job-duration', 'soon', ...M], /--job-duration must be a number, 0 or more .*; got "soon"/],
  [['serve', '--cache-mb', '-3', ...M], /--cache-mb must be a number, 0 or more .*; got "-3"/],
  [['serve', '--lazy-from', '0', ...M], /--lazy-from must be a whole number, 1 or more .*; got "0"/],
  [['serve', '--lazy-from', 'many', ...M], /--lazy-from must be a whole number, 1 or more .*; got "many"/],
  [['serve', '--body-limit', 'lots', ...M], /--body-limit "lots" is not a size: .*1mb/],
  // serve: words
  [['serve', '--auth', 'maybe', ...M], /--auth takes on or off, not "maybe"/],
  [
    ['serve', '--geonode', '6', ...M],
    /--geonode takes 4 \(GeoNode 4\.4, the seed's API\) or 5 \(GeoNode 5\.0\), not "6"/,
  ],
  [['serve', '--log-format', 'xml', ...M], /--log-format takes text or json, not "xml"/],
  [['serve', '--latency', 'slow', ...M], /--latency takes milliseconds.*"slow"/],
  [['serve', '--error-rate', '7', ...M], /--error-rate must be a share .*"7"/],
  [['serve', '--fault', 'no-such-fault', ...M], /unknown fault "no-such-fault"; the faults are: envelope-key-renamed/],
  [['serve', '--watch-reset', ...M], /--watch-reset goes with --watch/],
  [
    ['serve', '--host', 'no-such-host.invalid', ...M],
    /--host "no-such-host\.invalid" is not an address of this machine; give 127\.0\.0\.1/,
  ],
  // serve: files
  [['serve', '--db', 'empty', '--port', '0'], /--db empty is a folder; give a file path such as .*empty\/db\.json/],
  [
    ['serve', '--db', 'a-file/db.json', '--port', '0'],
    /--db a-file\/db\.json: .*a-file is a file, so no folder can be made in it/,
  ],
  [
    ['serve', '--fixtures', 'empty', ...M],
    /--fixtures empty has no geonode\.json and no koordinates\.json; give a folder .*geostub seed --out/,
  ],
  [['serve', '--fixtures', 'half', ...M], /--fixtures half has no koordinates\.json/],
  [['serve', '--fixtures', 'nowhere', ...M], /--fixtures nowhere: the folder does not exist/],
  [['serve', '--fixtures', 'a-file', ...M], /--fixtures a-file is a file, not a folder/],
  [
    ['serve', '--config', 'nowhere.yaml', ...M],
    /cannot read the config file --config nowhere\.yaml: it does not exist/,
  ],
  [['serve', '--config', 'empty', ...M], /--config empty: it is a folder, not a file/],
  [['serve', '--tls-cert', 'a-file', ...M], /--tls-cert and --tls-key go together/],
  [
    ['serve', '--tls-cert', 'nowhere.pem', '--tls-key', 'a-file', ...M],
    /--tls-cert nowhere\.pem does not exist; give a PEM certificate file/,
  ],
  [['serve', '--tls-cert', 'a-file', '--tls-key', 'a-file', ...M], /--tls-cert a-file holds no PEM certificate/],
  [
    ['serve', '--in-memory=yes', '--port', '0'],
    /--in-memory is a switch: give --in-memory or --no-in-memory \(or =true \/ =false\), not "yes"/,
  ],
  [['serve', '--cors=maybe', ...M], /--cors is a switch: .*not "maybe"/],
  // serve: typos, parsed by the fast path's fallback to yargs
  [['serve', '--in-memroy'], /serve: unknown option --in-memroy; did you mean --in-memory\?/],
  [['serve', '--prot', '3', '--in-memory'], /unknown option --prot; did you mean --port\?/],
  [['serve', '--db-path', 'x.json'], /unknown option --db-path/],
  [['serve', 'now'], /serve takes no argument now/],
  [['serv'], /unknown command "serv"; did you mean serve\?/],
  // seed
  [['seed', '--scale', 'abc'], /--scale must be a positive whole number \(got "abc"\)/],
  [['seed', '--seed', 'x'], /--seed must be a whole number \(got "x"\)/],
  [['seed', '--out', 'a-file', '--scale', '2'], /--out a-file is a file, not a folder/],
  [['seed', '--out', 'a-file/sub', '--scale', '2'], /--out a-file\/sub: .*a-file is a file/],
  [['seed', '--sclae', '3'], /seed: unknown option --sclae; did you mean --scale\?/],
  // conform
  [['conform'], /--target is required: the server to check/],
  [['conform', '--tagret', 'http://127.0.0.1:1'], /conform: unknown option --tagret; did you mean --target\?/],
  [['conform', '--target', 'localhost'], /--target must be an http\(s\) URL, not "localhost"/],
  [
    ['conform', '--target', 'http://127.0.0.1:1', '--api', 'wfs'],
    /--api "wfs" is not one of "geonode", "koordinates", "all"/,
  ],
  [['conform', '--target', 'http://127.0.0.1:1', '--geonode', '3'], /--geonode takes 4, 5 or auto, not "3"/],
  [['conform', '--target', 'http://127.0.0.1:1', '--timeout', 'abc'], /--timeout must be a positive whole number/],
  [['conform', '--target', 'http://127.0.0.1:1', '--shard', '5/4'], /--shard must be I\/N/],
  [
    ['conform', '--target', 'http://127.0.0.1:1', '--report', 'xml:out.xml'],
    /--report must be junit:FILE or json:FILE, not "xml:out\.xml"/,
  ],
  [
    ['conform', '--target', 'http://127.0.0.1:1', '--report', 'junit:a-file/out.xml'],
    /--report a-file\/out\.xml: .*a-file is a file/,
  ],
  [['conform', '--target', 'http://127.0.0.1:1', '--user', 'admin'], /--user must be NAME:PASS/],
  [['conform', '--target', 'http://127.0.0.1:1', '--allow-writes=sure'], /--allow-writes is a switch: .*not "sure"/],
  // proxy
  [['proxy'], /--target is required/],
  [['proxy', '--target', 'demo.geonode.org'], /--target "demo\.geonode\.org" is not an http:\/\/ or https:\/\/ URL/],
  [
    ['proxy', '--target', 'http://127.0.0.1:1', '--port', 'abc'],
    /--port must be a whole number from 0 to 65535 \(0 picks any free port\); got "abc"/,
  ],
  [
    ['proxy', '--target', 'http://127.0.0.1:1', '--port', '0', '--host', 'no-such-host.invalid'],
    /--host "no-such-host\.invalid" is not an address of this machine/,
  ],
  [
    ['proxy', '--target', 'http://127.0.0.1:1', '--port', '0', '--log-format', 'xml'],
    /--log-format takes text or json, not "xml"/,
  ],
  [['proxy', '--taget', 'http://127.0.0.1:1'], /proxy: unknown option --taget; did you mean --target\?/],
  [['proxy', '--target', 'http://127.0.0.1:1', '--insecure=1'], /--insecure is a switch/],
  // record
  [['record'], /--from is required/],
  [['record', '--from', 'x'], /--from "x" is not an http:\/\/ or https:\/\/ URL/],
  [
    ['record', '--from', 'http://127.0.0.1:1', '--limit', 'abc'],
    /--limit must be a whole number, 1 or more .*; got "abc"/,
  ],
  [['record', '--from', 'http://127.0.0.1:1', '--pace', '-5'], /--pace must be a whole number, 0 or more .*; got "-5"/],
  [
    ['record', '--from', 'http://127.0.0.1:1', '--max-requests', '0'],
    /--max-requests must be a whole number, 1 or more .*; got "0"/,
  ],
  [['record', '--from', 'http://127.0.0.1:1', '--seed', 'x'], /--seed must be a whole number, 0 or more .*; got "x"/],
  [['record', '--from', 'http://127.0.0.1:1', '--out', 'a-file'], /--out a-file is a file, not a folder/],
  // lint
  [['lint', 'nowhere.yaml'], /lint: nowhere\.yaml does not exist; give an OpenAPI contract file/],
  [['lint', 'empty'], /lint: empty is a folder/],
];

/** what a person should never have to read */
const INTERNAL =
  /\n\s+at |ENOENT|EISDIR|ENOTDIR|EEXIST|EACCES|options\.port|jobDuration|lazy\.cacheMB|Received type|Unknown argument|inMemroy/;

/** the options on a command line, as the messages name them */
const flagsOf = (args: string[]) =>
  args.filter((a) => a.startsWith('-')).map((a) => (a === '-p' ? '--port' : a.split('=')[0]));

describe('CLI mistakes get a sentence and exit code 2', () => {
  it.each(CASES.map(([args, re]) => [args.join(' '), args, re] as const))('geostub %s', async (_, args, re) => {
    const r = await geostub(args, dir);
    expect(r.stderr).toMatch(re);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).not.toMatch(INTERNAL);
    const flags = flagsOf(args);
    if (flags.length)
      expect(
        flags.some((f) => r.stderr.includes(f)),
        `names one of ${flags.join(' ')}`,
      ).toBe(true);
  });

  it('a port in use is named, with what to do', async () => {
    const blocker = createServer();
    await new Promise<void>((ok) => blocker.listen(0, '127.0.0.1', ok));
    const port = String((blocker.address() as { port: number }).port);
    try {
      for (const args of [
        ['serve', '--in-memory', '--port', port],
        ['proxy', '--target', 'http://127.0.0.1:1', '--port', port],
      ]) {
        const r = await geostub(args, dir);
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toMatch(
          new RegExp(`--port ${port}: port ${port} is already in use; pick another with --port`),
        );
        expect(r.stderr).not.toMatch(INTERNAL);
      }
    } finally {
      blocker.close();
    }
  });
});
