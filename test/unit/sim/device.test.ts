import type { AcsRequest, ParameterValueStruct } from '../../../src/cwmp/soap/types';
import { CISCO_RPC_METHODS, PARAM } from '../../../src/sim/device';
import { fault, newDevice, ok } from './support';

const VP1 = 'Device.Services.VoiceService.1.VoiceProfile.1.';
const LINE1 = `${VP1}Line.1.`;

function spv(parameterList: ParameterValueStruct[], parameterKey = 'key-1'): AcsRequest {
  return { method: 'SetParameterValues', parameterList, parameterKey };
}

function eventsOf(d: ReturnType<typeof newDevice>): string[] {
  return d.buildInform().event.map((e) => (e.commandKey ? `${e.eventCode}:${e.commandKey}` : e.eventCode));
}

/** Plays a successful session's bookkeeping (Inform acknowledged, session ended). */
function completeSession(d: ReturnType<typeof newDevice>): string[] {
  const events = eventsOf(d);
  d.informAcknowledged();
  d.endSession(true, true);
  return events;
}

describe('GetRPCMethods and unsupported methods', () => {
  it('lists the Cisco MPP methods only', () => {
    const res = ok(newDevice().handle({ method: 'GetRPCMethods' }), 'GetRPCMethodsResponse');
    expect(res.methodList).toEqual([...CISCO_RPC_METHODS]);
    expect(res.methodList).not.toContain('Upload');
  });

  it.each<AcsRequest>([
    { method: 'Upload', commandKey: 'u', fileType: '1 Vendor Configuration File', url: 'http://x/', username: '', password: '', delaySeconds: 0 },
    { method: 'ScheduleInform', delaySeconds: 5, commandKey: 's' },
    {
      method: 'ScheduleDownload',
      commandKey: 'sd',
      fileType: '1 Firmware Upgrade Image',
      url: 'http://x/f',
      username: '',
      password: '',
      fileSize: 0,
      targetFileName: '',
      timeWindowList: [{ windowStart: 0, windowEnd: 60, windowMode: '1 At Any Time', userMessage: '', maxRetries: -1 }],
    },
    { method: 'CancelTransfer', commandKey: 'c' },
    { method: 'GetQueuedTransfers' },
    { method: 'GetAllQueuedTransfers' },
  ])('answers $method with 9000 on a Cisco phone', (req) => {
    fault(newDevice().handle(req), 9000);
  });

  it('serves the optional methods in full CWMP mode', () => {
    const d = newDevice({ fullCwmp: true });
    expect(ok(d.handle({ method: 'GetRPCMethods' }), 'GetRPCMethodsResponse').methodList).toEqual(
      expect.arrayContaining(['Upload', 'ScheduleInform', 'ScheduleDownload', 'CancelTransfer', 'GetAllQueuedTransfers']),
    );
    ok(d.handle({ method: 'GetQueuedTransfers' }), 'GetQueuedTransfersResponse');
  });
});

