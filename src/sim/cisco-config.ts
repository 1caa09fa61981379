import { loadCatalogue } from '../cisco/catalogue';
import { CryptoError, decodeProfile } from '../cisco/crypto';
import { MappingError, Tr069Mapper, type MappingOverrides } from '../cisco/mapping';
import { parseProfile, ProfileParseError, renderValues } from '../cisco/profile';
import type { ParamValue } from '../cwmp/soap/types';
import { checkValue } from './datamodel';
import type { Device } from './device';
import { TransferError, type TransferHooks } from './transfer';

/**
 * What a simulated Cisco MPP phone does with a Cisco XML profile: parameters whose TR-069
 * path (catalogue candidate or operator override) exists in its data model are set there;
 * the rest go to the device's vendor store, where a report (ciscoReport) shows them. A file
 * the phone cannot read, or holding a value its data model refuses, fails the transfer with
 * 9018 and changes nothing.
 */

export interface CiscoConfigOptions {
  /** the operator's mapping overrides, as the ACS has them */
  overrides?: MappingOverrides;
  /** `--key` the phone holds, for AES-256-CBC files */
  key?: string;
  /** IKM_HTTP_Encrypt_Content the phone holds, for RFC 8188 files */
  ikm?: Uint8Array;
}

/** Transfer hooks of a Cisco phone: Vendor Configuration Files are applied as profiles. */
export function ciscoConfigHooks(options: CiscoConfigOptions = {}): TransferHooks {
  return { applyConfigFile: (file, device) => void applyCiscoProfile(device, file.body, options) };
}

export interface AppliedProfile {
  /** TR-069 parameters set */
  parameters: string[];
  /** XML names kept in the vendor store */
  vendor: string[];
}

export function applyCiscoProfile(device: Device, body: Buffer, options: CiscoConfigOptions = {}): AppliedProfile {
  let entries;
  try {
    const plain = decodeProfile(body, { key: options.key, ikm: options.ikm, contentEncoding: looksEncrypted(body) && options.ikm ? 'aes128gcm' : undefined });
    entries = parseProfile(plain).entries;
  } catch (err) {
    if (err instanceof CryptoError || err instanceof ProfileParseError) throw new TransferError(9018, `File corrupted: ${err.message}`);
    throw err;
  }
  const model = device.model;
  const mapper = new Tr069Mapper(String(model.factory.productClass), options.overrides ?? {});
  const sets: Array<{ name: string; value: ParamValue }> = [];
  const vendor: Array<[string, string]> = [];
  for (const e of entries) {
    // A self-closing element leaves the phone's value as it is (001 L692-712).
    if (e.selfClosing) continue;
    let mapped;
    try {
      mapped = mapper.toParameterValues({ [e.name]: e.value });
    } catch (err) {
      if (err instanceof MappingError) throw new TransferError(9018, `File corrupted: ${err.message}`);
      throw err;
    }
    const writable = mapped.unmapped.length === 0 && mapped.parameterList.length > 0 && mapped.parameterList.every((p) => model.param(p.name)?.writable);
    if (!writable) {
      vendor.push([e.name, e.value]);
      continue;
    }
    for (const p of mapped.parameterList) {
      const problem = checkValue(model.param(p.name)!, p.type, p.value);
      if (problem) throw new TransferError(9018, `File corrupted: ${e.name} (${p.name}): ${problem.message}`);
      sets.push({ name: p.name, value: p.value });
    }
  }
  for (const p of sets) model.set(p.name, p.value);
  for (const [name, value] of vendor) device.vendorStore.set(name, value);
  return { parameters: sets.map((p) => p.name), vendor: vendor.map(([name]) => name) };
}

/**
 * The phone's configuration report (Report_Rule, 004 L30-160): every catalogue parameter its
 * data model carries, plus the vendor store, as a flat profile; passwords, keys and GPP_SA..SD
 * left out as real phones do (003 L1444).
 */
export function ciscoReport(device: Device, options: Pick<CiscoConfigOptions, 'overrides'> = {}): string {
  const model = device.model;
  const catalogue = loadCatalogue();
  const mapper = new Tr069Mapper(String(model.factory.productClass), options.overrides ?? {});
  const list: Array<{ name: string; value: ParamValue }> = [];
  for (const entry of catalogue.entries) {
    const m = mapper.resolve(entry.name);
    if (!m) continue;
    for (const path of [m.path, m.portPath]) if (path && model.param(path)) list.push({ name: path, value: model.get(path) });
  }
  const values: Record<string, string> = { ...mapper.fromParameterValues(list).values, ...Object.fromEntries(device.vendorStore) };
  for (const name of Object.keys(values)) if (catalogue.get(name)?.secret) delete values[name];
  return renderValues(values);
}

/** Neither XML, gzip nor `openssl enc` output: an RFC 8188 body. */
function looksEncrypted(body: Buffer): boolean {
  const head = body.subarray(0, 8).toString('latin1');
  return !/^\s*</.test(head) && !(body[0] === 0x1f && body[1] === 0x8b) && !head.startsWith('Salted__');
}
