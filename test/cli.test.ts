/** The command line, run as a user runs it: `node dist/bin/geostub.js …` (built by `npm test`). */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const CLI = join(process.cwd(), 'dist', 'bin', 'geostub.js');
const geostub = (args: string[], cwd?: string) =>
  run(process.execPath, [CLI, ...args], { cwd, maxBuffer: 64 * 1024 * 1024 });

async function fails(args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await geostub(args);
  } catch (err) {
    const e = err as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
  throw new Error(`geostub ${args.join(' ')} should have failed`);
}

describe('geostub seed', () => {
  it('is deterministic: the same seed and scale give the same bytes; another seed differs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'geostub-seed-'));
    await geostub(['seed', '--seed', '7', '--scale', '60', '--out', join(dir, 'a')]);
    await geostub(['seed', '--seed', '7', '--scale', '60', '--out', join(dir, 'b')]);
    await geostub(['seed', '--seed', '8', '--scale', '60', '--out', join(dir, 'c')]);
    for (const f of ['geonode.json', 'koordinates.json']) {
      const a = await readFile(join(dir, 'a', f));
      expect(a.equals(await readFile(join(dir, 'b', f))), f).toBe(true);
      expect(a.equals(await readFile(join(dir, 'c', f))), f).toBe(false);
    }
  });

  it('the committed fixtures are exactly what `geostub seed` makes with its defaults', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'geostub-seed-'));
    const { stdout } = await geostub(['seed', '--out', dir]);
    expect(stdout).toMatch(/resources 300/);
    for (const f of ['geonode.json', 'koordinates.json']) {
      expect((await readFile(join(dir, f))).equals(await readFile(join('fixtures', f))), f).toBe(true);
    }
  });

  it('refuses a bad --scale with a usage error', async () => {
    const r = await fails(['seed', '--scale', '0', '--out', tmpdir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--scale must be a positive whole number/);
  });
});

describe('geostub lint', () => {
  it('passes the shipped contracts', async () => {
    const { stdout } = await geostub(['lint']);
    expect(stdout).toMatch(/contracts OK: \d+ operations/);
  });

  it('exits 1 with a readable message on a broken contract', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'geostub-lint-'));
    const broken = join(dir, 'broken.yaml');
    await writeFile(broken, 'openapi: 3.0.3\ninfo: {title: broken}\npaths: {}\n');
    const r = await fails(['lint', broken]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken\.yaml.*\n.*version/);
    const unbound = join(dir, 'unbound.yaml');
    await writeFile(
      unbound,
      'openapi: 3.0.3\nx-geostub-api: geonode\ninfo: {title: t, version: "1"}\npaths:\n  /x/:\n    get:\n      operationId: getX\n      responses:\n        "200": {description: ok}\n',
    );
    const u = await fails(['lint', unbound]);
    expect(u.stderr).toMatch(/getX .* has no x-geostub-behaviour/);
  });
});

describe('geostub serve', () => {
  it('starts on the embedded default (seed fixtures copied into .geostub/db.json) and answers real HTTP', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'geostub-serve-'));
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--quiet'], { cwd });
    try {
      const url = await new Promise<string>((ok, fail) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m) ok(m[1]);
        });
        child.on('exit', (code) => fail(new Error(`serve exited ${code}`)));
      });
      const res = await fetch(`${url}/api/v2/datasets/?page_size=2`);
      expect(res.status).toBe(200);
      expect((await res.json()).datasets).toHaveLength(2);
      await access(join(cwd, '.geostub', 'db.json'));
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('says which port is taken instead of crashing', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'geostub-serve-'));
    const first = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--in-memory', '--quiet'], { cwd });
    try {
      const port = await new Promise<string>((ok) =>
        first.stdout.on('data', (d) => /:(\d+)\n/.test(String(d)) && ok(/:(\d+)\n/.exec(String(d))![1])),
      );
      const r = await fails(['serve', '--port', port, '--in-memory']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`port ${port} is already in use`));
    } finally {
      first.kill('SIGTERM');
    }
  });

  it('--help answers the next question: the commands and their options', async () => {
    const { stdout } = await geostub(['--help']);
    for (const word of ['serve', 'seed', 'lint']) expect(stdout).toContain(word);
    const serveHelp = (await geostub(['serve', '--help'])).stdout;
    for (const word of ['--port', '--db', '--in-memory', '--fixtures', '--patch-all'])
      expect(serveHelp).toContain(word);
  });
});
