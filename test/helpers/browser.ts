/**
 * Browser tests drive Debian's Chromium (`apt-get install chromium`, which `.ci/run` does when it is missing) with
 * playwright-core: headless, no sandbox, no background networking, a fresh profile per launch (playwright makes an
 * empty `--user-data-dir` for each). No browser is downloaded. A missing /usr/bin/chromium fails the tests, with
 * the command that installs it.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the browser tests need Debian's Chromium. Install it with \`apt-get update && apt-get install -y chromium\` (.ci/run does this when it is missing).`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, chromiumSandbox: false, args: CHROMIUM_ARGS });
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
  let width = 0, height = 0, depth = 0, type = 0;
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
  if (depth !== 8 || (type !== 2 && type !== 6)) throw new Error(`unsupported PNG (bit depth ${depth}, colour type ${type})`);
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
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
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
