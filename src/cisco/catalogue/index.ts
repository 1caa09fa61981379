/**
 * The Cisco MPP parameter catalogue (`schemas/cisco-catalogue.json`): names, Web-UI labels,
 * data types, sample values, secrets and candidate TR-069 paths; plus the value checks and
 * naming rules that use it.
 *
 *   const cat = loadCatalogue();
 *   cat.get('SIP_Port_1_')?.type                  // { kind: 'port', min: 1 }
 *   checkValue({ kind: 'port', min: 1 }, '70000') // 'Port 70000 out of range 1..65535'
 *   webNameToXmlName('Resync At (HHmm)')          // 'Resync_At__HHmm_'
 */
export { loadCatalogue, ParameterCatalogue } from './load';
export { webNameToXmlName, legacyNameToXmlName, splitIndexed, instantiate } from './names';
export { checkValue, checkCharacters, typeLabel, parseInteger, splitHostPort } from './value-check';
export { searchCatalogue, type CatalogueHit } from './search';
export { extractCatalogue, type ExtractionReport } from './extract';
export type { Catalogue, CatalogueEntry, ParamType, RuleSyntax, Tr069Codec, Tr069Mapping, Ua } from './types';
