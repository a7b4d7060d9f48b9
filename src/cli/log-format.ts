/**
 * One log line per answered request, for `serve` and `proxy`: method, path, status, time, who asked, the error
 * catalogue entry and the contract violations found. `text` (coloured on a terminal) or `json` (one object a line,
 * for CI logs and `jq`).
 */
import type { Exchange, ExchangeLog } from '../server/request-log.js';

export const LOG_FORMATS = ['text', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LogOptions {
  format: LogFormat;
  color: boolean;
}

const paint = (on: boolean, code: string, s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);

function statusColor(status: number): string {
  if (status >= 500) return '31'; // red
  if (status >= 400) return '33'; // yellow
  if (status >= 300) return '36'; // cyan
  return '32'; // green
}

/** Colours when writing to a terminal, unless NO_COLOR is set; FORCE_COLOR forces them. */
export function useColor(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return !!stream.isTTY;
}

export function formatExchange(e: Exchange, opts: LogOptions): string {
  if (opts.format === 'json') {
    return JSON.stringify({
      time: e.at,
      method: e.method,
      path: e.url,
      status: e.status,
      ms: Math.round(e.ms * 10) / 10,
      user: e.user,
      ...(e.error ? { error: e.error } : {}),
      violations: e.violations,
    });
  }
  const c = opts.color;
  const parts = [
    paint(c, '2', e.at.slice(11, 23)),
    paint(c, '1', e.method.padEnd(6)),
    e.url,
    paint(c, statusColor(e.status), String(e.status)),
    paint(c, '2', `${e.ms.toFixed(1)} ms`),
  ];
  if (e.user) parts.push(paint(c, '35', e.user));
  if (e.error) parts.push(paint(c, statusColor(e.status), e.error));
  if (e.violations.length)
    parts.push(paint(c, '31;1', `${e.violations.length} violation${e.violations.length > 1 ? 's' : ''}`));
  return [parts.join(' '), ...e.violations.map((v) => paint(c, '31', `    ✗ ${v}`))].join('\n');
}

/** Print every exchange as it is recorded; returns a function that stops. */
export function logExchanges(
  log: ExchangeLog,
  opts: LogOptions,
  print: (line: string) => void = console.log,
): () => void {
  const listener = (e: Exchange) => print(formatExchange(e, opts));
  log.on('exchange', listener);
  return () => log.off('exchange', listener);
}

export function parseLogFormat(v: unknown): LogFormat {
  if (v === undefined) return 'text';
  if (typeof v === 'string' && (LOG_FORMATS as readonly string[]).includes(v)) return v as LogFormat;
  throw new Error(`--log-format takes ${LOG_FORMATS.join(' or ')}, not "${String(v)}"`);
}
