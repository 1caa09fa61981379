/**
 * Cisco XML parameters <-> TR-069 parameter values, per product class.
 *
 *   toSetParameterValues({ User_ID_1_: '4085263127', Proxy_1_: 'sip.example.com:5060' }, 'CP-8851-3PCC', overrides)
 *     // { parameterList: [{ name: 'Device.Services...Line.1.SIP.URI', value: '4085263127', type: 'xsd:string' }, ...],
 *     //   unmapped: [] }
 *   fromParameterValues(parameterList, 'CP-8851-3PCC', overrides)   // { values, unmapped }
 *   matchDataModel(gpnPaths, 'CP-8851-3PCC', overrides)             // { matched, missing, unmapped, unclaimed }
 *
 * Whatever is unmapped stays deliverable in a rendered configuration file (Download
 * "3 Vendor Configuration File"). Every catalogue path is an unconfirmed candidate.
 */
import type { ParamValue } from '../../cwmp/soap/types';
import {
  Tr069Mapper,
  type DataModelMatch,
  type FromTr069Result,
  type MappingOverrides,
  type ToTr069Result,
} from './mapper';

export function toSetParameterValues(
  profileValues: Record<string, string>,
  productClass: string,
  overrides: MappingOverrides = {},
): ToTr069Result {
  return new Tr069Mapper(productClass, overrides).toParameterValues(profileValues);
}

export function fromParameterValues(
  parameterList: ReadonlyArray<{ name: string; value: ParamValue }>,
  productClass: string,
  overrides: MappingOverrides = {},
): FromTr069Result {
  return new Tr069Mapper(productClass, overrides).fromParameterValues(parameterList);
}

export function matchDataModel(
  discoveredPaths: Iterable<string>,
  productClass: string,
  overrides: MappingOverrides = {},
): DataModelMatch {
  return new Tr069Mapper(productClass, overrides).matchDataModel(discoveredPaths);
}

export {
  Tr069Mapper,
  type DataModelMatch,
  type FromTr069Result,
  type MappingOverrides,
  type ResolvedMapping,
  type ToTr069Result,
} from './mapper';
export { MappingError, toTr069, fromTr069, defaultCodec, type TypedValue } from './codecs';
