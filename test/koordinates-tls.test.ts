/**
 * https for clients that insist on it (Koordinates documents its API as SSL-only): the self-signed certificate geostub
 * builds (`src/server/tls.ts`), `serve --tls` and `serve --tls-cert/--tls-key`, each answering a real https request.
 */
import { get as httpsGet } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { derInteger, derOid, derTime, selfSignedCertificate } from '../src/server/tls.js';
import { launch } from '../src/cli/serve.js';
import { fastServeArgs, type ServeArgs } from '../src/cli/serve-options.js';
import { startGeostub, type RunningGeostub } from '../src/server/start.js';
import { DATA, KEYED, parseLinks } from './helpers/koordinates.js';

const started: RunningGeostub[] = [];
afterAll(async () => {
  for (const r of started) await r.close();
});

type HttpsAnswer = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  fingerprint: string;
};

/** An https GET that trusts exactly `ca` (and checks the host name against the certificate). */
function getTls(url: string, ca: string, headers: Record<string, string> = {}): Promise<HttpsAnswer> {
  return new Promise((ok, fail) => {
    const req = httpsGet(url, { ca, headers, agent: false }, (res) => {
      const fingerprint = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body, fingerprint }));
    });
    req.on('error', fail);
  });
}

/** `serve --port 0 --in-memory --quiet`, every other option at its default */
const ARGS: ServeArgs = fastServeArgs(['serve', '--port', '0', '--in-memory', '--quiet'])!;

