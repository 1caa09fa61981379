import type { Inform } from '../../../src/cwmp/soap/types';
import { learnFromInform, learnFromResponse } from '../../../src/devices/learn';

const now = new Date('2026-03-01T10:00:00Z');
const limits = { maxValueLength: 1000, maxEventCodes: 64 };

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
    const { summary, params, setOnInsert, refused } = learnFromInform(inform(['2 PERIODIC'], [swVersion, crUrl]), { now, cwmpVersion: '1.2', remoteAddress: '10.0.0.5', limits });
    expect(summary.set).toMatchObject({
      lastInformAt: now,
      retryCount: 2,
      cwmpVersion: '1.2',
      remoteAddress: '10.0.0.5',
      'eventTimes.2 PERIODIC': now,
      softwareVersion: 'sip88xx.12-0-1MPP',
      connectionRequestUrl: 'http://10.0.0.5:7547/x',
      informDigest: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
    });
    expect(summary.set).not.toHaveProperty('informValues');
    expect(params.set).toMatchObject({ 'params.Device.DeviceInfo.SoftwareVersion._v': 'sip88xx.12-0-1MPP', 'params.Device.DeviceInfo.SoftwareVersion._ts': now });
    expect(params.set).not.toHaveProperty('params');
    expect(summary.set).not.toHaveProperty('lastBootAt');
    expect(summary.unset).toEqual(['informValues']);
    expect(setOnInsert).toEqual({ registeredAt: now, tags: [], taskQueue: [] });
    expect(refused).toEqual([]);
  });

  it('touches the tree only when the reported values differ from the last Inform', () => {
    const first = learnFromInform(inform(['2 PERIODIC'], [swVersion, crUrl]), { now, cwmpVersion: '1.2', limits });
    const known = { informDigest: first.summary.set.informDigest as string };
    const same = learnFromInform(inform(['2 PERIODIC'], [crUrl, swVersion]), { now, cwmpVersion: '1.2', limits }, known);
    expect(same.params).toEqual({ set: {}, unset: [] });
    expect(same.summary.set).not.toHaveProperty('informDigest');
    expect(same.summary.unset).toEqual([]);
    expect(same.summary.set.lastInformAt).toBe(now);
    const moved = learnFromInform(inform(['2 PERIODIC'], [swVersion, { ...crUrl, value: 'http://10.0.0.9:7547/x' }]), { now, cwmpVersion: '1.2', limits }, known);
    expect(moved.params.set).toMatchObject({ 'params.Device.ManagementServer.ConnectionRequestURL._v': 'http://10.0.0.9:7547/x' });
    expect(moved.summary.set.informDigest).not.toBe(known.informDigest);
    const fewer = learnFromInform(inform(['2 PERIODIC'], [swVersion]), { now, cwmpVersion: '1.2', limits }, known);
    expect(fewer.summary.set.informDigest).not.toBe(known.informDigest);
  });

  it('on BOOTSTRAP replaces everything known with the Inform parameters', () => {
    const { summary, params } = learnFromInform(inform(['0 BOOTSTRAP', '1 BOOT'], [swVersion]), { now, cwmpVersion: '1.0', limits }, {});
    expect(params.set.params).toEqual({ Device: { DeviceInfo: { SoftwareVersion: { _v: 'sip88xx.12-0-1MPP', _t: 'xsd:string', _ts: now } } } });
    expect(summary.set.lastBootstrapAt).toBe(now);
    expect(summary.set.lastBootAt).toBe(now);
    expect(summary.unset).toContain('rpcMethods');
    expect(Object.keys(params.set).some((k) => k.startsWith('params.'))).toBe(false);
  });

  it('escapes event codes used as keys and refuses unusable parameters', () => {
    const { summary, params, refused } = learnFromInform(
      inform(['M X 00562B a.b'], [{ name: 'Device.$bad', value: 'x', type: 'xsd:string' }, { name: 'Device.Long', value: 'x'.repeat(1001), type: 'xsd:string' }, swVersion]),
      { now, cwmpVersion: '1.2', limits },
    );
    expect(summary.set).toHaveProperty(['eventTimes.M X 00562B a%2Eb']);
    expect(refused).toEqual([
      { name: 'Device.$bad', reason: 'invalid parameter name' },
      { name: 'Device.Long', reason: 'value longer than 1000 characters' },
    ]);
    expect(Object.keys(params.set).filter((k) => !k.startsWith('params.Device.DeviceInfo.'))).toEqual([]);
  });

  it('keeps at most maxEventCodes distinct event codes per device', () => {
    const known = { eventTimes: { '2 PERIODIC': now, 'M Reboot': now } };
    const r = learnFromInform(inform(['2 PERIODIC', 'X 00562B A', 'X 00562B B']), { now, cwmpVersion: '1.2', limits: { ...limits, maxEventCodes: 3 } }, known);
    expect(Object.keys(r.summary.set).filter((k) => k.startsWith('eventTimes.'))).toEqual(['eventTimes.2 PERIODIC', 'eventTimes.X 00562B A']);
    expect(r.eventCodesDropped).toBe(1);
  });
});

