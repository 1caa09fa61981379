export { DhcpDecodeError, decodeSubOptions, encodeSubOptions, toHex, V4_LAYOUT, V6_LAYOUT } from './tlv';
export type { SubOption, TlvLayout } from './tlv';
export {
  decodeDhcpv6Option16,
  decodeDhcpv6Option17,
  decodeOption125,
  encodeDhcpv6Option16,
  encodeDhcpv6Option17,
  encodeOption125,
} from './vendor';
export type { VendorBlock, VendorClass } from './vendor';
export {
  BBF_ENTERPRISE,
  CWMP_SUB_OPTION,
  CWMP_VENDOR_CLASS,
  DhcpOptionError,
  cwmpBlock,
  cwmpSubOptions,
  decodeOption43,
  encodeCwmpDhcpv6Option16,
  encodeCwmpDhcpv6Option17,
  encodeCwmpOption125,
  encodeCwmpOption60,
  encodeOption43,
  isCwmpVendorClass,
  parseAcsDiscovery,
  readCwmpSubOptions,
} from './cwmp';
export type { AcsDiscovery, AcsDiscoveryField, AcsDiscoveryInput, DecodedAcsDiscovery } from './cwmp';
export { encodeTr111Dhcpv6Option17, encodeTr111Option125, readTr111Identity, tr111SubOptions } from './tr111';
export type { IpFamily, Tr111Identity } from './tr111';
export { renderSnippets } from './snippets';
export type { Snippet, SnippetServer } from './snippets';
export { describeSubOptions, discoveryOptionValues } from './values';
export type { OptionValue } from './values';
