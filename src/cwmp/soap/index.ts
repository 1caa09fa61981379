/**
 * The CWMP SOAP codec: envelopes of CWMP 1.0-1.4 to and from the message model in types.ts, in
 * both directions (the ACS and the device simulator share it).
 *
 * Decoding is lenient where devices differ and strict where input is hostile: elements match
 * by local name whatever their prefix and order; arrayType is ignored; missing optional
 * arguments read as neutral values (schema.ts lists the required ones); a parameter Value that
 * does not read as its xsi:type is kept as an xsd:string. DOCTYPE/ENTITY, nesting deeper than
 * maxDepth, anything after the root element and bad XML are refused with a CwmpDecodeError.
 *
 * Encoding writes one element per line with two-space indentation (the golden files under
 * test/fixtures/cwmp/golden show the exact format), unprefixed arguments, arrayType with the
 * real length, and replaces characters XML cannot carry with U+FFFD.
 */
export * from './types';
export { decodeEnvelope, type DecodeOptions } from './decode';
export { encodeEnvelope } from './encode';
export { CwmpDecodeError, type DecodeErrorKind } from './errors';
export { ACS_FAULTS, CPE_FAULTS, acsFault, cpeFault } from './faults';
export { versionOf } from './namespaces';
export { decodeValue, encodeValue, parseXsdType, type EncodeOptions } from './values';
