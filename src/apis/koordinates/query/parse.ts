/**
 * Parses the raw query string of `/data/` and `/data/latest/` into one typed {@link KoordinatesQuery}, or into
 * DRF-style field-keyed errors (`{"kind": ["Select a valid choice. bogus is not one of the available choices."]}`).
 *
 * Rules (also in contracts/koordinates-catalog.yaml):
 * - repeated names are OR-ed, different names AND-ed (the query keeps every value of a name);
 * - an empty filter value (`kind=`) is ignored, as django-filter does; unknown parameters are ignored (DRF);
 * - booleans are case-insensitive (`True` from the Python client);
 * - dates are ISO 8601, a value without zone is UTC;
 * - `version.status` is a 400 on `/data/` (it only exists on `/data/latest/`);
 * - `sort`, `page`, `page_size` take the last value when repeated (Django's `QueryDict.get`).
 */
import {
  KOORDINATES_DEFAULT_PAGE_SIZE,
  KOORDINATES_KINDS,
  KOORDINATES_MAX_PAGE_SIZE,
  KOORDINATES_SORTS,
  type KoordinatesFilters,
  type KoordinatesKind,
  type KoordinatesQueryResult,
  type KoordinatesView,
  type FieldErrors,
  isOneOf,
  LICENSE_JURISDICTION_PATTERN,
  LICENSE_TYPE_PATTERN,
  LICENSE_VERSION_PATTERN,
  type LicenseRef,
  VERSION_STATUSES,
  type VersionStatus,
} from './types.js';

export const KOORDINATES_MESSAGES = {
  invalidChoice: (value: string) => `Select a valid choice. ${value} is not one of the available choices.`,
  invalidModelChoice: 'Select a valid choice. That choice is not one of the available choices.',
  invalidDateTime: 'Enter a valid date/time.',
  invalidInteger: 'A valid integer is required.',
  minValue: (min: number) => `Ensure this value is greater than or equal to ${min}.`,
  maxValue: (max: number) => `Ensure this value is less than or equal to ${max}.`,
  invalidJurisdiction: 'Ensure jurisdiction is a valid country code.',
  invalidLicenseVersion: 'Enter a valid version: a single digit or one decimal place, e.g. 3 or 3.0.',
  latestOnly: 'This filter is only available on /data/latest/.',
} as const;

const DATE_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/** ISO 8601 date or date-time to epoch ms; no zone means UTC. `undefined` if invalid. */
export function parseKoordinatesDate(value: string): number | undefined {
  const m = DATE_PATTERN.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const year = Number(y),
    month = Number(mo),
    day = Number(d);
  const hour = Number(h),
    minute = Number(mi),
    second = Number(s);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, Number((frac + '000').slice(0, 3)));
  if (new Date(ms).getUTCDate() !== day) return undefined; // 2023-02-30
  let offset = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2)),
      om = Number(digits.slice(2) || '0');
    if (oh > 23 || om > 59) return undefined;
    offset = sign * (oh * 60 + om) * 60_000;
  }
  return ms - offset;
}

const API_PATH = (collection: string) =>
  new RegExp(`^(?:[a-z][a-z0-9+.-]*://[^/]+)?/services/api/v1/${collection}/(\\d+)/?$`, 'i');
const GROUP_URL = API_PATH('groups');
const LICENSE_URL = API_PATH('licenses');

/** A numeric id, or the id in an API URL (absolute or host-relative) of the given family. */
function parseRef(value: string, urlPattern: RegExp): number | undefined {
  if (/^\d+$/.test(value)) return Number(value);
  const m = urlPattern.exec(value);
  return m ? Number(m[1]) : undefined;
}

function parseBoolean(value: string): boolean | undefined {
  const v = value.toLowerCase();
  return v === 'true' ? true : v === 'false' ? false : undefined;
}

function parseInteger(value: string, min: number, max: number | null): { value: number } | { error: string } {
  if (!/^\s*[+-]?\d+\s*$/.test(value)) return { error: KOORDINATES_MESSAGES.invalidInteger };
  const n = Number(value);
  if (n < min) return { error: KOORDINATES_MESSAGES.minValue(min) };
  if (max !== null && n > max) return { error: KOORDINATES_MESSAGES.maxValue(max) };
  return { value: n };
}

export function emptyKoordinatesFilters(): KoordinatesFilters {
  return {
    kind: [],
    public: [],
    group: [],
    license: [],
    'license.type': [],
    'license.jurisdiction': [],
    'license.version': [],
    category: [],
    geotag: [],
    tag: [],
    q: [],
    'created_at.before': [],
    'created_at.after': [],
    'updated_at.before': [],
    'updated_at.after': [],
    'version.status': [],
  };
}

const DATE_FILTERS = ['created_at.before', 'created_at.after', 'updated_at.before', 'updated_at.after'] as const;

