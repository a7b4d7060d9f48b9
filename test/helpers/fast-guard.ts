/**
 * Set-up of the fast test project (vitest.config.ts): a fast test may not open a port or start a process. Either
 * throws, naming the way out, so a file misclassified by test/helpers/suites.ts fails `npm run test:fast` instead of
 * slowing it down unnoticed.
 */
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';

const refuse = (what: string) => () => {
  throw new Error(
    `${what} in a fast test: the file belongs with the slow ones; add its sign to SLOW_SIGNS in test/helpers/suites.ts`,
  );
};

net.Server.prototype.listen = refuse('opening a port') as typeof net.Server.prototype.listen;
for (const name of ['spawn', 'spawnSync', 'fork', 'exec', 'execSync', 'execFile', 'execFileSync'] as const)
  (childProcess as unknown as Record<string, unknown>)[name] = refuse(`child_process.${name}`);
syncBuiltinESMExports(); // named imports (`import { spawn } from 'node:child_process'`) see the refusals too
