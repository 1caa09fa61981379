/**
 * The values macros expand to, built from what the ACS knows about one device (the macro
 * table of 001 L2635-2678, legacy additions 003 L2367-2409).
 */

export type GppLetter = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'J' | 'K' | 'L' | 'M' | 'N' | 'O' | 'P';
export type SecretGpp = 'SA' | 'SB' | 'SC' | 'SD';

export interface DeviceMacros {
  /** MAC address in any common notation: `000e08aabbcc`, `00:0E:08:AA:BB:CC`, `00-0e-...`. */
  mac?: string;
  /** `$PN`, e.g. CP-6841-3PCC. */
  productName?: string;
  /** `$PSN`; derived from the product name (CP-6841-3PCC -> 6841-3PCC) when absent. */
  productSeries?: string;
  serialNumber?: string;
  softwareVersion?: string;
  hardwareVersion?: string;
  ip?: string;
  externalIp?: string;
  /** `$CCERT`: whether a unique client certificate is installed. */
  clientCertificate?: boolean;
  /** GPP_A..GPP_P; unset registers are empty, as on a phone. */
  gpp?: Partial<Record<GppLetter, string>>;
  /** GPP_SA..GPP_SD, only ever expanded inside --key/--uid/--pwd. */
  secretGpp?: Partial<Record<SecretGpp, string>>;
  /** `$UIDn`: the User_ID of line n. */
  userIds?: Record<number, string>;
  /**
   * Run-time variables by macro name: PRVST, UPGST, UPGERR, PRVTMR, UPGTMR, REGTMR1, REGTMR2,
   * SCHEME, SERV, SERVIP, PORT, PATH, ERR, EMS, MUID, MPWD, ISCUST, UPGCOND.
   */
  variables?: Record<string, string>;
}

export class MacroError extends Error {
  override name = 'MacroError';
}

const GPP_LETTERS = 'ABCDEFGHIJKLMNOP'.split('') as GppLetter[];

export interface MacroContext {
  get(name: string): string | undefined;
}

function normaliseMac(mac: string): string {
  const hex = mac.replace(/[:.-]/g, '').toLowerCase();
  if (!/^[0-9a-f]{12}$/.test(hex)) throw new MacroError(`"${mac}" is not a MAC address`);
  return hex;
}

/** `CP-6841-3PCC` -> `6841-3PCC`; legacy `SPA962` -> `962`. */
export function productSeriesOf(productName: string): string {
  return productName.replace(/^CP-/, '').replace(/^[A-Za-z]+-?(?=\d)/, '');
}

export function macroContext(device: DeviceMacros): MacroContext {
  const values = new Map<string, string>();
  const set = (name: string, value: string | undefined): void => {
    if (value !== undefined) values.set(name, value);
  };
  if (device.mac !== undefined) {
    const ma = normaliseMac(device.mac);
    set('MA', ma);
    set('MAU', ma.toUpperCase());
    set('MAC', ma.match(/../g)?.join(':'));
  }
  set('PN', device.productName);
  set('PSN', device.productSeries ?? (device.productName && productSeriesOf(device.productName)));
  set('SN', device.serialNumber);
  set('SWVER', device.softwareVersion);
  set('HWVER', device.hardwareVersion);
  set('IP', device.ip);
  set('EXTIP', device.externalIp);
  if (device.clientCertificate !== undefined) set('CCERT', device.clientCertificate ? 'Installed' : 'Not Installed');
  for (const l of GPP_LETTERS) set(l, device.gpp?.[l] ?? '');
  for (const [k, v] of Object.entries(device.secretGpp ?? {})) set(k, v);
  for (const [n, v] of Object.entries(device.userIds ?? {})) set(`UID${n}`, v);
  for (const [k, v] of Object.entries(device.variables ?? {})) {
    if (!/^[A-Z][A-Z0-9]*$/.test(k)) throw new MacroError(`"${k}" is not a macro name`);
    set(k, v);
  }
  return { get: (name) => values.get(name) };
}
