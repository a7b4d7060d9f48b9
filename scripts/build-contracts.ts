/** Part of `npm run build`: a parsed JSON copy of each contract, so the server starts without parsing YAML. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CONTRACT_FILES, contractCacheFile, contractHash, contractPath } from '../src/contracts/load.js';

for (const api of Object.keys(CONTRACT_FILES) as (keyof typeof CONTRACT_FILES)[]) {
  const file = contractPath(api);
  const text = await readFile(file, 'utf8');
  const out = contractCacheFile(file);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(
    out,
    JSON.stringify({ hash: contractHash(text), doc: parseYaml(text, { merge: true, maxAliasCount: -1 }) }),
  );
}
