import { CwmpDecodeError, quote, type DecodeErrorContext } from './errors';
import { CWMP_URI_PREFIX, SOAP_ENV, isCwmpNamespace } from './namespaces';
import { CWMP_FAULT, methodSpec, type AnyField, type AnyStructSpec } from './schema';
import type { CwmpMessage, CwmpNamespace, Envelope, EnvelopeHeader, Fault, ParamValue, XsdType } from './types';
import { parseXsdType, tryDecodeValue } from './values';
import {
  attribute,
  child,
  childEntries,
  childEntry,
  childNodes,
  declaredNamespaces,
  localName,
  namespaceOf,
  parseXml,
  prefixOf,
  textOf,
  type XmlNode,
} from './xml-tree';

export interface DecodeOptions {
  /** Deepest element nesting accepted, the Envelope being level 1; default 32 (CWMP needs 7). */
  maxDepth?: number;
}

const DEFAULT_MAX_DEPTH = 32;

/**
 * Decodes one SOAP envelope (a non-empty HTTP body, already decoded to a string). Throws
 * CwmpDecodeError; `id`, `namespace` and `methodName` are filled on it as far as they could be
 * read, so the caller can answer with a fault that echoes the request's ID.
 */
export function decodeEnvelope(xml: string, options: DecodeOptions = {}): Envelope {
  const root = parseXml(xml, options.maxDepth ?? DEFAULT_MAX_DEPTH);
  const envelope = root.node;
  if (localName(root.name) !== 'Envelope' || namespaceOf(prefixOf(root.name), [envelope]) !== SOAP_ENV) {
    throw new CwmpDecodeError('not-soap', `root element ${quote(root.name)} is not a SOAP 1.1 Envelope`);
  }
  const context: DecodeErrorContext = {};
  try {
    const header = child(envelope, 'Header');
    const idNode = header === undefined ? undefined : child(header, 'ID');
    context.id = idNode === undefined ? undefined : textOf(idNode);
    const body = child(envelope, 'Body');
    const method = body === undefined ? undefined : childEntries(body)[0];
    if (body === undefined || method === undefined)
      throw new CwmpDecodeError('not-soap', 'the envelope has no Body content');
    const [methodElement, methodNode] = method;
    context.methodName = localName(methodElement);
    const namespace = findNamespace(methodElement, methodNode, body, envelope, header);
    context.namespace = namespace;
    return {
      namespace,
      header: header === undefined ? {} : decodeHeader(header),
      body: decodeBody(context.methodName, methodNode),
    };
  } catch (error) {
    if (error instanceof CwmpDecodeError) error.fill(context);
    throw error;
  }
}

/**
 * The cwmp namespace of the message: the method element's own, or for a SOAP Fault (and an
 * unqualified method element) the first cwmp URI used by the detail, the header or an xmlns
 * declaration in scope.
 */
function findNamespace(
  methodElement: string,
  methodNode: XmlNode,
  body: XmlNode,
  envelope: XmlNode,
  header: XmlNode | undefined,
): CwmpNamespace {
  const bodyScopes = [methodNode, body, envelope];
  const methodUri = namespaceOf(prefixOf(methodElement), bodyScopes);
  if (methodUri !== undefined && methodUri !== SOAP_ENV) return cwmpNamespace(methodUri);

  const used: Array<string | undefined> = [];
  const detail = child(methodNode, 'detail');
  const detailFault = detail === undefined ? undefined : childEntry(detail, 'Fault');
  if (detail !== undefined && detailFault !== undefined) {
    used.push(namespaceOf(prefixOf(detailFault[0]), [detailFault[1], detail, ...bodyScopes]));
  }
  if (header !== undefined) {
    for (const [name, node] of childEntries(header)) used.push(namespaceOf(prefixOf(name), [node, header, envelope]));
  }
  used.push(...declaredNamespaces(bodyScopes));
  const uri = used.find((candidate) => candidate?.startsWith(CWMP_URI_PREFIX));
  if (uri === undefined) throw new CwmpDecodeError('unsupported-namespace', 'the message uses no cwmp namespace');
  return cwmpNamespace(uri);
}

function cwmpNamespace(uri: string): CwmpNamespace {
  if (isCwmpNamespace(uri)) return uri;
  throw new CwmpDecodeError('unsupported-namespace', `unsupported namespace ${quote(uri)}`);
}

function decodeHeader(header: XmlNode): EnvelopeHeader {
  const decoded: EnvelopeHeader = {};
  for (const [name, node] of childEntries(header)) {
    const element = localName(name);
    const path = `Header/${element}`;
    switch (element) {
      case 'ID':
        decoded.id ??= leafText(node, path);
        break;
      case 'HoldRequests':
        decoded.holdRequests ??= scalar(node, 'xsd:boolean', path) as boolean;
        break;
      case 'NoMoreRequests':
        decoded.noMoreRequests ??= scalar(node, 'xsd:boolean', path) as boolean;
        break;
      case 'SessionTimeout':
      case 'sessionTimeout':
        decoded.sessionTimeout ??= scalar(node, 'xsd:unsignedInt', path) as number;
        break;
      case 'SupportedCWMPVersions':
        decoded.supportedCwmpVersions ??= leafText(node, path)
          .split(',')
          .map((version) => version.trim())
          .filter((version) => version !== '');
        break;
      case 'UseCWMPVersion':
        decoded.useCwmpVersion ??= leafText(node, path).trim();
        break;
      default:
        // Unknown header elements (vendor extensions) are ignored, mustUnderstand or not.
        break;
    }
  }
  return decoded;
}

