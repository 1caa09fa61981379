import { PARTITIONS, type Partition } from '../../profiles/types';
import type { DesiredConfig } from '../stores/desired';

/**
 * Partitioned profiles (S22): the phone fetches Profile_Rule, then Profile_Rule_B.._D, each
 * its own file, and applies them in that order (001 L1245-1262; 000 L1269-1304). Entries of
 * profiles assigned to a partition go to that rule's file, the rest to Profile_Rule's. The
 * merge has already given each parameter one value (a later partition winning a tie, as on the
 * phone), so every name is in exactly one file and the phone ends with the effective state.
 * Pure.
 */

/** A: Profile_Rule's file; B..D: Profile_Rule_B.._D's. */
export type PartitionFile = 'A' | Partition;

const RULE: Record<PartitionFile, string> = { A: 'Profile_Rule', B: 'Profile_Rule_B', C: 'Profile_Rule_C', D: 'Profile_Rule_D' };

/** The file a Profile_Rule* parameter fetches. */
export function fileOfRule(parameter: string | undefined): PartitionFile | undefined {
  return (Object.keys(RULE) as PartitionFile[]).find((f) => RULE[f] === parameter);
}

/** Where the ACS points a partition's rule when the operator set none: the fs role, by MAC. */
export function partitionRuleUrl(publicFsUrl: string, p: Partition): string {
  return `${publicFsUrl}/cisco/partition-${p.toLowerCase()}/$MA.xml`;
}

/**
 * The desired state with a Profile_Rule_B.._D for every partition that holds entries and whose
 * rule the operator left unset; the rules go in Profile_Rule's file (the phone learns them there).
 */
export function withPartitionRules(desired: DesiredConfig, publicFsUrl: string): DesiredConfig {
  if (!desired.partitions) return desired;
  const used = new Set(Object.values(desired.partitions));
  const set = (name: string) => desired.entries.some((e) => e.name === name && !e.selfClosing && e.value.trim() !== '');
  const missing = PARTITIONS.filter((p) => used.has(p) && !set(RULE[p]));
  if (!missing.length) return desired;
  const entries = desired.entries.filter((e) => !missing.some((p) => RULE[p] === e.name));
  return { ...desired, entries: [...entries, ...missing.map((p) => ({ name: RULE[p], value: partitionRuleUrl(publicFsUrl, p) }))] };
}

/**
 * The entries one rule's file carries. A device without partitioned entries has one file,
 * served whole on every rule's path (as before partitions existed).
 */
export function partitionFile(desired: DesiredConfig, file: PartitionFile | undefined): DesiredConfig {
  const partitions = desired.partitions;
  if (!partitions || file === undefined) return desired;
  return { ...desired, entries: desired.entries.filter((e) => (partitions[e.name] ?? 'A') === file), revision: `${desired.revision}/${file}` };
}
