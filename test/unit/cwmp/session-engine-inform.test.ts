import { EVENT } from '../../../src/sim';
import { deviceDoc } from '../../integration/stores/conformance/devices.contract';
import { engineOn, faultCode, NS, TestCpe } from './session-engine-harness';

/** SessionEngine, Inform phase: who may open a session and what the Inform teaches. */

describe('SessionEngine: Inform', () => {
  it('opens a session for a new device: InformResponse, a cookie, and the device on record', async () => {
    const h = engineOn();
    const cpe = new TestCpe(h);
    const answer = await cpe.inform();
    expect(answer.reply.status).toBe(200);
    expect(answer.message).toEqual({ method: 'InformResponse', maxEnvelopes: 1 });
    expect(answer.reply.setSession).toMatch(/^[0-9a-f]{32}$/);
    expect(await h.sessions.load(answer.reply.setSession!)).toMatchObject({ deviceId: cpe.id, phase: 'cpe', remoteAddress: cpe.source });
    const device = (await h.devices.getWithParams(cpe.id))!;
    expect(device).toMatchObject({ deviceId: { serialNumber: cpe.serialNumber }, remoteAddress: cpe.source, cwmpVersion: '1.2' });
    expect(device.registeredAt).toBeInstanceOf(Date);
    expect((device.params as any).Device.DeviceInfo.SoftwareVersion._v).toBe(String(cpe.device.model.get('Device.DeviceInfo.SoftwareVersion')));
    expect(h.observer.events[0]).toMatchObject({ type: 'informed', deviceId: cpe.id, events: [EVENT.BOOTSTRAP, EVENT.BOOT] });
    expect((await h.search.find(cpe.serialNumber, 10)).ids).toEqual([cpe.id]);
  });

  it('refuses an unknown device when only known ones are accepted, and serves a known one', async () => {
    const h = engineOn({ env: { ACS_CWMP_ACCEPT_UNKNOWN: 'false' } });
    const stranger = new TestCpe(h);
    const refused = await stranger.inform();
    expect(refused.reply).toMatchObject({ status: 403, close: true });
    expect(await h.devices.get(stranger.id)).toBeNull();
    const known = new TestCpe(h);
    await h.devices.insert(deviceDoc(known.id));
    expect((await known.inform()).message?.method).toBe('InformResponse');
  });

  it('answers an Inform with a bad DeviceId with fault 8003 and opens nothing', async () => {
    const h = engineOn();
    const cpe = new TestCpe(h);
    const inform = cpe.device.buildInform();
    for (const deviceId of [{ ...inform.deviceId, serialNumber: '' }, { ...inform.deviceId, oui: 'XYZ' }, { ...inform.deviceId, productClass: 'a\u0001b' }]) {
      const answer = await cpe.inform({ ...inform, deviceId });
      expect(answer.reply.status).toBe(500);
      expect(faultCode(answer)).toBe(8003);
      expect(answer.reply.setSession).toBeUndefined();
    }
    expect(h.observer.events).toEqual([]);
  });

  it('answers an Inform over the parameter limit with fault 8004', async () => {
    const h = engineOn({ env: { ACS_CWMP_MAX_PARAMETERS: '100' } });
    const cpe = new TestCpe(h);
    const built = cpe.device.buildInform();
    const extra = Array.from({ length: 101 }, (_, i) => ({ name: `Device.X_Pad.P${i}`, value: 'v', type: 'xsd:string' as const }));
    const inform = { ...built, parameterList: [...built.parameterList, ...extra] };
    const answer = await cpe.inform(inform);
    expect(faultCode(answer)).toBe(8004);
    expect(await h.devices.get(cpe.id)).toBeNull();
  });

  it('refuses a second Inform in one session (8003) and leaves the session as it was', async () => {
    const h = engineOn();
    const cpe = new TestCpe(h);
    await cpe.inform();
    const again = await cpe.post(cpe.envelope(cpe.device.buildInform()));
    expect(faultCode(again)).toBe(8003);
    expect(await h.sessions.load(cpe.cookie!)).toMatchObject({ phase: 'cpe' });
  });

  it('answers XML that is not SOAP with 400, and an unknown method with fault 8000', async () => {
    const h = engineOn();
    const cpe = new TestCpe(h);
    expect((await cpe.post('<not-soap/>')).reply).toMatchObject({ status: 400, close: true });
    const unknown = cpe.envelope({ method: 'InformResponse', maxEnvelopes: 1 });
    expect(faultCode(await cpe.post(unknown))).toBe(8000);
    const wrongVersion = cpe.envelope(cpe.device.buildInform()).replace(NS, 'urn:dslforum-org:cwmp-9-9');
    expect((await cpe.post(wrongVersion)).reply.status).toBeGreaterThanOrEqual(400);
  });

  it('refuses a device already in a session with 503 and Retry-After; the first session goes on', async () => {
    const h = engineOn();
    const first = new TestCpe(h);
    await first.inform();
    const second = new TestCpe(h, first.device);
    const busy = await second.inform();
    expect(busy.reply.status).toBe(503);
    expect(Number(busy.reply.headers?.['Retry-After'])).toBeGreaterThanOrEqual(1);
    expect((await first.empty()).reply.status).toBe(204);
    expect((await second.inform()).message?.method).toBe('InformResponse');
  });

  it('negotiates the highest CWMP version both sides support', async () => {
    const h = engineOn();
    const cpe = new TestCpe(h);
    const answer = await cpe.post(cpe.envelope(cpe.device.buildInform(), 'i-1', { supportedCwmpVersions: ['1.0', '1.2', '1.4', '2.0'] }));
    expect(answer.message?.method).toBe('InformResponse');
    expect(answer.env?.header).toMatchObject({ id: 'i-1', useCwmpVersion: '1.4' });
    const plain = await new TestCpe(h).inform();
    expect(plain.env?.header.useCwmpVersion).toBeUndefined();
  });
});

