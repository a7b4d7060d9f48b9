/** Value coercions shared by filtering, sorting and search: Django/dynamic-rest rules, no allocation on hot paths. */
import { QueryError } from './types.js';

const FALSEY = new Set(['0', 'false', '']);

/** dynamic-rest `is_truthy`: only "0", "false" and "" (case-insensitive) are false. */
export function isTruthy(value: string): boolean {
  return !FALSEY.has(value.toLowerCase());
}

/** A record value read as a boolean (booleans as is, strings by the truthy rule, numbers ≠ 0). */
export function asBoolean(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return isTruthy(value);
  if (typeof value === 'number') return value !== 0;
  return null;
}

const NUMERIC = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/;

/** A number from a number or a numeric string; NaN otherwise. */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && NUMERIC.test(value)) return Number(value);
  return NaN;
}

/** An integer lookup argument (`year`, `month`, …): Django's int(); NaN when it is not one. */
export function toInteger(value: string): number {
  return /^\s*[-+]?\d+\s*$/.test(value) ? Number(value) : NaN;
}

/** The identity of an embedded object (`pk`, else `id`), or the value itself when it is a scalar. */
export function refValue(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    return o.pk !== undefined ? o.pk : o.id;
  }
  return value;
}

/** A scalar as text for string lookups; null for objects and null. */
export function asText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

function digits2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil): integer math only. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

const DATETIME =
  /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d+))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?\s*$/;

function fromParts(y: number, mo: number, d: number, h: number, mi: number, s: number, micro: number): number {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return NaN;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  if (new Date(ms).getUTCDate() !== d) return NaN; // 2021-02-30
  return ms * 1000 + micro;
}

function micros(fraction: string | undefined): number {
  if (!fraction) return 0;
  return Number((fraction + '00000').slice(0, 6));
}

/**
 * Microseconds since the epoch of an ISO-8601 datetime or date (naive values are UTC, as GeoNode runs with
 * TIME_ZONE=UTC); NaN when the text is not one. Fast path for the rendered form `YYYY-MM-DDTHH:MM:SS[.ffffff]Z`.
 */
export function parseDatetime(s: string): number {
  const n = s.length;
  if (
    n >= 20 &&
    n <= 27 &&
    s.charCodeAt(n - 1) === 90 &&
    s.charCodeAt(4) === 45 &&
    s.charCodeAt(7) === 45 &&
    s.charCodeAt(10) === 84 &&
    s.charCodeAt(13) === 58 &&
    s.charCodeAt(16) === 58
  ) {
    const c = digits2(s, 0),
      y2 = digits2(s, 2),
      mo = digits2(s, 5),
      d = digits2(s, 8);
    const h = digits2(s, 11),
      mi = digits2(s, 14),
      sec = digits2(s, 17);
    if ((c | y2 | mo | d | h | mi | sec) >= 0) {
      let micro = 0;
      if (n > 20) {
        if (s.charCodeAt(19) !== 46) return slowParse(s);
        let scale = 100000;
        for (let i = 20; i < n - 1; i++) {
          const v = s.charCodeAt(i) - 48;
          if (v < 0 || v > 9) return slowParse(s);
          micro += v * scale;
          scale /= 10;
        }
      }
      if (mo >= 1 && mo <= 12 && d >= 1 && d <= 28 && h < 24 && mi < 60 && sec < 60) {
        return (((daysFromCivil(c * 100 + y2, mo, d) * 24 + h) * 60 + mi) * 60 + sec) * 1_000_000 + micro;
      }
      return fromParts(c * 100 + y2, mo, d, h, mi, sec, micro);
    }
  }
  return slowParse(s);
}

function slowParse(s: string): number {
  const m = DATETIME.exec(s);
  if (!m) return NaN;
  const base = fromParts(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), micros(m[7]));
  const tz = m[8];
  if (!tz || tz === 'Z' || tz === 'z') return base;
  const sign = tz[0] === '-' ? -1 : 1;
  const hh = Number(tz.slice(1, 3));
  const mm = Number(tz.replace(':', '').slice(3, 5) || '0');
  return base - sign * (hh * 60 + mm) * 60_000_000;
}

/** Datetime of a record value (string), or NaN. */
export function datetimeOf(value: unknown): number {
  return typeof value === 'string' ? parseDatetime(value) : NaN;
}

/** Django's date-part lookups on a UTC datetime: year, month, day, week_day (1 = Sunday … 7 = Saturday). */
export function datePart(micro: number, part: 'year' | 'month' | 'day' | 'week_day'): number {
  const d = new Date(Math.floor(micro / 1000));
  switch (part) {
    case 'year':
      return d.getUTCFullYear();
    case 'month':
      return d.getUTCMonth() + 1;
    case 'day':
      return d.getUTCDate();
    case 'week_day':
      return d.getUTCDay() + 1;
  }
}

