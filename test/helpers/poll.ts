/**
 * The one place a test waits: ask a condition again and again, a bounded number of times, until it holds. Tests never
 * sleep for a fixed time and never time themselves (test/architecture.test.ts checks it): they count, or they poll
 * for the state they need; a state that never comes fails with what was awaited.
 */
export async function until(
  check: () => unknown,
  what: string,
  { tries = 400, every = 25 }: { tries?: number; every?: number } = {},
): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, every));
  }
  throw new Error(`still waiting for ${what} after ${tries} tries`);
}
