import { Parser, type ParserOptions } from 'xml2js';
import { CwmpDecodeError, quote } from './errors';

/*
 * XML text -> xml2js object tree, hardened for input from the network, plus the few accessors
 * the decoder needs. An element is a string (text only, no attributes) or an object holding
 * its attributes under ATTRS, its text under TEXT and each child element name (prefix kept)
 * under an array of elements.
 */

/** Neither key is a legal XML name, so no element can collide with them. */
const ATTRS = '@';
const TEXT = '#text';

export type XmlNode = string | XmlElement;
export interface XmlElement {
  readonly [key: string]: XmlNode[] | Readonly<Record<string, string>> | string | undefined;
}

const PARSER_OPTIONS: ParserOptions = {
  attrkey: ATTRS,
  charkey: TEXT,
  explicitArray: true,
  explicitRoot: true,
  explicitCharkey: false,
  trim: false,
  normalize: false,
  normalizeTags: false,
  strict: true,
  async: false,
};

/** The sax parser xml2js drives; its handlers are plain closures, safe to wrap. */
interface SaxParser {
  onopentag(node: unknown): void;
  onclosetag(name: string): void;
  ontext(text: string): void;
  oncdata(text: string): void;
  onerror(error: Error): void;
}

const WHITESPACE_ONLY = /^\s+$/;

/**
 * xml2js with guards on its sax parser (re-created by every reset):
 * - nesting deeper than maxDepth aborts the parse at the opening tag, so a very deep document
 *   costs no more than its first maxDepth levels, and nothing recurses over it;
 * - whitespace-only text is passed through xml2js's CDATA path, the only one on which xml2js
 *   keeps whitespace-only text of an element that has attributes (`<Value xsi:type=...> </Value>`);
 * - the first error is recorded in `failure`: xml2js hands over its result as soon as the root
 *   element closes and drops errors in whatever follows, a second root element included.
 */
class HardenedParser extends Parser {
  failure: Error | undefined;

  constructor(private readonly maxDepth: number) {
    super(PARSER_OPTIONS);
  }

  override reset(): void {
    super.reset();
    const sax = (this as unknown as { saxParser: SaxParser }).saxParser;
    const { onopentag, onclosetag, ontext, oncdata, onerror } = sax;
    let depth = 0;
    let rootClosed = false;
    sax.onerror = (error) => {
      this.failure ??= error;
      onerror(error);
    };
    sax.onopentag = (node) => {
      if (rootClosed)
        this.fail(new CwmpDecodeError('malformed', 'not well-formed XML: content after the root element'));
      depth += 1;
      if (depth > this.maxDepth)
        this.fail(new CwmpDecodeError('too-deep', `XML nesting deeper than ${this.maxDepth} elements`));
      onopentag(node);
    };
    sax.onclosetag = (name) => {
      depth -= 1;
      rootClosed = depth === 0;
      onclosetag(name);
    };
    sax.ontext = (text) => (WHITESPACE_ONLY.test(text) ? oncdata(text) : ontext(text));
  }

  /** Records the error and stops sax where it is. */
  private fail(error: CwmpDecodeError): never {
    this.failure ??= error;
    throw error;
  }
}

/**
 * Refused before parsing, wherever they appear (even inside a comment or CDATA): sax never
 * expands entities, but nothing a CWMP peer sends needs a DTD.
 */
const DECLARATION = /<!(?:DOCTYPE|ENTITY)/i;

/** Parses a document; returns the root element's name and node. */
export function parseXml(xml: string, maxDepth: number): { name: string; node: XmlNode } {
  if (xml.trim() === '') throw new CwmpDecodeError('malformed', 'empty document');
  if (DECLARATION.test(xml)) throw new CwmpDecodeError('doctype', 'DOCTYPE and ENTITY declarations are refused');
  // XML 1.0 section 2.11: a parser reads CRLF and lone CR as LF; sax leaves them as they are.
  const text = xml.includes('\r') ? xml.replace(/\r\n?/g, '\n') : xml;
  // One parser per document: after an error xml2js can leave a parser mid-document.
  const parser = new HardenedParser(maxDepth);
  let root: Record<string, XmlNode> | null | undefined;
  let failure: unknown;
  try {
    parser.parseString(text, (error, value) => {
      if (error) failure ??= error;
      else root ??= value;
    });
  } catch (error) {
    failure ??= error;
  }
  failure ??= parser.failure;
  if (failure !== undefined) {
    if (failure instanceof CwmpDecodeError) throw failure;
    throw new CwmpDecodeError('malformed', `not well-formed XML: ${saxMessage(failure)}`);
  }
  const name = root ? Object.keys(root)[0] : undefined;
  if (!root || name === undefined) throw new CwmpDecodeError('malformed', 'no root element');
  return { name, node: root[name] as XmlNode };
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
