import { CWMP_NAMESPACES, type CwmpNamespace } from './types';

export const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP_ENC = 'http://schemas.xmlsoap.org/soap/encoding/';
export const XSD = 'http://www.w3.org/2001/XMLSchema';
export const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/** Every cwmp URI, known or not, starts with this; used to tell "unsupported" from "foreign". */
export const CWMP_URI_PREFIX = 'urn:dslforum-org:cwmp-';

type CwmpVersion = keyof typeof CWMP_NAMESPACES;

const VERSION_BY_NAMESPACE = new Map<string, CwmpVersion>(
  (Object.keys(CWMP_NAMESPACES) as CwmpVersion[]).map((version) => [CWMP_NAMESPACES[version], version]),
);

export function isCwmpNamespace(uri: string): uri is CwmpNamespace {
  return VERSION_BY_NAMESPACE.has(uri);
}

export function versionOf(ns: CwmpNamespace): CwmpVersion {
  const version = VERSION_BY_NAMESPACE.get(ns);
  if (version === undefined) throw new RangeError(`not a CWMP namespace: ${JSON.stringify(ns)}`);
  return version;
}
