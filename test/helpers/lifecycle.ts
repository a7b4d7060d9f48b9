/**
 * Helpers for the lifecycle tests: a server whose job steps are a minute long (real time never reaches the next
 * step during a test, so only `/__geostub/clock/advance` moves a job: deterministic), and small request shortcuts.
 */
import { BASIC, startTestServer, type TestServer } from './server.js';
import type { ServerStartOptions } from '../../src/server/start.js';

export const STEP = 60_000;

export const startLifecycleServer = (options: ServerStartOptions = {}) =>
  startTestServer({ jobDuration: STEP, ...options });

/** Move the server's clock forward (default: one job step). */
export async function advance(s: TestServer, ms = STEP): Promise<any> {
  const r = await s.request('POST', '/__geostub/clock/advance', { body: { ms }, as: null });
  if (r.status !== 200) throw new Error(`advance: ${r.status} ${r.text}`);
  return r.json;
}

export async function settle(s: TestServer): Promise<any> {
  const r = await s.request('POST', '/__geostub/jobs/settle', { as: null });
  if (r.status !== 200) throw new Error(`settle: ${r.status} ${r.text}`);
  return r.json;
}

/** `GET /resource-service/execution-status/{id}` as a user (default admin). */
export async function execStatus(s: TestServer, id: string, as: keyof typeof BASIC = 'admin'): Promise<any> {
  const r = await s.request('GET', `/api/v2/resource-service/execution-status/${id}`, { as });
  if (r.status !== 200) throw new Error(`execution-status ${id}: ${r.status} ${r.text}`);
  return r.json;
}

/** A form body as GeoNode's clients send it: `key=<url-encoded JSON>&…`. */
export const form = (fields: Record<string, unknown>) =>
  Object.entries(fields)
    .map(([k, v]) => `${k}=${encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v))}`)
    .join('&');

export const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

/** `POST /api/v2/uploads/upload/` as multipart, each file with its content. */
export async function uploadFiles(
  s: TestServer,
  files: Record<string, [name: string, content: string]>,
  as: keyof typeof BASIC,
  headers: Record<string, string> = {},
) {
  const body = new FormData();
  for (const [field, [name, content]] of Object.entries(files)) body.append(field, new Blob([content]), name);
  const res = await fetch(`${s.url}/api/v2/uploads/upload/`, {
    method: 'POST',
    headers: { Authorization: BASIC[as], ...headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, text };
}
