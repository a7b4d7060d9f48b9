/** Start a real geostub on a free port for a test file, with helpers for real HTTP requests. */
import { afterAll, beforeAll } from 'vitest';
import { startGeostub, type ServerStartOptions, type RunningGeostub } from '../../src/server/start.js';

export const BASIC = {
  admin: 'Basic ' + Buffer.from('admin:admin').toString('base64'),
  staff: 'Basic ' + Buffer.from('staff:staff').toString('base64'),
  alice: 'Basic ' + Buffer.from('alice:alice').toString('base64'),
  bob: 'Basic ' + Buffer.from('bob:bob').toString('base64'),
};

export interface TestServer extends RunningGeostub {
  request(
    method: string,
    path: string,
    init?: { body?: unknown; raw?: string | Buffer; headers?: Record<string, string>; as?: keyof typeof BASIC | null },
  ): Promise<TestResponse>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export async function startTestServer(options: ServerStartOptions = {}): Promise<TestServer> {
  const running = await startGeostub({ port: 0, inMemory: true, ...options });
  const request: TestServer['request'] = async (method, path, init = {}) => {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    const as = init.as === undefined ? 'admin' : init.as;
    if (as && !headers.Authorization) headers.Authorization = BASIC[as];
    let body: string | Buffer | undefined = init.raw;
    if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers['Content-Type'] ??= 'application/json';
    }
    const res = await fetch(running.url + path, { method, headers, body, redirect: 'manual' });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  };
  return Object.assign(running, { request });
}

/** One server per GeoNode release profile, for tests that show a difference in 5 and its absence in 4. */
export interface ProfileServers {
  v4: TestServer;
  v5: TestServer;
}

/** Start both profiles before the file's tests and stop them after (vitest hooks registered by the call). */
export function bothProfiles(options: ServerStartOptions = {}): ProfileServers {
  const servers = {} as ProfileServers;
  beforeAll(async () => {
    [servers.v4, servers.v5] = await Promise.all([
      startTestServer(options),
      startTestServer({ ...options, geonode: 5 }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([servers.v4?.close(), servers.v5?.close()]);
  });
  return servers;
}

/** The pk of a fixture user by username. */
export const userPk = (s: TestServer, name: string) =>
  s.store
    .collection('users')
    .list()
    .find((u) => u.username === name)!.pk as number;
