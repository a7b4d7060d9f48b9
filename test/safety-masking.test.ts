/**
 * Secrets masked everywhere geostub writes or serves what it saw: known credentials are sent through the request
 * log (text and JSON), the inspector (its API, event stream and page), the proxy (its log and violation report),
 * `record` (its progress lines, report and files) and `conform` (console, JSON and JUnit reports), and every
 * output, file and page is searched for them. The same runs with --show-secrets find them, so the search can fail.
 */
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSecretName, maskHeader, maskJson, maskText, maskUrls } from '../src/core/masking.js';
import { fastServeArgs } from '../src/cli/serve-options.js';
import { launch } from '../src/cli/serve.js';
import { proxyCommand, recordCommand } from '../src/cli/tools.js';
import { conformCommand } from '../src/conformance/cli.js';
import type { RunningGeostub } from '../src/server/start.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
/** credentials of the fixtures (contracts' security schemes) and made-up ones, each sent once or more below */
const S = {
  basic: b64('alice:alice'),
  bearer: 'geostub-admin-token',
  queryToken: 'geostub-alice-token',
  cookie: 'Cookie-Secret-4711',
  csrf: 'Csrf-Secret-4712',
  koordinatesKey: 'geostub0koordinates0api0key00001',
  password: 'Body-Password-4713',
  nested: 'Nested-Key-4714',
  form: 'Form-Password-4715',
  setCookie: 'SetCookie-Secret-4716',
  answerToken: 'Answer-Token-4717',
};
const SECRETS = Object.values(S);
const found = (text: string) => SECRETS.filter((s) => text.includes(s));

describe('the masking rules', () => {
  it.each([
    ['password', true],
    ['new_password2', true],
    ['client_secret', true],
    ['access_token', true],
    ['csrfmiddlewaretoken', true],
    ['api_key', true],
    ['apiKey', true],
    ['apikey', true],
    ['key', true],
    ['private_key', true],
    ['X-CSRFToken', true],
    ['X-Api-Key', true],
    ['keywords', false],
    ['tkeywords', false],
    ['primary_key_fields', false],
    ['token_type', false],
    ['monkey', false],
    ['title', false],
    ['page_size', false],
  ] as const)('%s is secret-like: %s', (name, secret) => expect(isSecretName(name)).toBe(secret));

  it.each([
    [
      '/api/v2/resources/?page=2&access_token=abc&key=k1&api_key=k2&token=t&apikey=k3&sort[]=title',
      '/api/v2/resources/?page=2&access_token=***&key=***&api_key=***&token=***&apikey=***&sort[]=title',
    ],
    [
      'https://admin:hunter2@example.org/x?filter{keywords.name}=a',
      'https://admin:***@example.org/x?filter{keywords.name}=a',
    ],
    ['username=a&password=p%40ss&csrfmiddlewaretoken=c', 'username=a&password=***&csrfmiddlewaretoken=***'],
  ])('URLs and forms: %s', (input, expected) => expect(maskUrls(input)).toBe(expected));

  it.each([
    [
      '{"username":"a","password":"p","profile":{"api_key":"k","keywords":["x"]},"token":null}',
      '{"username":"a","password":"***","profile":{"api_key":"***","keywords":["x"]},"token":null}',
    ],
    ['[{"secret": {"a": [1, "}"]}, "b": 2}]', '[{"secret": "***", "b": 2}]'],
    ['{"a": "\\"password\\": x", "client_secret": 12}', '{"a": "\\"password\\": x", "client_secret": "***"}'],
    ['{"users": [{"password": "cut-off-by-the-4-KB-cl', '{"users": [{"password": "***"'],
  ])('JSON at any depth, clipped too: %s', (input, expected) => expect(maskJson(input)).toBe(expected));

  it('multipart parts, headers and cookies', () => {
    const part =
      '--b\r\nContent-Disposition: form-data; name="password"\r\n\r\nsecret-value\r\n--b\r\nContent-Disposition: form-data; name="title"\r\n\r\nkept\r\n--b--';
    expect(maskText(part)).toBe(part.replace('secret-value', '***'));
    expect(maskHeader('Authorization', 'Basic YWRtaW46YWRtaW4=')).toBe('Basic ***');
    expect(maskHeader('authorization', 'key abc')).toBe('key ***');
    expect(maskHeader('Proxy-Authorization', 'opaque')).toBe('***');
    expect(maskHeader('cookie', 'sessionid=a; csrftoken=b')).toBe('sessionid=***; csrftoken=***');
    expect(
      maskHeader('set-cookie', 'sessionid=a; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT, csrftoken=b; Path=/'),
    ).toBe('sessionid=***; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT, csrftoken=***; Path=/');
    expect(maskHeader('x-csrftoken', 'abc')).toBe('***');
    expect(maskHeader('link', '<http://h/x?key=abc&page=2>; rel="next"')).toBe(
      '<http://h/x?key=***&page=2>; rel="next"',
    );
    expect(maskHeader('content-type', 'application/json')).toBe('application/json');
  });
});

