/**
 * Browser tests drive Chromium with playwright-core: Debian's (`/usr/bin/chromium`) when the machine has it, else the
 * one inside the npm package `@sparticuz/chromium` (a devDependency: the binary ships in the package itself, so a
 * plain `npm install` brings it and nothing is downloaded at install or run time). Headless, no sandbox, no
 * background networking, a fresh profile per launch (playwright makes an empty `--user-data-dir` for each).
 * `GEOSTUB_CHROMIUM=npm` (or a path) chooses the browser. With no browser at all the tests fail, saying why: they
 * are never skipped.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { promisify } from 'node:util';
import { inflateSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const NPM_CHROMIUM = '@sparticuz/chromium';

/** This machine's network is closed: without these, Chromium keeps calling Google's hosts and is refused. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-domain-reliability',
  '--no-pings',
];

/**
 * @sparticuz/chromium's own flags, less those that would make the browser lax where a user's is strict (same-origin
 * policy, mixed content: a page that only works without them must fail here), its `--single-process` (made for
 * Lambda: closing one page then ends the whole browser) and its `--headless='shell'` (playwright sets headless).
 */
const NPM_ARGS_DROPPED = new Set([
  '--disable-web-security',
  '--allow-running-insecure-content',
  '--single-process',
  "--headless='shell'",
]);

const execFileP = promisify(execFile);

/** Where @sparticuz/chromium is installed, or undefined when it is not (a production install). */
function npmChromiumDir(): string | undefined {
  try {
    const entry = createRequire(import.meta.url).resolve(NPM_CHROMIUM);
    const at = entry.lastIndexOf(`${sep}node_modules${sep}@sparticuz${sep}chromium${sep}`);
    return at >= 0 ? entry.slice(0, at + `${sep}node_modules${sep}@sparticuz${sep}chromium`.length) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The npm package's Chromium, unpacked once per version into `<tmp>/geostub-chromium-<version>/`. The package itself
 * unpacks into the bare temp dir and trusts any `chromium` already there (another version, or half written by a
 * parallel test file): here each unpack goes to a fresh folder (TMPDIR points the package there, in a child process)
 * that is then renamed into place, so a reader only ever sees a whole browser of the right version.
 */
async function npmChromium(dir: string): Promise<{ executablePath: string; args: string[] }> {
  const version = (JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  const home = join(tmpdir(), `geostub-chromium-${version}`);
  const executablePath = join(home, 'chromium');
  if (!existsSync(join(home, '.complete'))) {
    const staging = await mkdtemp(join(tmpdir(), 'geostub-chromium-unpack-'));
    try {
      const script = `import c from '${NPM_CHROMIUM}'; console.log(await c.executablePath());`;
      const { stdout } = await execFileP(process.execPath, ['--input-type=module', '-e', script], {
        cwd: join(dir, '..', '..', '..'),
        env: { ...process.env, TMPDIR: staging },
      });
      if (stdout.trim() !== join(staging, 'chromium'))
        throw new Error(`${NPM_CHROMIUM} unpacked its browser to ${stdout.trim()}, not into ${staging}`);
      await writeFile(join(staging, '.complete'), `${version}\n`);
      await rename(staging, home);
    } catch (err) {
      await rm(staging, { recursive: true, force: true });
      // a parallel test file may have put its whole copy in place first: that one is as good
      if (!existsSync(join(home, '.complete'))) throw err;
    }
  }
  const { default: npmPackage } = await import('@sparticuz/chromium');
  const args = npmPackage.args;
  return { executablePath, args: args.filter((a) => !NPM_ARGS_DROPPED.has(a)) };
}

/** Which browser the tests use, and why: Debian's when present, else the npm package's; `GEOSTUB_CHROMIUM` overrides. */
export async function chromiumToUse(): Promise<{ executablePath: string; args: string[]; source: string }> {
  const choice = process.env.GEOSTUB_CHROMIUM;
  const dir = npmChromiumDir();
  if (choice && choice !== 'npm') {
    if (!existsSync(choice))
      throw new Error(
        `GEOSTUB_CHROMIUM=${choice}: no such file. Give the path of a Chromium binary, or GEOSTUB_CHROMIUM=npm for ${NPM_CHROMIUM}.`,
      );
    return { executablePath: choice, args: CHROMIUM_ARGS, source: choice };
  }
  if (choice !== 'npm' && existsSync(CHROMIUM))
    return { executablePath: CHROMIUM, args: CHROMIUM_ARGS, source: CHROMIUM };
  if (!dir) {
    throw new Error(
      `No browser for the browser tests: ${choice === 'npm' ? 'GEOSTUB_CHROMIUM=npm was asked for, but' : `${CHROMIUM} is missing and`} ` +
        `the devDependency ${NPM_CHROMIUM} is not installed. Run \`npm install\` (not --omit=dev), or install Debian's Chromium (\`apt-get install -y chromium\`).`,
    );
  }
  const npm = await npmChromium(dir);
  return {
    executablePath: npm.executablePath,
    args: [...npm.args, ...CHROMIUM_ARGS.filter((a) => !npm.args.includes(a))],
    source: `${NPM_CHROMIUM} (${npm.executablePath})`,
  };
}

export async function launchChromium(): Promise<Browser> {
  const { executablePath, args, source } = await chromiumToUse();
  try {
    return await chromium.launch({ executablePath, headless: true, chromiumSandbox: false, args });
  } catch (err) {
    throw new Error(`Chromium from ${source} did not start: ${(err as Error).message}`);
  }
}

/** Every request a page makes to anything but `origin` (blob: and data: URLs are the page's own). */
export function offOrigin(page: Page, origin: string): string[] {
  const seen: string[] = [];
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(`${origin}/`) && !url.startsWith('blob:') && !url.startsWith('data:')) seen.push(url);
  });
  return seen;
}

