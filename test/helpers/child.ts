/** A geostub CLI server as a child process (`node dist/bin/geostub.js serve …`), for crash and restart tests. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { BASIC } from './server.js';

const CLI = join(process.cwd(), 'dist', 'bin', 'geostub.js');

export interface ChildServer {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  /** SIGKILL: no shutdown code runs */
  kill9(): Promise<void>;
  /** SIGTERM: the snapshot is written and the journal folded in */
  stop(): Promise<void>;
}

export async function startChild(db: string, extra: string[] = []): Promise<ChildServer> {
  const child = spawn(process.execPath, [CLI, 'serve', '--quiet', '--port', '0', '--db', db, ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) ok(m[1]);
    });
    child.once('exit', (code) => fail(new Error(`geostub exited with ${code}: ${err}`)));
  });
  const exited = () =>
    new Promise<void>((ok) =>
      child.exitCode !== null || child.signalCode !== null ? ok() : child.once('exit', () => ok()),
    );
  return {
    child,
    url,
    stderr: () => err,
    kill9: async () => {
      child.kill('SIGKILL');
      await exited();
    },
    stop: async () => {
      child.kill('SIGTERM');
      await exited();
    },
  };
}

export interface Answer {
  status: number;
  json: any;
}

/** One request as the admin; network errors (the server was killed) come back as status 0. */
export async function call(url: string, method: string, path: string, body?: unknown): Promise<Answer> {
  try {
    const res = await fetch(url + path, {
      method,
      headers: { Authorization: BASIC.admin, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  } catch {
    return { status: 0, json: undefined };
  }
}

const execCli = promisify(execFile);

/** Run the built CLI (`dist/bin/geostub.js`) to its end: exit code and output, whatever the code. */
export async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execCli(
      process.execPath,
      [join(process.cwd(), 'dist', 'bin', 'geostub.js'), ...args],
      { maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