/** Sends every kind of secret to a server (or a proxy) at `base`. */
async function sendSecrets(base: string): Promise<void> {
  const send = (path: string, init: RequestInit = {}) =>
    fetch(base + path, { redirect: 'manual', ...init }).then((r) => r.arrayBuffer());
  await send('/api/v2/resources/?page_size=1', {
    headers: {
      Authorization: `Basic ${S.basic}`,
      Cookie: `sessionid=${S.cookie}; csrftoken=${S.csrf}`,
      'X-CSRFToken': S.csrf,
    },
  });
  await send(`/api/v2/resources/?page_size=1&access_token=${S.queryToken}`); // links.next repeats the token
  await send('/api/v2/categories/?page_size=1', { headers: { Authorization: `Bearer ${S.bearer}` } });
  await send(`/services/api/v1/data/?page_size=1&key=${S.koordinatesKey}`); // so does the Link header
  await send('/services/api/v1/data/?page_size=1', { headers: { Authorization: `key ${S.koordinatesKey}` } });
  await send('/api/v2/users/', {
    method: 'POST',
    headers: { Authorization: `Bearer ${S.bearer}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      username: 'masked.user',
      email: 'masked@example.org',
      password: S.password,
      profile: { settings: { api_key: S.nested } },
    }),
  });
  await send('/api/v2/resources/1/', {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `title=x&password=${S.form}`,
  });
}

/** Everything the inspector serves: the page, the list, every exchange in full, the event stream. */
async function inspectorTexts(s: RunningGeostub): Promise<string> {
  const get = (path: string) => fetch(s.url + path).then((r) => r.text());
  const texts = [await get('/__geostub/'), await get('/__geostub/inspector/exchanges')];
  for (const e of s.exchanges.recent()) texts.push(await get(`/__geostub/inspector/exchanges/${e.id}`));
  const abort = new AbortController();
  const res = await fetch(`${s.url}/__geostub/inspector/events?since=0`, { signal: abort.signal });
  const reader = res.body!.getReader();
  let events = '';
  const lastId = s.exchanges.recent().at(-1)!.id;
  while (!events.includes(`id: ${lastId}\n`)) events += new TextDecoder().decode((await reader.read()).value);
  abort.abort();
  return [...texts, events, JSON.stringify(s.exchanges.recent())].join('\n');
}

describe('serve: request log and inspector', () => {
  const servers: RunningGeostub[] = [];
  const start = async (extra: string[]) => {
    const lines: string[] = [];
    const args = fastServeArgs(['serve', '--port', '0', '--in-memory', ...extra]);
    const s = await launch(args!, (l) => lines.push(l));
    servers.push(s);
    return { s, lines };
  };
  afterAll(() => Promise.all(servers.map((s) => s.close())));

  it('masks every secret in the text log, the JSON log and all the inspector serves; the banner says so', async () => {
    for (const format of ['text', 'json']) {
      const { s, lines } = await start(['--log-format', format]);
      await sendSecrets(s.url);
      await expect.poll(() => lines.filter((l) => l.includes('/api/v2/users/')).length).toBe(1);
      expect(lines.join('\n')).toMatch(/secrets.*masked/);
      expect(lines.join('\n')).toMatch(format === 'text' ? /access_token=\*\*\*/ : /"path":"[^"]*access_token=\*\*\*/);
      expect(found(lines.join('\n')), format).toEqual([]);
      const served = await inspectorTexts(s);
      expect(served).toContain('\\"password\\":\\"***\\"'); // the request body, as JSON inside JSON
      expect(served).toContain('Basic ***');
      expect(found(served), format).toEqual([]);
    }
  });

  it('masks them with --quiet too, where nothing listens and the log masks what it keeps when it is read', async () => {
    const { s } = await start(['--quiet']);
    expect(s.exchanges.listenerCount('exchange')).toBe(0);
    await sendSecrets(s.url);
    await expect.poll(() => s.exchanges.recent().filter((e) => e.url.startsWith('/api/v2/users/')).length).toBe(1);
    const one = s.exchanges.recent()[0];
    expect(one.requestHeaders.cookie).toBe('sessionid=***; csrftoken=***');
    expect(one.responseHeaders['content-type']).toMatch(/^application\/json/); // flattened, as when announced
    const served = await inspectorTexts(s);
    expect(served).toContain('\\"password\\":\\"***\\"');
    expect(served).toContain('Basic ***');
    expect(found(served)).toEqual([]);
  });

  it('shows them with --show-secrets, and says so in the banner (so the search above can fail)', async () => {
    const { s, lines } = await start(['--show-secrets']);
    await sendSecrets(s.url);
    await expect.poll(() => lines.filter((l) => l.includes('/api/v2/users/')).length).toBe(1);
    expect(lines.join('\n')).toMatch(/secrets: +SHOWN/);
    expect(found(lines.join('\n'))).toEqual([S.queryToken, S.koordinatesKey]); // the log prints URLs only
    const served = await inspectorTexts(s);
    expect(found(served).sort()).toEqual(SECRETS.filter((x) => x !== S.setCookie && x !== S.answerToken).sort());
  });
});

describe('proxy: log and violation report', () => {
  /** a live server that answers with a cookie, a token and a link holding one: nothing the contracts allow */
  let target: Server;
  let targetUrl: string;
  beforeAll(async () => {
    target = createServer((req, res) => {
      req.resume();
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Set-Cookie': [`sessionid=${S.setCookie}; Path=/; HttpOnly`],
        Location: `/next?access_token=${S.queryToken}`,
      });
      res.end(JSON.stringify({ token: S.answerToken, links: { next: `${req.url}&access_token=${S.queryToken}` } }));
    });
    await new Promise<void>((ok) => target.listen(0, '127.0.0.1', ok));
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((ok) => target.close(() => ok())));

  for (const show of [false, true]) {
    it(
      show
        ? 'shows them with --show-secrets'
        : 'masks every secret in its log lines, exchanges and GET /__geostub/violations',
      async () => {
        const lines: string[] = [];
        const proxy = await proxyCommand(
          {
            target: targetUrl,
            port: 0,
            host: '127.0.0.1',
            insecure: false,
            quiet: false,
            'log-format': 'text',
            'show-secrets': show,
          },
          (l) => lines.push(l),
        );
        try {
          await sendSecrets(proxy.url);
          await expect.poll(() => lines.filter((l) => l.includes('/api/v2/users/')).length).toBe(1);
          const violations = await fetch(`${proxy.url}/__geostub/violations`).then((r) => r.text());
          expect(JSON.parse(violations).count).toBeGreaterThan(0);
          const all = [
            lines.join('\n'),
            violations,
            JSON.stringify((proxy as unknown as { exchanges: { recent(): unknown[] } }).exchanges.recent()),
          ].join('\n');
          if (show) {
            expect(lines.join('\n')).toMatch(/secrets: +SHOWN/);
            expect(found(all).sort()).toEqual([...SECRETS].sort());
          } else {
            expect(lines.join('\n')).toMatch(/secrets: +masked/);
            expect(violations).toContain('access_token=***');
            expect(found(all)).toEqual([]);
          }
        } finally {
          await proxy.close();
        }
      },
    );
  }
});

describe('record: progress, report and files', () => {
  let source: TestServer;
  const KEY = 'recordkey0secret0000000000004718';
  const TOKEN = 'Record-Token-4719';
  beforeAll(async () => {
    source = await startTestServer();
    // a live server that echoes credentials: a token in a resource's link (GeoNode adds ?access_token= to OWS
    // links for a signed-in user), the key in a catalogue item's text
    source.store
      .collection('kx_keys')
      .insert({ key: KEY, user: 1, scopes: ['catalog', 'layers:read', 'sets:read', 'documents:read'] });
    const resources = source.store.collection('resources');
    for (const r of resources.list().slice(0, 40))
      resources.update(String(r.pk), { thumbnail_url: `/thumbs/${String(r.pk)}.png?access_token=${TOKEN}` });
    const items = source.store.collection('kx_items');
    for (const i of items.list().slice(0, 40))
      items.update(String(i.id), { description: `see https://example.org/wms?key=${KEY}&layer=1 or ${KEY}` });
  });
  afterAll(() => source.close());

  for (const show of [false, true]) {
    it(
      show
        ? 'keeps them with --show-secrets'
        : 'masks the echoed token and the --key in the files, the progress lines and the report',
      async () => {
        const out = await mkdtemp(join(tmpdir(), 'geostub-record-mask-'));
        const lines: string[] = [];
        const code = await recordCommand(
          { from: source.url, limit: 5, out, pace: 0, 'max-requests': 400, key: KEY, seed: 1, 'show-secrets': show },
          (l) => lines.push(l),
        );
        expect(code).toBe(0);
        const files = await Promise.all((await readdir(out)).map((f) => readFile(join(out, f), 'utf8')));
        const all = [...files, ...lines].join('\n');
        if (show) expect([KEY, TOKEN].filter((x) => all.includes(x))).toEqual([KEY, TOKEN]);
        else {
          expect(all).toContain('access_token=***');
          expect([KEY, TOKEN].filter((x) => all.includes(x))).toEqual([]);
        }
      },
    );
  }
});

