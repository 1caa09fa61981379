import sax from 'sax';
import { CwmpDecodeError, quote } from './errors';

/*
 * XML text -> object tree, hardened for input from the network, plus the few accessors the
 * decoder needs. The tree is the one xml2js built (explicitArray, explicitRoot, no trimming)
 * before it was built here straight from sax's events, which halves the parse: an element is a
 * string (text only, no attributes) or an object holding its attributes under ATTRS, its text
 * under TEXT and each child element name (prefix kept) under an array of elements.
 */

/** Neither key is a legal XML name, so no element can collide with them. */
const ATTRS = '@';
const TEXT = '#text';

export type XmlNode = string | XmlElement;
export interface XmlElement {
  readonly [key: string]: XmlNode[] | Readonly<Record<string, string>> | string | undefined;
}

/** An element being read: its children so far, attributes, text, and whether text was CDATA or whitespace. */
interface Open {
  name: string;
  node: Record<string, XmlNode[] | Record<string, string> | string>;
  children: boolean;
  attributes: boolean;
  text: string;
  /** whitespace-only text or a CDATA section was seen: the text is kept even if blank */
  keep: boolean;
}

const BLANK = /^\s*$/;

/** `obj[key] = value` that also makes an own property of `__proto__` (names come from the network). */
function put(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** The element's value once closed: its text alone when it has neither attributes nor children. */
function closed(e: Open): XmlNode {
  const blank = !e.keep && BLANK.test(e.text);
  if (!e.attributes && !e.children) return e.text;
  if (!blank) e.node[TEXT] = e.text;
  return e.node as XmlElement;
}

/**
 * Refused before parsing, wherever they appear (even inside a comment or CDATA): sax never
 * expands entities, but nothing a CWMP peer sends needs a DTD.
 */
const DECLARATION = /<!(?:DOCTYPE|ENTITY)/i;

/**
 * Parses a document; returns the root element's name and node. Guards: nesting deeper than
 * maxDepth aborts at the opening tag (a very deep document costs no more than its first
 * maxDepth levels, and nothing recurses over it); anything but whitespace and comments after
 * the root element, a second root included, is an error.
 */
export function parseXml(xml: string, maxDepth: number): { name: string; node: XmlNode } {
  if (xml.trim() === '') throw new CwmpDecodeError('malformed', 'empty document');
  if (DECLARATION.test(xml)) throw new CwmpDecodeError('doctype', 'DOCTYPE and ENTITY declarations are refused');
  // XML 1.0 section 2.11: a parser reads CRLF and lone CR as LF; sax leaves them as they are.
  const text = xml.includes('\r') ? xml.replace(/\r\n?/g, '\n') : xml;
  const parser = sax.parser(true, { trim: false, normalize: false, position: false });
  const stack: Open[] = [];
  let root: { name: string; node: XmlNode } | undefined;
  const fail = (error: CwmpDecodeError): never => {
    throw error;
  };
  parser.onerror = (error) => fail(new CwmpDecodeError('malformed', `not well-formed XML: ${saxMessage(error)}`));
  parser.onopentag = (tag) => {
    if (root) fail(new CwmpDecodeError('malformed', 'not well-formed XML: content after the root element'));
    if (stack.length >= maxDepth) fail(new CwmpDecodeError('too-deep', `XML nesting deeper than ${maxDepth} elements`));
    const node: Open['node'] = {};
    let attributes = false;
    const given = tag.attributes as Record<string, string>;
    for (const key in given) {
      if (!Object.hasOwn(given, key)) continue;
      if (!attributes) node[ATTRS] = {};
      attributes = true;
      put(node[ATTRS] as Record<string, string>, key, given[key]);
    }
    stack.push({ name: tag.name, node, children: false, attributes, text: '', keep: false });
  };
  const onText = (chunk: string, keep: boolean) => {
    const top = stack[stack.length - 1];
    if (!top) return;
    top.text += chunk;
    if (keep) top.keep = true;
  };
  parser.ontext = (chunk) => onText(chunk, BLANK.test(chunk));
  parser.oncdata = (chunk) => onText(chunk, true);
  parser.onclosetag = () => {
    const e = stack.pop()!;
    const value = closed(e);
    const parent = stack[stack.length - 1];
    if (!parent) {
      root = { name: e.name, node: value };
      return;
    }
    parent.children = true;
    const siblings = Object.hasOwn(parent.node, e.name) ? (parent.node[e.name] as XmlNode[]) : undefined;
    if (siblings) siblings.push(value);
    else put(parent.node, e.name, [value]);
  };
  try {
    parser.write(text).close();
  } catch (error) {
    if (error instanceof CwmpDecodeError) throw error;
    throw new CwmpDecodeError('malformed', `not well-formed XML: ${saxMessage(error)}`);
  }
  if (!root) throw new CwmpDecodeError('malformed', 'no root element');
  return root;
}

/** sax messages are "reason\nLine: n\nColumn: n\nChar: c"; the reason alone is enough. */
function saxMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return quote(message.split('\n', 1)[0] ?? '');
}

