import type { ProfileEntry } from '../cisco/profile';

/**
 * Which devices a profile applies to. Each given dimension must hold (AND); a list within a
 * dimension is any-of, except `tags`, which the device must carry all of. An empty selector
 * applies to every device.
 */
export interface Selector {
  productClasses?: string[];
  /** 6 upper-case hex digits */
  ouis?: string[];
  /** the device carries every one of these tags */
  tags?: string[];
  serialNumbers?: string[];
  /** 12 lower-case hex digits (the device document's `mac`) */
  macs?: string[];
  /** explicit devices: a per-device assignment */
  deviceIds?: string[];
  /** reported SoftwareVersion: at least `min`, below `below` (MPP load comparison) */
  softwareVersion?: { min?: string; below?: string };
}

/**
 * The file of a partitioned profile (001 L1245-1262; 000 L1269-1304): a profile in partition B
 * is served by the phone's Profile_Rule_B, C by _C, D by _D; without one, by Profile_Rule.
 * The phone applies the files in that order and the last one wins (001 L778-779).
 */
export const PARTITIONS = ['B', 'C', 'D'] as const;
export type Partition = (typeof PARTITIONS)[number];

/**
 * A profile (`profiles`, `_id` = name): a named set of desired Cisco XML parameters, the
 * devices it applies to, and its precedence (higher wins). Every save is a new revision.
 */
export interface ProfileDoc {
  _id: string;
  revision: number;
  description?: string;
  precedence: number;
  /** the Profile_Rule_B..D file its parameters go to (absent: Profile_Rule's) */
  partition?: Partition;
  match: Selector;
  parameters: ProfileEntry[];
  createdAt: Date;
  updatedAt: Date;
  updatedBy?: string;
  /** deleted profiles keep their head so that a profile created again under the name continues the numbering */
  deleted?: true;
}

/** `profile_revisions`, `_id` `<name>@<revision>`: every saved state of every profile, immutable. */
export interface ProfileRevisionDoc {
  _id: string;
  name: string;
  revision: number;
  description?: string;
  precedence: number;
  partition?: Partition;
  match: Selector;
  parameters: ProfileEntry[];
  /** the save was a deletion */
  deleted?: true;
  savedAt: Date;
  savedBy?: string;
}

/** What a profile is made of, as operators write it. */
export interface ProfileContent {
  description?: string;
  precedence: number;
  partition?: Partition;
  match: Selector;
  parameters: ProfileEntry[];
}

/** What selectors look at: the Inform's DeviceId and software version, the device's tags and MAC. */
export interface DeviceFacts {
  deviceId: string;
  oui: string;
  productClass: string;
  serialNumber: string;
  softwareVersion?: string;
  mac?: string;
  tags: readonly string[];
}

/** The profile a value came from, or the device's own parameters (issue 4's per-device desired state). */
export type ValueSource = { kind: 'profile'; profile: string; revision: number; precedence: number } | { kind: 'device' };

export const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
