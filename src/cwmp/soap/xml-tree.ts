import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { CwmpDecodeError, quote } from './errors';

/*
 * XML text -> object tree, hardened for input from the network, plus the few accessors the
 * decoder needs. An element is a string (text only, no attributes) or an object holding its
 * attributes under ATTRS, its text under TEXT and each child element name (prefix kept) under
 * an array of elements.
 *
 * WHY saxes and not xml2js: parsing is the hottest step of every CWMP session (issue 17 item 1)
 * and xml2js, driving sax, cost 2.4 times as much: decoding a 5.3 kB Inform took 316 us, now
 * 132 us; a 1,000-parameter GetParameterValuesResponse 12.5 ms, now 5.8 ms (bench/codec.bench.ts,
 * bench/RESULTS.md). The tree is built here straight from saxes events, in the shape the xml2js
 * options used before produced (explicitArray, no trimming, whitespace-only text kept), so the
 * decoder did not change.
 */

/** Neither key is a legal XML name, so no element can collide with them. */
const ATTRS = '@';
const TEXT = '#text';

export type XmlNode = string | XmlElement;
export interface XmlElement {
  readonly [key: string]: XmlNode[] | Readonly<Record<string, string>> | string | undefined;
}

/** An element being read: children and attributes in a null-prototype object, its text apart. */
interface OpenElement {
  readonly node: Record<string, XmlNode[] | Readonly<Record<string, string>> | string>;
  /** Attributes or child elements seen: the element is an object, not a string. */
  structured: boolean;
  text: string;
}

/**
 * Refused before parsing, wherever they appear (even inside a comment or CDATA): saxes never
 * expands entities, but nothing a CWMP peer sends needs a DTD.
 */
const DECLARATION = /<!(?:DOCTYPE|ENTITY)/i;

/**
 * Whitespace before the XML declaration: saxes refuses a declaration that is not the very first
 * thing, sax (under xml2js) read it as a processing instruction; it carries no meaning.
 */
const LEADING_SPACE = /^[ \t\r\n]+/;

/**
 * The characters XML 1.0 forbids that a UTF-8 body can carry: C0 controls but tab, LF and CR,
 * and U+FFFE, U+FFFF (a lone surrogate cannot come out of UTF-8 decoding). saxes refuses a
 * document holding one; sax read them as text, and the decoder then judged where they stood
 * (fault 8003 in a DeviceId, a value kept elsewhere). A device that puts one in some parameter
 * value must not be locked out of every session by it, so they stand in as private-use
 * characters while saxes reads and are given back in texts and attribute values (a private-use
 * character that such a document held itself is given back too).
 */
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const FORBIDDEN_ALL = new RegExp(FORBIDDEN.source, 'g');
const STAND_INS = /[\uF700-\uF721]/g;
const STAND_IN_BASE = 0xf700;
const NONCHARACTER_STAND_INS = 0xf720;
const standIn = (c: string) => {
  const code = c.charCodeAt(0);
  return String.fromCharCode(code < 0x20 ? STAND_IN_BASE + code : NONCHARACTER_STAND_INS + code - 0xfffe);
};
const giveBack = (c: string) => {
  const code = c.charCodeAt(0);
  return String.fromCharCode(code < NONCHARACTER_STAND_INS ? code - STAND_IN_BASE : 0xfffe + code - NONCHARACTER_STAND_INS);
};

/**
 * Parses a document; returns the root element's name and node.
 * - nesting deeper than maxDepth aborts the parse at the opening tag, so a very deep document
 *   costs no more than its first maxDepth levels, and nothing recurses over it;
 * - the first well-formedness error aborts the parse (saxes would go on), content after the
 *   root element included;
 * - line ends are read as XML 1.0 section 2.11 says (CRLF and lone CR as LF) by saxes itself.
 */
export function parseXml(xml: string, maxDepth: number): { name: string; node: XmlNode } {
  if (xml.trim() === '') throw new CwmpDecodeError('malformed', 'empty document');
  if (DECLARATION.test(xml)) throw new CwmpDecodeError('doctype', 'DOCTYPE and ENTITY declarations are refused');
  let text = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  if (LEADING_SPACE.test(text)) text = text.replace(LEADING_SPACE, '');
  const controls = FORBIDDEN.test(text);
  if (controls) text = text.replace(FORBIDDEN_ALL, standIn);
  // One parser per document: after an error a parser is left mid-document.
  const parser = new SaxesParser({ position: false, xmlns: false });
  const open: OpenElement[] = [];
  let root: { name: string; node: XmlNode } | undefined;
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    if (open.length >= maxDepth)
      throw new CwmpDecodeError('too-deep', `XML nesting deeper than ${maxDepth} elements`);
    const node: OpenElement['node'] = Object.create(null);
    // saxes's attribute object is null-prototype and the tag's own: kept as it is.
    const attributes = tag.attributes;
    let structured = false;
    for (const key in attributes) {
      structured = true;
      if (!controls) break;
      attributes[key] = attributes[key]!.replace(STAND_INS, giveBack);
    }
    if (structured) node[ATTRS] = attributes;
    open.push({ node, structured, text: '' });
  });
  const addText = (chunk: string) => {
    const element = open[open.length - 1];
    // Whitespace between the prolog, the root and the epilog belongs to no element.
    if (element !== undefined) element.text += controls ? chunk.replace(STAND_INS, giveBack) : chunk;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', (tag: SaxesTagPlain) => {
    const element = open.pop() as OpenElement;
    let value: XmlNode;
    if (element.structured) {
      if (element.text !== '') element.node[TEXT] = element.text;
      value = element.node as XmlElement;
    } else {
      value = element.text;
    }
    const parent = open[open.length - 1];
    if (parent === undefined) {
      root = { name: tag.name, node: value };
      return;
    }
    parent.structured = true;
    const siblings = parent.node[tag.name] as XmlNode[] | undefined;
    if (siblings === undefined) parent.node[tag.name] = [value];
    else siblings.push(value);
  });
  try {
    parser.write(text).close();
  } catch (error) {
    if (error instanceof CwmpDecodeError) throw error;
    throw new CwmpDecodeError('malformed', `not well-formed XML: ${quote(errorMessage(error))}`);
  }
  if (root === undefined) throw new CwmpDecodeError('malformed', 'no root element');
  return root;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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
