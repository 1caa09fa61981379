import type { ProfileEntry } from '../../cisco/profile';
import { DEFAULT_PORTS, formatRule, parseProfileRule, type RuleUrl } from '../../cisco/rules';
import { DEVICE_KEY_PARAMETER } from './device-keys';
import { withToken } from './token';
import { PROFILE_RULES } from './rule-match';

/**
 * The rules the ACS renders into a profile it serves to a phone that proved itself: every
 * Profile_Rule* alternative that points back at the fs role gets the device's token in its
 * query, so the phone's next resyncs prove who asks; with a device key, such alternatives
 * without a `--key` of their own get `--key $SD` and GPP_SD carries the key.
 */
export interface RuleSecuring {
  /** `host:port` (lower case) the fs role is reached at: the request's Host and ACS_PUBLIC_FS_URL */
  ownHosts: readonly string[];
  token: string;
  /** the device's own key (GPP_SD), when its profile is delivered encrypted under it */
  deviceKey?: string;
}

export function hostKey(host: string, port: number | undefined, scheme: 'http' | 'https'): string {
  return `${host.toLowerCase()}:${port ?? DEFAULT_PORTS[scheme]}`;
}

function pointsHere(url: RuleUrl | undefined, ownHosts: readonly string[]): url is RuleUrl {
  if (!url?.server || (url.scheme !== 'http' && url.scheme !== 'https')) return false;
  return ownHosts.includes(hostKey(url.server, url.port, url.scheme));
}

function secureRule(text: string, s: RuleSecuring): string | undefined {
  let rule;
  try {
    rule = parseProfileRule(text);
  } catch {
    return undefined;
  }
  let changed = false;
  for (const alt of rule.alternatives) {
    if (!pointsHere(alt.url, s.ownHosts)) continue;
    alt.url = { ...alt.url, text: withToken(alt.url.text, s.token) };
    if (s.deviceKey !== undefined && !alt.options?.key) alt.options = { ...alt.options, key: `$${DEVICE_KEY_PARAMETER.slice(4)}` };
    changed = true;
  }
  return changed ? formatRule(rule) : undefined;
}

export function secureEntries(entries: readonly ProfileEntry[], s: RuleSecuring): ProfileEntry[] {
  const out = entries.map((e) => {
    if (e.selfClosing || !(PROFILE_RULES as readonly string[]).includes(e.name)) return e;
    const value = secureRule(e.value, s);
    return value === undefined ? e : { ...e, value };
  });
  if (s.deviceKey !== undefined && !entries.some((e) => e.name === DEVICE_KEY_PARAMETER)) out.push({ name: DEVICE_KEY_PARAMETER, value: s.deviceKey });
  return out;
}

/** Whether any Profile_Rule* alternative points back at the fs role (a token would be rendered into it). */
export function rulesPointHere(entries: readonly ProfileEntry[], ownHosts: readonly string[]): boolean {
  return entries.some((e) => {
    if (e.selfClosing || !(PROFILE_RULES as readonly string[]).includes(e.name)) return false;
    try {
      return parseProfileRule(e.value).alternatives.some((a) => pointsHere(a.url, ownHosts));
    } catch {
      return false;
    }
  });
}
