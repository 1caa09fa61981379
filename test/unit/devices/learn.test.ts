import type { Inform } from '../../../src/cwmp/soap/types';
import { learnFromInform, learnFromResponse } from '../../../src/devices/learn';

const now = new Date('2026-03-01T10:00:00Z');

function inform(events: string[], params: Inform['parameterList'] = []): Inform {
  return {
    method: 'Inform',
    deviceId: { manufacturer: 'Cisco Systems, Inc.', oui: '00562B', productClass: 'CP-8851-3PCC', serialNumber: 'FCH1' },
    event: events.map((eventCode) => ({ eventCode, commandKey: '' })),
    maxEnvelopes: 1,
    currentTime: '2026-03-01T10:00:00Z',
    retryCount: 2,
    parameterList: params,
  };
}

const swVersion = { name: 'Device.DeviceInfo.SoftwareVersion', value: 'sip88xx.12-0-1MPP', type: 'xsd:string' as const };
const crUrl = { name: 'Device.ManagementServer.ConnectionRequestURL', value: 'http://10.0.0.5:7547/x', type: 'xsd:string' as const };

describe('learnFromInform', () => {
  it('records a first Inform on the device document and every value in the tree', () => {
    const { summary, params, setOnInsert, skipped } = learnFromInform(inform(['2 PERIODIC'], [swVersion, crUrl]), { now, cwmpVersion: '1.2', remoteAddress: '10.0.0.5' });
    expect(summary.set).toMatchObject({
      lastInformAt: now,
      retryCount: 2,
      cwmpVersion: '1.2',
      remoteAddress: '10.0.0.5',
      'eventTimes.2 PERIODIC': now,
      softwareVersion: 'sip88xx.12-0-1MPP',
      connectionRequestUrl: 'http://10.0.0.5:7547/x',
      informValues: {
        'Device%2EDeviceInfo%2ESoftwareVersion': { v: 'sip88xx.12-0-1MPP', t: 'xsd:string' },
        'Device%2EManagementServer%2EConnectionRequestURL': { v: 'http://10.0.0.5:7547/x', t: 'xsd:string' },
      },
    });
    expect(params.set).toMatchObject({ 'params.Device.DeviceInfo.SoftwareVersion._v': 'sip88xx.12-0-1MPP', 'params.Device.DeviceInfo.SoftwareVersion._ts': now });
    expect(params.set).not.toHaveProperty('params');
    expect(summary.set).not.toHaveProperty('lastBootAt');
    expect(summary.unset).toEqual([]);
    expect(setOnInsert).toEqual({ registeredAt: now, tags: [], taskQueue: [] });
    expect(skipped).toEqual([]);
  });

  it('touches the tree only for values that changed since the last Inform', () => {
    const first = learnFromInform(inform(['2 PERIODIC'], [swVersion, crUrl]), { now, cwmpVersion: '1.2' });
    const known = first.summary.set.informValues as Record<string, { v: string; t: 'xsd:string' }>;
    const same = learnFromInform(inform(['2 PERIODIC'], [swVersion, crUrl]), { now, cwmpVersion: '1.2' }, known);
    expect(same.params).toEqual({ set: {}, unset: [] });
    expect(same.summary.set).not.toHaveProperty('informValues');
    expect(same.summary.set.lastInformAt).toBe(now);
    const moved = learnFromInform(inform(['2 PERIODIC'], [swVersion, { ...crUrl, value: 'http://10.0.0.9:7547/x' }]), { now, cwmpVersion: '1.2' }, known);
    expect(Object.keys(moved.params.set)).toEqual([
      'params.Device.ManagementServer.ConnectionRequestURL._v',
      'params.Device.ManagementServer.ConnectionRequestURL._t',
      'params.Device.ManagementServer.ConnectionRequestURL._ts',
    ]);
    expect(moved.summary.set.informValues).toMatchObject({ 'Device%2EManagementServer%2EConnectionRequestURL': { v: 'http://10.0.0.9:7547/x' } });
    const fewer = learnFromInform(inform(['2 PERIODIC'], [swVersion]), { now, cwmpVersion: '1.2' }, known);
    expect(fewer.params).toEqual({ set: {}, unset: [] });
    expect(Object.keys(fewer.summary.set.informValues as object)).toEqual(['Device%2EDeviceInfo%2ESoftwareVersion']);
  });

  it('on BOOTSTRAP replaces everything known with the Inform parameters', () => {
    const { summary, params } = learnFromInform(inform(['0 BOOTSTRAP', '1 BOOT'], [swVersion]), { now, cwmpVersion: '1.0' }, {});
    expect(params.set.params).toEqual({ Device: { DeviceInfo: { SoftwareVersion: { _v: 'sip88xx.12-0-1MPP', _t: 'xsd:string', _ts: now } } } });
    expect(summary.set.lastBootstrapAt).toBe(now);
    expect(summary.set.lastBootAt).toBe(now);
    expect(summary.unset).toContain('rpcMethods');
    expect(Object.keys(params.set).some((k) => k.startsWith('params.'))).toBe(false);
  });

  it('escapes event codes used as keys and skips unusable parameter names', () => {
    const { summary, skipped } = learnFromInform(
      inform(['M X 00562B a.b'], [{ name: 'Device.$bad', value: 'x', type: 'xsd:string' }, swVersion]),
      { now, cwmpVersion: '1.2' },
    );
    expect(summary.set).toHaveProperty(['eventTimes.M X 00562B a%2Eb']);
    expect(skipped).toEqual(['Device.$bad']);
  });
});

