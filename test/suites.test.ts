/**
 * `npm run test:fast` and `npm test`: every test file is either fast or slow for a reason read from what it does
 * (test/helpers/suites.ts), and the fast project refuses what would make a file slow (test/helpers/fast-guard.ts).
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { fastTestFiles, slowReason, testFiles } from './helpers/suites.js';

const reasonOf = (f: string) => slowReason(readFileSync(f, 'utf8'));

describe('the fast and the slow tests', () => {
  it('every test file is fast, or slow for a reason it shows', () => {
    const fast = new Set(fastTestFiles());
    for (const f of testFiles()) expect(fast.has(f) !== (reasonOf(f) !== undefined), f).toBe(true);
    expect(fast.size).toBeGreaterThan(10);
  });

  it('the pure modules, the store and the in-process behaviours are fast', () => {
    const fast = fastTestFiles();
    for (const f of [
      'test/query-dynamic-rest.test.ts',
      'test/query-koordinates.test.ts',
      'test/store.test.ts',
      'test/journal.test.ts',
      'test/geonode-actions.test.ts',
      'test/suites.test.ts',
    ])
      expect(fast, f).toContain(f);
  });

  it('fuzzing, kill -9, conformance runs, the browser, the CLI, package packing and the linters are slow', () => {
    expect(reasonOf('test/fuzz.test.ts')).toContain('fuzzes');
    expect(reasonOf('test/kill9.test.ts')).toContain('runs child processes');
    expect(reasonOf('test/package.test.ts')).toContain('runs child processes');
    expect(reasonOf('test/cli.test.ts')).toContain('runs child processes');
    expect(reasonOf('test/conformance.test.ts')).toContain('starts a server on a real port');
    expect(reasonOf('test/browser-docs.test.ts')).toContain('drives a browser');
    expect(reasonOf('test/source-lint.test.ts')).toContain('runs the linters over the whole source');
    expect(reasonOf('test/contracts-lint.test.ts')).toContain('runs child processes');
  });

  it('a fast test that opens a port or starts a process fails, naming the way out', () => {
    const refused = /belongs with the slow ones; add its sign to SLOW_SIGNS/;
    const server = new net.Server();
    expect(() => Reflect.apply(net.Server.prototype.listen, server, [0])).toThrow(refused);
    const processes = process.getBuiltinModule('child_process');
    expect(() => processes.spawn(process.execPath, ['-e', ''])).toThrow(refused);
    expect(() => processes.execFileSync(process.execPath, ['-e', ''])).toThrow(refused);
  });
});
