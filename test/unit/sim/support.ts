import { DEFAULT_OUI, deriveIdentity, productTree } from '../../../src/sim/datamodel';
import { Device } from '../../../src/sim/device';
import { factorySettings } from '../../../src/sim/factory';
import { deviceProfile, type DeviceProfile } from '../../../src/sim/profile';
import type { CpeResponse, Fault } from '../../../src/cwmp/soap/types';

/** A device without a fleet, for the pure RPC tests. */
export function newDevice(opts: Partial<DeviceProfile> & { clock?: () => number; index?: number } = {}): Device {
  const profile = deviceProfile(opts);
  const identity = deriveIdentity(opts.index ?? 0, 'unit', 'FCH', DEFAULT_OUI);
  const factory = factorySettings(identity, profile, { acsUrl: 'http://acs.invalid/cwmp', oui: DEFAULT_OUI, seed: 'unit' });
  factory.connectionRequestUrl = 'http://127.0.0.1:9/cr';
  return new Device({ tree: productTree(profile.productClass), factory, fullCwmp: profile.fullCwmp, clock: opts.clock });
}

/** The response, asserting it is not a fault. */
export function ok<T extends CpeResponse['method']>(res: CpeResponse | Fault, method: T): Extract<CpeResponse, { method: T }> {
  if (res.method === 'Fault') throw new Error(`expected ${method}, got fault ${res.detail.faultCode} ${res.detail.faultString}`);
  expect(res.method).toBe(method);
  return res as Extract<CpeResponse, { method: T }>;
}

/** The fault, asserting it is one with `code`. */
export function fault(res: CpeResponse | Fault, code: number): Fault {
  if (res.method !== 'Fault') throw new Error(`expected fault ${code}, got ${res.method}`);
  expect(res.detail.faultCode).toBe(code);
  return res;
}