describe('learnFromResponse', () => {
  it('stores reported values', () => {
    const { params } = learnFromResponse(
      { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.'] },
      { method: 'GetParameterValuesResponse', parameterList: [{ name: 'Device.DeviceInfo.UpTime', value: 42, type: 'xsd:unsignedInt' }] },
      now,
    );
    expect(params.set).toEqual({ 'params.Device.DeviceInfo.UpTime._v': 42, 'params.Device.DeviceInfo.UpTime._t': 'xsd:unsignedInt', 'params.Device.DeviceInfo.UpTime._ts': now });
  });

  it('stores set values and the parameter key once the device accepted them', () => {
    const { summary, params } = learnFromResponse(
      { method: 'SetParameterValues', parameterKey: 'rev7', parameterList: [{ name: 'Device.ManagementServer.PeriodicInformInterval', value: 3600, type: 'xsd:unsignedInt' }] },
      { method: 'SetParameterValuesResponse', status: 0 },
      now,
    );
    expect(summary.set).toEqual({ parameterKey: 'rev7' });
    expect(params.set).toMatchObject({ 'params.Device.ManagementServer.PeriodicInformInterval._v': 3600 });
  });

  it('turns a subtree listing into a merge and a leaf listing into writability', () => {
    const names = [{ name: 'Device.DeviceInfo.', writable: false }];
    expect(learnFromResponse({ method: 'GetParameterNames', parameterPath: 'Device.', nextLevel: true }, { method: 'GetParameterNamesResponse', parameterList: names }, now).listing).toEqual({
      path: 'Device.',
      nextLevel: true,
      names,
    });
    const leaf = learnFromResponse(
      { method: 'GetParameterNames', parameterPath: 'Device.DeviceInfo.UpTime', nextLevel: false },
      { method: 'GetParameterNamesResponse', parameterList: [{ name: 'Device.DeviceInfo.UpTime', writable: false }] },
      now,
    );
    expect(leaf.listing).toBeUndefined();
    expect(leaf.params.set).toEqual({ 'params.Device.DeviceInfo.UpTime._w': false });
  });

  it('records attributes, new and deleted instances', () => {
    const attrs = learnFromResponse(
      { method: 'GetParameterAttributes', parameterNames: ['Device.A.B'] },
      { method: 'GetParameterAttributesResponse', parameterList: [{ name: 'Device.A.B', notification: 2, accessList: ['Subscriber'] }] },
      now,
    );
    expect(attrs.params.set).toEqual({ 'params.Device.A.B._n': 2, 'params.Device.A.B._a': ['Subscriber'], 'params.Device.A.B._ats': now });
    const setAttrs = learnFromResponse(
      { method: 'SetParameterAttributes', parameterList: [{ name: 'Device.A.B', notificationChange: true, notification: 1, accessListChange: false, accessList: [] }] },
      { method: 'SetParameterAttributesResponse' },
      now,
    );
    expect(setAttrs.params.set).toEqual({ 'params.Device.A.B._n': 1, 'params.Device.A.B._ats': now });
    const added = learnFromResponse({ method: 'AddObject', objectName: 'Device.X.Line.', parameterKey: 'k' }, { method: 'AddObjectResponse', instanceNumber: 3, status: 0 }, now);
    expect(added.params.set).toEqual({ 'params.Device.X.Line.3': { _o: true, _ts: now } });
    expect(added.summary.set).toEqual({ parameterKey: 'k' });
    const deleted = learnFromResponse({ method: 'DeleteObject', objectName: 'Device.X.Line.3.', parameterKey: 'k2' }, { method: 'DeleteObjectResponse', status: 0 }, now);
    expect(deleted.params).toEqual({ set: {}, unset: ['params.Device.X.Line.3'] });
    expect(deleted.summary).toEqual({ set: { parameterKey: 'k2' }, unset: [] });
  });

  it('remembers the methods a device supports', () => {
    expect(learnFromResponse({ method: 'GetRPCMethods' }, { method: 'GetRPCMethodsResponse', methodList: ['Inform', 'Reboot'] }, now).summary.set).toEqual({ rpcMethods: ['Inform', 'Reboot'] });
  });
});

describe('TR-111 gateway association', () => {
  it('records the gateway a phone reports and the devices a gateway manages', () => {
    const { summary } = learnFromInform(
      inform(['2 PERIODIC'], [
        { name: 'Device.GatewayInfo.ManufacturerOUI', value: 'A0B1C2', type: 'xsd:string' },
        { name: 'Device.GatewayInfo.SerialNumber', value: 'GW123', type: 'xsd:string' },
        { name: 'Device.GatewayInfo.ProductClass', value: 'ISR4321', type: 'xsd:string' },
      ]),
      { now, cwmpVersion: '1.2' },
    );
    expect(summary.set.gateway).toEqual({ oui: 'A0B1C2', serialNumber: 'GW123', productClass: 'ISR4321' });
    const gw = learnFromResponse(
      { method: 'GetParameterValues', parameterNames: ['InternetGatewayDevice.ManagementServer.ManageableDevice.'] },
      {
        method: 'GetParameterValuesResponse',
        parameterList: [
          { name: 'InternetGatewayDevice.ManagementServer.ManageableDevice.2.ManufacturerOUI', value: '00562B', type: 'xsd:string' },
          { name: 'InternetGatewayDevice.ManagementServer.ManageableDevice.2.SerialNumber', value: 'FCH2', type: 'xsd:string' },
          { name: 'InternetGatewayDevice.ManagementServer.ManageableDevice.1.ManufacturerOUI', value: '00562B', type: 'xsd:string' },
          { name: 'InternetGatewayDevice.ManagementServer.ManageableDevice.1.SerialNumber', value: 'FCH1', type: 'xsd:string' },
          { name: 'InternetGatewayDevice.ManagementServer.ManageableDevice.1.ProductClass', value: 'CP-8851-3PCC', type: 'xsd:string' },
        ],
      },
      now,
    );
    expect(gw.summary.set.manageableDevices).toEqual([
      { oui: '00562B', serialNumber: 'FCH1', productClass: 'CP-8851-3PCC' },
      { oui: '00562B', serialNumber: 'FCH2', productClass: '' },
    ]);
  });

  it('records nothing for an empty GatewayInfo', () => {
    const { summary } = learnFromInform(
      inform(['2 PERIODIC'], [
        { name: 'Device.GatewayInfo.ManufacturerOUI', value: '', type: 'xsd:string' },
        { name: 'Device.GatewayInfo.SerialNumber', value: '', type: 'xsd:string' },
      ]),
      { now, cwmpVersion: '1.2' },
    );
    expect(summary.set).not.toHaveProperty('gateway');
  });
});