/** Django's message for a value a DateTimeField cannot read (DateTimeField.default_error_messages['invalid']). */
export function invalidDatetimeMessage(value: string): string {
  return `\u201c${value}\u201d value has an invalid format. It must be in YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ] format.`;
}

// django/utils/dateparse.py: datetime_re and date_re (matched from the start; `$` also before a final newline)
const DJANGO_DATETIME =
  /^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,6})\d{0,6})?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?\n?$/;
const DJANGO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})\n?$/;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
/** Python's date(y, m, d) accepts it. */
function validDate(y: number, mo: number, d: number): boolean {
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= MONTH_DAYS[mo - 1]! + (mo === 2 && leap(y) ? 1 : 0);
}
/** Date.UTC without its 0–99 → 1900–1999 year mapping. */
function utcMillis(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number {
  const t = new Date(Date.UTC(2000, mo - 1, d, h, mi, s));
  t.setUTCFullYear(y);
  return t.getTime();
}

/**
 * A lookup value for a DateTimeField, as Django's DateTimeField.to_python reads it: microseconds since the epoch
 * (naive values are UTC, GeoNode's TIME_ZONE), or a QueryError with Django's own message — `invalid_datetime` when
 * the text has the datetime form but names no real instant (`2020-02-30T10:00`), `invalid_date` for an impossible
 * date (`2020-13-01`), `invalid` otherwise.
 */
export function djangoDatetime(value: string): number {
  const m = DJANGO_DATETIME.exec(value);
  if (m) {
    const [y, mo, d, h, mi, s] = [+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0)];
    const micro = m[7] ? Number((m[7] + '00000').slice(0, 6)) : 0;
    let offsetMinutes = 0;
    const tz = m[8];
    if (tz && tz !== 'Z') {
      const digits = tz.slice(1).replace(':', '');
      offsetMinutes = (tz[0] === '-' ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
    }
    if (!validDate(y, mo, d) || h > 23 || mi > 59 || s > 59 || Math.abs(offsetMinutes) >= 24 * 60) {
      throw new QueryError(
        'invalid',
        `\u201c${value}\u201d value has the correct format (YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ]) but it is an invalid date/time.`,
      );
    }
    return (utcMillis(y, mo, d, h, mi, s) - offsetMinutes * 60_000) * 1000 + micro;
  }
  const dm = DJANGO_DATE.exec(value);
  if (dm) {
    const [y, mo, d] = [+dm[1]!, +dm[2]!, +dm[3]!];
    if (!validDate(y, mo, d)) {
      throw new QueryError(
        'invalid',
        `\u201c${value}\u201d value has the correct format (YYYY-MM-DD) but it is an invalid date.`,
      );
    }
    return utcMillis(y, mo, d) * 1000;
  }
  throw new QueryError('invalid', invalidDatetimeMessage(value));
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * A timestamptz as PostgreSQL writes it as text with TimeZone=UTC (`created::text`, what Django compares for
 * `contains`, `startswith`, `regex`, … on a DateTimeField): `2018-03-04 18:08:44.123456+00` — a space, not `T`;
 * fractional seconds without trailing zeros (none when whole); `+00`.
 */
export function postgresTimestampText(micro: number): string {
  const ms = Math.floor(micro / 1000);
  const d = new Date(ms);
  const frac = ((micro % 1_000_000) + 1_000_000) % 1_000_000;
  const fraction = frac === 0 ? '' : '.' + pad(frac, 6).replace(/0+$/, '');
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${fraction}+00`
  );
}

/** Python's int() of a string: surrounding whitespace, a sign, digits with single underscores between them; NaN otherwise. */
export function pythonInt(value: string): number {
  const m = /^\s*([+-]?)(\d+(?:_\d+)*)\s*$/.exec(value);
  if (!m) return NaN;
  const n = Number(m[2]!.replace(/_/g, ''));
  return m[1] === '-' ? -n : n;
}

/** Python's float() of a string (decimal, exponent, inf/nan words aside); NaN otherwise. */
export function pythonFloat(value: string): number {
  const t = value.trim().replace(/(\d)_(?=\d)/g, '$1');
  return /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(t) ? Number(t) : NaN;
}

/**
 * Django's BooleanField.to_python for a lookup value that reaches it as text (the JSON form, filters.py:185): only
 * `t`/`True`/`1` and `f`/`False`/`0` — anything else is "“x” value must be either True or False.".
 */
export function djangoBoolean(value: string): boolean {
  if (value === 't' || value === 'True' || value === '1') return true;
  if (value === 'f' || value === 'False' || value === '0') return false;
  throw new QueryError('invalid', `\u201c${value}\u201d value must be either True or False.`);
}

/** Python's repr() of a list of strings, e.g. ['foo', "it's"]. */
export function pyListRepr(items: readonly string[]): string {
  return `[${items.map(pyStrRepr).join(', ')}]`;
}

export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else out += ch;
  }
  return quote + out + quote;
}

/** Escape a literal for use inside a RegExp. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
