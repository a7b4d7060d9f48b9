/**
 * The bounded caches of derived data (src/store/memo.ts). The answer cache admits a page the second time it is
 * computed: a walk over more pages than it holds must not turn every page into a short-lived cache entry.
 */
import { describe, expect, it } from 'vitest';
import { MemoPool } from '../src/store/memo.js';

function counted() {
  let computed = 0;
  const compute = (v: string) => () => (computed++, { v });
  return { compute, count: () => computed };
}

describe('MemoPool', () => {
  it('without admission keeps every value until the capacity, the oldest going first', () => {
    const pool = new MemoPool(2);
    const c = counted();
    const a = pool.get('a', 's', c.compute('a'), () => true);
    expect(pool.get('a', 's', c.compute('a'), () => true)).toBe(a);
    pool.get('b', 's', c.compute('b'), () => true);
    pool.get('c', 's', c.compute('c'), () => true);
    expect(c.count()).toBe(3);
    expect(pool.get('a', 's', c.compute('a'), () => true)).not.toBe(a); // evicted
    expect(c.count()).toBe(4);
  });

  it('with admission keeps a value from the second time it is computed', () => {
    const pool = new MemoPool(4, 3);
    const c = counted();
    const first = pool.get('a', 's', c.compute('a'), () => true);
    const second = pool.get('a', 's', c.compute('a'), () => true);
    expect(second).not.toBe(first); // not kept the first time
    expect(pool.get('a', 's', c.compute('a'), () => true)).toBe(second); // kept the second time
    expect(c.count()).toBe(2);
  });

  it('forgets keys computed before the last `admitAfter` values not kept', () => {
    const pool = new MemoPool(4, 3);
    const c = counted();
    pool.get('a', 's', c.compute('a'), () => true);
    for (const k of ['b', 'c', 'd']) pool.get(k, 's', c.compute(k), () => true);
    const again = pool.get('a', 's', c.compute('a'), () => true); // 'a' was forgotten: computed as if new
    expect(pool.get('a', 's', c.compute('a'), () => true)).not.toBe(again);
    const kept = pool.get('a', 's', c.compute('a'), () => true);
    expect(pool.get('a', 's', c.compute('a'), () => true)).toBe(kept);
  });

  it('keeps a value again at once when the data it was kept for changed', () => {
    const pool = new MemoPool(4, 3);
    const c = counted();
    pool.get('a', 's1', c.compute('a'), () => true);
    pool.get('a', 's1', c.compute('a'), () => true); // kept
    const fresh = pool.get('a', 's2', c.compute('a'), () => true); // the data changed: computed and kept
    expect(pool.get('a', 's2', c.compute('a'), () => true)).toBe(fresh);
    expect(c.count()).toBe(3);
  });

  it('never keeps what `keep` refuses, and clear() forgets the keys seen', () => {
    const pool = new MemoPool(4, 3);
    const c = counted();
    for (let i = 0; i < 3; i++) pool.get('big', 's', c.compute('big'), () => false);
    expect(c.count()).toBe(3);
    pool.get('a', 's', c.compute('a'), () => true);
    pool.clear();
    const after = pool.get('a', 's', c.compute('a'), () => true);
    expect(pool.get('a', 's', c.compute('a'), () => true)).not.toBe(after);
  });
});
