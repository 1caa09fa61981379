/**
 * The Cisco MPP parameter catalogue: one entry per XML parameter of the MPP sample profile
 * (plus the few the guides name outside it), as stored in `schemas/cisco-catalogue.json`.
 */

/** User access attribute of a flat-profile element (001 L738-742). */
export type Ua = 'na' | 'ro' | 'rw';

export type RuleSyntax = 'profile' | 'upgrade' | 'report' | 'trigger';

/**
 * The value type of a parameter, after the guides' data types (digest §6). Every type also
 * accepts the empty string: an empty element sets the empty value or the default (001 L1515).
 */
export type ParamType =
  | { kind: 'bool' }
  | { kind: 'uns'; bits: 8 | 16 | 32; min?: number; max?: number }
  | { kind: 'sig'; bits: 8 | 16 | 32; min?: number; max?: number }
  | { kind: 'port'; min?: number }
  /** Float<n> and Time<n>: a decimal number with at most `decimals` places. */
  | { kind: 'float'; label: 'Float' | 'Time' | 'PwrLevel'; decimals: number; min?: number; max?: number }
  /** Str<n>; `format` names the guides' script type the string carries (informational). */
  | { kind: 'str'; max: number; min?: number; format?: string }
  | { kind: 'enum'; options: string[] }
  | { kind: 'ip'; version: 4 | 6 }
  /** FQDN per the guides: a host name or IPv4 address, optionally `:port`, at most `max` characters. */
  | { kind: 'host'; max: number }
  /** Delay schedules such as `1800+300,3600` (digest §5.9). */
  | { kind: 'schedule' }
  /** Four digits 0000..2400 (Resync_At__HHmm_). */
  | { kind: 'hhmm' }
  /** Provisioning rule syntax, checked by the rules parser. */
  | { kind: 'rule'; syntax: RuleSyntax };

/** How an XML value becomes a typed TR-069 value and back. */
export type Tr069Codec = 'string' | 'boolean' | 'enabled' | 'unsignedInt' | 'int' | 'hostPort' | 'enum';

/**
 * A candidate TR-069 path for a parameter. Paths of per-extension parameters hold `{n}`, the
 * extension number: extension n is `Device.Services.VoiceService.1.VoiceProfile.{n}.Line.1`.
 */
export interface Tr069Mapping {
  path: string;
  codec: Tr069Codec;
  /** hostPort: the path that carries the port part (`host:port` is split in two). */
  portPath?: string;
  /** enum: XML value -> TR-069 value; XML values not listed cannot be expressed in TR-069. */
  values?: Record<string, string>;
  /** Always false until Cisco's "TR-069 Parameter Comparison" table or a device confirms it. */
  confirmed: false;
}

export interface CatalogueEntry {
  /** Canonical XML element name, e.g. `User_ID_1_`. */
  name: string;
  /** Web-UI field label; with `index`, the XML name is derived from it (001 L675-681). */
  webName: string;
  /** Tab number for indexed names (`Line_Enable_1_` -> 1). */
  index?: number;
  /** The name with its index replaced by `{n}`, shared by all instances. */
  template?: string;
  /** The sample profile's section comment the parameter appears under. */
  section: string;
  /** The ua attribute in the sample profile. */
  ua: Ua;
  /** The sample profile's value; absent when the sample has none (self-closing or secret). */
  sample?: string;
  type: ParamType;
  /** `guide`: type and range stated in the guides; `inferred`: from the sample value and name. */
  typeSource: 'guide' | 'inferred';
  secret?: true;
  tr069?: Tr069Mapping;
  /** Where the parameter was found: `001 L2701` (sample line) or a guide reference. */
  source: string;
  /** Hand corrections applied during extraction, for review. */
  fixes?: string[];
}

export interface Catalogue {
  version: 1;
  description: string;
  instanceScheme: string;
  parameters: CatalogueEntry[];
}
