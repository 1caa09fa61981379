import { parseProfile, ProfileParseError } from '../cisco/profile';
import type { ParameterInput } from './parameters';
import { ProfileError } from './store';

/**
 * Parameters of an existing Cisco XML profile file (`<flat-profile>`, with or without the
 * `<device>` wrapper), as profile input: element values and `ua` attributes, self-closing
 * elements kept as "leave the user's value". As on the phone, the last duplicate wins.
 */
export function parametersFromXml(xml: string, maxEntries = 5000): ParameterInput[] {
  try {
    const parsed = parseProfile(xml, { maxEntries });
    return parsed.entries.map((e) => ({ name: e.name, value: e.value, ...(e.ua ? { ua: e.ua } : {}), ...(e.selfClosing ? { keep: true } : {}) }));
  } catch (err) {
    if (err instanceof ProfileParseError) throw new ProfileError(422, `the XML profile cannot be read: ${err.message}`);
    throw err;
  }
}
