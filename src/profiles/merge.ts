import type { ProfileEntry } from '../cisco/profile';
import { PARTITIONS, type Partition, type ValueSource } from './types';
import { expandVariables, variableReferences } from './variables';

/**
 * The effective desired state of one device from the profiles that match it, its own
 * parameters and its variables. Pure.
 *
 * - Higher precedence wins; the device's own parameters beat every profile. At one precedence,
 *   a profile of a later partition wins (the phone applies Profile_Rule, then _B.._D, and the
 *   last file processed takes precedence, 001 L778-779).
 * - Profiles of the same precedence that want different things for one parameter are a
 *   conflict: the parameter is withheld (the device keeps what it has) and reported, never
 *   settled by an arbitrary rule.
 * - `${name}` variables expand with the device's values; a value naming a variable the device
 *   lacks, or that is invalid once expanded, is withheld and reported.
 */

export interface MatchedProfile {
  name: string;
  revision: number;
  precedence: number;
  partition?: Partition;
  parameters: readonly ProfileEntry[];
}

export interface EffectiveEntry extends ProfileEntry {
  source: ValueSource;
  /** the Profile_Rule_B..D file the value goes to (absent: Profile_Rule's) */
  partition?: Partition;
  /** the per-device variables the value was made of */
  variables?: string[];
  /** lower-precedence values this one hides */
  shadowed?: Array<{ source: ValueSource; value: string }>;
}

export interface Conflict {
  name: string;
  precedence: number;
  candidates: Array<{ profile: string; revision: number; value: string; ua?: ProfileEntry['ua']; keep?: true }>;
}

export interface Withheld {
  name: string;
  source: ValueSource;
  reason: 'missing-variable' | 'invalid';
  message: string;
}

export interface MergedDesired {
  entries: EffectiveEntry[];
  conflicts: Conflict[];
  withheld: Withheld[];
}

/** Checks an expanded value; a message when it does not fit the parameter. */
export type ValueCheck = (name: string, value: string) => string | undefined;

interface Candidate {
  entry: ProfileEntry;
  source: ValueSource;
  /** precedence, then partition: the order the candidates rank in */
  precedence: number;
  partition?: Partition;
}

/** 0 for Profile_Rule's file, 1..3 for _B.._D. */
function partitionRank(p: Partition | undefined): number {
  return p ? PARTITIONS.indexOf(p) + 1 : 0;
}

/** Precedence first; the partition breaks ties (a fraction below 1 keeps integer precedences apart). */
function rank(c: { precedence: number; partition?: Partition }): number {
  return c.precedence + partitionRank(c.partition) / 4;
}

export function mergeDesired(profiles: readonly MatchedProfile[], own: readonly ProfileEntry[] | undefined, variables: Readonly<Record<string, string>>, check: ValueCheck): MergedDesired {
  // Lowest precedence first, so that first appearance orders the result stably.
  const layers = [...profiles].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  const byName = new Map<string, Candidate[]>();
  const push = (entry: ProfileEntry, source: ValueSource, precedence: number, partition?: Partition) => {
    const candidate = { entry, source, precedence, ...(partition ? { partition } : {}) };
    const list = byName.get(entry.name);
    if (list) list.push(candidate);
    else byName.set(entry.name, [candidate]);
  };
  for (const p of layers) for (const e of p.parameters) push(e, { kind: 'profile', profile: p.name, revision: p.revision, precedence: p.precedence }, p.precedence, p.partition);
  for (const e of own ?? []) push(e, { kind: 'device' }, Infinity);

  const entries: EffectiveEntry[] = [];
  const conflicts: Conflict[] = [];
  const withheld: Withheld[] = [];
  for (const [name, candidates] of byName) {
    const top = Math.max(...candidates.map(rank));
    const winners = candidates.filter((c) => rank(c) === top);
    const first = winners[0];
    if (winners.some((w) => !sameEntry(w.entry, first.entry))) {
      conflicts.push({
        name,
        precedence: first.precedence,
        candidates: winners.map((w) => {
          const s = w.source as Extract<ValueSource, { kind: 'profile' }>;
          return { profile: s.profile, revision: s.revision, value: w.entry.value, ...(w.entry.ua ? { ua: w.entry.ua } : {}), ...(w.entry.selfClosing ? { keep: true as const } : {}) };
        }),
      });
      continue;
    }
    let value = first.entry.value;
    const used = first.entry.selfClosing ? [] : variableReferences(value);
    if (used.length) {
      const expanded = expandVariables(value, variables);
      if (expanded.missing.length) {
        withheld.push({ name, source: first.source, reason: 'missing-variable', message: `${name}: the device has no value for ${expanded.missing.map((v) => `\${${v}}`).join(', ')}` });
        continue;
      }
      const problem = check(name, expanded.value);
      if (problem) {
        withheld.push({ name, source: first.source, reason: 'invalid', message: problem });
        continue;
      }
      value = expanded.value;
    }
    const lower = candidates.filter((c) => rank(c) < top);
    entries.push({
      name,
      value,
      ...(first.entry.ua ? { ua: first.entry.ua } : {}),
      ...(first.entry.selfClosing ? { selfClosing: true as const } : {}),
      source: first.source,
      ...(first.partition ? { partition: first.partition } : {}),
      ...(used.length ? { variables: used } : {}),
      ...(lower.length ? { shadowed: lower.reverse().map((c) => ({ source: c.source, value: c.entry.value })) } : {}),
    });
  }
  return { entries, conflicts, withheld };
}

export function sameEntry(a: ProfileEntry, b: ProfileEntry): boolean {
  return a.value === b.value && a.ua === b.ua && !!a.selfClosing === !!b.selfClosing;
}
