/** A bounded cache of values stamped with the data they were computed from; the oldest entry goes first. */
export class MemoPool {
  private entries = new Map<string, { stamp: string; value: unknown }>();

  constructor(private readonly capacity: number) {}

  get<T>(key: string, stamp: string, compute: () => T, keep: (value: T) => boolean): T {
    const hit = this.entries.get(key);
    if (hit && hit.stamp === stamp) return hit.value as T;
    const value = compute();
    this.entries.delete(key);
    if (!keep(value)) return value;
    this.entries.set(key, { stamp, value });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}
