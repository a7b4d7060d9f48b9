/** The plain types of a loaded contract, shared by the loader and the release profiles. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

export interface Contract {
  api: 'geonode' | 'koordinates';
  file: string;
  /** the raw text, served at /api/v2/schema/ (for a release profile: that release's document as YAML) */
  text: string;
  doc: JsonObject;
  /** the GeoNode release the document was cut for (`forRelease`); absent on the catalogue */
  release?: 4 | 5;
}
