/**
 * Masking what geostub saw, before it writes or serves it (request logs, the inspector, the proxy's log and
 * violations, `record`'s progress and report, conformance reports). One module, used by all of them; on by default,
 * off with `--show-secrets`.
 *
 * Masked (the value becomes `***`, the name stays so a reader can see what was sent):
 * - headers: `Authorization` and `Proxy-Authorization` (the scheme is kept: `Basic ***`, `key ***` — the catalogue's
 *   key header is `Authorization: key …`, contracts/koordinates-catalog.yaml `securitySchemes.keyHeader`), every
 *   cookie value of `Cookie` and `Set-Cookie`, and any header whose name is secret-like (below: `X-CSRFToken`,
 *   `X-Api-Key`); URLs in `Location`, `Link`, `Referer` as any URL;
 * - URLs anywhere in a text: secret-like query parameters (`access_token`, `token`, `key`, `api_key`, `apikey`,
 *   `password`…) and the password of `user:password@` userinfo;
 * - bodies: JSON fields with secret-like names at any depth (a whole object or array under such a name too), the
 *   same names in URL-encoded forms and multipart parts, and URLs inside any text as above.
 *
 * A name is secret-like when, case-insensitive and ignoring separators (`_`, `-`, `.`, camelCase) and trailing
 * digits, it ends with `password`, `passwd`, `secret`, `token` or `apikey`, or its last word is `key`. So
 * `password`, `new_password2`, `client_secret`, `access_token`, `csrfmiddlewaretoken`, `api_key`, `apiKey` and
 * `private_key` are masked; `keywords`, `tkeywords`, `primary_key_fields`, `token_type` and `monkey` are not.
 * Bodies may be clipped (the exchange log keeps 4 KB): the JSON scanner is tolerant, and a clipped secret value is
 * masked to the end of the text.
 */

export const MASK = '***';

/** Headers masked whatever their name says (the name rule covers the rest). */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization']);
const COOKIE_HEADERS = new Set(['cookie', 'set-cookie']);
const URL_HEADERS = new Set(['location', 'content-location', 'link', 'referer', 'origin']);
const SECRET_ENDINGS = ['password', 'passwd', 'secret', 'token', 'apikey'];
/** A quick test: a text without any of these cannot hold a secret-like name. */
const SECRETISH = /pass|secret|token|key|@/i;

/** Names seen before (field names repeat in every record of a page): their verdicts, up to a bound. */
const verdicts = new Map<string, boolean>();
const MAX_VERDICTS = 4096;

/** Whether a field, parameter or header name names a secret (see the module comment). */
export function isSecretName(name: string): boolean {
  let v = verdicts.get(name);
  if (v === undefined) {
    v = judge(name);
    if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
    verdicts.set(name, v);
  }
  return v;
}

function judge(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (!words.length) return false;
  if (words[words.length - 1].replace(/\d+$/, '') === 'key') return true;
  const joined = words.join('').replace(/\d+$/, '');
  return SECRET_ENDINGS.some((e) => joined.endsWith(e));
}

