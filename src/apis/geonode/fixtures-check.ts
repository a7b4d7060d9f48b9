/**
 * GeoNode's fixture records and the contract: which component schema each stored record is checked against (the
 * endpoint table's, the typed endpoint's for a resource of that type), and the warning when nobody can log in.
 */
import type { FixtureSchemas } from '../../contracts/fixture-check.js';
import type { StoredRecord } from '../../store/index.js';
import { GEONODE_COLLECTIONS } from './collections.js';

/** fields stored in another form than rendered: computed per request or per origin (URLs are stored as paths) */
// featureinfo_custom_template is stored as the custom template ('' when none) and computed on read (rendering/feature-info.ts)
const COMPUTED = [
  'perms',
  'favorite',
  'link',
  'detail_url',
  'embed_url',
  'thumbnail_url',
  'download_url',
  'download_urls',
  'links',
  'href',
  'featureinfo_custom_template',
];

export const GEONODE_FIXTURE_SCHEMAS: FixtureSchemas = Object.fromEntries(
  [...new Set(Object.values(GEONODE_COLLECTIONS).map((c) => c.store))].map((store) => {
    const endpoints = Object.values(GEONODE_COLLECTIONS).filter((c) => c.store === store);
    const general = endpoints.find((c) => !c.scope) ?? endpoints[0];
    return [
      store,
      {
        api: 'geonode',
        skip: COMPUTED,
        schema: (r: StoredRecord) => (endpoints.find((c) => c.scope?.(r)) ?? general).itemSchema,
      },
    ];
  }),
);

/** Warnings about GeoNode fixtures that can be served but are probably not what was meant. */
export function geonodeFixtureWarnings(file: string, collections: Record<string, unknown>): string[] {
  const users = Array.isArray(collections.users) ? (collections.users as StoredRecord[]) : undefined;
  if (!users) return [];
  const ids = new Set(users.map((u) => u?.pk));
  const withPassword = users.some((u) => typeof u?.password === 'string' && u.password !== '');
  const withToken =
    Array.isArray(collections.tokens) && (collections.tokens as StoredRecord[]).some((t) => ids.has(t?.user as never));
  if (withPassword || withToken) return [];
  return [
    `${file}: no user can log in (no user has a "password" and no token names a user), so every GeoNode request is anonymous; ` +
      'give a user a password, e.g. {"pk": 1000, "username": "admin", "password": "admin", "is_superuser": true, "is_staff": true}',
  ];
}
