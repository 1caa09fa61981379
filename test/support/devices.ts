import type { Db } from 'mongodb';
import { deviceKey } from '../../src/devices/id';
import type { DeviceIdStruct } from '../../src/cwmp/soap/types';
import type { DeviceDoc } from '../../src/devices/types';
import { MacDirectory } from '../../src/provisioning';

export interface TestDevice {
  id: string;
  mac: string;
  productClass: string;
  serialNumber: string;
}

/**
 * A device document as a first Inform would leave it, for tests that do not need a CWMP
 * session; with `mac`, registered in the MAC directory as the API would.
 */
export async function registerDevice(
  db: Db,
  options: { serialNumber: string; productClass?: string; oui?: string; mac?: string; softwareVersion?: string },
): Promise<TestDevice> {
  const productClass = options.productClass ?? 'CP-8851-3PCC';
  const deviceId = { manufacturer: 'Cisco Systems, Inc.', oui: options.oui ?? '00562B', productClass, serialNumber: options.serialNumber };
  const id = deviceKey(deviceId);
  const doc = deviceDocument(deviceId, { softwareVersion: options.softwareVersion ?? 'sip88xx.12-0-1MPP-2', hardwareVersion: 'V01' });
  await db.collection<DeviceDoc>('devices').insertOne(doc);
  if (options.mac) await new MacDirectory(db).assign(id, options.mac, 'api');
  return { id, mac: options.mac ?? '', productClass, serialNumber: options.serialNumber };
}

/** A device document as a first Inform at `now` would leave it; `fields` add to it or replace. */
export function deviceDocument(deviceId: DeviceIdStruct, fields: Partial<DeviceDoc> = {}, now = new Date()): DeviceDoc {
  return {
    _id: deviceKey(deviceId),
    deviceId,
    registeredAt: now,
    lastInformAt: now,
    lastEvents: [],
    eventTimes: {},
    cwmpVersion: '1.2',
    retryCount: 0,
    tags: [],
    taskQueue: [],
    ...fields,
  };
}
