/**
 * `GET /resources/{id}/iso_metadata_xml` [5.x] (5.0.2 base/api/views.py:1345-1368): the resource's ISO 19115/19139
 * metadata document as `application/xml`. GeoNode answers the stored `metadata_xml` its catalogue wrote; geostub
 * writes a `gmd:MD_Metadata` document from the record (identifier, language, contact, date stamp, citation,
 * abstract, purpose, keywords, constraints, topic category, geographic extent) each time it is asked.
 * UserHasPerms asks for `view_resourcebase` before the lookup.
 */
import { json, type Behaviour } from '../../../core/types.js';
import type { StoredRecord } from '../../../store/index.js';
import { param } from '../actions/common.js';
import { GEONODE_COLLECTIONS } from '../collections.js';
import { findRecord } from '../context.js';

type Obj = Record<string, unknown>;
const esc = (v: unknown) =>
  String(v ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
const str = (v: unknown) => `<gco:CharacterString>${esc(v)}</gco:CharacterString>`;
const code = (list: string, value: unknown) =>
  `<gmd:${list} codeList="http://standards.iso.org/iso/19139/resources/gmxCodelists.xml#${list}" codeListValue="${esc(value)}">${esc(value)}</gmd:${list}>`;

function party(u: Obj | undefined, role: string): string {
  if (!u) return '';
  const name = [u.first_name, u.last_name].filter((n) => typeof n === 'string' && n).join(' ') || u.username;
  return `<gmd:CI_ResponsibleParty><gmd:individualName>${str(name)}</gmd:individualName><gmd:contactInfo><gmd:CI_Contact><gmd:address><gmd:CI_Address><gmd:electronicMailAddress>${str(u.email)}</gmd:electronicMailAddress></gmd:CI_Address></gmd:address></gmd:CI_Contact></gmd:contactInfo><gmd:role>${code('CI_RoleCode', role)}</gmd:role></gmd:CI_ResponsibleParty>`;
}

export function isoMetadataXml(res: StoredRecord, origin: string): string {
  const poc = ((res.poc as Obj[] | undefined) ?? [])[0] ?? (res.owner as Obj | undefined);
  const keywords = ((res.keywords as Obj[] | undefined) ?? [])
    .map((k) => `<gmd:keyword>${str(k.name)}</gmd:keyword>`)
    .join('');
  const coords = ((res.extent as Obj | undefined)?.coords as number[] | undefined) ?? [];
  const extent =
    coords.length === 4
      ? `<gmd:extent><gmd:EX_Extent><gmd:geographicElement><gmd:EX_GeographicBoundingBox><gmd:westBoundLongitude><gco:Decimal>${coords[0]}</gco:Decimal></gmd:westBoundLongitude><gmd:eastBoundLongitude><gco:Decimal>${coords[2]}</gco:Decimal></gmd:eastBoundLongitude><gmd:southBoundLatitude><gco:Decimal>${coords[1]}</gco:Decimal></gmd:southBoundLatitude><gmd:northBoundLatitude><gco:Decimal>${coords[3]}</gco:Decimal></gmd:northBoundLatitude></gmd:EX_GeographicBoundingBox></gmd:geographicElement></gmd:EX_Extent></gmd:extent>`
      : '';
  const category = (res.category as Obj | null | undefined)?.identifier;
  const level = res.resource_type === 'dataset' ? 'dataset' : 'nonGeographicDataset';
  const link = `${origin}/api/v2/resources/${String(res.pk)}`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gmd:MD_Metadata xmlns:gmd="http://www.isotc211.org/2005/gmd" xmlns:gco="http://www.isotc211.org/2005/gco" xmlns:gml="http://www.opengis.net/gml" xmlns:xlink="http://www.w3.org/1999/xlink">',
    `<gmd:fileIdentifier>${str(res.uuid)}</gmd:fileIdentifier>`,
    `<gmd:language>${str(res.language ?? 'eng')}</gmd:language>`,
    `<gmd:characterSet>${code('MD_CharacterSetCode', 'utf8')}</gmd:characterSet>`,
    `<gmd:hierarchyLevel>${code('MD_ScopeCode', level)}</gmd:hierarchyLevel>`,
    `<gmd:contact>${party(poc, 'pointOfContact')}</gmd:contact>`,
    `<gmd:dateStamp><gco:DateTime>${esc(res.last_updated ?? res.date)}</gco:DateTime></gmd:dateStamp>`,
    '<gmd:metadataStandardName><gco:CharacterString>ISO 19115:2003 - Geographic information - Metadata</gco:CharacterString></gmd:metadataStandardName>',
    '<gmd:metadataStandardVersion><gco:CharacterString>ISO 19115:2003</gco:CharacterString></gmd:metadataStandardVersion>',
    '<gmd:identificationInfo><gmd:MD_DataIdentification>',
    `<gmd:citation><gmd:CI_Citation><gmd:title>${str(res.title)}</gmd:title><gmd:date><gmd:CI_Date><gmd:date><gco:DateTime>${esc(res.date)}</gco:DateTime></gmd:date><gmd:dateType>${code('CI_DateTypeCode', res.date_type ?? 'publication')}</gmd:dateType></gmd:CI_Date></gmd:date>${res.edition ? `<gmd:edition>${str(res.edition)}</gmd:edition>` : ''}<gmd:identifier><gmd:MD_Identifier><gmd:code>${str(link)}</gmd:code></gmd:MD_Identifier></gmd:identifier></gmd:CI_Citation></gmd:citation>`,
    `<gmd:abstract>${str(res.raw_abstract ?? res.abstract)}</gmd:abstract>`,
    res.purpose ? `<gmd:purpose>${str(res.raw_purpose ?? res.purpose)}</gmd:purpose>` : '',
    `<gmd:pointOfContact>${party(poc, 'pointOfContact')}</gmd:pointOfContact>`,
    keywords ? `<gmd:descriptiveKeywords><gmd:MD_Keywords>${keywords}</gmd:MD_Keywords></gmd:descriptiveKeywords>` : '',
    `<gmd:resourceConstraints><gmd:MD_LegalConstraints><gmd:accessConstraints>${code('MD_RestrictionCode', (res.restriction_code_type as Obj | null | undefined)?.identifier ?? 'otherRestrictions')}</gmd:accessConstraints>${res.constraints_other ? `<gmd:otherConstraints>${str(res.raw_constraints_other ?? res.constraints_other)}</gmd:otherConstraints>` : ''}</gmd:MD_LegalConstraints></gmd:resourceConstraints>`,
    `<gmd:language>${str(res.language ?? 'eng')}</gmd:language>`,
    category
      ? `<gmd:topicCategory><gmd:MD_TopicCategoryCode>${esc(category)}</gmd:MD_TopicCategoryCode></gmd:topicCategory>`
      : '',
    extent,
    res.supplemental_information
      ? `<gmd:supplementalInformation>${str(res.raw_supplemental_information ?? res.supplemental_information)}</gmd:supplementalInformation>`
      : '',
    '</gmd:MD_DataIdentification></gmd:identificationInfo>',
    '</gmd:MD_Metadata>',
    '',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

export const isoMetadata: Behaviour = (req, env) => {
  const res = findRecord(req, env, GEONODE_COLLECTIONS.resources, param(req, 'id', 'pk'), { permsFirst: true });
  if (!res.uuid) return json(404, { message: 'Metadata XML not available for this resource.' });
  return { status: 200, text: isoMetadataXml(res, req.origin), contentType: 'application/xml' };
};
