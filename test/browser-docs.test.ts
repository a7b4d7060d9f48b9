/**
 * GeoNode's schema UIs in a real browser (Chromium, see helpers/browser.ts): Swagger UI and ReDoc render
 * every operation of both contracts from files this server serves (nothing off the origin), "Try it out" answers
 * from the mock, and a screenshot of each page is not blank.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { loadContracts, type Contract } from '../src/contracts/load.js';
import { launchChromium, offOrigin, screenshot } from './helpers/browser.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'];

function operations(c: Contract): { key: string; id: string }[] {
  const out: { key: string; id: string }[] = [];
  for (const [path, item] of Object.entries(c.doc.paths as Record<string, Record<string, { operationId?: string }>>)) {
    for (const m of METHODS) if (item[m]) out.push({ key: `${m.toUpperCase()} ${path}`, id: String(item[m].operationId) });
  }
  return out;
}

let s: TestServer;
let browser: Browser;
let contracts: Contract[];
const contract = (api: string) => contracts.find((c) => c.api === api) as Contract;

beforeAll(async () => {
  browser = await launchChromium();
  s = await startTestServer();
  contracts = await loadContracts();
});

afterAll(async () => {
  await browser?.close();
  await s?.close();
});

async function newPage(): Promise<{ page: Page; external: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  return { page, external: offOrigin(page, s.url) };
}

/** `METHOD /path` of every operation block Swagger UI shows, once it shows `count` of them. */
async function swaggerOperations(page: Page, count: number): Promise<string[]> {
  await page.waitForFunction((n) => document.querySelectorAll('.opblock').length === n, count, { timeout: 60_000 });
  return page.$$eval('.opblock', (blocks) =>
    blocks.map((b) => `${b.querySelector('.opblock-summary-method')?.textContent?.trim()} ${b.querySelector('.opblock-summary [data-path]')?.getAttribute('data-path')}`),
  );
}

describe('Swagger UI at /api/v2/schema/swagger-ui/', { timeout: 90_000 }, () => {
  it('renders every GeoNode operation, then every catalogue operation, from local files only', async () => {
    const { page, external } = await newPage();
    const res = await page.goto(`${s.url}/api/v2/schema/swagger-ui/`);
    expect(res?.status()).toBe(200);
    const geonode = operations(contract('geonode'));
    expect(new Set(await swaggerOperations(page, geonode.length))).toEqual(new Set(geonode.map((o) => o.key)));
    expect(await page.locator('#geostub-docs-nav a[href="/__geostub/contracts/koordinates-catalog.yaml"]').count()).toBe(1);
    await page.evaluate(() => document.querySelector('.scheme-container')?.scrollIntoView()); // the servers, then operations
    const shot = await screenshot(page, 'swagger-ui');
    expect(shot.colours).toBeGreaterThan(50);
    expect(shot.nonBackground).toBeGreaterThan(0.05);

    const catalogue = operations(contract('koordinates'));
    await page.selectOption('.topbar select', { label: 'Koordinates Data Catalog' });
    expect(new Set(await swaggerOperations(page, catalogue.length))).toEqual(new Set(catalogue.map((o) => o.key)));
    expect(external).toEqual([]);
    await page.close();
  });

  it('"Try it out" is answered by the mock', async () => {
    const { page, external } = await newPage();
    await page.goto(`${s.url}/api/v2/schema/swagger-ui/#/categories/listCategories`);
    const op = page.locator('#operations-categories-listCategories');
    await op.locator('.opblock-body').waitFor({ timeout: 60_000 });
    const before = s.exchanges.recent().length;
    await op.locator('button.try-out__btn').click();
    await op.locator('button.execute').click();
    await expect.poll(() => op.locator('.live-responses-table tbody .response-col_status').first().textContent(), { timeout: 15_000 }).toBe('200');
    expect(await op.locator('.live-responses-table').textContent()).toContain('"categories"');
    const sent = s.exchanges.recent().slice(before).find((e) => e.url.startsWith('/api/v2/categories/'));
    expect(sent?.status).toBe(200);
    expect(external).toEqual([]);
    await page.close();
  });
});

describe('ReDoc at /api/v2/schema/redoc/', { timeout: 90_000 }, () => {
  for (const [api, query, shotName] of [['geonode', '', 'redoc'], ['koordinates', '?spec=koordinates', 'redoc-catalogue']] as const) {
    it(`renders every ${api} operation from local files only`, async () => {
      const { page, external } = await newPage();
      const res = await page.goto(`${s.url}/api/v2/schema/redoc/${query}`);
      expect(res?.status()).toBe(200);
      const ops = operations(contract(api));
      await page.waitForFunction((n) => document.querySelectorAll('li[data-item-id*="operation/"]').length >= n, ops.length, { timeout: 60_000 });
      const shown = await page.$$eval('[data-section-id*="operation/"]', (els) => els.map((e) => String(e.getAttribute('data-section-id')).replace(/^.*operation\//, '')));
      expect(new Set(shown)).toEqual(new Set(ops.map((o) => o.id)));
      expect(await page.locator('a[href="/__geostub/contracts/koordinates-catalog.yaml"]').count()).toBe(1);
      if (shotName === 'redoc') {
        const shot = await screenshot(page, shotName);
        expect(shot.colours).toBeGreaterThan(50);
        expect(shot.nonBackground).toBeGreaterThan(0.05);
      }
      expect(external).toEqual([]);
      await page.close();
    });
  }
});