/** The parameter names this module reads (everything else is ignored, e.g. `key`, `format`). */
export const KOORDINATES_QUERY_PARAMS = [
  'kind',
  'public',
  'group',
  'license',
  'license.type',
  'license.jurisdiction',
  'license.version',
  'category',
  'geotag',
  'tag',
  'q',
  ...DATE_FILTERS,
  'version.status',
  'sort',
  'page',
  'page_size',
] as const;

export function parseKoordinatesQuery(params: URLSearchParams, view: KoordinatesView): KoordinatesQueryResult {
  const errors: FieldErrors = {};
  const fail = (name: string, message: string) => {
    (errors[name] ??= []).push(message);
  };
  const values = (name: string) => params.getAll(name).filter((v) => v !== '');
  const filters = emptyKoordinatesFilters();

  for (const v of values('kind')) {
    if (isOneOf<KoordinatesKind>(KOORDINATES_KINDS, v)) filters.kind.push(v);
    else fail('kind', KOORDINATES_MESSAGES.invalidChoice(v));
  }
  for (const v of values('public')) {
    const b = parseBoolean(v);
    if (b === undefined) fail('public', KOORDINATES_MESSAGES.invalidChoice(v));
    else filters.public.push(b);
  }
  for (const v of values('group')) {
    const id = parseRef(v, GROUP_URL);
    if (id === undefined) fail('group', KOORDINATES_MESSAGES.invalidModelChoice);
    else filters.group.push(id);
  }
  for (const v of values('license')) {
    const ref: LicenseRef | undefined = parseBoolean(v) ?? parseRef(v, LICENSE_URL);
    if (ref === undefined) fail('license', KOORDINATES_MESSAGES.invalidModelChoice);
    else filters.license.push(ref);
  }
  for (const v of values('license.type')) {
    if (LICENSE_TYPE_PATTERN.test(v)) filters['license.type'].push(v);
    else fail('license.type', KOORDINATES_MESSAGES.invalidChoice(v));
  }
  for (const v of values('license.jurisdiction')) {
    if (LICENSE_JURISDICTION_PATTERN.test(v)) filters['license.jurisdiction'].push(v.toLowerCase());
    else fail('license.jurisdiction', KOORDINATES_MESSAGES.invalidJurisdiction);
  }
  for (const v of values('license.version')) {
    if (LICENSE_VERSION_PATTERN.test(v)) filters['license.version'].push(v);
    else fail('license.version', KOORDINATES_MESSAGES.invalidLicenseVersion);
  }
  for (const name of ['category', 'geotag'] as const) {
    for (const v of values(name)) filters[name].push(v.toLowerCase().replace(/^\/+|\/+$/g, ''));
  }
  for (const v of values('tag')) filters.tag.push(normaliseTag(v));
  for (const v of values('q')) {
    for (const term of v.toLowerCase().split(/\s+/)) if (term && !filters.q.includes(term)) filters.q.push(term);
  }
  for (const name of DATE_FILTERS) {
    for (const v of values(name)) {
      const ms = parseKoordinatesDate(v);
      if (ms === undefined) fail(name, KOORDINATES_MESSAGES.invalidDateTime);
      else filters[name].push(ms);
    }
  }
  for (const v of values('version.status')) {
    if (view !== 'latest') fail('version.status', KOORDINATES_MESSAGES.latestOnly);
    else if (isOneOf<VersionStatus>(VERSION_STATUSES, v)) filters['version.status'].push(v);
    else fail('version.status', KOORDINATES_MESSAGES.invalidChoice(v));
  }

  let sort: (typeof KOORDINATES_SORTS)[number] | null = null;
  const rawSort = params.getAll('sort').at(-1);
  if (rawSort !== undefined && rawSort !== '') {
    if (isOneOf(KOORDINATES_SORTS, rawSort)) sort = rawSort;
    else fail('sort', KOORDINATES_MESSAGES.invalidChoice(rawSort));
  }

  let page = 1;
  const rawPage = params.getAll('page').at(-1);
  if (rawPage !== undefined) {
    const r = parseInteger(rawPage, 1, null);
    if ('error' in r) fail('page', r.error);
    else page = r.value;
  }
  let pageSize = KOORDINATES_DEFAULT_PAGE_SIZE;
  const rawSize = params.getAll('page_size').at(-1);
  if (rawSize !== undefined) {
    const r = parseInteger(rawSize, 1, KOORDINATES_MAX_PAGE_SIZE);
    if ('error' in r) fail('page_size', r.error);
    else pageSize = r.value;
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, query: { view, filters, sort, page, pageSize } };
}

/** Tags compare lower-cased with runs of whitespace as one dash (`New Zealand` ≡ `new-zealand`). */
export function normaliseTag(tag: string): string {
  return tag.trim().toLowerCase().replace(/\s+/g, '-');
}
