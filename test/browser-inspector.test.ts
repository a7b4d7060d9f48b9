/**
 * The inspector at /__geostub/ in a real browser (Chromium, see helpers/browser.ts): it shows a request
 * the test just made (and the whole exchange) but not its own requests unless the toggle asks, moves a job to `finished` with the clock controls, browses records
 * with the API's own filters, changes the error rate and the planted faults at runtime, and resets the data; its
 * screenshot is not blank.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, offOrigin, screenshot } from './helpers/browser.js';
import { startTestServer, type TestServer } from './helpers/server.js';

/** a step long enough that no job moves unless the test moves the clock */
const STEP_MS = 600_000;

let s: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let external: string[];
let seedResources: number;

beforeAll(async () => {
  browser = await launchChromium();
  // listening on every interface (reached at 127.0.0.1 only), so the inspector asks for a superuser (admin-access.ts)
  s = await startTestServer({ jobDuration: STEP_MS, host: '0.0.0.0' });
  seedResources = s.store.collection('resources').size;
  context = await browser.newContext({
    viewport: { width: 1200, height: 950 },
    httpCredentials: { username: 'admin', password: 'admin' },
  });
  page = await context.newPage();
  external = offOrigin(page, s.url);
  page.on('dialog', (d) => void d.accept());
  const res = await page.goto(`${s.url}/__geostub/`);
  expect(res?.status()).toBe(200);
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForFunction(() => document.getElementById('log-state')?.textContent?.includes('live'));
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await s?.close();
});

const countOf = (name: string) => page.locator(`#collections tr[data-collection="${name}"] .count`).textContent();

