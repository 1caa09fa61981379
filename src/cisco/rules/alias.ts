/**
 * `--alias` maps (003 L1210-1255): entries `/left/hand/path = /flat-profile/Parameter ;`, at
 * most 30, kept in a GPP register.
 */
import { RuleSyntaxError } from './errors';

export interface AliasEntry {
  /** Element path of the foreign document, matched from its end (`/SIP-Credentials/name`). */
  path: string[];
  parameter: string;
}

export const MAX_ALIASES = 30;

export function parseAliasMap(text: string): AliasEntry[] {
  const entries: AliasEntry[] = [];
  let offset = 0;
  for (const part of text.split(';')) {
    const at = offset + (part.length - part.trimStart().length);
    offset += part.length + 1;
    if (part.trim() === '') continue;
    const m = /^\s*((?:\/[^\s/=;]+)+)\s*=\s*\/flat-profile\/([A-Za-z][\w.-]*)\s*$/.exec(part);
    if (!m) throw new RuleSyntaxError(at, 'expected /path/to/element = /flat-profile/Parameter_Name');
    entries.push({ path: m[1].slice(1).split('/'), parameter: m[2] });
    if (entries.length > MAX_ALIASES) throw new RuleSyntaxError(at, `expected at most ${MAX_ALIASES} aliases`);
  }
  return entries;
}
