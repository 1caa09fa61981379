import { SOAP_ENC, SOAP_ENV, XSD, XSI } from './namespaces';
import { CWMP_FAULT, methodSpec, type AnyField, type AnyStructSpec } from './schema';
import type { CwmpMessage, Envelope, EnvelopeHeader, Fault, ParamValue, XsdType } from './types';
import { booleanText, encodeValue, type EncodeOptions } from './values';
import { XmlWriter, escapeXml } from './xml-writer';

const MUST_UNDERSTAND_1 = ' soap-env:mustUnderstand="1"';
const MUST_UNDERSTAND_0 = ' soap-env:mustUnderstand="0"';

/**
 * Writes an envelope: UTF-8 declaration, the soap-env, soap-enc, xsd, xsi and cwmp prefixes
 * (cwmp bound to `envelope.namespace`), header elements that are set, then the body. Arrays
 * carry soap-enc:arrayType with their real length. Throws a TypeError for a message that
 * cannot be written as valid CWMP (a non-integer number, an unknown method).
 */
export function encodeEnvelope(envelope: Envelope, options: EncodeOptions = {}): string {
  const w = new XmlWriter();
  w.open(
    'soap-env:Envelope',
    ` xmlns:soap-env="${SOAP_ENV}" xmlns:soap-enc="${SOAP_ENC}" xmlns:xsd="${XSD}" xmlns:xsi="${XSI}"` +
      ` xmlns:cwmp="${escapeXml(envelope.namespace)}"`,
  );
  encodeHeader(w, envelope.header, options);
  w.open('soap-env:Body');
  encodeBody(w, envelope.body, options);
  w.close('soap-env:Body');
  w.close('soap-env:Envelope');
  return w.toString();
}

function encodeHeader(w: XmlWriter, header: EnvelopeHeader, options: EncodeOptions): void {
  const { id, holdRequests, noMoreRequests, sessionTimeout, supportedCwmpVersions, useCwmpVersion } = header;
  const present = [id, holdRequests, noMoreRequests, sessionTimeout, supportedCwmpVersions, useCwmpVersion];
  if (present.every((value) => value === undefined)) return;
  w.open('soap-env:Header');
  if (id !== undefined) w.leaf('cwmp:ID', id, MUST_UNDERSTAND_1);
  if (holdRequests !== undefined) w.leaf('cwmp:HoldRequests', booleanText(holdRequests, options), MUST_UNDERSTAND_1);
  if (noMoreRequests !== undefined) w.leaf('cwmp:NoMoreRequests', booleanText(noMoreRequests, options));
  if (sessionTimeout !== undefined) {
    w.leaf('cwmp:SessionTimeout', encodeValue(sessionTimeout, 'xsd:unsignedInt'), MUST_UNDERSTAND_0);
  }
  if (supportedCwmpVersions !== undefined) {
    w.leaf('cwmp:SupportedCWMPVersions', supportedCwmpVersions.join(','), MUST_UNDERSTAND_0);
  }
  if (useCwmpVersion !== undefined) w.leaf('cwmp:UseCWMPVersion', useCwmpVersion, MUST_UNDERSTAND_1);
  w.close('soap-env:Header');
}

function encodeBody(w: XmlWriter, message: CwmpMessage, options: EncodeOptions): void {
  if (message.method === 'Fault') {
    encodeFault(w, message, options);
    return;
  }
  const spec = methodSpec(message.method);
  if (spec === undefined) throw new TypeError(`cannot encode unknown method ${JSON.stringify(message.method)}`);
  const element = `cwmp:${message.method}`;
  if (Object.keys(spec).length === 0) {
    w.empty(element);
    return;
  }
  w.open(element);
  encodeStruct(w, message as unknown as Record<string, unknown>, spec, options);
  w.close(element);
}

function encodeFault(w: XmlWriter, fault: Fault, options: EncodeOptions): void {
  w.open('soap-env:Fault');
  w.leaf('faultcode', fault.faultcode);
  w.leaf('faultstring', fault.faultstring);
  w.open('detail');
  w.open('cwmp:Fault');
  encodeStruct(w, fault.detail as unknown as Record<string, unknown>, CWMP_FAULT as unknown as AnyStructSpec, options);
  w.close('cwmp:Fault');
  w.close('detail');
  w.close('soap-env:Fault');
}

function arrayType(type: string, length: number): string {
  return ` soap-enc:arrayType="${type}[${length}]"`;
}

function encodeStruct(w: XmlWriter, value: Record<string, unknown>, spec: AnyStructSpec, options: EncodeOptions): void {
  for (const key in spec) {
    const field = spec[key] as AnyField;
    const item = value[key];
    switch (field.kind) {
      case 'scalar':
        w.leaf(field.tag, encodeValue(item as ParamValue, field.type, options));
        break;
      case 'typedValue': {
        const type = value.type as XsdType;
        w.leaf(field.tag, encodeValue(item as ParamValue, type, options), ` xsi:type="${escapeXml(type)}"`);
        break;
      }
      case 'typeOfValue':
        break;
      case 'stringArray': {
        const items = item as string[];
        if (items.length === 0) {
          w.empty(field.tag, arrayType('xsd:string', 0));
          break;
        }
        w.open(field.tag, arrayType('xsd:string', items.length));
        for (const text of items) w.leaf('string', text);
        w.close(field.tag);
        break;
      }
      case 'structArray': {
        const items = item as Array<Record<string, unknown>>;
        if (items.length === 0) {
          w.empty(field.tag, arrayType(`cwmp:${field.itemTag}`, 0));
          break;
        }
        w.open(field.tag, arrayType(`cwmp:${field.itemTag}`, items.length));
        for (const struct of items) encodeNested(w, field.itemTag, struct, field.item, options);
        w.close(field.tag);
        break;
      }
      case 'repeated':
        for (const struct of item as Array<Record<string, unknown>>)
          encodeNested(w, field.tag, struct, field.item, options);
        break;
      case 'struct':
        encodeNested(w, field.tag, item as Record<string, unknown>, field.spec, options);
        break;
    }
  }
}

function encodeNested(
  w: XmlWriter,
  tag: string,
  value: Record<string, unknown>,
  spec: AnyStructSpec,
  options: EncodeOptions,
): void {
  w.open(tag);
  encodeStruct(w, value, spec, options);
  w.close(tag);
}