describe('the self-signed certificate', () => {
  const pair = selfSignedCertificate({ hosts: ['mock.test', '10.1.2.3'] });
  const x = new X509Certificate(pair.cert);

  it('names localhost, 127.0.0.1, ::1 and the extra hosts, and is signed by its own key', () => {
    expect(x.checkHost('localhost')).toBe('localhost');
    expect(x.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(x.checkIP('::1')).toBe('::1');
    expect(x.checkHost('mock.test')).toBe('mock.test');
    expect(x.checkIP('10.1.2.3')).toBe('10.1.2.3');
    expect(x.checkHost('example.com')).toBeUndefined();
    expect(x.subject).toBe(x.issuer);
    expect(x.verify(x.publicKey)).toBe(true);
    expect(x.checkPrivateKey(createPrivateKey(pair.key))).toBe(true);
    expect(x.ca).toBe(false);
    expect(x.keyUsage).toContain('1.3.6.1.5.5.7.3.1'); // serverAuth
  });

  it('is valid now (from a day ago, for a year); every call makes a new key and serial', () => {
    const now = Date.now();
    expect(Date.parse(x.validFrom)).toBeLessThan(now);
    expect(Date.parse(x.validTo) - now).toBeGreaterThan(360 * 86_400_000);
    const other = new X509Certificate(selfSignedCertificate().cert);
    expect(other.serialNumber).not.toBe(x.serialNumber);
    expect(other.fingerprint256).not.toBe(x.fingerprint256);
  });

  it('DER pieces: object identifiers, positive integers, UTCTime before 2050 and GeneralizedTime after', () => {
    expect(derOid('1.2.840.113549.1.1.11').toString('hex')).toBe('06092a864886f70d01010b');
    expect(derOid('2.5.29.17').toString('hex')).toBe('0603551d11');
    expect(derInteger(Buffer.from([0x80])).toString('hex')).toBe('02020080');
    expect(derInteger(Buffer.from([0, 0, 5])).toString('hex')).toBe('020105');
    expect(derTime(new Date('2025-01-02T03:04:05Z')).toString('ascii').slice(2)).toBe('250102030405Z');
    expect(derTime(new Date('2025-01-02T03:04:05Z'))[0]).toBe(0x17);
    expect(derTime(new Date('2051-01-02T03:04:05Z'))[0]).toBe(0x18);
    expect(derTime(new Date('2051-01-02T03:04:05Z')).toString('ascii').slice(2)).toBe('20510102030405Z');
  });
});

describe('serving https', () => {
  it('startGeostub({ tls }) answers the catalogue over https with https links, and serves its certificate', async () => {
    const pair = selfSignedCertificate();
    const running = await startGeostub({ port: 0, inMemory: true, tls: pair });
    started.push(running);
    expect(running.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const res = await getTls(`${running.url}${DATA}?page_size=2&kind=vector`, pair.cert, KEYED);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toHaveLength(2);
    const links = parseLinks(String(res.headers.link));
    expect(links['page-next']).toBe(`${running.url}${DATA}?page_size=2&kind=vector&page=2`);
    const localhost = await getTls(
      `${running.url.replace('127.0.0.1', 'localhost')}/services/api/v1/licenses/1/`,
      pair.cert,
    );
    expect(localhost.status).toBe(200);
    const pem = await getTls(`${running.url}/__geostub/cert.pem`, pair.cert);
    expect(pem.body).toBe(pair.cert);
    expect(pem.fingerprint).toBe(new X509Certificate(pair.cert).fingerprint256);
  });

  it('serve --tls prints an https URL and presents a fresh self-signed certificate for it', async () => {
    expect(fastServeArgs(['serve', '--tls', '--port', '0'])).toMatchObject({ tls: true, port: 0 });
    const lines: string[] = [];
    const running = await launch({ ...ARGS, tls: true }, (l) => lines.push(l));
    started.push(running);
    const printed = /listening on (\S+)/.exec(lines.join('\n'))?.[1];
    expect(printed).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(lines.join('\n')).toMatch(/self-signed/);
    // the client learns the certificate from the mock itself, then trusts exactly it
    const pem = await new Promise<string>((ok, fail) => {
      httpsGet(`${printed}/__geostub/cert.pem`, { rejectUnauthorized: false, agent: false }, (res) => {
        let b = '';
        res.on('data', (d) => (b += d));
        res.on('end', () => ok(b));
      }).on('error', fail);
    });
    const res = await getTls(`${printed}${DATA}`, pem, KEYED);
    expect(res.status).toBe(200);
    expect(res.headers['x-resource-range']).toMatch(/^0-100\/\d+$/);
  });

  it('serve --tls-cert FILE --tls-key FILE serves that certificate', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'geostub-tls-'));
    const pair = selfSignedCertificate({ hosts: ['files.test'] });
    await writeFile(join(dir, 'cert.pem'), pair.cert);
    await writeFile(join(dir, 'key.pem'), pair.key);
    const args = fastServeArgs([
      'serve',
      '--port',
      '0',
      '--in-memory',
      '--quiet',
      '--tls-cert',
      join(dir, 'cert.pem'),
      '--tls-key',
      join(dir, 'key.pem'),
    ]);
    expect(args).toMatchObject({ 'tls-cert': join(dir, 'cert.pem'), 'tls-key': join(dir, 'key.pem') });
    const lines: string[] = [];
    const running = await launch(args!, (l) => lines.push(l));
    started.push(running);
    expect(running.url).toMatch(/^https:/);
    const res = await getTls(`${running.url}/services/api/v1/groups/1/`, pair.cert);
    expect(res.status).toBe(200);
    expect(res.fingerprint).toBe(new X509Certificate(pair.cert).fingerprint256);
    expect(new X509Certificate(pair.cert).checkHost('files.test')).toBe('files.test');
  });

  it('--tls-cert without --tls-key, or an unreadable file, is a usage error naming the problem', async () => {
    await expect(launch({ ...ARGS, 'tls-cert': '/nonexistent/cert.pem' })).rejects.toThrow(
      /--tls-cert and --tls-key go together/,
    );
    await expect(
      launch({ ...ARGS, 'tls-cert': '/nonexistent/cert.pem', 'tls-key': '/nonexistent/key.pem' }),
    ).rejects.toThrow(/cannot read the TLS files/);
  });
});