describe('GetParameterValues', () => {
  it('returns full names with their types, and partial paths expanded in tree order', () => {
    const d = newDevice({ productClass: 'CP-7841-3PCC' });
    const res = ok(
      d.handle({ method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.ProductClass', 'Device.ManagementServer.'] }),
      'GetParameterValuesResponse',
    );
    expect(res.parameterList[0]).toEqual({ name: 'Device.DeviceInfo.ProductClass', value: 'CP-7841-3PCC', type: 'xsd:string' });
    const ms = res.parameterList.slice(1);
    expect(ms.map((p) => p.name)).toEqual(expect.arrayContaining([PARAM.URL, PARAM.PERIODIC_INTERVAL, PARAM.PARAMETER_KEY]));
    expect(ms.every((p) => p.name.startsWith('Device.ManagementServer.'))).toBe(true);
    expect(ms.find((p) => p.name === PARAM.PERIODIC_INTERVAL)).toEqual({ name: PARAM.PERIODIC_INTERVAL, value: 20, type: 'xsd:unsignedInt' });
    expect(ms.find((p) => p.name === PARAM.PERIODIC_ENABLE)?.value).toBe(true);
  });

  it('reads hidden parameters back as an empty string', () => {
    const d = newDevice({ password: 'acs-secret' });
    expect(d.model.get(PARAM.PASSWORD)).toBe('acs-secret');
    const res = ok(d.handle({ method: 'GetParameterValues', parameterNames: [PARAM.PASSWORD, PARAM.CR_PASSWORD] }), 'GetParameterValuesResponse');
    expect(res.parameterList.map((p) => p.value)).toEqual(['', '']);
  });

  it('faults 9005 on an unknown name, an object without its dot, or an unknown partial path', () => {
    const d = newDevice();
    for (const name of ['Device.DeviceInfo.Nope', 'Device.DeviceInfo', 'Device.Nope.']) {
      fault(d.handle({ method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.SerialNumber', name] }), 9005);
    }
  });

  it('counts instances in NumberOfEntries parameters and reports the line count of the model', () => {
    const d = newDevice({ productClass: 'CP-6871-3PCC' });
    expect(d.model.get('Device.Services.VoiceService.1.VoiceProfileNumberOfEntries')).toBe(6);
    expect(d.model.has('Device.Services.VoiceService.1.VoiceProfile.6.Line.1.SIP.AuthUserName')).toBe(true);
    expect(d.model.has('Device.Services.VoiceService.1.VoiceProfile.7.')).toBe(false);
  });
});

describe('SetParameterValues', () => {
  it('applies every value, records the ParameterKey and answers Status 0', () => {
    const d = newDevice();
    const res = d.handle(
      spv(
        [
          { name: PARAM.PERIODIC_INTERVAL, value: 3600, type: 'xsd:unsignedInt' },
          { name: `${LINE1}SIP.AuthUserName`, value: '1001', type: 'xsd:string' },
          { name: `${LINE1}SIP.AuthPassword`, value: 'sip-secret', type: 'xsd:string' },
          { name: `${VP1}SIP.ProxyServerTransport`, value: 'TLS', type: 'xsd:string' },
        ],
        'job-42',
      ),
    );
    expect(ok(res, 'SetParameterValuesResponse').status).toBe(0);
    expect(d.model.get(PARAM.PERIODIC_INTERVAL)).toBe(3600);
    expect(d.model.get(`${LINE1}SIP.AuthPassword`)).toBe('sip-secret');
    expect(d.model.read(`${LINE1}SIP.AuthPassword`)).toBe('');
    expect(d.model.get(PARAM.PARAMETER_KEY)).toBe('job-42');
  });

  it('is all or nothing: one fault entry per bad parameter, nothing applied', () => {
    const d = newDevice();
    const res = fault(
      d.handle(
        spv([
          { name: PARAM.PERIODIC_INTERVAL, value: 60, type: 'xsd:unsignedInt' },
          { name: 'Device.ManagementServer.NoSuchThing', value: 'x', type: 'xsd:string' },
          { name: PARAM.PERIODIC_ENABLE, value: 'yes', type: 'xsd:string' },
          { name: PARAM.RETRY_MULTIPLIER, value: 999, type: 'xsd:unsignedInt' },
          { name: 'Device.DeviceInfo.SerialNumber', value: 'X', type: 'xsd:string' },
          { name: `${LINE1}Enable`, value: 'Maybe', type: 'xsd:string' },
        ]),
      ),
      9003,
    );
    expect(res.detail.setParameterValuesFault.map((f) => [f.parameterName, f.faultCode])).toEqual([
      ['Device.ManagementServer.NoSuchThing', 9005],
      [PARAM.PERIODIC_ENABLE, 9006],
      [PARAM.RETRY_MULTIPLIER, 9007],
      ['Device.DeviceInfo.SerialNumber', 9008],
      [`${LINE1}Enable`, 9007],
    ]);
    expect(d.model.get(PARAM.PERIODIC_INTERVAL)).toBe(20);
    expect(d.model.get(PARAM.PARAMETER_KEY)).toBe('');
  });

  it('refuses out-of-range integers, over-long strings and objects', () => {
    const d = newDevice();
    const codes = (p: ParameterValueStruct) => fault(d.handle(spv([p])), 9003).detail.setParameterValuesFault[0].faultCode;
    expect(codes({ name: `${VP1}SIP.ProxyServerPort`, value: 70000, type: 'xsd:unsignedInt' })).toBe(9007);
    expect(codes({ name: `${LINE1}DirectoryNumber`, value: '1'.repeat(33), type: 'xsd:string' })).toBe(9007);
    expect(codes({ name: PARAM.PERIODIC_TIME, value: 'tomorrow', type: 'xsd:dateTime' })).toBe(9007);
    expect(codes({ name: 'Device.ManagementServer.', value: '', type: 'xsd:string' })).toBe(9005);
  });

  it('faults 9003 when a parameter appears twice', () => {
    const p: ParameterValueStruct = { name: PARAM.PERIODIC_INTERVAL, value: 60, type: 'xsd:unsignedInt' };
    const res = fault(newDevice().handle(spv([p, { ...p, value: 70 }])), 9003);
    expect(res.detail.faultString).toMatch(/more than once/);
  });

  it('makes the next Inform a BOOTSTRAP when the ACS URL changes', () => {
    const d = newDevice();
    completeSession(d);
    ok(d.handle(spv([{ name: PARAM.URL, value: 'http://other-acs.invalid/', type: 'xsd:string' }])), 'SetParameterValuesResponse');
    d.endSession(true, true);
    expect(eventsOf(d)).toContain('0 BOOTSTRAP');
  });
});

describe('GetParameterNames', () => {
  it('answers "" with NextLevel true by the root object only', () => {
    const res = ok(newDevice().handle({ method: 'GetParameterNames', parameterPath: '', nextLevel: true }), 'GetParameterNamesResponse');
    expect(res.parameterList).toEqual([{ name: 'Device.', writable: false }]);
  });

  it('answers "" with NextLevel false by the whole tree, objects included', () => {
    const d = newDevice();
    const res = ok(d.handle({ method: 'GetParameterNames', parameterPath: '', nextLevel: false }), 'GetParameterNamesResponse');
    const names = res.parameterList.map((p) => p.name);
    expect(names[0]).toBe('Device.');
    expect(names).toContain('Device.DeviceInfo.');
    expect(names).toContain(`${LINE1}SIP.AuthPassword`);
    expect(names.filter((n) => !n.endsWith('.'))).toEqual(d.model.parameterNames(''));
  });

  it('lists only the immediate children with NextLevel true, with writability', () => {
    const res = ok(newDevice().handle({ method: 'GetParameterNames', parameterPath: VP1, nextLevel: true }), 'GetParameterNamesResponse');
    const byName = new Map(res.parameterList.map((p) => [p.name, p.writable]));
    expect(byName.get(`${VP1}SIP.`)).toBe(false);
    expect(byName.get(`${VP1}Line.`)).toBe(true);
    expect(byName.get(`${VP1}DigitMap`)).toBe(true);
    expect(byName.get(`${VP1}NumberOfLines`)).toBe(false);
    expect([...byName.keys()].some((n) => n.startsWith(`${VP1}SIP.ProxyServer`))).toBe(false);
  });

  it('answers a parameter with NextLevel false by itself', () => {
    const res = ok(newDevice().handle({ method: 'GetParameterNames', parameterPath: PARAM.URL, nextLevel: false }), 'GetParameterNamesResponse');
    expect(res.parameterList).toEqual([{ name: PARAM.URL, writable: true }]);
  });

  it('faults 9003 for NextLevel true on a parameter and 9005 for an unknown path', () => {
    fault(newDevice().handle({ method: 'GetParameterNames', parameterPath: PARAM.URL, nextLevel: true }), 9003);
    fault(newDevice().handle({ method: 'GetParameterNames', parameterPath: 'Device.Nothing.', nextLevel: false }), 9005);
  });
});

describe('parameter attributes', () => {
  it('starts forced-active parameters at notification 2 and others at 0', () => {
    const res = ok(
      newDevice().handle({ method: 'GetParameterAttributes', parameterNames: [PARAM.SOFTWARE_VERSION, PARAM.PERIODIC_INTERVAL] }),
      'GetParameterAttributesResponse',
    );
    expect(res.parameterList).toEqual([
      { name: PARAM.SOFTWARE_VERSION, notification: 2, accessList: [] },
      { name: PARAM.PERIODIC_INTERVAL, notification: 0, accessList: [] },
    ]);
  });

  it('stores notification and access list, each only when its Change flag is set', () => {
    const d = newDevice();
    ok(
      d.handle({
        method: 'SetParameterAttributes',
        parameterList: [
          { name: `${LINE1}CallingFeatures.`, notificationChange: true, notification: 1, accessListChange: false, accessList: ['Subscriber'] },
          { name: `${LINE1}DirectoryNumber`, notificationChange: false, notification: 2, accessListChange: true, accessList: ['Subscriber'] },
        ],
      }),
      'SetParameterAttributesResponse',
    );
    const res = ok(
      d.handle({ method: 'GetParameterAttributes', parameterNames: [`${LINE1}CallingFeatures.CallerIDName`, `${LINE1}DirectoryNumber`] }),
      'GetParameterAttributesResponse',
    );
    expect(res.parameterList).toEqual([
      { name: `${LINE1}CallingFeatures.CallerIDName`, notification: 1, accessList: [] },
      { name: `${LINE1}DirectoryNumber`, notification: 0, accessList: ['Subscriber'] },
    ]);
  });

  it('rejects notification on a canDeny parameter with 9009, and applies nothing', () => {
    const d = newDevice();
    fault(
      d.handle({
        method: 'SetParameterAttributes',
        parameterList: [
          { name: PARAM.PERIODIC_INTERVAL, notificationChange: true, notification: 2, accessListChange: false, accessList: [] },
          { name: 'Device.DeviceInfo.UpTime', notificationChange: true, notification: 2, accessListChange: false, accessList: [] },
        ],
      }),
      9009,
    );
    expect(d.model.attributes(PARAM.PERIODIC_INTERVAL).notification).toBe(0);
  });

  it('skips canDeny parameters under a partial path', () => {
    const d = newDevice();
    ok(
      d.handle({
        method: 'SetParameterAttributes',
        parameterList: [{ name: 'Device.DeviceInfo.', notificationChange: true, notification: 1, accessListChange: false, accessList: [] }],
      }),
      'SetParameterAttributesResponse',
    );
    expect(d.model.attributes('Device.DeviceInfo.UpTime').notification).toBe(0);
    expect(d.model.attributes('Device.DeviceInfo.ModelName').notification).toBe(1);
  });

  it('faults 9003 on notification 7 or a foreign access-list entry, 9005 on an unknown name', () => {
    const d = newDevice();
    const spa = (name: string, notification: number, accessList: string[]): AcsRequest => ({
      method: 'SetParameterAttributes',
      parameterList: [{ name, notificationChange: true, notification, accessListChange: true, accessList }],
    });
    fault(d.handle(spa(PARAM.URL, 7, [])), 9003);
    fault(d.handle(spa(PARAM.URL, 1, ['Everyone'])), 9003);
    fault(d.handle(spa('Device.Nope', 1, [])), 9005);
    fault(d.handle({ method: 'GetParameterAttributes', parameterNames: ['Device.Nope.'] }), 9005);
  });
});

describe('AddObject and DeleteObject', () => {
  it('adds an instance with default values and the next number, and updates the ParameterKey', () => {
    const d = newDevice();
    const res = ok(d.handle({ method: 'AddObject', objectName: `${VP1}Line.`, parameterKey: 'add-1' }), 'AddObjectResponse');
    expect(res).toEqual({ method: 'AddObjectResponse', instanceNumber: 2, status: 0 });
    expect(d.model.get(`${VP1}Line.2.Enable`)).toBe('Enabled');
    expect(d.model.get(`${VP1}Line.2.Codec.ListNumberOfEntries`)).toBe(6);
    expect(d.model.get(`${VP1}NumberOfLines`)).toBe(2);
    expect(d.model.get(PARAM.PARAMETER_KEY)).toBe('add-1');
  });

  it('never reuses an instance number, and deletes the whole subtree', () => {
    const d = newDevice();
    ok(d.handle({ method: 'AddObject', objectName: `${VP1}Line.`, parameterKey: '' }), 'AddObjectResponse');
    ok(d.handle(spv([{ name: `${VP1}Line.2.DirectoryNumber`, value: '2002', type: 'xsd:string' }])), 'SetParameterValuesResponse');
    ok(d.handle({ method: 'DeleteObject', objectName: `${VP1}Line.2.`, parameterKey: 'del-1' }), 'DeleteObjectResponse');
    fault(d.handle({ method: 'GetParameterValues', parameterNames: [`${VP1}Line.2.`] }), 9005);
    expect(d.model.get(PARAM.PARAMETER_KEY)).toBe('del-1');
    const again = ok(d.handle({ method: 'AddObject', objectName: `${VP1}Line.`, parameterKey: '' }), 'AddObjectResponse');
    expect(again.instanceNumber).toBe(3);
    expect(d.model.get(`${VP1}Line.3.DirectoryNumber`)).toBe('');
  });

  it('changes only the device that added or deleted an instance', () => {
    const a = newDevice({ index: 1 });
    const b = newDevice({ index: 2 });
    ok(a.handle({ method: 'DeleteObject', objectName: LINE1, parameterKey: '' }), 'DeleteObjectResponse');
    expect(a.model.has(LINE1)).toBe(false);
    expect(b.model.has(LINE1)).toBe(true);
  });

  it('faults 9005 on tables the phone does not let the ACS change, and on unknown names', () => {
    const d = newDevice();
    fault(d.handle({ method: 'AddObject', objectName: 'Device.Services.VoiceService.1.VoiceProfile.', parameterKey: '' }), 9005);
    fault(d.handle({ method: 'AddObject', objectName: 'Device.DeviceInfo.', parameterKey: '' }), 9005);
    fault(d.handle({ method: 'AddObject', objectName: `${VP1}Nope.`, parameterKey: '' }), 9005);
    fault(d.handle({ method: 'DeleteObject', objectName: VP1, parameterKey: '' }), 9005);
    fault(d.handle({ method: 'DeleteObject', objectName: `${VP1}Line.9.`, parameterKey: '' }), 9005);
    fault(d.handle({ method: 'DeleteObject', objectName: `${VP1}SIP.`, parameterKey: '' }), 9005);
  });

  it('faults 9004 beyond the maximum number of instances', () => {
    const d = newDevice();
    for (let i = 0; i < 3; i++) ok(d.handle({ method: 'AddObject', objectName: `${VP1}Line.`, parameterKey: '' }), 'AddObjectResponse');
    fault(d.handle({ method: 'AddObject', objectName: `${VP1}Line.`, parameterKey: '' }), 9004);
  });
});

describe('events', () => {
  it('opens with 0 BOOTSTRAP + 1 BOOT and the forced-inform parameters', () => {
    const d = newDevice();
    const inform = d.buildInform();
    expect(inform.event.map((e) => e.eventCode)).toEqual(['0 BOOTSTRAP', '1 BOOT']);
    expect(inform.deviceId).toEqual({
      manufacturer: 'Cisco Systems, Inc.',
      oui: '00562B',
      productClass: 'CP-8851-3PCC',
      serialNumber: d.model.factory.serialNumber,
    });
    expect(inform.parameterList.map((p) => p.name)).toEqual([
      'Device.DeviceInfo.HardwareVersion',
      PARAM.SOFTWARE_VERSION,
      'Device.DeviceInfo.ProvisioningCode',
      PARAM.PARAMETER_KEY,
      PARAM.CR_URL,
    ]);
    expect(inform.parameterList[1].value).toBe('sip88xx.12-0-1MPP-2');
    expect(inform.retryCount).toBe(0);
  });

  it('delivers events once the InformResponse arrives', () => {
    const d = newDevice();
    completeSession(d);
    expect(d.hasPendingEvents()).toBe(false);
    expect(eventsOf(d)).toEqual([]);
  });

  it('keeps undelivered events after a failed session, except 6 CONNECTION REQUEST, and counts retries', () => {
    const d = newDevice();
    completeSession(d);
    d.events.add('2 PERIODIC');
    d.events.add('6 CONNECTION REQUEST');
    d.buildInform();
    d.endSession(false, false);
    const inform = d.buildInform();
    expect(inform.event.map((e) => e.eventCode)).toEqual(['2 PERIODIC']);
    expect(inform.retryCount).toBe(1);
    d.endSession(false, false);
    expect(d.buildInform().retryCount).toBe(2);
    d.informAcknowledged();
    d.endSession(true, true);
    expect(d.retryCount).toBe(0);
  });

  it('queues a connection request raised during a session for the next one', () => {
    const d = newDevice();
    completeSession(d);
    d.events.add('6 CONNECTION REQUEST');
    d.buildInform();
    d.events.add('6 CONNECTION REQUEST');
    d.informAcknowledged();
    d.endSession(true, true);
    expect(eventsOf(d)).toEqual(['6 CONNECTION REQUEST']);
  });

  it('reboots after the session on Reboot: 1 BOOT + M Reboot with the CommandKey', () => {
    let now = 1_000_000;
    const d = newDevice({ clock: () => now });
    completeSession(d);
    now += 50_000;
    expect(d.model.get('Device.DeviceInfo.UpTime')).toBe(50);
    ok(d.handle({ method: 'Reboot', commandKey: 'reboot-7' }), 'RebootResponse');
    expect(d.endSession(true, true)).toEqual({ rebooted: true, factoryReset: false });
    expect(d.model.get('Device.DeviceInfo.UpTime')).toBe(0);
    expect(eventsOf(d)).toEqual(['1 BOOT', 'M Reboot:reboot-7']);
  });

  it('factory-resets after the session: model back to defaults, ParameterKey empty, 0 BOOTSTRAP + 1 BOOT', () => {
    const d = newDevice();
    completeSession(d);
    ok(d.handle(spv([{ name: `${LINE1}DirectoryNumber`, value: '1001', type: 'xsd:string' }], 'k9')), 'SetParameterValuesResponse');
    ok(d.handle({ method: 'AddObject', objectName: `${VP1}Line.`, parameterKey: 'k10' }), 'AddObjectResponse');
    ok(d.handle({ method: 'FactoryReset' }), 'FactoryResetResponse');
    expect(d.model.get(`${LINE1}DirectoryNumber`)).toBe('1001');
    expect(d.endSession(true, true)).toEqual({ rebooted: true, factoryReset: true });
    expect(d.model.get(`${LINE1}DirectoryNumber`)).toBe('');
    expect(d.model.has(`${VP1}Line.2.`)).toBe(false);
    expect(d.model.get(PARAM.PARAMETER_KEY)).toBe('');
    expect(eventsOf(d)).toEqual(['0 BOOTSTRAP', '1 BOOT']);
  });

  it('reports local changes of notified parameters with 4 VALUE CHANGE, but not changes by the ACS', () => {
    const d = newDevice();
    completeSession(d);
    expect(d.setLocal(`${LINE1}CallingFeatures.DoNotDisturbEnable`, true)).toBe('none');
    ok(
      d.handle({
        method: 'SetParameterAttributes',
        parameterList: [
          { name: `${LINE1}CallingFeatures.DoNotDisturbEnable`, notificationChange: true, notification: 1, accessListChange: false, accessList: [] },
          { name: `${LINE1}DirectoryNumber`, notificationChange: true, notification: 2, accessListChange: false, accessList: [] },
        ],
      }),
      'SetParameterAttributesResponse',
    );
    ok(d.handle(spv([{ name: `${LINE1}DirectoryNumber`, value: '3000', type: 'xsd:string' }])), 'SetParameterValuesResponse');
    d.endSession(true, true);
    expect(d.hasPendingEvents()).toBe(false);
    expect(d.setLocal(`${LINE1}CallingFeatures.DoNotDisturbEnable`, false)).toBe('passive');
    expect(d.setLocal(`${LINE1}DirectoryNumber`, '3001')).toBe('active');
    const inform = d.buildInform();
    expect(inform.event.map((e) => e.eventCode)).toEqual(['4 VALUE CHANGE']);
    expect(inform.parameterList.slice(-2)).toEqual([
      { name: `${LINE1}CallingFeatures.DoNotDisturbEnable`, value: false, type: 'xsd:boolean' },
      { name: `${LINE1}DirectoryNumber`, value: '3001', type: 'xsd:string' },
    ]);
    d.informAcknowledged();
    d.endSession(true, true);
    expect(d.hasPendingEvents()).toBe(false);
  });
});

describe('Download', () => {
  const download = (fileType: string, url = 'http://files.invalid/sip88xx.12-0-2MPP-1.loads'): AcsRequest => ({
    method: 'Download',
    commandKey: 'fw-1',
    fileType,
    url,
    username: '',
    password: '',
    fileSize: 0,
    targetFileName: '',
    delaySeconds: 0,
    successURL: '',
    failureURL: '',
  });

  it('answers Status 1 with unknown times and queues the transfer', () => {
    const d = newDevice();
    const res = ok(d.handle(download('1 Firmware Upgrade Image')), 'DownloadResponse');
    expect(res).toEqual({ method: 'DownloadResponse', status: 1, startTime: '0001-01-01T00:00:00Z', completeTime: '0001-01-01T00:00:00Z' });
    expect(d.queuedTransfers().map((t) => [t.commandKey, t.state])).toEqual([['fw-1', 1]]);
  });

  it('refuses unsupported file types (9003) and protocols (9013)', () => {
    const d = newDevice();
    fault(d.handle(download('4 Tone File')), 9003);
    fault(d.handle(download('1 Firmware Upgrade Image', 'ftp://files.invalid/fw.bin')), 9013);
    fault(d.handle(download('1 Firmware Upgrade Image', 'not a url')), 9003);
    expect(d.queuedTransfers()).toEqual([]);
  });

  it('reports a finished firmware download with 7 TRANSFER COMPLETE, M Download, the reboot and the new version', () => {
    const d = newDevice();
    completeSession(d);
    ok(d.handle(download('1 Firmware Upgrade Image')), 'DownloadResponse');
    d.endSession(true, true);
    const [t] = d.queuedTransfers();
    d.transferStarted(t);
    expect(d.transferFinished(t, { faultCode: 0, faultString: '' }, Date.now(), 'sip88xx.12-0-2MPP-1').rebooted).toBe(true);
    expect(eventsOf(d)).toEqual(['1 BOOT', '4 VALUE CHANGE', '7 TRANSFER COMPLETE', 'M Download:fw-1']);
    expect(d.model.get(PARAM.SOFTWARE_VERSION)).toBe('sip88xx.12-0-2MPP-1');
    const [tc] = d.transferCompletes();
    expect(tc).toMatchObject({ method: 'TransferComplete', commandKey: 'fw-1', faultStruct: { faultCode: 0, faultString: '' } });
    // InformResponse does not deliver transfer events: only the TransferCompleteResponse does.
    d.informAcknowledged();
    expect(eventsOf(d)).toEqual(['7 TRANSFER COMPLETE', 'M Download:fw-1']);
    d.transferCompleteAcknowledged(tc);
    expect(eventsOf(d)).toEqual([]);
  });

  it('does not reboot after a failed download', () => {
    const d = newDevice();
    ok(d.handle(download('3 Vendor Configuration File')), 'DownloadResponse');
    const [t] = d.queuedTransfers();
    expect(d.transferFinished(t, { faultCode: 9010, faultString: 'failed' }, Date.now()).rebooted).toBe(false);
    expect(d.transferCompletes()[0].faultStruct.faultCode).toBe(9010);
  });
});

describe('full CWMP mode', () => {
  it('schedules an inform: 3 SCHEDULED + M ScheduleInform when it fires; DelaySeconds 0 is 9003', () => {
    const d = newDevice({ fullCwmp: true });
    completeSession(d);
    fault(d.handle({ method: 'ScheduleInform', delaySeconds: 0, commandKey: 'x' }), 9003);
    ok(d.handle({ method: 'ScheduleInform', delaySeconds: 30, commandKey: 'later' }), 'ScheduleInformResponse');
    const [s] = d.scheduledInforms();
    d.fireScheduledInform(s);
    expect(eventsOf(d)).toEqual(['3 SCHEDULED', 'M ScheduleInform:later']);
  });

  it('lists, cancels and refuses to cancel transfers', () => {
    const d = newDevice({ fullCwmp: true });
    const req = {
      method: 'ScheduleDownload' as const,
      commandKey: 'sd-1',
      fileType: '1 Firmware Upgrade Image',
      url: 'http://files.invalid/fw',
      username: '',
      password: '',
      fileSize: 10,
      targetFileName: 'fw',
      timeWindowList: [{ windowStart: 60, windowEnd: 120, windowMode: '1 At Any Time', userMessage: '', maxRetries: -1 }],
    };
    ok(d.handle(req), 'ScheduleDownloadResponse');
    fault(d.handle({ ...req, timeWindowList: [{ ...req.timeWindowList[0], windowEnd: 10 }] }), 9003);
    expect(ok(d.handle({ method: 'GetAllQueuedTransfers' }), 'GetAllQueuedTransfersResponse').transferList).toEqual([
      { commandKey: 'sd-1', state: 1, isDownload: true, fileType: '1 Firmware Upgrade Image', fileSize: 10, targetFileName: 'fw' },
    ]);
    fault(d.handle({ method: 'CancelTransfer', commandKey: 'other' }), 9003);
    d.transferStarted(d.queuedTransfers()[0]);
    fault(d.handle({ method: 'CancelTransfer', commandKey: 'sd-1' }), 9021);
  });

  it('cancels a transfer that has not started', () => {
    const d = newDevice({ fullCwmp: true });
    ok(
      d.handle({ method: 'Upload', commandKey: 'up', fileType: '2 Vendor Log File', url: 'http://x.invalid/', username: '', password: '', delaySeconds: 5 }),
      'UploadResponse',
    );
    ok(d.handle({ method: 'CancelTransfer', commandKey: 'up' }), 'CancelTransferResponse');
    expect(ok(d.handle({ method: 'GetQueuedTransfers' }), 'GetQueuedTransfersResponse').transferList).toEqual([]);
  });
});