describe('conform: console and report files', () => {
  let faulty: TestServer;
  beforeAll(async () => {
    faulty = await startTestServer({ faults: ['create-answers-200'] }); // the users scenario fails: its request body is reported
  });
  afterAll(() => faulty.close());

  for (const show of [false, true]) {
    it(
      show
        ? 'keeps them with --show-secrets, and says so'
        : "masks the credentials given and a scenario's password in the console, JSON and JUnit reports",
      async () => {
        const dir = await mkdtemp(join(tmpdir(), 'geostub-conform-mask-'));
        let out = '';
        let err = '';
        const code = await conformCommand(
          {
            target: faulty.url,
            token: S.bearer,
            key: S.koordinatesKey,
            'allow-writes': true,
            only: ['scenario geonode-users'],
            report: [`json:${join(dir, 'r.json')}`, `junit:${join(dir, 'r.xml')}`],
            'show-secrets': show,
          },
          { write: (t) => void (out += t) },
          { write: (t) => void (err += t) },
        );
        expect(code, out + err).toBe(1);
        const all = [
          out,
          err,
          await readFile(join(dir, 'r.json'), 'utf8'),
          await readFile(join(dir, 'r.xml'), 'utf8'),
        ].join('\n');
        const password = 'Zebra-Quantum-7391!'; // contracts/scenarios/geonode-users.yaml
        expect(all).toContain('POST /api/v2/users/');
        if (show) {
          expect(err).toMatch(/--show-secrets/);
          expect(all).toContain(password);
        } else {
          expect(all).toContain('"password":"***"');
          expect([password, S.bearer, S.koordinatesKey].filter((x) => all.includes(x))).toEqual([]);
        }
      },
    );
  }
});
