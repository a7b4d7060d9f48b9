/** Comparing secrets (passwords, tokens, API keys) in constant time. */
import { timingSafeEqual } from 'node:crypto';

export function sameSecret(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  if (ab.length !== bb.length) {
    timingSafeEqual(ab, ab); // the same work either way
    return false;
  }
  return timingSafeEqual(ab, bb);
}