describe('SessionEngine: event codes', () => {
  it('records BOOT and the time of each event code', async () => {
    const h = engineOn();
    const cpe = new TestCpe(h);
    await cpe.session();
    const first = (await h.devices.get(cpe.id))!;
    expect(first.lastBootAt).toBeInstanceOf(Date);
    expect(Object.keys(first.eventTimes).sort()).toEqual([EVENT.BOOTSTRAP, EVENT.BOOT].sort());
    const periodic = { ...cpe.device.buildInform(), event: [{ eventCode: EVENT.PERIODIC, commandKey: '' }] };
    await cpe.session(periodic);
    const after = (await h.devices.get(cpe.id))!;
    expect(after.lastBootAt).toEqual(first.lastBootAt);
    expect(after.lastEvents).toEqual([{ eventCode: EVENT.PERIODIC, commandKey: '' }]);
    expect(Object.keys(after.eventTimes)).toContain(EVENT.PERIODIC);
  });

  it('stores a value the device reports with 4 VALUE CHANGE', async () => {
    const h = engineOn();
    const cpe = new TestCpe(h);
    await cpe.session();
    cpe.device.setLocal('Device.DeviceInfo.ProvisioningCode', 'site-7');
    const inform = cpe.device.buildInform();
    expect(inform.event.map((e) => e.eventCode)).toContain(EVENT.VALUE_CHANGE);
    await cpe.session(inform);
    const device = (await h.devices.getWithParams(cpe.id))!;
    expect(device.provisioningCode).toBe('site-7');
    expect((device.params as any).Device.DeviceInfo.ProvisioningCode._v).toBe('site-7');
  });

  it('starts the parameter tree afresh at 0 BOOTSTRAP', async () => {
    const h = engineOn();
    const cpe = new TestCpe(h);
    await cpe.session();
    await h.devices.learn(cpe.id, { summary: { set: {}, unset: [] }, params: { set: { 'params.Device.Old._v': 'x' }, unset: [] }, refused: [] }, new Date());
    await cpe.session({ ...cpe.device.buildInform(), event: [{ eventCode: EVENT.PERIODIC, commandKey: '' }] });
    expect(((await h.devices.getWithParams(cpe.id))!.params as any).Device.Old).toBeDefined();
    cpe.device.factoryReset();
    await cpe.session();
    expect(((await h.devices.getWithParams(cpe.id))!.params as any).Device.Old).toBeUndefined();
  });
});
