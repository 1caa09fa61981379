/**
 * Alias maps (`--alias`, 003 L1210-1255; S21): a Profile_Rule option naming a GPP register
 * that maps elements of a foreign document (`<customer-account><SIP-number>`) to flat-profile
 * parameters. Checked where a profile sets both the rule and the register; previewed as the
 * phone would apply it. Pure.
 */
import sax from 'sax';
import { loadCatalogue, type ParameterCatalogue } from '../catalogue';
import { parseAliasMap, parseProfileRule, RuleSyntaxError, type AliasEntry, type Dialect } from '../rules';
import { escapeText } from './render';
import type { ValidationIssue } from './validate';

const RULES = ['Profile_Rule', 'Profile_Rule_B', 'Profile_Rule_C', 'Profile_Rule_D'];
const gpp = (letter: string) => `GPP_${letter.toUpperCase()}`;

/** The Profile_Rule* alternatives among `values` that fetch with `--alias`, in rule order (rules that do not parse are reported with the rule itself). */
export function aliasRules(values: ReadonlyMap<string, string>, dialect: Dialect): Array<{ rule: string; letter: string }> {
  const out: Array<{ rule: string; letter: string }> = [];
  for (const name of RULES) {
    const text = values.get(name);
    if (!text) continue;
    let rule;
    try {
      rule = parseProfileRule(text, { dialect });
    } catch (err) {
      if (err instanceof RuleSyntaxError) continue;
      throw err;
    }
    for (const alt of rule.alternatives) if (alt.options?.alias) out.push({ rule: name, letter: alt.options.alias });
  }
  return out;
}

/** The alias registers the profile rules among `values` name (`--alias a` -> GPP_A), with the rule naming each. */
function aliasRegisters(values: ReadonlyMap<string, string>, dialect: Dialect): Map<string, string> {
  const out = new Map<string, string>();
  for (const { rule, letter } of aliasRules(values, dialect)) if (!out.has(gpp(letter))) out.set(gpp(letter), rule);
  return out;
}

/** An alias map's problem, or its entries: the syntax, at most 30 entries (003 L1255), known target parameters. */
export function checkAliasMap(text: string, catalogue: ParameterCatalogue = loadCatalogue()): { entries: AliasEntry[] } | { problem: string } {
  let entries: AliasEntry[];
  try {
    entries = parseAliasMap(text);
  } catch (err) {
    if (err instanceof RuleSyntaxError) return { problem: err.message };
    throw err;
  }
  const unknown = entries.filter((e) => !catalogue.get(e.parameter)).map((e) => e.parameter);
  if (unknown.length) return { problem: `maps to unknown parameter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}` };
  const badName = entries.flatMap((e) => e.path).find((n) => !XML_NAME.test(n));
  if (badName !== undefined) return { problem: `"${badName}" is not an XML element name: no document can match it` };
  const ambiguity = ambiguousPair(entries);
  if (ambiguity) return { problem: ambiguity };
  return { entries };
}

const XML_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const pathText = (e: AliasEntry) => `/${e.path.join('/')}`;

/**
 * Two aliases one element can match: the same path twice, or a path that ends another ("it is
 * best to specify enough enclosing elements to ensure an unambiguous translation", 003
 * L1251-1252). The phone's choice between them is undefined, so the ACS refuses the map.
 */
function ambiguousPair(entries: readonly AliasEntry[]): string | undefined {
  for (const a of entries) {
    for (const b of entries) {
      if (a === b || a.path.length > b.path.length) continue;
      const tail = b.path.slice(-a.path.length);
      if (!tail.every((n, i) => n === a.path[i])) continue;
      if (a.path.length === b.path.length) return `${pathText(a)} is mapped twice (${a.parameter}, ${b.parameter})`;
      return `ambiguous: ${pathText(a)} (${a.parameter}) also matches ${pathText(b)} (${b.parameter}); give it enough enclosing elements`;
    }
  }
  return undefined;
}

interface ElementNode {
  name: string;
  text?: string;
  children: ElementNode[];
}

/** Wraps aliases of different roots: an XML document has one root, and matching is on the path's end. */
const WRAPPER = 'profile';

/**
 * The document the ACS serves a phone whose rule fetches it with `--alias`: each alias's
 * element path (`/customer-account/SIP-number`) holding the value of its parameter, as the
 * guide's customer database would write it (003 L2212-2225). Parameters without a value are
 * left out (the phone keeps its own). Paths sharing a start share their elements. Pure.
 */
