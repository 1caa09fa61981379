/**
 * Checks profile values against the catalogue. Messages name the parameter and the rule:
 * `Proxy_1_: FQDN longer than 63 characters`, `SIP_Port_1_: Port 70000 out of range 1..65535`,
 * `Foo_Bar: unknown parameter`.
 */
import { checkCharacters, checkValue, legacyNameToXmlName, loadCatalogue, type ParameterCatalogue } from '../catalogue';
import type { Dialect } from '../rules';
import { checkAliasMaps } from './alias';
import { checkFirmwareLimit } from './firmware-limit';
import type { ProfileEntry } from './types';

export interface ValidationIssue {
  name: string;
  code: 'unknown-parameter' | 'characters' | 'type';
  message: string;
}

const lowerIndex = new WeakMap<ParameterCatalogue, Map<string, string>>();

/** Near miss for an unknown name: same letters ignoring case, spaces and underscores. */
function suggestion(name: string, catalogue: ParameterCatalogue): string | undefined {
  let index = lowerIndex.get(catalogue);
  if (!index) {
    index = new Map(catalogue.entries.map((e) => [e.name.toLowerCase().replace(/[\s_]/g, ''), e.name]));
    lowerIndex.set(catalogue, index);
  }
  return index.get(name.toLowerCase().replace(/[\s_]/g, ''));
}

/** `dialect`: the rule dialect of the devices the value is for (`dialectFor(productClasses)`). */
/** A parameter written otherwise than by its XML name, and the XML name it stands for. */
export interface RenamedParameter {
  given: string;
  name: string;
}

/**
 * The XML name of a parameter written as the phone's web-page label ("Resync At (HHmm)") or
 * a legacy name (`SIP_TOS/DiffServ_Value[1]`): each space and `[ ] ( ) /` becomes `_` (001
 * L675-681; 003 L664-676, L731). A name the catalogue knows, or one the rule does not turn
 * into a known name, is returned as it is (and then checked, and refused, as written).
 */
export function xmlNameOf(given: string, catalogue: ParameterCatalogue = loadCatalogue()): string {
  if (catalogue.get(given)) return given;
  const converted = legacyNameToXmlName(given.trim());
  return catalogue.get(converted) ? converted : given;
}

export function validateValue(name: string, value: string, catalogue: ParameterCatalogue = loadCatalogue(), dialect: Dialect = 'mpp'): ValidationIssue | undefined {
  const entry = catalogue.get(name);
  if (!entry) {
    const near = suggestion(name, catalogue);
    return { name, code: 'unknown-parameter', message: `${name}: unknown parameter${near ? ` (did you mean ${near}?)` : ''}` };
  }
  const chars = checkCharacters(value);
  if (chars) return { name, code: 'characters', message: `${name}: ${chars}` };
  let problem = checkValue(entry.type, value, dialect);
  if (!problem) return undefined;
  // Messages end up in logs and API answers: never echo a secret.
  if (entry.secret && value !== '') problem = problem.split(value).join('***');
  return { name, code: 'type', message: `${name}: ${problem}` };
}

/** Every value on its own, then the ones checked together (firmware-limit.ts). */
export function validateProfile(
  entries: Iterable<ProfileEntry> | Record<string, string>,
  catalogue: ParameterCatalogue = loadCatalogue(),
  dialect: Dialect = 'mpp',
): ValidationIssue[] {
  const pairs: Array<[string, string]> =
    Symbol.iterator in entries
      ? [...(entries as Iterable<ProfileEntry>)].map((e) => [e.name, e.value])
      : Object.entries(entries as Record<string, string>);
  const issues: ValidationIssue[] = [];
  for (const [name, value] of pairs) {
    const issue = validateValue(name, value, catalogue, dialect);
    if (issue) issues.push(issue);
  }
  const invalid = new Set(issues.map((i) => i.name));
  issues.push(...checkTogether(new Map(pairs.filter(([name]) => !invalid.has(name))), dialect, catalogue));
  return issues;
}

/** The values checked together: firmware limit and Upgrade_Rule, alias maps and the rules naming them. */
export function checkTogether(values: ReadonlyMap<string, string>, dialect: Dialect, catalogue: ParameterCatalogue = loadCatalogue()): ValidationIssue[] {
  return [...checkFirmwareLimit(values, dialect), ...checkAliasMaps(values, dialect, catalogue)];
}
