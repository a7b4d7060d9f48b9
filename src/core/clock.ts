/**
 * One virtual clock per server, and the work scheduled on it. The clock follows real time and can be moved forward
 * (`advance`), never back: `now()` = real time + the offset given so far, and never less than it was before. Times
 * are epoch milliseconds; `isoAt` writes them as GeoNode does (microseconds, `Z`).
 *
 * `Schedule` holds what is due when (one entry per key); reading the earliest entry is O(1), so checking for due
 * work on every request costs nothing when there is none.
 */

export class Clock {
  private offset = 0;
  private last = 0;

  constructor(private readonly real: () => number = Date.now) {}

  now(): number {
    const t = this.real() + this.offset;
    if (t > this.last) this.last = t;
    return this.last;
  }

  /** Move the clock `ms` forward. */
  advance(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`cannot advance the clock by ${String(ms)} ms`);
    this.offset += ms;
  }

  /** Move the clock forward to `t` when it is behind it (a restart after `advance`, settling future work). */
  catchUp(t: number): void {
    const now = this.now();
    if (Number.isFinite(t) && t > now) this.offset += t - now;
  }

  /** Follow real time again (a reset of the data). */
  reset(): void {
    this.offset = 0;
    this.last = 0;
  }

  /** How far ahead of real time the clock is, in ms. */
  get ahead(): number {
    return Math.max(0, this.now() - this.real());
  }
}

/** An epoch-ms time as GeoNode writes it: `2025-06-01T12:00:00.123000Z`. */
export function isoAt(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, (_m, frac: string) => `.${frac}000Z`);
}

/** An ISO time back to epoch ms (NaN when it is not one). */
export function msOf(iso: unknown): number {
  return typeof iso === 'string' ? Date.parse(iso) : NaN;
}

export interface Due {
  key: string;
  at: number;
}

/** Keys with due times; ties run in the order they were scheduled. */
export class Schedule {
  private entries = new Map<string, { at: number; seq: number }>();
  private seq = 0;
  private earliest: Due | null | undefined = null; // undefined = to be recomputed

  get size(): number {
    return this.entries.size;
  }

  set(key: string, at: number): void {
    this.entries.delete(key);
    this.entries.set(key, { at, seq: this.seq++ });
    this.earliest = undefined;
  }

  delete(key: string): void {
    if (this.entries.delete(key)) this.earliest = undefined;
  }

  clear(): void {
    this.entries.clear();
    this.earliest = null;
  }

  /** The entry due first, if any. */
  first(): Due | undefined {
    if (this.earliest === undefined) {
      let best: { key: string; at: number; seq: number } | null = null;
      for (const [key, e] of this.entries)
        if (!best || e.at < best.at || (e.at === best.at && e.seq < best.seq)) best = { key, ...e };
      this.earliest = best ? { key: best.key, at: best.at } : null;
    }
    return this.earliest ?? undefined;
  }

  list(): Due[] {
    return [...this.entries].map(([key, e]) => ({ key, at: e.at })).sort((a, b) => a.at - b.at);
  }
}