describe('learnFromResponse', () => {
  it('stores reported values', () => {
    const { params } = learnFromResponse(
      { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.'] },
      { method: 'GetParameterValuesResponse', parameterList: [{ name: 'Device.DeviceInfo.UpTime', value: 42, type: 'xsd:unsignedInt' }] },
      now,
      limits,
    );
    expect(params.set).toEqual({ 'params.Device.DeviceInfo.UpTime._v': 42, 'params.Device.DeviceInfo.UpTime._t': 'xsd:unsignedInt', 'params.Device.DeviceInfo.UpTime._ts': now });
  });

  it('stores set values and the parameter key once the device accepted them', () => {
    const { summary, params } = learnFromResponse(
      { method: 'SetParameterValues', parameterKey: 'rev7', parameterList: [{ name: 'Device.ManagementServer.PeriodicInformInterval', value: 3600, type: 'xsd:unsignedInt' }] },
      { method: 'SetParameterValuesResponse', status: 0 },
      now,
      limits,
    );
    expect(summary.set).toEqual({ parameterKey: 'rev7' });
    expect(params.set).toMatchObject({ 'params.Device.ManagementServer.PeriodicInformInterval._v': 3600 });
  });

  it('turns a subtree listing into a merge and a leaf listing into writability', () => {
    const names = [{ name: 'Device.DeviceInfo.', writable: false }];
    expect(learnFromResponse({ method: 'GetParameterNames', parameterPath: 'Device.', nextLevel: true }, { method: 'GetParameterNamesResponse', parameterList: names }, now, limits).listing).toEqual({
      path: 'Device.',
      nextLevel: true,
      names,
    });
    const leaf = learnFromResponse(
      { method: 'GetParameterNames', parameterPath: 'Device.DeviceInfo.UpTime', nextLevel: false },
      { method: 'GetParameterNamesResponse', parameterList: [{ name: 'Device.DeviceInfo.UpTime', writable: false }] },
      now,
      limits,
    );
    expect(leaf.listing).toBeUndefined();
    expect(leaf.params.set).toEqual({ 'params.Device.DeviceInfo.UpTime._w': false });
  });

  it('records attributes, new and deleted instances', () => {
    const attrs = learnFromResponse(
      { method: 'GetParameterAttributes', parameterNames: ['Device.A.B'] },
      { method: 'GetParameterAttributesResponse', parameterList: [{ name: 'Device.A.B', notification: 2, accessList: ['Subscriber'] }] },
      now,
      limits,
    );
    expect(attrs.params.set).toEqual({ 'params.Device.A.B._n': 2, 'params.Device.A.B._a': ['Subscriber'], 'params.Device.A.B._ats': now });
    const setAttrs = learnFromResponse(
      { method: 'SetParameterAttributes', parameterList: [{ name: 'Device.A.B', notificationChange: true, notification: 1, accessListChange: false, accessList: [] }] },
      { method: 'SetParameterAttributesResponse' },
      now,
      limits,
    );
    expect(setAttrs.params.set).toEqual({ 'params.Device.A.B._n': 1, 'params.Device.A.B._ats': now });
    const added = learnFromResponse({ method: 'AddObject', objectName: 'Device.X.Line.', parameterKey: 'k' }, { method: 'AddObjectResponse', instanceNumber: 3, status: 0 }, now, limits);
    expect(added.params.set).toEqual({ 'params.Device.X.Line.3': { _o: true, _ts: now } });
    expect(added.summary.set).toEqual({ parameterKey: 'k' });
    const deleted = learnFromResponse({ method: 'DeleteObject', objectName: 'Device.X.Line.3.', parameterKey: 'k2' }, { method: 'DeleteObjectResponse', status: 0 }, now, limits);
    expect(deleted.params).toEqual({ set: {}, unset: ['params.Device.X.Line.3'] });
    expect(deleted.summary).toEqual({ set: { parameterKey: 'k2' }, unset: [] });
  });

  it('remembers the methods a device supports', () => {
    expect(learnFromResponse({ method: 'GetRPCMethods' }, { method: 'GetRPCMethodsResponse', methodList: ['Inform', 'Reboot'] }, now, limits).summary.set).toEqual({ rpcMethods: ['Inform', 'Reboot'] });
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
      { now, cwmpVersion: '1.2', limits },
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
      limits,
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
      { now, cwmpVersion: '1.2', limits },
    );
    expect(summary.set).not.toHaveProperty('gateway');
  });
});
