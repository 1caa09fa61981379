import type { Db } from 'mongodb';
import type { ParamValue, XsdType } from '../src/cwmp/soap/types';
import { deviceKey } from '../src/devices/id';
import { buildTree } from '../src/devices/params';
import { informDigest } from '../src/devices/learn';
import { SEARCH_COLLECTION, type SearchEntry } from '../src/devices/search-index';
import { LINE_PARAMETER, searchKeysOf, SEPARATOR } from '../src/devices/search-keys';
import type { DeviceDoc, DeviceParamsDoc } from '../src/devices/types';

/** A device to write as its first sessions would have left it. */
export interface SeedDevice {
  serialNumber: string;
  productClass?: string;
  oui?: string;
  softwareVersion?: string;
  tags?: string[];
  lastInformAt?: Date;
  connectionRequestUrl?: string;
  mac?: string;
  remoteAddress?: string;
  /** learned parameters beyond the Inform's, as GetParameterValues would have left them */
  params?: Record<string, ParamValue>;
}

/**
 * Writes devices in bulk, each as a periodic Inform leaves it (device document with its
 * Inform values, parameter tree in `device_params`): for benchmarks and tests that need many
 * devices without running their sessions. Returns the ids in the order given.
 */
export async function seedDevices(db: Db, devices: SeedDevice[], batch = 1000, options: { search?: boolean } = {}): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < devices.length; i += batch) {
    const docs: DeviceDoc[] = [];
    const params: DeviceParamsDoc[] = [];
    const entries: SearchEntry[] = [];
    for (const s of devices.slice(i, i + batch)) {
      const deviceId = { manufacturer: 'Cisco Systems, Inc.', oui: s.oui ?? '00562B', productClass: s.productClass ?? 'CP-8851-3PCC', serialNumber: s.serialNumber };
      const id = deviceKey(deviceId);
      const at = s.lastInformAt ?? new Date();
      const softwareVersion = s.softwareVersion ?? 'sip88xx.12-0-1MPP-2';
      const inform: Record<string, ParamValue> = {
        'Device.DeviceInfo.HardwareVersion': 'V01',
        'Device.DeviceInfo.SoftwareVersion': softwareVersion,
        'Device.DeviceInfo.ProvisioningCode': '',
        'Device.ManagementServer.ParameterKey': '',
        'Device.ManagementServer.ConnectionRequestURL': s.connectionRequestUrl ?? '',
      };
      const informDigestValue = informDigest(Object.entries(inform).map(([name, value]) => ({ name, value, type: typeOf(value) })));
      docs.push({
        _id: id,
        deviceId,
        registeredAt: at,
        lastInformAt: at,
        lastBootAt: at,
        lastEvents: [{ eventCode: '2 PERIODIC', commandKey: '' }],
        eventTimes: { '2 PERIODIC': at },
        cwmpVersion: '1.2',
        remoteAddress: s.remoteAddress ?? '127.0.0.1',
        ...(s.mac ? { mac: s.mac } : {}),
        retryCount: 0,
        softwareVersion,
        hardwareVersion: 'V01',
        provisioningCode: '',
        parameterKey: '',
        ...(s.connectionRequestUrl ? { connectionRequestUrl: s.connectionRequestUrl } : {}),
        informDigest: informDigestValue,
        tags: s.tags ?? [],
        taskQueue: [],
      });
      const values = Object.entries({ ...inform, ...s.params }).map(([name, value]) => ({ name, value, type: typeOf(value) }));
      params.push({ _id: id, params: buildTree(values, at) });
      ids.push(id);
      if (options.search) {
        // as the sessions' SearchIndex.refresh would have left it
        const doc = docs[docs.length - 1];
        const lines = values.filter((v) => LINE_PARAMETER.test(v.name) && typeof v.value === 'string').map((v) => v.value as string);
        const keys = [...searchKeysOf(doc, lines)].map(([value, k]) => ({ _id: `${value}${SEPARATOR}${id}`, d: id, k }));
        doc.searchKeys = keys.map((k) => k._id);
        entries.push(...keys);
      }
    }
    if (entries.length) await db.collection<SearchEntry>(SEARCH_COLLECTION).insertMany(entries, { ordered: false });
    await db.collection<DeviceDoc>('devices').insertMany(docs, { ordered: false });
    await db.collection<DeviceParamsDoc>('device_params').insertMany(params, { ordered: false });
  }
  return ids;
}

function typeOf(value: ParamValue): XsdType {
  if (typeof value === 'boolean') return 'xsd:boolean';
  if (typeof value === 'number') return 'xsd:unsignedInt';
  return 'xsd:string';
}