export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

export function prefixOf(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? '' : name.slice(0, colon);
}

function attributesOf(node: XmlNode): Readonly<Record<string, string>> | undefined {
  return typeof node === 'string' ? undefined : (node[ATTRS] as Readonly<Record<string, string>> | undefined);
}

/** Value of the first attribute with this local name, whatever its prefix. */
export function attribute(node: XmlNode, name: string): string | undefined {
  const attributes = attributesOf(node);
  if (attributes === undefined) return undefined;
  if (Object.hasOwn(attributes, name)) return attributes[name];
  for (const key in attributes) {
    if (localName(key) === name) return attributes[key];
  }
  return undefined;
}

/** Resolves a prefix ('' for the default namespace) against the xmlns attributes in scope. */
export function namespaceOf(prefix: string, scopes: readonly XmlNode[]): string | undefined {
  const key = prefix === '' ? 'xmlns' : `xmlns:${prefix}`;
  for (const scope of scopes) {
    const uri = attributesOf(scope)?.[key];
    if (uri !== undefined) return uri;
  }
  return undefined;
}

/** Namespace URIs declared on these elements. */
export function declaredNamespaces(scopes: readonly XmlNode[]): string[] {
  const uris: string[] = [];
  for (const scope of scopes) {
    const attributes = attributesOf(scope);
    for (const key in attributes) {
      if (key === 'xmlns' || key.startsWith('xmlns:')) uris.push(attributes[key] as string);
    }
  }
  return uris;
}

/** Child elements as [name, node] pairs; document order holds among children of one name. */
export function childEntries(node: XmlNode): Array<[string, XmlNode]> {
  const entries: Array<[string, XmlNode]> = [];
  if (typeof node === 'string') return entries;
  for (const key in node) {
    if (key === ATTRS || key === TEXT) continue;
    for (const element of node[key] as XmlNode[]) entries.push([key, element]);
  }
  return entries;
}

/** Child elements of any name, e.g. the items of a SOAP array; do not modify the result. */
export function childNodes(node: XmlNode): readonly XmlNode[] {
  if (typeof node === 'string') return [];
  let only: XmlNode[] | undefined;
  let all: XmlNode[] | undefined;
  for (const key in node) {
    if (key === ATTRS || key === TEXT) continue;
    const elements = node[key] as XmlNode[];
    if (only === undefined) only = elements;
    else (all ??= [...only]).push(...elements);
  }
  return all ?? only ?? [];
}

/** First child element with this local name, with its full name; undefined if none. */
export function childEntry(node: XmlNode, name: string): [string, XmlNode] | undefined {
  if (typeof node === 'string') return undefined;
  const unprefixed = node[name];
  if (Array.isArray(unprefixed)) return [name, unprefixed[0] as XmlNode];
  for (const key in node) {
    if (key !== ATTRS && key !== TEXT && localName(key) === name) return [key, (node[key] as XmlNode[])[0] as XmlNode];
  }
  return undefined;
}

/** First child element with this local name, or undefined. */
export function child(node: XmlNode, name: string): XmlNode | undefined {
  return childEntry(node, name)?.[1];
}

/** Text content of a leaf element; undefined if it has child elements. */
export function textOf(node: XmlNode): string | undefined {
  if (typeof node === 'string') return node;
  for (const key in node) {
    if (key !== ATTRS && key !== TEXT) return undefined;
  }
  return (node[TEXT] as string | undefined) ?? '';
}