describe('the inspector', { timeout: 60_000 }, () => {
  it('is for superusers off loopback: a 401 with a Basic challenge without credentials, the page with ?token=', async () => {
    const anonymous = await fetch(`${s.url}/__geostub/`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm="geostub inspector"/);
    const alice = await s.request('GET', '/__geostub/inspector/session', { as: 'alice' });
    expect(alice.status).toBe(403);
    const byToken = await browser.newContext();
    const tab = await byToken.newPage();
    expect((await tab.goto(`${s.url}/__geostub/?token=geostub-admin-token`))?.status()).toBe(200);
    await tab.waitForSelector('body[data-ready="true"]');
    expect(await tab.textContent('#who')).toContain('admin');
    await byToken.close();
  });

  it('shows the collections with their counts', async () => {
    await expect.poll(() => countOf('resources')).toBe(String(seedResources));
    expect(await page.locator('#collections tr').count()).toBe(s.store.names().length);
    expect(await page.textContent('#who')).toContain('admin');
  });

  it('shows a request the test just made, live, and the whole exchange on a click', async () => {
    const path = `/api/v2/resources/?page_size=2&search=inspector-${Date.now()}`;
    const res = await s.request('GET', path, { as: 'alice' });
    expect(res.status).toBe(200);
    const row = page.locator('#log tr', { hasText: path });
    await row.waitFor({ timeout: 10_000 });
    expect(await row.locator('td').nth(2).textContent()).toBe('GET');
    expect(await row.locator('td').nth(4).textContent()).toContain('200');
    expect(await row.locator('td').nth(6).textContent()).toBe('alice');
    await row.click();
    await expect.poll(() => page.textContent('#log-detail'), { timeout: 10_000 }).toContain(`GET ${path}`);
    const detail = (await page.textContent('#log-detail')) ?? '';
    expect(detail).toContain('"resources"');
    expect(detail).toMatch(/authorization: Basic/i);
  });

  it("leaves geostub's own requests out of the live log until the toggle asks for them", async () => {
    const marker = `/api/v2/regions/?page_size=1&search=toggle-${Date.now()}`;
    await s.request('GET', '/__geostub/health');
    await s.request('GET', marker);
    await page.locator('#log tr', { hasText: marker }).waitFor({ timeout: 10_000 });
    expect(await page.locator('#log tr', { hasText: '/__geostub/' }).count()).toBe(0);
    await page.check('#log-all');
    await page.locator('#log tr', { hasText: '/__geostub/health' }).first().waitFor({ timeout: 10_000 });
    await page.uncheck('#log-all');
    await page.locator('#log tr', { hasText: marker }).waitFor({ timeout: 10_000 });
    expect(await page.locator('#log tr', { hasText: '/__geostub/' }).count()).toBe(0);
  });

  it('browses records with the filters the API takes', async () => {
    await page.selectOption('#browse-endpoint', '/api/v2/resources/');
    await page.fill('#browse-query', 'filter{resource_type}=map&page_size=5&sort[]=pk');
    await page.click('#browse-go');
    await expect.poll(() => page.textContent('#browse-status')).toContain('filter{resource_type}=map');
    await expect.poll(() => page.textContent('#browse-status')).toMatch(/^200/);
    const types = await page.$$eval('#browse-table', ([t]) => {
      const col = [...t.querySelectorAll('thead th')].findIndex((th) => th.textContent === 'resource_type');
      return [...t.querySelectorAll('tbody tr')].map((tr) => tr.children[col]?.textContent);
    });
    expect(types.length).toBe(5);
    expect(new Set(types)).toEqual(new Set(['map']));
  });

  it('moves a job to finished with the clock controls', async () => {
    const pk = s.store.collection('resources').list()[0].pk;
    const started = await s.request('PUT', `/api/v2/resources/${pk}/copy/`, { body: {} });
    expect(started.status).toBe(200);
    const id = started.json.execution_id as string;
    const state = page.locator(`#jobs tr[data-job="${id}"] .state`);
    await state.waitFor({ timeout: 10_000 });
    expect(await state.textContent()).not.toBe('finished');
    await page.fill('#advance-ms', String(STEP_MS));
    for (let i = 0; i < 10 && (await state.textContent()) !== 'finished'; i++) {
      await page.click('#advance');
      await expect.poll(() => page.textContent('#jobs-status')).toMatch(/^advanced/);
      await page.evaluate(() => (document.getElementById('jobs-status')!.textContent = ''));
    }
    expect(await state.textContent()).toBe('finished');
    const status = await s.request('GET', `/api/v2/resource-service/execution-status/${id}`);
    expect(status.json.status).toBe('finished');
  });

  it('changes the error rate at runtime', async () => {
    await page.fill('#error-rate', '1');
    await page.click('#settings-apply');
    await expect.poll(() => page.textContent('#settings-status')).toContain('applied');
    expect((await s.request('GET', '/api/v2/categories/')).status).toBeGreaterThanOrEqual(500);
    await page.click('#settings-clear');
    await expect.poll(() => page.inputValue('#error-rate')).toBe('0');
    expect((await s.request('GET', '/api/v2/categories/')).status).toBe(200);
  });

  it('plants and removes a fault at runtime', async () => {
    const total = async () => (await s.request('GET', '/api/v2/categories/?page_size=1')).json.total as number;
    const right = await total();
    const box = page.locator('input[name=fault][value="total-off-by-one"]');
    // an earlier test's "applied" must not answer this poll
    await page.evaluate(() => (document.getElementById('settings-status')!.textContent = ''));
    await box.check();
    await expect.poll(() => page.textContent('#settings-status')).toContain('applied');
    expect(s.env.settings.faults).toEqual(['total-off-by-one']);
    expect(await total()).toBe(right + 1);
    await page.evaluate(() => (document.getElementById('settings-status')!.textContent = ''));
    await box.uncheck();
    await expect.poll(() => page.textContent('#settings-status')).toContain('applied');
    expect(await total()).toBe(right);
  });

  it('resets the data', async () => {
    const victim = s.store.collection('resources').list()[5].pk;
    const before = s.store.collection('resources').size;
    expect((await s.request('DELETE', `/api/v2/resources/${victim}/`)).status).toBe(204);
    await expect.poll(() => countOf('resources')).toBe(String(before - 1));
    await page.click('#reset');
    await expect.poll(() => page.textContent('#reset-status')).toContain('reset to the seed');
    await expect.poll(() => countOf('resources')).toBe(String(seedResources));
    expect((await s.request('GET', `/api/v2/resources/${victim}/`)).status).toBe(200);
  });

  it('looks like something (a non-blank screenshot) and loads nothing from elsewhere', async () => {
    await page.click('#refresh-jobs');
    await page.locator('#log tr').first().click();
    await page.evaluate(() => window.scrollTo(0, 0));
    const shot = await screenshot(page, 'inspector');
    expect(shot.colours).toBeGreaterThan(50);
    expect(shot.nonBackground).toBeGreaterThan(0.05);
    expect(external).toEqual([]);
  });
});