/**
 * Decode an 8-bit RGB or RGBA PNG (what Chromium's screenshots are) and describe its pixels: how many distinct
 * colours, and the share of pixels that are not the most common colour (the background).
 */
export function pngStats(png: Buffer): { width: number; height: number; colours: number; nonBackground: number } {
  if (png.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let offset = 8;
  let width = 0,
    height = 0,
    depth = 0,
    type = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const kind = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (kind === 'IHDR') [width, height, depth, type] = [data.readUInt32BE(0), data.readUInt32BE(4), data[8], data[9]];
    else if (kind === 'IDAT') idat.push(data);
    else if (kind === 'IEND') break;
    offset += 12 + length;
  }
  if (depth !== 8 || (type !== 2 && type !== 6))
    throw new Error(`unsupported PNG (bit depth ${depth}, colour type ${type})`);
  const bpp = type === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? pixels[y * stride + x - bpp] : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x] : 0;
      const c = x >= bpp && y > 0 ? pixels[(y - 1) * stride + x - bpp] : 0;
      const p = a + b - c;
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
          ? a
          : Math.abs(p - b) <= Math.abs(p - c)
            ? b
            : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter];
      if (predictor === undefined) throw new Error(`bad PNG filter ${filter}`);
      pixels[y * stride + x] = (line[x] + predictor) & 0xff;
    }
  }
  const counts = new Map<number, number>();
  for (let i = 0; i < pixels.length; i += bpp) {
    const key = (pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2];
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const background = Math.max(...counts.values());
  return { width, height, colours: counts.size, nonBackground: 1 - background / (width * height) };
}

/**
 * A screenshot of the page, checked to show something (many colours, a good share of non-background pixels). With
 * GEOSTUB_SCREENSHOTS=DIR it is also saved there (`GEOSTUB_SCREENSHOTS=docs/screenshots` refreshes the ones in docs/web-pages.md).
 */
export async function screenshot(page: Page, name: string): Promise<ReturnType<typeof pngStats>> {
  const png = await page.screenshot({ type: 'png' });
  const dir = process.env.GEOSTUB_SCREENSHOTS;
  if (dir) {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `${name}.png`), png);
  }
  return pngStats(png);
}