export function renderAliasDocument(entries: readonly AliasEntry[], values: ReadonlyMap<string, string>): string {
  const roots: ElementNode[] = [];
  for (const entry of entries) {
    const value = values.get(entry.parameter);
    if (value === undefined) continue;
    let level = roots;
    let node: ElementNode | undefined;
    for (const name of entry.path) {
      node = level.find((n) => n.name === name);
      if (!node) {
        node = { name, children: [] };
        level.push(node);
      }
      level = node.children;
    }
    node!.text = value;
  }
  const body = roots.length === 1 ? roots : [{ name: WRAPPER, children: roots }];
  return body.map((n) => serialise(n, '')).join('');
}

function serialise(node: ElementNode, indent: string): string {
  const text = node.text === undefined ? '' : escapeText(node.text);
  if (!node.children.length) return `${indent}<${node.name}>${text}</${node.name}>\n`;
  return `${indent}<${node.name}>${text}\n${node.children.map((c) => serialise(c, `${indent}  `)).join('')}${indent}</${node.name}>\n`;
}

/** Issues of the alias registers set among `values` that a profile rule among them names. */
export function checkAliasMaps(values: ReadonlyMap<string, string>, dialect: Dialect, catalogue: ParameterCatalogue = loadCatalogue()): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const [register, rule] of aliasRegisters(values, dialect)) {
    const text = values.get(register);
    if (text === undefined) continue; // set elsewhere (another profile, the device): checked when previewed
    const checked = checkAliasMap(text, catalogue);
    if ('problem' in checked) issues.push({ name: register, code: 'type', message: `${register}: alias map of ${rule} --alias: ${checked.problem}` });
    else if (!checked.entries.length) issues.push({ name: register, code: 'type', message: `${register}: alias map of ${rule} --alias is empty` });
  }
  return issues;
}

export interface AliasedValue {
  parameter: string;
  value: string;
  /** the document's element, as a path from its root */
  element: string;
}

export interface AliasPreview {
  values: AliasedValue[];
  /** aliases no element of the document matched */
  unmatched: string[];
}

export class AliasDocumentError extends Error {}

const MAX_DOCUMENT = 256 * 1024;
const MAX_DEPTH = 16;

/**
 * What a phone sets from `document` under the alias map: each element whose path ends with an
 * alias's left-hand side ("the element itself can be nested further", 003 L1243-1250) gives its
 * text, trimmed as the phone trims values (001 L791-792), to the parameter; the last match wins.
 */
export function previewAlias(entries: readonly AliasEntry[], document: string): AliasPreview {
  if (Buffer.byteLength(document) > MAX_DOCUMENT) throw new AliasDocumentError(`document larger than ${MAX_DOCUMENT} bytes`);
  if (/<!DOCTYPE/i.test(document)) throw new AliasDocumentError('document has a DOCTYPE (refused: no entity definitions)');
  const parser = sax.parser(true, { strictEntities: true } as sax.SAXOptions);
  const stack: Array<{ name: string; text: string }> = [];
  const found = new Map<string, AliasedValue>();
  const matched = new Set<AliasEntry>();
  parser.onopentag = (tag) => {
    if (stack.length >= MAX_DEPTH) throw new AliasDocumentError(`document nested deeper than ${MAX_DEPTH} elements`);
    stack.push({ name: tag.name, text: '' });
  };
  parser.ontext = (t) => {
    if (stack.length) stack[stack.length - 1].text += t;
  };
  parser.oncdata = parser.ontext;
  parser.onclosetag = () => {
    const path = stack.map((e) => e.name);
    const element = stack.pop()!;
    for (const entry of entries) {
      const tail = path.slice(-entry.path.length);
      if (tail.length === entry.path.length && tail.every((n, i) => n === entry.path[i])) {
        matched.add(entry);
        found.delete(entry.parameter);
        found.set(entry.parameter, { parameter: entry.parameter, value: element.text.replace(/\s+/g, ' ').trim(), element: `/${path.join('/')}` });
      }
    }
  };
  try {
    parser.write(document).close();
  } catch (err) {
    if (err instanceof AliasDocumentError) throw err;
    throw new AliasDocumentError(`document is not well-formed XML: ${(err as Error).message.split('\n')[0]}`);
  }
  return { values: [...found.values()], unmatched: entries.filter((e) => !matched.has(e)).map((e) => `/${e.path.join('/')}`) };
}
