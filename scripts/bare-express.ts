/** The startup ceiling for the bench: a bare express 5 + ajv server answering one precomputed list page. */
import express from 'express';
import { Ajv } from 'ajv';

const ajv = new Ajv();
const validate = ajv.compile({
  type: 'object',
  properties: { total: { type: 'integer' }, resources: { type: 'array' } },
  required: ['total'],
});
const page = { links: { next: null, previous: null }, total: 0, page: 1, page_size: 10, resources: [] };
validate(page);
const app = express();
app.get('/api/v2/', (_req, res) => {
  res.json(page);
});
const server = app.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  const addr = server.address();
  if (addr && typeof addr === 'object') process.stdout.write(`listening ${addr.port}\n`);
});