const URL_PARAM = /(^|[?&;])([^=&#?;\s"'<>\\]+)=([^&#;\s"'<>\\]*)/g;
const USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/[^/@\s:"'<>]+):([^@/\s"'<>]*)@/gi;
/** What every USERINFO match contains, led by a literal (found fast; USERINFO tries each word start of a text). */
const USERINFO_HINT = /:\/\/[^/@\s:"'<>]+:[^@/\s"'<>]*@/;

function decoded(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/** A parameter whose name could be secret-like (or is percent-encoded): only then are the parameters looked at. */
const PARAM_HINT = /(?:^|[?&;])[^=&#?;\s"'<>\\]*(?:pass|secret|token|key|%)[^=&#?;\s"'<>\\]*=/i;

/** Secret-like query parameters and userinfo passwords of every URL in a text (or of a bare query/form text). */
export function maskUrls(text: string): string {
  let t = text;
  if (PARAM_HINT.test(t))
    t = t.replace(URL_PARAM, (all, sep: string, name: string, value: string) =>
      value && isSecretName(decoded(name)) ? `${sep}${name}=${MASK}` : all,
    );
  if (t.includes('@') && USERINFO_HINT.test(t))
    t = t.replace(USERINFO, (all, head: string, pass: string) => (pass ? `${head}:${MASK}@` : all));
  return t;
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/** Index just after the JSON string starting at `i` (its opening quote), or the text's length when clipped. */
function stringEnd(text: string, i: number): number {
  for (let j = i + 1; ;) {
    const q = text.indexOf('"', j);
    if (q < 0) return text.length;
    let k = q - 1;
    while (text.charCodeAt(k) === 92) k--; // backslashes before the quote: an odd number escapes it
    if ((q - 1 - k) % 2 === 0) return q + 1;
    j = q + 1;
  }
}

/** Index just after the JSON value starting at `i`, or the text's length when clipped. */
function valueEnd(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 34) return stringEnd(text, i);
  if (c === 123 || c === 91) {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const d = text.charCodeAt(j);
      if (d === 34) j = stringEnd(text, j) - 1;
      else if (d === 123 || d === 91) depth++;
      else if ((d === 125 || d === 93) && --depth === 0) return j + 1;
    }
    return text.length;
  }
  let j = i;
  while (j < text.length && !/[,}\]\s]/.test(text[j])) j++;
  return j;
}

function jsonName(raw: string): string {
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

/** JSON text (possibly clipped) with the value of every secret-like field replaced by `"***"` (null stays null). */
export function maskJson(text: string): string {
  if (!SECRETISH.test(text)) return text;
  let out = '';
  let last = 0;
  let i = 0;
  for (;;) {
    i = text.indexOf('"', i);
    if (i < 0) break;
    const end = stringEnd(text, i);
    let j = end;
    while (j < text.length && isSpace(text.charCodeAt(j))) j++;
    if (j < text.length && text[j] === ':' && isSecretName(jsonName(text.slice(i + 1, end - 1)))) {
      j++;
      while (j < text.length && isSpace(text.charCodeAt(j))) j++;
      const vEnd = j < text.length ? valueEnd(text, j) : j;
      if (vEnd > j && text.slice(j, vEnd) !== 'null') {
        out += `${text.slice(last, j)}"${MASK}"`;
        last = vEnd;
      }
      i = Math.max(vEnd, j);
      continue;
    }
    i = end;
  }
  return last ? out + text.slice(last) : text;
}

const MULTIPART_PART =
  /(Content-Disposition:[^\r\n]*\bname="([^"]*)"[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n)([\s\S]*?)(?=\r\n--|$)/gi;

/** Any text geostub saw (a body, a message quoting one): JSON fields, multipart parts and URLs masked. */
export function maskText(text: string): string;
export function maskText(text: string | undefined): string | undefined;
export function maskText(text: string | undefined): string | undefined {
  if (!text || !SECRETISH.test(text)) return text;
  if (text.length < MEMO_MIN || text.length > MEMO_MAX) return maskTextNow(text);
  // the same answer again (a cached page, a detail asked again): its masking is remembered, the scan costs ~20 µs
  // per 4 KB; a Map finds an equal text by hash and comparison
  let masked = maskedTexts.get(text);
  if (masked === undefined) {
    masked = maskTextNow(text);
    if (maskedTexts.size >= MEMO_TEXTS) maskedTexts.delete(maskedTexts.keys().next().value as string);
  } else {
    maskedTexts.delete(text);
  }
  maskedTexts.set(text, masked);
  return masked;
}

/** Masked texts of the most recent bodies (at most MEMO_TEXTS of them, the exchange log's 4 KB clips mostly). */
const maskedTexts = new Map<string, string>();
const MEMO_TEXTS = 64;
const MEMO_MIN = 256;
const MEMO_MAX = 8 * 1024;

function maskTextNow(text: string): string {
  let t = maskJson(text);
  if (/Content-Disposition:/i.test(t))
    t = t.replace(MULTIPART_PART, (all, head: string, name: string) => (isSecretName(name) ? `${head}${MASK}` : all));
  return maskUrls(t);
}

/** One header's value, masked by its name. */
export function maskHeader(name: string, value: string): string {
  const n = name.toLowerCase();
  if (CREDENTIAL_HEADERS.has(n)) return /^\S+\s+\S/.test(value) ? `${value.split(/\s+/)[0]} ${MASK}` : MASK;
  if (n === 'cookie') return value.replace(/([^=;\s]+)=([^;]*)/g, (_a, k: string) => `${k}=${MASK}`);
  // each cookie's first pair; a joined list's cookies start after `, ` (an `Expires` date's comma is followed by a
  // day number and a space, never by `name=`)
  if (n === 'set-cookie')
    return value.replace(/(^|,\s*)([^=;,\s]+)=([^;]*)/g, (_a, sep: string, k: string) => `${sep}${k}=${MASK}`);
  if (isSecretName(n)) return MASK;
  if (URL_HEADERS.has(n)) return maskUrls(value);
  return value;
}

export const isMaskedHeader = (name: string) =>
  CREDENTIAL_HEADERS.has(name.toLowerCase()) || COOKIE_HEADERS.has(name.toLowerCase()) || isSecretName(name);

/** Headers as flat strings, a repeated header joined by `, ` (node's arrays, `Set-Cookie` among them). */
export function flatHeaders(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers))
    if (v !== undefined) out[k] = Array.isArray(v) ? v.map(String).join(', ') : String(v);
  return out;
}

/** Every header masked by its name (see `maskHeader`). */
export function maskHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = maskHeader(k, v);
  return out;
}

/**
 * A JSON-like value with secret-like fields (any depth) set to `***`, strings masked as texts (`maskText`), and
 * every occurrence of the `known` secrets of 8 characters or more (credentials geostub was given, such as `record
 * --key` or `conform --token`) replaced: for data geostub writes to files (`record`'s fixtures, conformance
 * reports), where a field's name may not say it holds a credential the caller sent.
 */
export function maskDeep<T>(value: T, known: string[] = []): T {
  // a short one (the fixtures' `admin` password) would blot out ordinary words; headers and fields still mask it
  const secrets = known.filter((k) => k.length >= 8);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      let s = maskText(v);
      for (const k of secrets) if (s.includes(k)) s = s.split(k).join(MASK);
      return s;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = isSecretName(k) && x !== null ? MASK : walk(x);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}
