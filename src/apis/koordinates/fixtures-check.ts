/** The catalogue's fixture records and the contract: the component schema of each stored record. */
import type { FixtureSchemas } from '../../contracts/fixture-check.js';

const ITEM_SCHEMAS: Record<string, string> = {
  layer: 'LayerDetail',
  table: 'LayerDetail',
  set: 'SetEntry',
  document: 'DocumentDetail',
  source: 'SourceDetail',
};
/** stored as references by id or computed when rendered (URLs, the version list, a set's item URLs; a source's `type` is its kind) */
const ITEM_STORED_OTHERWISE = [
  'group',
  'user',
  'license',
  'versions',
  'version',
  'url',
  'url_html',
  'services',
  'settings',
  'items',
  'type',
];

export const KOORDINATES_FIXTURE_SCHEMAS: FixtureSchemas = {
  kx_items: { api: 'koordinates', skip: ITEM_STORED_OTHERWISE, schema: (r) => ITEM_SCHEMAS[String(r.type)] },
  kx_groups: { api: 'koordinates', skip: ['url'], schema: () => 'Group' },
  kx_licenses: { api: 'koordinates', skip: ['url', 'url_html', 'url_fulltext'], schema: () => 'License' },
  kx_users: { api: 'koordinates', skip: ['url'], schema: () => 'User' },
};
