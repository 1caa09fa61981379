/**
 * Alias maps (`--alias`, 003 L1210-1255; S21): a Profile_Rule option naming a GPP register
 * that maps elements of a foreign document (`<customer-account><SIP-number>`) to flat-profile
 * parameters. Checked where a profile sets both the rule and the register; previewed as the
 * phone would apply it. Pure.
 */
import sax from 'sax';
import { loadCatalogue, type ParameterCatalogue } from '../catalogue';
import { parseAliasMap, parseProfileRule, RuleSyntaxError, type AliasEntry, type Dialect } from '../rules';
import type { ValidationIssue } from './validate';

const RULES = ['Profile_Rule', 'Profile_Rule_B', 'Profile_Rule_C', 'Profile_Rule_D'];
const gpp = (letter: string) => `GPP_${letter.toUpperCase()}`;

/** The alias registers the profile rules among `values` name (`--alias a` -> GPP_A), with the rule naming each. */
function aliasRegisters(values: ReadonlyMap<string, string>, dialect: Dialect): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of RULES) {
    const text = values.get(name);
    if (!text) continue;
    let rule;
    try {
      rule = parseProfileRule(text, { dialect });
    } catch (err) {
      if (err instanceof RuleSyntaxError) continue; // reported with the rule itself
      throw err;
    }
    for (const alt of rule.alternatives) if (alt.options?.alias && !out.has(gpp(alt.options.alias))) out.set(gpp(alt.options.alias), name);
  }
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
  return { entries };
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
