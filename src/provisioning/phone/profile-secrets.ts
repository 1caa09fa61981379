import { loadCatalogue } from '../../cisco/catalogue';
import { SECRET } from '../../cisco/catalogue/curation';
import type { ProfileEntry } from '../../cisco/profile';

/**
 * Which entries of a profile are secrets a phone must prove itself for: every parameter the
 * catalogue marks secret (SIP, ACS, connection-request, Wi-Fi and admin passwords, GPP_SA..SD,
 * the RFC 8188 IKM), the same name patterns for instances the catalogue does not list
 * (`Password_12_`), and any rule or URL-valued parameter that carries a credential inline
 * (`[--key test123]`, `[--pwd s3cret]`, `https://user:pw@host/`). References such as `--key $SC`
 * are no secret: the phone resolves them from its own GPP_SC.
 *
 * A secret is left out, not emptied: an empty element would set the phone's value to empty
 * (001 L1515), an absent one keeps what the phone has.
 */

const INLINE_OPTION = /--(key|pwd)\s+(?:"([^"]*)"|([^\s\]]+))/g;
const USERINFO = /[a-z][a-z0-9+.-]*:\/\/[^/\s@|\]]*:[^/\s@|\]]*@/i;

const GPP_REFERENCE = /^\$(?:([A-P])|\{([A-P])\})$/;

/**
 * Whether the value holds a credential itself, and which GPP registers it takes one from
 * (`--key $A` makes GPP_A a secret although the catalogue does not type it so).
 */
function inlineCredentials(value: string): { inline: boolean; registers: string[] } {
  const registers: string[] = [];
  let inline = USERINFO.test(value);
  for (const m of value.matchAll(INLINE_OPTION)) {
    const v = m[2] ?? m[3] ?? '';
    const ref = GPP_REFERENCE.exec(v) ?? /^\$(?:(S[A-D])|\{(S[A-D])\})$/.exec(v);
    if (ref) registers.push(`GPP_${ref[1] ?? ref[2]}`);
    else if (v !== '') inline = true;
  }
  return { inline, registers };
}

/** The names of the entries that are secrets (see the module comment). */
export function secretNames(entries: readonly ProfileEntry[]): Set<string> {
  const catalogue = loadCatalogue();
  const out = new Set<string>();
  const referenced = new Set<string>();
  for (const e of entries) {
    if (e.selfClosing || e.value === '') continue;
    if (catalogue.get(e.name)?.secret || SECRET.test(e.name)) out.add(e.name);
    const { inline, registers } = inlineCredentials(e.value);
    if (inline) out.add(e.name);
    for (const r of registers) referenced.add(r);
  }
  for (const e of entries) if (referenced.has(e.name) && !e.selfClosing && e.value !== '') out.add(e.name);
  return out;
}

export function hasSecrets(entries: readonly ProfileEntry[]): boolean {
  return secretNames(entries).size > 0;
}

/** The entries a phone that proved nothing may see. */
export function withoutSecrets(entries: readonly ProfileEntry[]): ProfileEntry[] {
  const secret = secretNames(entries);
  return entries.filter((e) => !secret.has(e.name));
}
