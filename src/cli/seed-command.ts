/** `geostub seed`: check the options, then generate both APIs' fixtures and write them (src/fixtures/index.ts). */
import { fail } from './serve.js';
import { UsageError, fileProblem, writableFolder } from './usage.js';

export interface SeedArgs {
  seed: number;
  scale: number;
  out: string;
}

/** `raw(flag)` is the text given for a flag, for messages that quote it. */
export async function seedCommand(argv: SeedArgs, raw: (name: string) => string | undefined): Promise<void> {
  if (!Number.isInteger(argv.scale) || argv.scale < 1)
    fail(
      `--scale must be a positive whole number (got "${raw('scale') ?? argv.scale}"): the number of GeoNode resources and of catalogue items, e.g. --scale 1000`,
    );
  if (!Number.isInteger(argv.seed))
    fail(`--seed must be a whole number (got "${raw('seed') ?? argv.seed}"), e.g. --seed 7`);
  await writableFolder('out', argv.out, 'a folder to write geonode.json and koordinates.json to');
  const started = Date.now();
  const { writeFixtures } = await import('../fixtures/index.js');
  const { progress } = await import('./progress.js');
  const p = progress();
  const { files, bytes } = await writeFixtures({
    seed: argv.seed,
    scale: argv.scale,
    out: argv.out,
    starting: (name) => p.status(`generating and writing ${name} (scale ${argv.scale})`),
    progress: (l) => p.line(l),
  })
    .catch((err: unknown) => {
      const words = fileProblem(err);
      if (words)
        throw new UsageError(`--out ${argv.out}: cannot write the fixtures (${words}); give a folder you can write`);
      throw err;
    })
    .finally(() => p.done());
  console.log(`wrote ${files.join(', ')} (${(bytes / 1e6).toFixed(1)} MB) in ${Date.now() - started} ms`);
}
