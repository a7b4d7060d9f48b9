/** A bounded cache of values stamped with the data they were computed from; the oldest entry goes first. */
export class MemoPool {
  private entries = new Map<string, { stamp: string; value: unknown }>();
  /** keys computed lately but not kept (admission: see the constructor), oldest first */
  private seen = new Set<string>();

  /**
   * `admitAfter`: keep a value only when its key was computed before among the last `admitAfter` values not kept.
   * Without it every new value is kept and a sweep of distinct keys (a front end walking pages) evicts every entry
   * in turn without one of them being asked again: each of those values outlives a few young-generation
   * collections only to be dropped later, the most costly kind of garbage to collect (issue 19's GC profile).
   */
  constructor(
    private readonly capacity: number,
    private readonly admitAfter = 0,
  ) {}

  get<T>(key: string, stamp: string, compute: () => T, keep: (value: T) => boolean): T {
    const hit = this.entries.get(key);
    if (hit && hit.stamp === stamp) return hit.value as T;
    const value = compute();
    this.entries.delete(key);
    if (!keep(value) || !this.admit(key, !!hit)) return value;
    this.entries.set(key, { stamp, value });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }

  /** Whether a computed value is kept: always without admission; else when its key was kept or computed lately. */
  private admit(key: string, wasKept: boolean): boolean {
    if (this.admitAfter <= 0 || wasKept || this.seen.delete(key)) return true;
    this.seen.add(key);
    if (this.seen.size > this.admitAfter) this.seen.delete(this.seen.values().next().value as string);
    return false;
  }

  clear(): void {
    this.entries.clear();
    this.seen.clear();
  }
}
