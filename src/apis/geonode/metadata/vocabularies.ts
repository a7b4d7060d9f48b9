/**
 * The fixed vocabularies of GeoNode 5's metadata schema (5.0.2 `geonode/base/enumerations.py`, `people/__init__.py`,
 * `base/fixtures/initial_data.json`): contact roles, update frequencies, languages, restriction and spatial
 * representation codes.
 */

/** Roles in `Roles` order (people/__init__.py:36-46): property name, label, required, many, stored field. */
export const ROLES: [name: string, label: string, required: boolean, many: boolean, field: string][] = [
  ['owner', 'Owner', true, false, 'owner'],
  ['author', 'Metadata Author', true, true, 'metadata_author'],
  ['processor', 'Processor', false, true, 'processor'],
  ['publisher', 'Publisher', false, true, 'publisher'],
  ['custodian', 'Custodian', false, true, 'custodian'],
  ['pointOfContact', 'Point of Contact', true, true, 'poc'],
  ['distributor', 'Distributor', false, true, 'distributor'],
  ['resource_user', 'Resource User', false, true, 'resource_user'],
  ['resource_provider', 'Resource Provider', false, true, 'resource_provider'],
  ['originator', 'Originator', false, true, 'originator'],
  ['principal_investigator', 'Principal Investigator', false, true, 'principal_investigator'],
];

/** base/enumerations.py UPDATE_FREQUENCIES. */
export const FREQUENCIES: [string, string][] = [
  ['unknown', 'frequency of maintenance for the data is not known'],
  ['continual', 'data is repeatedly and frequently updated'],
  ['notPlanned', 'there are no plans to update the data'],
  ['daily', 'data is updated each day'],
  ['annually', 'data is updated every year'],
  ['asNeeded', 'data is updated as deemed necessary'],
  ['monthly', 'data is updated each month'],
  ['fortnightly', 'data is updated every two weeks'],
  ['irregular', 'data is updated in intervals that are uneven in duration'],
  ['weekly', 'data is updated on a weekly basis'],
  ['biannually', 'data is updated twice each year'],
  ['quarterly', 'data is updated every three months'],
];

/** A shortened ALL_LANGUAGES (base/enumerations.py): ISO 639-2 codes. */
export const LANGUAGES: [string, string][] = [
  ['eng', 'English'],
  ['fre', 'French'],
  ['ger', 'German'],
  ['ita', 'Italian'],
  ['spa', 'Spanish'],
  ['por', 'Portuguese'],
  ['dut', 'Dutch'],
  ['swe', 'Swedish'],
  ['nor', 'Norwegian'],
  ['dan', 'Danish'],
  ['fin', 'Finnish'],
  ['pol', 'Polish'],
  ['cze', 'Czech'],
  ['gre', 'Greek'],
  ['rus', 'Russian'],
  ['ara', 'Arabic'],
  ['chi', 'Chinese'],
  ['jpn', 'Japanese'],
  ['kor', 'Korean'],
  ['hin', 'Hindi'],
  ['ind', 'Indonesian'],
  ['tur', 'Turkish'],
  ['ukr', 'Ukrainian'],
  ['vie', 'Vietnamese'],
  ['mao', 'Maori'],
  ['swa', 'Swahili'],
  ['amh', 'Amharic'],
  ['tgl', 'Tagalog'],
  ['per', 'Persian'],
  ['heb', 'Hebrew'],
];

/** RestrictionCodeType and SpatialRepresentationType fixtures (base/fixtures/initial_data.json), ISO 19115 codes. */
export const RESTRICTIONS = [
  'copyright',
  'intellectualPropertyRights',
  'license',
  'otherRestrictions',
  'patent',
  'patentPending',
  'restricted',
  'trademark',
];
export const SPATIAL_TYPES = ['grid', 'stereoModel', 'tin', 'textTable', 'vector', 'video'];