function decodeBody(methodName: string, node: XmlNode): CwmpMessage {
  if (methodName === 'Fault') return decodeFault(node);
  const spec = methodSpec(methodName);
  if (spec === undefined) throw new CwmpDecodeError('unknown-method', `unknown method ${quote(methodName)}`);
  return { method: methodName, ...decodeStruct(node, spec, methodName) } as CwmpMessage;
}

function decodeFault(node: XmlNode): Fault {
  const faultcode = child(node, 'faultcode');
  const faultstring = child(node, 'faultstring');
  const detail = child(node, 'detail');
  const cwmpFault = detail === undefined ? undefined : child(detail, 'Fault');
  if (cwmpFault === undefined) throw new CwmpDecodeError('invalid-argument', 'Fault: missing detail/Fault');
  // Strip any prefix ("SOAP-ENV:Client"); SOAP allows dotted refinements ("Client.Auth").
  const code = faultcode === undefined ? '' : localName(leafText(faultcode, 'Fault/faultcode').trim());
  return {
    method: 'Fault',
    faultcode: code === 'Client' || code.startsWith('Client.') ? 'Client' : 'Server',
    faultstring: faultstring === undefined ? '' : leafText(faultstring, 'Fault/faultstring'),
    detail: decodeStruct(cwmpFault, CWMP_FAULT as unknown as AnyStructSpec, 'Fault/detail/Fault') as Fault['detail'],
  };
}

function decodeStruct(node: XmlNode, spec: AnyStructSpec, path: string): Record<string, unknown> {
  const decoded: Record<string, unknown> = {};
  for (const key in spec) {
    const field = spec[key] as AnyField;
    if (field.kind === 'typeOfValue') continue;
    const fieldPath = `${path}/${field.tag}`;
    if (field.kind === 'repeated') {
      decoded[key] = repeated(node, field.tag).map((item, i) =>
        decodeStruct(item, field.item, `${fieldPath}[${i + 1}]`),
      );
      continue;
    }
    const element = child(node, field.tag);
    if (element === undefined && field.required) throw new CwmpDecodeError('invalid-argument', `${fieldPath}: missing`);
    switch (field.kind) {
      case 'scalar':
        decoded[key] =
          element === undefined ? neutral(field.type) : scalar(element, field.type, fieldPath, field.required);
        break;
      case 'typedValue': {
        const typed =
          element === undefined ? { value: '', type: 'xsd:string' as const } : typedValue(element, fieldPath);
        decoded[key] = typed.value;
        decoded.type = typed.type;
        break;
      }
      case 'stringArray':
        decoded[key] =
          element === undefined ? [] : childNodes(element).map((item, i) => leafText(item, `${fieldPath}[${i + 1}]`));
        break;
      case 'structArray':
        decoded[key] =
          element === undefined
            ? []
            : childNodes(element).map((item, i) =>
                decodeStruct(item, field.item, `${fieldPath}/${field.itemTag}[${i + 1}]`),
              );
        break;
      case 'struct':
        decoded[key] = decodeStruct(element ?? '', field.spec, fieldPath);
        break;
    }
  }
  return decoded;
}

function repeated(node: XmlNode, tag: string): XmlNode[] {
  return childEntries(node)
    .filter(([name]) => localName(name) === tag)
    .map(([, item]) => item);
}

function leafText(node: XmlNode, path: string): string {
  const text = textOf(node);
  if (text === undefined) throw new CwmpDecodeError('invalid-argument', `${path}: expected text, found child elements`);
  return text;
}

function neutral(type: XsdType): ParamValue {
  if (type === 'xsd:boolean') return false;
  return type === 'xsd:int' || type === 'xsd:unsignedInt' ? 0 : '';
}

/** A text argument; an empty number or boolean counts as absent. */
function scalar(node: XmlNode, type: XsdType, path: string, required = false): ParamValue {
  const text = leafText(node, path);
  if (type === 'xsd:string' || type === 'xsd:dateTime') return text;
  if (text.trim() === '') {
    if (required) throw new CwmpDecodeError('invalid-argument', `${path}: empty`);
    return neutral(type);
  }
  const value = tryDecodeValue(text, type);
  if (value === undefined)
    throw new CwmpDecodeError('invalid-argument', `${path}: ${quote(text)} is not a valid ${type}`);
  return value;
}

/**
 * A parameter value and its xsi:type. A value that does not read as its declared type (an
 * empty xsd:int, "yes" as xsd:boolean) is kept as the xsd:string it was sent as: one odd
 * parameter must not make a whole Inform or GetParameterValuesResponse undecodable.
 */
function typedValue(node: XmlNode, path: string): { value: ParamValue; type: XsdType } {
  const text = leafText(node, path);
  const type = parseXsdType(attribute(node, 'type'));
  const value = tryDecodeValue(text, type);
  return value === undefined ? { value: text, type: 'xsd:string' } : { value, type };
}
