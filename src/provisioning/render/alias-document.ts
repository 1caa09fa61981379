import { checkAliasMap, renderAliasDocument } from '../../cisco/profile';
import type { AliasEntry } from '../../cisco/rules';
import type { ProfileForm } from './render';

/**
 * What the fs role serves a phone whose Profile_Rule* fetches with `--alias <letter>` (003
 * L1210-1255, L2206-2247; S21): not a `<flat-profile>` but the foreign document the alias map
 * in GPP_<LETTER> describes (`<customer-account><SIP-number>...`), holding the values of the
 * parameters the map names; the phone maps it back onto them. The map is the one among the
 * device's desired values, as the ACS gives it to the phone.
 */

export interface AliasMapOf {
  register: string;
  entries: AliasEntry[];
}

/** The alias map a rule's `--alias <letter>` names, from the device's desired values. */
export function aliasMapOf(ruleParameter: string, letter: string, values: Record<string, string>): AliasMapOf | { register: string; problem: string } {
  const register = `GPP_${letter.toUpperCase()}`;
  const map = values[register];
  if (map === undefined) return { register, problem: `${ruleParameter} fetches with --alias ${letter}, but ${register} (its alias map) is not among the device's desired parameters` };
  const checked = checkAliasMap(map);
  if ('problem' in checked) return { register, problem: `${register}, the alias map of ${ruleParameter}: ${checked.problem}` };
  return { register, entries: checked.entries };
}

/** The document of the map from the entries that go out (macros expanded; kept entries have no value). */
export function aliasDocument(map: AliasMapOf, entries: readonly { name: string; value: string; selfClosing?: true }[]): string {
  return renderAliasDocument(map.entries, new Map(entries.filter((e) => !e.selfClosing).map((e) => [e.name, e.value])));
}

/** How the renderer writes the alias document of a matched rule; undefined for rules without `--alias`. */
export function aliasForm(rule: { parameter: string; options: { alias?: string } }, values: Record<string, string>): ProfileForm | { problem: string } | undefined {
  if (!rule.options.alias) return undefined;
  const map = aliasMapOf(rule.parameter, rule.options.alias, values);
  if ('problem' in map) return map;
  return { name: `alias\n${map.register}`, xml: (entries) => aliasDocument(map, entries) };
}
