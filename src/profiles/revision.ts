import { createHash } from 'node:crypto';

/**
 * The revision key of a device's desired state: what SetParameterValues and AddObject write as
 * ParameterKey, so that a device reporting it at Inform is up to date without any further
 * read. It changes with everything the effective desired state depends on: the matched
 * profiles and their revisions (precedence and selectors are part of a revision), the
 * device's own parameters and variables (their revisions), and the facts macros expand to
 * (software version, MAC). Pure; at most 32 characters, as TR-069 allows.
 */
export interface RevisionInput {
  profiles: ReadonlyArray<{ name: string; revision: number }>;
  /** revision of the device's own desired parameters (issue 4's per-device state), if any */
  own?: string;
  /** revision of the device's variables, if any */
  variables?: string;
  softwareVersion?: string;
  mac?: string;
}

export const KEY_LENGTH = 28;

export function revisionKey(input: RevisionInput): string {
  const profiles = input.profiles.map((p) => `${p.name}@${p.revision}`).sort();
  const text = JSON.stringify([profiles, input.own ?? '', input.variables ?? '', input.softwareVersion ?? '', input.mac ?? '']);
  return `r${createHash('sha256').update(text).digest('base64url').slice(0, KEY_LENGTH - 1)}`;
}

/** Keys the ACS writes while a plan is under way: never equal to a revision key. */
export function interimKey(key: string): string {
  return `~${key.slice(1)}`;
}

export function isRevisionKey(text: string | undefined): boolean {
  return !!text && text.length === KEY_LENGTH && text.startsWith('r');
}
