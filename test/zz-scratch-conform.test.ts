import { it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { startTestServer } from './helpers/server.js';
import { runConformance } from '../src/conformance/runner.js';

it('scratch', async () => {
  const s = await startTestServer({ jobDuration: Number(process.env.JD ?? 20), faults: process.env.FAULT ? process.env.FAULT.split(',') : undefined });
  try {
    const t = Date.now();
    const report = await runConformance({
      target: s.url, apis: ['geonode', 'koordinates'], allowWrites: process.env.W === '1',
      credentials: { user: { name: 'admin', password: 'admin' }, key: 'geostub0koordinates0api0key00001' },
      timeoutMs: Number(process.env.TO ?? 10000),
    });
    writeFileSync('/tmp/report.json', JSON.stringify(report, null, 1));
    console.log('ms', Date.now() - t, JSON.stringify(report.summary), JSON.stringify({ ...report.coverage, operations: undefined }));
  } finally { await s.close(); }
}, 120000);
