/**
 * TLS material for `geostub serve --tls`: a self-signed certificate for localhost, made in memory at start with
 * node's crypto (node 20 parses X.509 but cannot write it, so the certificate is assembled here in DER, RFC 5280).
 *
 * The certificate is an end-entity certificate (basicConstraints cA=false, keyUsage digitalSignature and
 * keyEncipherment, extKeyUsage serverAuth) naming `localhost`, `127.0.0.1`, `::1` and any extra host in its
 * subjectAltName, valid from a day ago for a year, RSA 2048 signed with SHA-256. A client trusts it by being given
 * the certificate itself as its CA (`curl --cacert`, `REQUESTS_CA_BUNDLE`, node's `ca` option).
 */
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';

export interface TlsMaterial {
  /** PEM certificate */
  cert: string;
  /** PEM private key (PKCS#8) */
  key: string;
}

// ---- DER (X.690) encoding, just what a certificate needs ---------------------------------------------------------

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One tag-length-value. */
export function tlv(tag: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

const seq = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => tlv(0x31, Buffer.concat(parts));
const octets = (b: Buffer) => tlv(0x04, b);
const bitString = (b: Buffer, unusedBits = 0) => tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), b]));
const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0x00]));
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
const NULL = Buffer.from([0x05, 0x00]);
/** `[n] EXPLICIT` */
const explicit = (n: number, body: Buffer) => tlv(0xa0 + n, body);

/** A non-negative INTEGER from big-endian bytes (minimal, with a 0x00 pad when the high bit is set). */
export function derInteger(bytes: Buffer): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const body = bytes.subarray(i);
  return tlv(0x02, body[0] & 0x80 ? Buffer.concat([Buffer.from([0]), body]) : body);
}

export function derOid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a + b];
  for (const n of rest) {
    const groups: number[] = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) groups.unshift((v & 0x7f) | 0x80);
    out.push(...groups);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime until 2049, GeneralizedTime after (RFC 5280 §4.1.2.5). */
export function derTime(d: Date): Buffer {
  const iso = d.toISOString(); // 2025-01-02T03:04:05.678Z
  const digits = iso.slice(0, 19).replace(/[-:T]/g, '') + 'Z'; // 20250102030405Z
  return d.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(digits.slice(2), 'ascii'))
    : tlv(0x18, Buffer.from(digits, 'ascii'));
}

const OID = {
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyId: '2.5.29.14',
  authorityKeyId: '2.5.29.35',
  serverAuth: '1.3.6.1.5.5.7.3.1',
};

const extension = (oid: string, critical: boolean, value: Buffer) =>
  seq(derOid(oid), ...(critical ? [bool(true)] : []), octets(value));

/** subjectAltName entries: `dNSName [2]` for names, `iPAddress [7]` (4 or 16 bytes) for addresses. */
function altNames(hosts: string[]): Buffer {
  const names = hosts.map((h) => {
    const bare = h.replace(/^\[|\]$/g, '');
    const family = isIP(bare);
    return family ? tlv(0x87, ipBytes(bare, family)) : tlv(0x82, Buffer.from(bare, 'ascii'));
  });
  return seq(...names);
}

function ipBytes(ip: string, family: number): Buffer {
  if (family === 4) return Buffer.from(ip.split('.').map(Number));
  const words = (s: string) => (s ? s.split(':').map((w) => parseInt(w, 16) || 0) : []);
  const [head, tail] = ip.split('::');
  const h = words(head);
  const t = tail === undefined ? [] : words(tail);
  const all = [...h, ...new Array<number>(Math.max(0, 8 - h.length - t.length)).fill(0), ...t].slice(0, 8);
  const out = Buffer.alloc(16);
  all.forEach((w, i) => out.writeUInt16BE(w & 0xffff, i * 2));
  return out;
}

const toPem = (label: string, der: Buffer) =>
  `-----BEGIN ${label}-----\n${der.toString('base64').replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;

export interface SelfSignedOptions {
  /** names and addresses for subjectAltName; localhost, 127.0.0.1 and ::1 are always included */
  hosts?: string[];
  /** validity in days from now (default 365; it starts a day in the past to allow for clock skew) */
  days?: number;
  /** the clock, for tests */
  now?: Date;
}

/** A fresh key pair and a self-signed certificate for localhost (plus `hosts`), both PEM. */
export function selfSignedCertificate(options: SelfSignedOptions = {}): TlsMaterial {
  const hosts = [
    ...new Set(['localhost', '127.0.0.1', '::1', ...(options.hosts ?? [])].filter((h) => h && !isWildcard(h))),
  ];
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const keyId = createHash('sha1').update(spki).digest();
  const now = options.now ?? new Date();
  const notBefore = new Date(now.getTime() - 86_400_000);
  const notAfter = new Date(now.getTime() + (options.days ?? 365) * 86_400_000);
  const serial = randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x01; // positive and non-zero
  const name = seq(
    set(seq(derOid(OID.organization), utf8('geostub'))),
    set(seq(derOid(OID.commonName), utf8('geostub localhost'))),
  );
  const algorithm = seq(derOid(OID.sha256WithRSA), NULL);
  const tbs = seq(
    explicit(0, derInteger(Buffer.from([2]))), // v3
    derInteger(serial),
    algorithm,
    name,
    seq(derTime(notBefore), derTime(notAfter)),
    name,
    spki,
    explicit(
      3,
      seq(
        extension(OID.basicConstraints, true, seq()), // cA defaults to false
        extension(OID.keyUsage, true, bitString(Buffer.from([0xa0]), 5)), // digitalSignature, keyEncipherment
        extension(OID.extKeyUsage, false, seq(derOid(OID.serverAuth))),
        extension(OID.subjectAltName, false, altNames(hosts)),
        extension(OID.subjectKeyId, false, octets(keyId)),
        extension(OID.authorityKeyId, false, seq(tlv(0x80, keyId))),
      ),
    ),
  );
  const signature = sign('sha256', tbs, privateKey);
  const cert = seq(tbs, algorithm, bitString(signature));
  return { cert: toPem('CERTIFICATE', cert), key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

/** Reads `--tls-cert FILE` and `--tls-key FILE` (PEM). */
export async function readTlsFiles(certFile: string, keyFile: string): Promise<TlsMaterial> {
  const [cert, key] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
  return { cert, key };
}
