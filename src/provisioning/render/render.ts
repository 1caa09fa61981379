import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { loadCatalogue, type CatalogueEntry } from '../../cisco/catalogue';
import { encodeProfile, ikmFromParameter, type EncodedBody, type Encryption } from '../../cisco/crypto';
import { expandMacros, macroContext, type GppLetter, type MacroContext, type SecretGpp } from '../../cisco/macros';
import { renderProfile, type ProfileEntry } from '../../cisco/profile';
import type { RuleOptions } from '../../cisco/rules';
import type { DesiredConfig } from '../stores/desired';

/**
 * Renders a device's desired parameters into the `<flat-profile>` the phone fetches, then
 * gzip and encryption as the delivery asks (digest §3).
 *
 * Macros: the phone expands macros itself in its rules, log messages, user-agent names and
 * GPP registers (001 L892-903), some of them run-time values ($SWVER after an upgrade, timers);
 * those values go out verbatim. In every other value the ACS expands the macros it knows for
 * this device ($MA, $MAU, $MAC, $SN, $PN, $PSN, $SWVER, $HWVER, $A..$P, $UIDn; `$$` is `$`), so
 * one desired value such as `Station_Name = "Desk $MA"` becomes per-device text.
 */

/** What the ACS knows about the device that macros can use. */
export interface DeviceFacts {
  deviceId: string;
  productClass?: string;
  serialNumber?: string;
  mac?: string;
  softwareVersion?: string;
  hardwareVersion?: string;
  ip?: string;
}

export interface RenderOptions {
  /** `--key` of the rule the phone follows: AES-256-CBC, whatever the delivery settings (001 L1038) */
  cbcKey?: string;
  /** which of the desired entries go out (see phone/variants.ts); `name` keys the cache */
  variant?: ProfileVariant;
  /** another document than the `<flat-profile>` (an `--alias` document); `name` keys the cache */
  form?: ProfileForm;
}

export interface ProfileForm {
  name: string;
  /** the XML of the entries that go out (macros expanded) */
  xml: (entries: readonly ProfileEntry[]) => string;
}

export interface ProfileVariant {
  name: string;
  entries: (entries: readonly ProfileEntry[]) => ProfileEntry[];
}

export interface RenderedProfile {
  body: Buffer;
  contentType: string;
  contentEncoding?: 'aes128gcm';
  /** strong validator of the plain XML and how it is wrapped */
  etag: string;
  /** parameters in the profile */
  count: number;
}

const GPP = 'ABCDEFGHIJKLMNOP'.split('') as GppLetter[];
const SECRET_GPP: SecretGpp[] = ['SA', 'SB', 'SC', 'SD'];

let phoneExpanded: Set<string> | undefined;

/** Parameters whose `$` tokens the phone expands itself (rules, log templates, GPP, ...). */
function phoneExpands(name: string): boolean {
  phoneExpanded ??= new Set(loadCatalogue().entries.filter(expandsOnPhone).map((e) => e.name));
  return phoneExpanded.has(name);
}

function expandsOnPhone(e: CatalogueEntry): boolean {
  return e.type.kind === 'rule' || /^(Log_.*_Msg|GPP_[A-Z]{1,2})$/.test(e.name) || (e.sample ?? '').includes('$');
}

/** Desired values by name (self-closing entries, which keep the phone's value, left out). */
export function desiredValues(entries: readonly ProfileEntry[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of entries) if (!e.selfClosing) out[e.name] = e.value;
  return out;
}

/** The macro context of a device whose desired values are `values`. */
export function deviceMacros(device: DeviceFacts, values: Record<string, string>): MacroContext {
  const gpp: Partial<Record<GppLetter, string>> = {};
  for (const l of GPP) if (values[`GPP_${l}`] !== undefined) gpp[l] = values[`GPP_${l}`];
  const secretGpp: Partial<Record<SecretGpp, string>> = {};
  for (const s of SECRET_GPP) if (values[`GPP_${s}`] !== undefined) secretGpp[s] = values[`GPP_${s}`];
  const userIds: Record<number, string> = {};
  for (const [name, value] of Object.entries(values)) {
    const m = /^User_ID_(\d+)_$/.exec(name);
    if (m) userIds[Number(m[1])] = value;
  }
  return macroContext({
    mac: device.mac,
    productName: device.productClass,
    serialNumber: device.serialNumber,
    softwareVersion: device.softwareVersion,
    hardwareVersion: device.hardwareVersion,
    ip: device.ip,
    gpp,
    secretGpp,
    userIds,
  });
}

