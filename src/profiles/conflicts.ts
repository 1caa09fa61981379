import { sameEntry } from './merge';
import { mayOverlap } from './selector';
import type { Partition, Selector } from './types';
import type { ProfileEntry } from '../cisco/profile';

/**
 * Conflicts between profiles, found before any device meets them: two profiles of the same
 * precedence and partition whose selectors can match one device and that want different
 * things for a parameter (of two partitions the later wins, as on the phone). Pure.
 */
export interface ProfileLike {
  name: string;
  precedence: number;
  partition?: Partition;
  match: Selector;
  parameters: readonly ProfileEntry[];
}

export interface PotentialConflict {
  parameter: string;
  precedence: number;
  profiles: [string, string];
}

/** Conflicts among `profiles`; with `subject`, only those involving that profile. */
export function potentialConflicts(profiles: readonly ProfileLike[], subject?: string): PotentialConflict[] {
  const out: PotentialConflict[] = [];
  const byPrecedence = new Map<number, ProfileLike[]>();
  for (const p of profiles) byPrecedence.set(p.precedence, [...(byPrecedence.get(p.precedence) ?? []), p]);
  for (const [precedence, group] of byPrecedence) {
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        const [a, b] = [group[i], group[j]].sort((x, y) => x.name.localeCompare(y.name));
        if (subject !== undefined && a.name !== subject && b.name !== subject) continue;
        if (a.partition !== b.partition || !mayOverlap(a.match, b.match)) continue;
        const theirs = new Map(b.parameters.map((e) => [e.name, e]));
        for (const e of a.parameters) {
          const other = theirs.get(e.name);
          if (other && !sameEntry(e, other)) out.push({ parameter: e.name, precedence, profiles: [a.name, b.name] });
        }
      }
    }
  }
  return out.sort((x, y) => x.profiles[0].localeCompare(y.profiles[0]) || x.profiles[1].localeCompare(y.profiles[1]) || x.parameter.localeCompare(y.parameter));
}
