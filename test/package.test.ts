/**
 * The published package, as a user gets it: `npm pack` of this build (dist/, as `npm test` builds it first), the
 * tarball installed with `npm install --omit=dev` into an empty project in a temp dir (from npm's cache where it
 * can, else the registry, as any user's install), then used from real child processes:
 *
 * - `require('geostub')` (CommonJS, as Jest runs tests) and `import('geostub')` both start a server that answers;
 * - `geostub/conformance` exports the runner, and `geostub` re-exports `runConformance`;
 * - the published types compile under `strict` with `skipLibCheck: false` (no `@types/express` needed);
 * - the production install is small and runs no install script: at most 30 MB of node_modules, no package with a
 *   preinstall/install/postinstall script, no telemetry package.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const MAX_INSTALL_BYTES = 30 * 1024 * 1024;

let dir: string;
let app: string;

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'src', 'index.js')))
    throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  dir = await mkdtemp(join(tmpdir(), 'geostub-package-'));
  // --ignore-scripts: pack this build as it is (`prepare` would rebuild it); the tarball is what `npm publish` sends
  const { stdout } = await run(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT });
  const tarball = join(dir, (JSON.parse(stdout) as { filename: string }[])[0].filename);
  app = join(dir, 'app');
  await mkdir(app);
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'uses-geostub', private: true, type: 'module' }));
  await run(
    NPM,
    ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball],
    { cwd: app, timeout: 120_000 },
  );
}, 150_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const node = (args: string[]) => run(process.execPath, args, { cwd: app, timeout: 60_000 });

/** Every package.json under node_modules (scoped ones included), one per installed package. */
async function installedPackages(root: string): Promise<{ name: string; scripts: Record<string, string> }[]> {
  const out: { name: string; scripts: Record<string, string> }[] = [];
  const walk = async (modules: string): Promise<void> => {
    for (const entry of await readdir(modules, { withFileTypes: true }).catch(() => [])) {
      if (entry.name.startsWith('.')) continue;
      const at = join(modules, entry.name);
      if (entry.name.startsWith('@')) {
        await walk(at);
        continue;
      }
      const manifest = join(at, 'package.json');
      if (!existsSync(manifest)) continue;
      const pkg = JSON.parse(await readFile(manifest, 'utf8')) as { name: string; scripts?: Record<string, string> };
      out.push({ name: pkg.name, scripts: pkg.scripts ?? {} });
      await walk(join(at, 'node_modules'));
    }
  };
  await walk(join(root, 'node_modules'));
  return out;
}

async function bytesUnder(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.size;
  let total = 0;
  for (const entry of await readdir(path, { withFileTypes: true })) {
    if (!entry.isSymbolicLink()) total += await bytesUnder(join(path, entry.name));
  }
  return total;
}

describe('the packed package, installed into an empty project', { timeout: 90_000 }, () => {
  it("require('geostub') works from CommonJS, and starts a server that answers", async () => {
    const script = `
      const { startGeostub, runConformance, version } = require('geostub');
      const { runConformance: direct, exitCode, renderJunit } = require('geostub/conformance');
      if (typeof runConformance !== 'function' || typeof direct !== 'function' || typeof exitCode !== 'function' || typeof renderJunit !== 'function') throw new Error('missing exports');
      startGeostub().then(async (g) => {
        const res = await fetch(g.url + '/api/v2/categories/?page_size=1');
        console.log(JSON.stringify({ version, status: res.status, total: (await res.json()).total }));
        await g.close();
      });`;
    const { stdout } = await node(['--input-type=commonjs', '-e', script]);
    expect(JSON.parse(stdout)).toMatchObject({ version: '0.1.0', status: 200 });
    expect(JSON.parse(stdout).total).toBeGreaterThan(0);
  });

  it("import('geostub') works, and runConformance from the package checks a server", async () => {
    const script = `
      const { startGeostub, runConformance } = await import('geostub');
      const { exitCode } = await import('geostub/conformance');
      const g = await startGeostub();
      const report = await runConformance({ target: g.url, apis: ['koordinates'], allowWrites: false, credentials: { key: 'geostub0koordinates0api0key00001' }, timeoutMs: 30000, only: ['GET /services/api/v1/data/ · pagination'] });
      console.log(JSON.stringify({ code: exitCode(report), cases: report.summary.cases, failed: report.summary.checksFailed }));
      await g.close();`;
    const { stdout } = await node(['--input-type=module', '-e', script]);
    const out = JSON.parse(stdout) as { code: number; cases: number; failed: number };
    expect(out.cases).toBeGreaterThan(0);
    expect(out).toMatchObject({ code: 0, failed: 0 });
  });

  it('the published types compile with skipLibCheck: false', async () => {
    // a user's TypeScript project: typescript and @types/node are theirs (here: this repo's copies)
    await mkdir(join(app, 'node_modules', '@types'), { recursive: true });
    await symlink(join(ROOT, 'node_modules', '@types', 'node'), join(app, 'node_modules', '@types', 'node'), 'dir');
    await writeFile(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          skipLibCheck: false,
          noEmit: true,
          types: ['node'],
        },
        files: ['use.ts'],
      }),
    );
    await writeFile(
      join(app, 'use.ts'),
      `import { startGeostub, runConformance, type Geostub, type GeostubOptions, type RunReport, type Exchange } from 'geostub';
import { exitCode, renderConsole, type ConformOptions } from 'geostub/conformance';
const options: GeostubOptions = { jobDuration: 0, auth: 'off' };
const g: Geostub = await startGeostub(options);
const seen: Exchange[] = g.exchanges.recent();
const conform: ConformOptions = { target: g.url, apis: ['geonode'], allowWrites: false, credentials: {}, timeoutMs: 1000 };
const report: RunReport = await runConformance(conform);
console.log(seen.length, exitCode(report), renderConsole(report).length);
// @ts-expect-error the types are real: a port is a number
await startGeostub({ port: '8000' });
await g.close();
`,
    );
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '-p', app], { cwd: app, timeout: 60_000 }).then(
      (r) => ({ code: 0, out: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
    );
    expect(result.out).toBe('');
    expect(result.code).toBe(0);
  });

  it('the production install is at most 30 MB, runs no install script and has no telemetry', async () => {
    const packages = await installedPackages(app);
    expect(packages.map((p) => p.name)).toContain('geostub');
    const withScripts = packages
      .filter((p) => ['preinstall', 'install', 'postinstall'].some((s) => s in p.scripts))
      .map((p) => p.name);
    expect(withScripts).toEqual([]);
    expect(packages.map((p) => p.name).filter((n) => /scarf|telemetry|analytics/i.test(n))).toEqual([]);
    expect(await bytesUnder(join(app, 'node_modules'))).toBeLessThanOrEqual(MAX_INSTALL_BYTES);
  });
});
