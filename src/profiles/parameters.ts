import { Tr069Mapper } from '../cisco/mapping';
import { checkTogether, validateValue, xmlNameOf, type ProfileEntry, type RenamedParameter } from '../cisco/profile';
import type { Dialect } from '../cisco/rules';
import type { Ua } from '../cisco/catalogue';
import { hasVariables } from './variables';

/**
 * Profile parameters as operators write them, in either language: Cisco XML names
 * (`Proxy_1_`) with XML values, or TR-069 paths (`Device.ManagementServer.PeriodicInformInterval`)
 * with TR-069 values, which the catalogue maps to their XML parameter. Profiles store one
 * model, the XML one; every value is checked against the catalogue, except the parts a
 * per-device variable fills in, which are checked per device once expanded. A name written as
 * the phone's web-page label or a legacy name becomes its XML name (`renamed` says which). Pure.
 */

export interface ParameterInput {
  name: string;
  value?: string;
  ua?: Ua;
  /** self-closing element: the phone keeps its user's value */
  keep?: boolean;
  /** without a value: keep the secret value the profile holds (see keepSecrets) */
  secret?: boolean;
}

export interface ParameterProblem {
  /** the name as given */
  name: string;
  code: 'unknown-parameter' | 'type' | 'characters' | 'duplicate' | 'form';
  message: string;
}

export const MAX_PARAMETERS = 5000;
const TR069_PATH = /^(Device|InternetGatewayDevice)\./;
const UA = new Set<string>(['na', 'ro', 'rw']);

let candidates: Tr069Mapper | undefined;
/** The catalogue's own (candidate) mapping, which names profiles in TR-069 terms. */
function candidateMapper(): Tr069Mapper {
  candidates ??= new Tr069Mapper('*');
  return candidates;
}

export function isTr069Path(name: string): boolean {
  return TR069_PATH.test(name);
}

/**
 * The entries in the XML model, checked; `problems` lists everything wrong (then nothing should
 * be stored). `dialect`: the rule dialect of the devices they are for.
 */
export function normaliseParameters(
  input: readonly ParameterInput[],
  dialect: Dialect = 'mpp',
): { entries: ProfileEntry[]; problems: ParameterProblem[]; renamed: RenamedParameter[] } {
  const problems: ParameterProblem[] = [];
  const renamed: RenamedParameter[] = [];
  if (input.length > MAX_PARAMETERS) return { entries: [], problems: [{ name: '', code: 'form', message: `more than ${MAX_PARAMETERS} parameters` }], renamed };
  const xml: Array<{ entry: ProfileEntry; given: string }> = [];
  const paths: ParameterInput[] = [];
  for (const p of input) {
    if (p.ua !== undefined && !UA.has(p.ua)) problems.push({ name: p.name, code: 'form', message: `${p.name}: ua "${String(p.ua)}" is not na, ro or rw` });
    if (p.keep && p.value) problems.push({ name: p.name, code: 'form', message: `${p.name}: a kept (self-closing) parameter carries no value` });
    if (isTr069Path(p.name)) paths.push(p);
    else {
      const name = xmlNameOf(p.name);
      if (name !== p.name) renamed.push({ given: p.name, name });
      xml.push({ entry: toEntry(name, p), given: p.name });
    }
  }
  xml.push(...fromPaths(paths, problems));

  const seen = new Map<string, string>();
  const entries: ProfileEntry[] = [];
  for (const { entry, given } of xml) {
    const before = seen.get(entry.name);
    if (before !== undefined) {
      problems.push({ name: given, code: 'duplicate', message: before === given ? `${given} is given twice` : `${given} and ${before} are the same parameter (${entry.name})` });
      continue;
    }
    seen.set(entry.name, given);
    const issue = validateValue(entry.name, hasVariables(entry.value) ? '' : entry.value, undefined, dialect);
    if (issue) {
      problems.push({ name: given, code: issue.code, message: given === entry.name ? issue.message : `${given} (${issue.message})` });
      continue;
    }
    entries.push(entry);
  }
  const together = new Map(entries.filter((e) => !hasVariables(e.value)).map((e) => [e.name, e.value]));
  for (const issue of checkTogether(together, dialect)) problems.push({ name: issue.name, code: issue.code, message: issue.message });
  return { entries, problems, renamed };
}

function toEntry(name: string, p: ParameterInput): ProfileEntry {
  return { name, value: p.keep ? '' : (p.value ?? ''), ...(p.ua ? { ua: p.ua } : {}), ...(p.keep ? { selfClosing: true as const } : {}) };
}

/** TR-069 entries -> XML entries; a host and its port (two paths) make one XML `host:port`. */
function fromPaths(paths: readonly ParameterInput[], problems: ParameterProblem[]): Array<{ entry: ProfileEntry; given: string }> {
  const mapper = candidateMapper();
  const out: Array<{ entry: ProfileEntry; given: string }> = [];
  const groups = new Map<string, ParameterInput[]>();
  for (const p of paths) {
    const target = mapper.reverse(p.name);
    if (!target) {
      problems.push({ name: p.name, code: 'unknown-parameter', message: `${p.name}: no catalogue parameter maps to this TR-069 path` });
      continue;
    }
    groups.set(target.name, [...(groups.get(target.name) ?? []), p]);
  }
  for (const [xmlName, group] of groups) {
    const first = group[0];
    if (group.some((p) => p.keep)) {
      out.push({ entry: toEntry(xmlName, first), given: first.name });
      continue;
    }
    const converted = mapper.fromParameterValues(group.map((p) => ({ name: p.name, value: p.value ?? '' })));
    const value = converted.values[xmlName];
    if (value === undefined) {
      const m = mapper.resolve(xmlName);
      const message =
        m?.codec === 'hostPort' && group.every((p) => p.name === m.portPath)
          ? `${first.name}: the port alone cannot be set; give ${m.path} too (or ${xmlName} as host:port)`
          : `${group.map((p) => p.name).join(' and ')}: "${group.map((p) => p.value ?? '').join('", "')}" is not a valid value for ${xmlName}`;
      problems.push({ name: first.name, code: 'type', message });
      continue;
    }
    out.push({ entry: { name: xmlName, value, ...(group.find((p) => p.ua)?.ua ? { ua: group.find((p) => p.ua)!.ua } : {}) }, given: first.name });
  }
  return out;
}

/**
 * Secret values are never shown, so a form editing a profile cannot send them back: a
 * parameter given as `{ name, secret: true }` without a value keeps the value `current` (the
 * profile being replaced) holds for that name. Pure; a parameter with nothing to keep is a
 * problem.
 */
export function keepSecrets(input: readonly ParameterInput[], current: readonly ProfileEntry[] = []): { parameters: ParameterInput[]; problems: ParameterProblem[] } {
  const held = new Map(current.map((e) => [e.name, e]));
  const problems: ParameterProblem[] = [];
  const parameters = input.map((p) => {
    if (!p.secret || p.value !== undefined) return p;
    const e = held.get(p.name);
    if (!e) {
      problems.push({ name: p.name, code: 'form', message: `${p.name}: no stored secret value to keep; give a value` });
      return p;
    }
    return { name: p.name, value: e.value, ...(p.ua ?? e.ua ? { ua: p.ua ?? e.ua } : {}), ...(e.selfClosing ? { keep: true } : {}) };
  });
  return { parameters, problems };
}
