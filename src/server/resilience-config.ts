/**
 * The resilience settings (latency, error rate, per-route rules) read from the command line, a config file
 * (`--config FILE`, JSON or YAML) or `PATCH /__geostub/settings`, validated with messages that name the problem.
 *
 * Config file: either a list of rules, or `{ "latency": …, "errorRate": …, "rules": [ … ] }`:
 *
 * ```yaml
 * latency: 50-150
 * rules:
 *   - match: GET /api/v2/datasets/*        # one path segment per *, any number with **; methods optional
 *     latency: 200-400                      # ms: 300, "100-800" or {min: 100, max: 800}
 *     errorRate: 0.5                        # 0 to 1 (or "50%")
 *     status: 503                           # or [500, 502, 503] (one drawn at random)
 * ```
 */
import { readFile } from 'node:fs/promises';
import type { LatencyRange, ResilienceRule, ServerSettings } from '../core/types.js';
import { FAULTS, unknownFaults } from './faults/index.js';

/** Statuses geostub can inject (each has the real servers' body in the error catalogue). */
export const INJECTABLE_STATUSES = [429, 500, 502, 503, 504] as const;
/** What `--error-rate` injects when no rule names a status. */
export const DEFAULT_ERROR_STATUSES = [500, 502, 503];
/** The longest delay geostub waits (five minutes): a longer one is a mistake, not a test. */
export const MAX_DELAY_MS = 300_000;

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const RULE_KEYS = ['match', 'latency', 'errorRate', 'status'];
const SETTINGS_KEYS = ['latency', 'errorRate', 'rules', 'faults'];

export type ResilienceSettings = Pick<ServerSettings, 'latency' | 'errorRate' | 'rules' | 'faults'>;

/** A settings problem; `message` names the setting and says what is accepted. */
export class SettingsError extends Error {}

const show = (v: unknown) => (typeof v === 'number' || v === undefined ? String(v) : (JSON.stringify(v) ?? String(v)));
const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function ms(v: unknown, where: string): number {
  const n = typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || n > MAX_DELAY_MS) {
    throw new SettingsError(`${where} must be a number of milliseconds from 0 to ${MAX_DELAY_MS} (got ${show(v)})`);
  }
  return Math.round(n);
}

/** `300`, `"300"`, `"100-800"`, `{min, max}` → a range; `null`, `0`, `""`, `"off"` → no latency. */
export function parseLatency(v: unknown, where = 'latency'): LatencyRange | null {
  if (v === null || v === undefined || v === 0 || v === '' || v === 'off' || v === '0') return null;
  const usage = `${where} takes milliseconds: 300, "100-800" or {"min": 100, "max": 800}`;
  let min: number, max: number;
  if (typeof v === 'number') min = max = ms(v, where);
  else if (typeof v === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(?:-\s*(\d+(?:\.\d+)?)\s*)?$/.exec(v);
    if (!m) throw new SettingsError(`${usage} (got ${show(v)})`);
    min = ms(m[1], where);
    max = m[2] === undefined ? min : ms(m[2], where);
  } else if (isObj(v)) {
    const extra = Object.keys(v).filter((k) => k !== 'min' && k !== 'max');
    if (extra.length || v.min === undefined) throw new SettingsError(`${usage} (got ${show(v)})`);
    min = ms(v.min, `${where}.min`);
    max = v.max === undefined ? min : ms(v.max, `${where}.max`);
  } else throw new SettingsError(`${usage} (got ${show(v)})`);
  if (min > max) throw new SettingsError(`${where}: the range ${min}-${max} ends before it starts`);
  return { min, max };
}

/** `0.05`, `"0.05"` or `"5%"` → 0.05. */
export function parseErrorRate(v: unknown, where = 'errorRate'): number {
  const pct = typeof v === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(v) : null;
  const n = pct ? Number(pct[1]) / 100 : typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new SettingsError(`${where} must be a share of requests from 0 to 1, such as 0.05 or "5%" (got ${show(v)})`);
  }
  return n;
}

