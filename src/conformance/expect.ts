/**
 * Expectations of scenario steps, as data: `status`, and `body`/`headers` maps from a dotted path to a matcher.
 * A matcher is a plain value (equal to it) or an object whose keys are all matcher words:
 *
 *   {exists: true}  {absent: true}  {eq: v}  {ne: v}  {in: [..]}  {contains: v}  {length: n}
 *   {gt: n} {gte: n} {lt: n} {lte: n}  {matches: regex}  {type: string|number|integer|boolean|array|object|null}
 *   {some: {path: matcher, …}}  {every: {…}}  {none: {…}}   (over the items of an array)
 */
import { getPath } from './params.js';
import { show } from './recorder.js';
import type { CheckedExchange, Problem } from './types.js';

export type Matcher = unknown;

export interface Expectation {
  /** the check the expectation stands for in reports (default `scenario_expectation`) */
  check?: string;
  status?: number | number[];
  body?: Record<string, Matcher>;
  headers?: Record<string, Matcher>;
}

const WORDS = new Set([
  'exists',
  'absent',
  'eq',
  'ne',
  'in',
  'contains',
  'length',
  'gt',
  'gte',
  'lt',
  'lte',
  'matches',
  'type',
  'some',
  'every',
  'none',
]);

export function isMatcherObject(m: unknown): m is Record<string, unknown> {
  return (
    !!m &&
    typeof m === 'object' &&
    !Array.isArray(m) &&
    Object.keys(m).length > 0 &&
    Object.keys(m).every((k) => WORDS.has(k))
  );
}

function equal(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'string') return String(a) === b;
  if (typeof a === 'string' && typeof b === 'number') return a === String(b);
  return JSON.stringify(a) === JSON.stringify(b);
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Why `value` does not satisfy `m`, or undefined when it does. */
export function mismatch(value: unknown, m: Matcher): string | undefined {
  if (!isMatcherObject(m)) return equal(value, m) ? undefined : `is ${show(value, 120)}, not ${show(m, 120)}`;
  for (const [word, arg] of Object.entries(m)) {
    const why =
      word === 'some' || word === 'every' || word === 'none'
        ? quantified(word, value, arg as Record<string, Matcher>)
        : simple(word, value, arg);
    if (why) return why;
  }
  return undefined;
}

function simple(word: string, value: unknown, arg: unknown): string | undefined {
  const n = typeof value === 'number' ? value : Array.isArray(value) ? value.length : Number.NaN;
  switch (word) {
    case 'exists':
      return (value !== undefined) === arg ? undefined : arg ? 'is absent' : `is present (${show(value, 120)})`;
    case 'absent':
      return (value === undefined) === arg ? undefined : arg ? `is present (${show(value, 120)})` : 'is absent';
    case 'eq':
      return equal(value, arg) ? undefined : `is ${show(value, 120)}, not ${show(arg, 120)}`;
    case 'ne':
      return equal(value, arg) ? `is ${show(value, 120)}` : undefined;
    case 'in':
      return (arg as unknown[]).some((a) => equal(value, a))
        ? undefined
        : `is ${show(value, 120)}, not one of ${show(arg, 120)}`;
    case 'contains':
      if (typeof value === 'string')
        return value.includes(String(arg)) ? undefined : `${show(value, 120)} does not contain ${show(arg)}`;
      if (Array.isArray(value))
        return value.some((v) => equal(v, arg)) ? undefined : `${show(value, 160)} does not contain ${show(arg)}`;
      return `is ${show(value, 120)}, not a string or array`;
    case 'length':
      return Array.isArray(value) || typeof value === 'string'
        ? value.length === arg
          ? undefined
          : `has length ${value.length}, not ${String(arg)}`
        : `is ${show(value, 120)}, not an array`;
    case 'gt':
      return n > Number(arg) ? undefined : `is ${show(value, 80)}, not > ${String(arg)}`;
    case 'gte':
      return n >= Number(arg) ? undefined : `is ${show(value, 80)}, not ≥ ${String(arg)}`;
    case 'lt':
      return n < Number(arg) ? undefined : `is ${show(value, 80)}, not < ${String(arg)}`;
    case 'lte':
      return n <= Number(arg) ? undefined : `is ${show(value, 80)}, not ≤ ${String(arg)}`;
    case 'matches':
      return typeof value === 'string' && new RegExp(String(arg)).test(value)
        ? undefined
        : `${show(value, 120)} does not match /${String(arg)}/`;
    case 'type':
      return typeOf(value) === arg || (arg === 'number' && typeOf(value) === 'integer')
        ? undefined
        : `is a ${typeOf(value)}, not a ${String(arg)}`;
  }
  return `unknown matcher ${word}`;
}

function quantified(word: string, value: unknown, spec: Record<string, Matcher>): string | undefined {
  if (!Array.isArray(value)) return `is ${show(value, 120)}, not an array`;
  const fits = (item: unknown) =>
    Object.entries(spec).every(([path, m]) => mismatch(getPath(item, path), m) === undefined);
  const hits = value.filter(fits).length;
  if (word === 'some') return hits > 0 ? undefined : `no item of ${value.length} has ${show(spec, 160)}`;
  if (word === 'every')
    return hits === value.length
      ? undefined
      : `${value.length - hits} of ${value.length} items lack ${show(spec, 160)}`;
  return hits === 0 ? undefined : `${hits} of ${value.length} items have ${show(spec, 160)}`;
}

/** Problems of one exchange against an expectation (paths of `body` are dotted; `''` is the body itself). */
export function expectationProblems(x: CheckedExchange, e: Expectation, where?: string): Problem[] {
  const out: Problem[] = [];
  const r = x.response;
  if (e.status !== undefined) {
    const allowed = Array.isArray(e.status) ? e.status : [e.status];
    if (!allowed.includes(r.status))
      out.push({
        expected: `status ${allowed.join(' or ')}`,
        actual: `${r.status} ${r.text.slice(0, 200)}`,
        contractPath: where,
      });
  }
  for (const [path, m] of Object.entries(e.body ?? {})) {
    const why = mismatch(getPath(r.json, path), m);
    if (why)
      out.push({
        expected: `body ${path || '(whole)'} ${describe(m)}`,
        actual: `${path || 'body'} ${why}`,
        contractPath: where,
      });
  }
  for (const [name, m] of Object.entries(e.headers ?? {})) {
    const why = mismatch(r.headers[name.toLowerCase()], m);
    if (why) out.push({ expected: `header ${name} ${describe(m)}`, actual: `${name} ${why}`, contractPath: where });
  }
  return out;
}

export function matches(x: CheckedExchange, e: Expectation): boolean {
  return expectationProblems(x, e).length === 0;
}

function describe(m: Matcher): string {
  return isMatcherObject(m)
    ? Object.entries(m)
        .map(([k, v]) => `${k} ${show(v, 120)}`)
        .join(', ')
    : `= ${show(m, 120)}`;
}