/** The delivery's encryption for this request, if any. */
export function encryptionFor(desired: DesiredConfig, values: Record<string, string>, options: RenderOptions): Encryption | undefined {
  if (options.cbcKey !== undefined && options.cbcKey !== '') return { method: 'aes-256-cbc', key: options.cbcKey };
  const ikm = values.IKM_HTTP_Encrypt_Content;
  if (desired.delivery.aes128gcm && ikm) return { method: 'aes128gcm', ikm: ikmFromParameter(ikm) };
  return undefined;
}

/** A profile before encryption: the XML, gzipped when the delivery asks. Depends only on the desired revision and the device's facts. */
export interface PlainProfile {
  body: Buffer;
  /** SHA-256 of the XML, base64url */
  digest: string;
  count: number;
}

/** Entries with the ACS-side macros expanded for this device (the phone's own templates verbatim). */
export function expandEntries(device: DeviceFacts, entries: readonly ProfileEntry[]): ProfileEntry[] {
  const ctx = deviceMacros(device, desiredValues(entries));
  return entries.map((e) => (e.selfClosing || phoneExpands(e.name) || !e.value.includes('$') ? e : { ...e, value: expandMacros(e.value, ctx) }));
}

export function renderPlain(device: DeviceFacts, desired: DesiredConfig, form?: ProfileForm): PlainProfile {
  const entries = expandEntries(device, desired.entries);
  const xml = form ? form.xml(entries) : renderProfile(entries);
  return {
    body: encodeProfile(xml, { gzip: desired.delivery.gzip }).body,
    digest: createHash('sha256').update(xml).digest('base64url'),
    count: entries.length,
  };
}

/** Encrypts a plain profile as this request needs (fresh salt each time). */
export function sealProfile(plain: PlainProfile, desired: DesiredConfig, options: RenderOptions = {}): RenderedProfile {
  const encryption = encryptionFor(desired, desiredValues(desired.entries), options);
  const encoded: EncodedBody = encryption ? encodeProfile(plain.body, { encryption }) : { body: plain.body };
  const wrapping = `${desired.delivery.gzip ? 'gz' : ''}${encryption ? `-${encryption.method}` : ''}`;
  const binary = desired.delivery.gzip || encryption !== undefined;
  return {
    body: encoded.body,
    contentType: binary ? 'application/octet-stream' : 'application/xml',
    ...(encoded.contentEncoding ? { contentEncoding: encoded.contentEncoding } : {}),
    etag: `"${createHash('sha256').update(`${wrapping}\n${plain.digest}`).digest('base64url').slice(0, 27)}"`,
    count: plain.count,
  };
}

export function renderDeviceProfile(device: DeviceFacts, desired: DesiredConfig, options: RenderOptions = {}): RenderedProfile {
  return sealProfile(renderPlain(device, desired), desired, options);
}

/** Bytes of rendered profiles kept in memory per process. */
const DEFAULT_CACHE_BYTES = 32 * 1024 * 1024;

/**
 * renderDeviceProfile with the plain profile kept in memory, keyed by everything it depends
 * on (desired revision and device facts): a phone fetching the same profile again costs only
 * its encryption.
 */
export class ProfileRenderer {
  private readonly cache: LRUCache<string, PlainProfile>;

  constructor(cacheBytes = DEFAULT_CACHE_BYTES) {
    this.cache = new LRUCache({ maxSize: cacheBytes, sizeCalculation: (p) => p.body.length + 128 });
  }

  render(device: DeviceFacts, desired: DesiredConfig, options: RenderOptions = {}): RenderedProfile {
    const variant = options.variant;
    const key = [desired.revision, variant?.name ?? '', options.form?.name ?? '', device.deviceId, device.mac, device.productClass, device.serialNumber, device.softwareVersion, device.hardwareVersion, device.ip].join('\n');
    let plain = this.cache.get(key);
    if (!plain) {
      plain = renderPlain(device, variant ? { ...desired, entries: variant.entries(desired.entries) } : desired, options.form);
      this.cache.set(key, plain);
    }
    return sealProfile(plain, desired, options);
  }
}

/** Credentials a matched rule asks the phone to present (`--uid/--pwd`), if both are set. */
export function ruleCredentials(options: RuleOptions | undefined): { username: string; password: string } | undefined {
  if (!options?.uid || options.pwd === undefined) return undefined;
  return { username: options.uid, password: options.pwd };
}