/** `503`, `"503"` or `[500, 503]` → the list, each one geostub can inject. */
export function parseStatuses(v: unknown, where = 'status'): number[] {
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0) throw new SettingsError(`${where} must name at least one status`);
  return list.map((s, i) => {
    const n = typeof s === 'string' && /^\d{3}$/.test(s.trim()) ? Number(s) : s;
    if (typeof n !== 'number' || !(INJECTABLE_STATUSES as readonly number[]).includes(n)) {
      throw new SettingsError(
        `${Array.isArray(v) ? `${where}[${i}]` : where} must be one of ${INJECTABLE_STATUSES.join(', ')} (got ${show(s)})`,
      );
    }
    return n;
  });
}

interface CompiledMatch {
  methods: Set<string> | null;
  path: RegExp;
}

const compiled = new Map<string, CompiledMatch>();

/** `GET|POST /api/v2/datasets/*` → methods (null = any) and a path pattern (trailing slash and query ignored). */
export function compileMatch(match: string, where = 'match'): CompiledMatch {
  const hit = compiled.get(match);
  if (hit) return hit;
  const m = /^\s*(?:([A-Za-z]+(?:\s*[|,]\s*[A-Za-z]+)*|\*)\s+)?(\/\S*)\s*$/.exec(match);
  const usage = `${where} takes "[METHOD] /path" with * for one path segment and ** for any number, e.g. "GET /api/v2/datasets/*"`;
  if (!m) throw new SettingsError(`${usage} (got ${show(match)})`);
  let methods: Set<string> | null = null;
  if (m[1] && m[1] !== '*') {
    methods = new Set(m[1].split(/[|,]/).map((x) => x.trim().toUpperCase()));
    const bad = [...methods].filter((x) => !METHODS.includes(x));
    if (bad.length)
      throw new SettingsError(`${where}: unknown method ${bad.join(', ')} (the methods: ${METHODS.join(', ')})`);
  }
  let pattern = m[2].split('?')[0];
  if (pattern.length > 1) pattern = pattern.replace(/\/+$/, '');
  const source = pattern
    .split(/(\/\*\*|\*\*|\*)/)
    .map((part) =>
      part === '/**'
        ? '(?:/.*)?'
        : part === '**'
          ? '.*'
          : part === '*'
            ? '[^/]*'
            : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  const out = { methods, path: new RegExp(`^${source}$`) };
  if (compiled.size > 1000) compiled.clear();
  compiled.set(match, out);
  return out;
}

/** Whether a rule's `match` fits a request (`pathname` without the query). */
export function ruleMatches(rule: ResilienceRule, method: string, pathname: string): boolean {
  const c = compileMatch(rule.match);
  if (c.methods && !c.methods.has(method.toUpperCase())) return false;
  const bare = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  return c.path.test(bare);
}

export function parseRule(v: unknown, where: string): ResilienceRule {
  if (!isObj(v))
    throw new SettingsError(
      `${where} must be an object such as {"match": "GET /api/v2/datasets/*", "latency": "200-400", "errorRate": 0.5, "status": 503} (got ${show(v)})`,
    );
  const unknown = Object.keys(v).filter((k) => !RULE_KEYS.includes(k));
  if (unknown.length)
    throw new SettingsError(
      `${where}: unknown key ${unknown.map(show).join(', ')} (a rule has ${RULE_KEYS.join(', ')})`,
    );
  if (typeof v.match !== 'string')
    throw new SettingsError(`${where}.match is required: a string such as "GET /api/v2/datasets/*"`);
  compileMatch(v.match, `${where}.match`);
  const rule: ResilienceRule = { match: v.match.trim() };
  if (v.latency !== undefined) rule.latency = parseLatency(v.latency, `${where}.latency`);
  if (v.errorRate !== undefined) rule.errorRate = parseErrorRate(v.errorRate, `${where}.errorRate`);
  if (v.status !== undefined) rule.status = parseStatuses(v.status, `${where}.status`);
  if (rule.status && rule.errorRate === undefined) rule.errorRate = 1; // naming a status means: answer it
  return rule;
}

export function parseRules(v: unknown, where = 'rules'): ResilienceRule[] {
  if (!Array.isArray(v)) throw new SettingsError(`${where} must be a list of rules (got ${show(v)})`);
  return v.map((r, i) => parseRule(r, `${where}[${i}]`));
}

/** A settings object (`PATCH /__geostub/settings`, a config file): only the keys it has; throws a SettingsError. */
export function parseSettings(v: unknown, where = 'settings'): Partial<ResilienceSettings> {
  if (Array.isArray(v)) return { rules: parseRules(v, 'rules') };
  if (!isObj(v))
    throw new SettingsError(`${where} must be a JSON object with any of ${SETTINGS_KEYS.join(', ')} (got ${show(v)})`);
  const unknown = Object.keys(v).filter((k) => !SETTINGS_KEYS.includes(k));
  if (unknown.length)
    throw new SettingsError(
      `unknown setting ${unknown.map(show).join(', ')} (the settings are ${SETTINGS_KEYS.join(', ')})`,
    );
  const out: Partial<ResilienceSettings> = {};
  if ('latency' in v) out.latency = parseLatency(v.latency);
  if ('errorRate' in v) out.errorRate = v.errorRate === null ? 0 : parseErrorRate(v.errorRate);
  if ('rules' in v) out.rules = v.rules === null ? [] : parseRules(v.rules);
  if ('faults' in v) out.faults = v.faults === null ? [] : parseFaults(v.faults);
  return out;
}

/** The settings as JSON (GET /__geostub/settings). */
export function settingsView(s: ResilienceSettings): ResilienceSettings {
  return {
    latency: s.latency,
    errorRate: s.errorRate,
    rules: s.rules.map((r) => ({ ...r })),
    faults: [...(s.faults ?? [])],
  };
}

/** `["total-off-by-one", …]`: planted faults by name (`src/server/faults/`), each a known one. */
export function parseFaults(v: unknown, where = 'faults'): string[] {
  if (!Array.isArray(v) || v.some((n) => typeof n !== 'string'))
    throw new SettingsError(`${where} must be a list of fault names (got ${show(v)})`);
  const unknown = unknownFaults(v as string[]);
  if (unknown.length)
    throw new SettingsError(
      `${where}: unknown fault ${unknown.map(show).join(', ')} (the faults: ${FAULTS.map((f) => f.name).join(', ')})`,
    );
  return [...new Set(v as string[])];
}

/** Read a config file (JSON, or YAML for .yaml/.yml); errors name the file. */
export async function readResilienceConfig(file: string): Promise<Partial<ResilienceSettings>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new SettingsError(`cannot read the config file ${file}: ${(err as Error).message}`);
  }
  let data: unknown;
  try {
    if (/\.ya?ml$/i.test(file)) data = (await import('yaml')).parse(text);
    else data = JSON.parse(text);
  } catch (err) {
    throw new SettingsError(
      `the config file ${file} is not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(err as Error).message}`,
    );
  }
  try {
    return parseSettings(data, 'the config file');
  } catch (err) {
    throw new SettingsError(`${file}: ${(err as Error).message}`);
  }
}

/** Resilience settings as a caller writes them (`ServerStartOptions`, `GeostubOptions`), before validation. */
export interface ResilienceOptions {
  /** ms: 300, "100-800" or {min, max} */
  latency?: number | string | LatencyRange | null;
  /** 0 to 1 */
  errorRate?: number | string;
  rules?: {
    match: string;
    latency?: number | string | LatencyRange | null;
    errorRate?: number | string;
    status?: number | number[];
  }[];
}

/** Validated settings with defaults (no latency, no errors, no rules); throws a SettingsError. */
export function resilienceSettings(o: ResilienceOptions = {}): ResilienceSettings {
  return {
    latency: parseLatency(o.latency),
    errorRate: o.errorRate === undefined ? 0 : parseErrorRate(o.errorRate),
    rules: o.rules === undefined ? [] : parseRules(o.rules),
  };
}
