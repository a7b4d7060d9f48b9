/**
 * The exchange log (src/server/request-log.ts): what the server records without anyone listening is kept as
 * recorded (a body's clip as bytes, headers as node holds them) and read back exactly as `add` would have kept it.
 */
import { describe, expect, it } from 'vitest';
import { clip, clipLater, ExchangeLog, type RecordedExchange } from '../src/server/request-log.js';

const recorded = (body: string): RecordedExchange => ({
  method: 'GET',
  url: '/api/v2/resources/?access_token=abcdef123456',
  status: 200,
  ms: 1.5,
  kind: 'api',
  at: '2026-01-01T00:00:00.000Z',
  user: null,
  violations: [],
  requestHeaders: { host: 'h', authorization: 'Bearer abcdef123456', 'x-many': ['a', 'b'] },
  responseHeaders: { 'content-type': 'application/json', 'x-count': 3 },
  responseBody: clipLater(body),
});

describe('the exchange log', () => {
  it('clipLater reads back as clip: short, long, and a character cut where bytes are not', () => {
    const wide = `${'é'.repeat(2000)}–${'x'.repeat(3000)}`; // two-byte characters around the 4 KB line
    for (const text of ['{"a":1}', 'x'.repeat(5000), wide, `{"password":"${'p'.repeat(5000)}"}`]) {
      expect(String(clipLater(text))).toBe(clip(text));
    }
  });

  it('record (no one listening) and add keep the same exchange, masked, once it is read', () => {
    const body = `{"token":"abcdef123456","title":"${'–'.repeat(5000)}"}`;
    const lazy = new ExchangeLog();
    lazy.record(recorded(body));
    const eager = new ExchangeLog();
    const seen: unknown[] = [];
    eager.on('exchange', (e) => seen.push(e));
    eager.record(recorded(body)); // someone listens: kept as add keeps it, and announced
    expect(seen).toHaveLength(1);
    const [a] = lazy.recent();
    expect(a).toEqual(eager.recent()[0]);
    expect(lazy.get(a.id)).toEqual(a);
    expect(a.url).toBe('/api/v2/resources/?access_token=***');
    expect(a.requestHeaders).toEqual({ host: 'h', authorization: 'Bearer ***', 'x-many': 'a, b' });
    expect(a.responseHeaders).toEqual({ 'content-type': 'application/json', 'x-count': '3' });
    expect(a.responseBody).toMatch(/^\{"token":"\*\*\*","title":"–+… \(\d+ more characters\)$/);
  });
});
