import type { CommandStartedEvent } from 'mongodb';
import { decodeEnvelope } from '../../../src/cwmp/soap';
import type { AcsRequest, CwmpMessage } from '../../../src/cwmp/soap/types';
import { deviceKey } from '../../../src/devices/id';
import { DeviceRepository } from '../../../src/devices/repository';
import { TaskRepository } from '../../../src/tasks/repository';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../../support/acs';
import { inform, ManualCpe } from '../../support/cwmp-client';
import { isTraceWrite } from '../../support/mongo';
import { selectCases, type SharedSuiteOptions } from '../../support/shared-cases';

/** The CWMP session cases, run on the test run's Redis (session.test.ts) and on a Redis Cluster (redis-ha). */
const creds = { username: CPE_USERNAME, password: CPE_PASSWORD };
const idOf = (serial: string) => deviceKey({ oui: '00562B', productClass: 'CP-8851-3PCC', serialNumber: serial });

/** Polls until `check` passes; bounded in count and time. */
async function eventually(check: () => Promise<void>, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; ; i++) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline || i > 400) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

export function sessionSuite(options: SharedSuiteOptions = {}): void {
  const { test, checked } = selectCases(options.only);
  describe('sessions', () => {
    let acs: TestAcs;
    let replica: TestAcs;
    let tasks: TaskRepository;

    beforeAll(async () => {
      acs = await startTestAcs({ ACS_CWMP_SESSION_TIMEOUT: '1' }, { openStores: options.openStores });
      replica = await startTestAcs({ ACS_CWMP_SESSION_TIMEOUT: '1' }, { stores: acs.stores });
      tasks = new TaskRepository(acs.stores.db);
    });
    afterAll(async () => {
      await replica?.close();
      await acs?.close();
    });

    async function register(serial: string): Promise<void> {
      const cpe = new ManualCpe(acs.cwmpUrl, creds);
      await cpe.exchange(inform(serial, ['0 BOOTSTRAP', '1 BOOT']));
      expect((await cpe.post('')).status).toBe(204);
    }

    /** Answers ACS requests with `answer` until the ACS sends 204; returns what it asked. */
    async function drain(cpe: ManualCpe, first: { status: number; text: string }, answer: (rpc: AcsRequest) => CwmpMessage): Promise<AcsRequest[]> {
      const seen: AcsRequest[] = [];
      let reply = first;
      for (let i = 0; reply.status === 200 && i < 20; i++) {
        const env = decodeEnvelope(reply.text);
        seen.push(env.body as AcsRequest);
        reply = await cpe.send(answer(env.body as AcsRequest), { id: env.header.id });
      }
      expect(reply.status).toBe(204);
      return seen;
    }

    test('any replica continues any session: requests alternate between two ACS processes', async () => {
      await register('REPLICA');
      const id = idOf('REPLICA');
      await tasks.queue(id, { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.UpTime'] });
      await tasks.queue(id, { method: 'GetRPCMethods' });
      const a = new ManualCpe(acs.cwmpUrl, creds);
      await a.exchange(inform('REPLICA'));
      const b = new ManualCpe(replica.cwmpUrl, creds);
      b.cookie = a.cookie;
      const first = await b.post('');
      const env = decodeEnvelope(first.text);
      expect(env.body.method).toBe('GetParameterValues');
      const second = await a.send({ method: 'GetParameterValuesResponse', parameterList: [] }, { id: env.header.id });
      expect(decodeEnvelope(second.text).body.method).toBe('GetRPCMethods');
      const end = await b.send({ method: 'GetRPCMethodsResponse', methodList: ['Inform'] }, { id: decodeEnvelope(second.text).header.id });
      expect(end.status).toBe(204);
      const device = await acs.stores.db.collection('devices').findOne({ _id: id as never });
      expect(device).toMatchObject({ rpcMethods: ['Inform'], taskQueue: [] });
    });

    test('allows one session per device: a concurrent Inform gets 503 with Retry-After', async () => {
      const one = new ManualCpe(acs.cwmpUrl, creds);
      await one.exchange(inform('LOCKED'));
      const two = new ManualCpe(replica.cwmpUrl, creds);
      const r = await two.send(inform('LOCKED'));
      expect(r.status).toBe(503);
      expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect((await one.post('')).status).toBe(204);
      expect((await two.exchange(inform('LOCKED'))).reply.status).toBe(200);
      expect((await two.post('')).status).toBe(204);
    });

    test('an idle session ends: its in-flight task returns to pending and is sent again next time', async () => {
      await register('IDLE');
      const task = await tasks.queue(idOf('IDLE'), { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.UpTime'] });
      const cpe = new ManualCpe(acs.cwmpUrl, creds);
      await cpe.exchange(inform('IDLE'));
      const rpc = await cpe.post('');
      expect(decodeEnvelope(rpc.text).body.method).toBe('GetParameterValues');
      expect(await tasks.get(task._id)).toMatchObject({ status: 'sent', attempts: 1 });
      await eventually(async () => expect(await tasks.get(task._id)).toMatchObject({ status: 'pending' }));
      const late = await cpe.send({ method: 'GetParameterValuesResponse', parameterList: [] }, { id: decodeEnvelope(rpc.text).header.id });
      expect(late.status).toBe(400);
      const again = new ManualCpe(acs.cwmpUrl, creds);
      await again.exchange(inform('IDLE'));
      const asked = await drain(again, await again.post(''), () => ({ method: 'GetParameterValuesResponse', parameterList: [] }));
      expect(asked.map((r) => r.method)).toEqual(['GetParameterValues']);
      expect(await tasks.get(task._id)).toMatchObject({ status: 'done', attempts: 2 });
    });

    test('a Download accepted with Status 1 finishes with the TransferComplete of a later session', async () => {
      await register('DL');
      const ok = await tasks.queue(idOf('DL'), { method: 'Download', commandKey: '', fileType: '1 Firmware Upgrade Image', url: 'http://127.0.0.1:9/fw.loads', username: '', password: '', fileSize: 0, targetFileName: '', delaySeconds: 0, successURL: '', failureURL: '' });
      const bad = await tasks.queue(idOf('DL'), { method: 'Download', commandKey: 'cfg-1', fileType: '3 Vendor Configuration File', url: 'http://127.0.0.1:9/c.xml', username: '', password: '', fileSize: 0, targetFileName: '', delaySeconds: 0, successURL: '', failureURL: '' });
      const cpe = new ManualCpe(acs.cwmpUrl, creds);
      await cpe.exchange(inform('DL'));
      const asked = await drain(cpe, await cpe.post(''), () => ({ method: 'DownloadResponse', status: 1, startTime: '0001-01-01T00:00:00Z', completeTime: '0001-01-01T00:00:00Z' }));
      expect(asked.map((r) => (r as { commandKey: string }).commandKey)).toEqual([ok._id, 'cfg-1']);
      expect(await tasks.get(ok._id)).toMatchObject({ status: 'sent', awaiting: 'TransferComplete' });

      const next = new ManualCpe(acs.cwmpUrl, creds);
      await next.exchange(inform('DL', ['7 TRANSFER COMPLETE', 'M Download']));
      const tc = (commandKey: string, faultCode: number) =>
        next.exchange({ method: 'TransferComplete', commandKey, faultStruct: { faultCode, faultString: faultCode ? 'Download failed' : '' }, startTime: '2026-01-01T00:00:00Z', completeTime: '2026-01-01T00:01:00Z' });
      expect((await tc(ok._id, 0)).envelope.body).toEqual({ method: 'TransferCompleteResponse' });
      expect((await tc('cfg-1', 9010)).envelope.body).toEqual({ method: 'TransferCompleteResponse' });
      expect((await tc('nobody', 0)).envelope.body).toEqual({ method: 'TransferCompleteResponse' });
      expect((await next.post('')).status).toBe(204);
      expect(await tasks.get(ok._id)).toMatchObject({ status: 'done', result: { method: 'TransferComplete', completeTime: '2026-01-01T00:01:00Z' } });
      expect(await tasks.get(bad._id)).toMatchObject({ status: 'fault', fault: { code: 9010, message: 'Download failed' } });
      expect((await acs.stores.db.collection('devices').findOne({ _id: idOf('DL') as never }))?.taskQueue).toEqual([]);
    });

    test('with HoldRequests the ACS runs its tasks first; the held TransferComplete comes after the 204', async () => {
      const holding = await startTestAcs({ ACS_CWMP_HOLD_REQUESTS: 'true' }, { stores: acs.stores });
      try {
        await register('HOLD');
        await tasks.queue(idOf('HOLD'), { method: 'GetRPCMethods' });
        const cpe = new ManualCpe(holding.cwmpUrl, creds);
        const { envelope } = await cpe.exchange(inform('HOLD', ['7 TRANSFER COMPLETE', 'M Download']));
        expect(envelope.header.holdRequests).toBe(true);
        await drain(cpe, await cpe.post(''), () => ({ method: 'GetRPCMethodsResponse', methodList: [] }));
        const held = await cpe.exchange({ method: 'TransferComplete', commandKey: 'x', faultStruct: { faultCode: 0, faultString: '' }, startTime: '', completeTime: '' });
        expect(held.envelope.body).toEqual({ method: 'TransferCompleteResponse' });
        expect((await cpe.post('')).status).toBe(204);
      } finally {
        await holding.close();
      }
    });

    test('a device fault closes the task with the code and per-parameter faults; the next task still runs', async () => {
      await register('FAULTY');
      const spv = await tasks.queue(idOf('FAULTY'), { method: 'SetParameterValues', parameterKey: 'k1', parameterList: [{ name: 'Device.ManagementServer.PeriodicInformInterval', value: 0, type: 'xsd:unsignedInt' }] });
      const gpv = await tasks.queue(idOf('FAULTY'), { method: 'GetParameterValues', parameterNames: ['Device.X.'] });
      const cpe = new ManualCpe(acs.cwmpUrl, creds);
      await cpe.exchange(inform('FAULTY'));
      await drain(cpe, await cpe.post(''), (rpc) =>
        rpc.method === 'SetParameterValues'
          ? { method: 'Fault', faultcode: 'Client', faultstring: 'CWMP fault', detail: { faultCode: 9003, faultString: 'Invalid arguments', setParameterValuesFault: [{ parameterName: 'Device.ManagementServer.PeriodicInformInterval', faultCode: 9007, faultString: 'Invalid parameter value' }] } }
          : { method: 'Fault', faultcode: 'Client', faultstring: 'CWMP fault', detail: { faultCode: 9005, faultString: 'Invalid parameter name', setParameterValuesFault: [] } },
      );
      expect(await tasks.get(spv._id)).toMatchObject({ status: 'fault', fault: { code: 9003, setParameterValuesFault: [{ faultCode: 9007 }] } });
      expect(await tasks.get(gpv._id)).toMatchObject({ status: 'fault', fault: { code: 9005 } });
      const device = await new DeviceRepository(acs.stores.db).getWithParams(idOf('FAULTY'));
      expect(device?.params).toMatchObject({ Device: { ManagementServer: {} } });
      expect(device?.params).not.toHaveProperty(['Device', 'ManagementServer', 'PeriodicInformInterval']);
    });

    test('an expired task is never sent', async () => {
      await register('EXPIRY');
      const old = await tasks.queue(idOf('EXPIRY'), { method: 'Reboot', commandKey: '' }, { expiresAt: new Date(Date.now() - 1000) });
      const cpe = new ManualCpe(acs.cwmpUrl, creds);
      await cpe.exchange(inform('EXPIRY'));
      expect((await cpe.post('')).status).toBe(204);
      expect(await tasks.get(old._id)).toMatchObject({ status: 'expired' });
    });

    test('records events, learns names, and forgets everything at BOOTSTRAP', async () => {
      await register('BOOT');
      await tasks.queue(idOf('BOOT'), { method: 'GetParameterNames', parameterPath: 'Device.DeviceInfo.', nextLevel: false });
      const cpe = new ManualCpe(acs.cwmpUrl, creds);
      await cpe.exchange(inform('BOOT', ['1 BOOT', 'M Reboot']));
      await drain(cpe, await cpe.post(''), () => ({
        method: 'GetParameterNamesResponse',
        parameterList: [
          { name: 'Device.DeviceInfo.', writable: false },
          { name: 'Device.DeviceInfo.SoftwareVersion', writable: false },
          { name: 'Device.DeviceInfo.ProvisioningCode', writable: true },
        ],
      }));
      const devices = new DeviceRepository(acs.stores.db);
      let device = await devices.getWithParams(idOf('BOOT'));
      expect(device?.params).toMatchObject({ Device: { DeviceInfo: { _o: true, ProvisioningCode: { _w: true }, SoftwareVersion: { _v: 'sip88xx.12-0-1MPP-2', _w: false } } } });
      expect(device?.eventTimes).toHaveProperty(['M Reboot']);
      expect(device?.lastEvents).toEqual([{ eventCode: '1 BOOT', commandKey: '' }, { eventCode: 'M Reboot', commandKey: '' }]);

      const fresh = new ManualCpe(acs.cwmpUrl, creds);
      await fresh.exchange(inform('BOOT', ['0 BOOTSTRAP', '1 BOOT']));
      await fresh.post('');
      device = await devices.getWithParams(idOf('BOOT'));
      expect(device?.params).not.toHaveProperty(['Device', 'DeviceInfo', 'ProvisioningCode']);
      expect(device?.lastBootstrapAt).toBeInstanceOf(Date);
      expect(device!.registeredAt.getTime()).toBeLessThan(device!.lastBootstrapAt!.getTime());
    });

    test('answers in the namespace the device used and picks a version from SupportedCWMPVersions', async () => {
      const old = new ManualCpe(acs.cwmpUrl, creds, 'urn:dslforum-org:cwmp-1-0');
      const r = await old.exchange(inform('NS10'), { id: 'old-1' });
      expect(r.envelope.namespace).toBe('urn:dslforum-org:cwmp-1-0');
      expect(r.envelope.header.id).toBe('old-1');
      expect(r.envelope.header.useCwmpVersion).toBeUndefined();
      await old.post('');
      const modern = new ManualCpe(acs.cwmpUrl, creds, 'urn:dslforum-org:cwmp-1-4');
      const m = await modern.exchange(inform('NS14'), { id: '', supportedCwmpVersions: ['1.0', '1.2', '1.4'] });
      expect(m.envelope.namespace).toBe('urn:dslforum-org:cwmp-1-4');
      expect(m.envelope.header.id).toBe('');
      expect(m.envelope.header.useCwmpVersion).toBe('1.4');
      await modern.post('');
      expect((await acs.stores.db.collection('devices').findOne({ _id: idOf('NS14') as never }))?.cwmpVersion).toBe('1.4');
    });

    test('learns the MAC a device reports, writing the MAC directory only when it changes', async () => {
      const macParam = (mac: string) => [{ name: 'Device.Ethernet.Interface.1.MACAddress', value: mac, type: 'xsd:string' as const }];
      const first = new ManualCpe(acs.cwmpUrl, creds);
      await first.exchange(inform('MACPHONE', ['0 BOOTSTRAP', '1 BOOT'], macParam('00:56:2B:AA:BB:01')));
      await first.post('');
      const macs = acs.stores.db.collection('device_macs');
      expect(await macs.findOne({ _id: '00562baabb01' as never })).toMatchObject({ deviceId: idOf('MACPHONE'), source: 'inform' });
      expect(await acs.stores.db.collection('devices').findOne({ _id: idOf('MACPHONE') as never })).toMatchObject({ mac: '00562baabb01' });

      const commands: string[] = [];
      const seen = (e: CommandStartedEvent) => void (isTraceWrite(e) || commands.push(e.commandName));
      acs.ctx.mongo.on('commandStarted', seen);
      try {
        const again = new ManualCpe(acs.cwmpUrl, creds);
        await again.exchange(inform('MACPHONE', ['2 PERIODIC'], macParam('00:56:2B:AA:BB:01')));
        await again.post('');
      } finally {
        acs.ctx.mongo.off('commandStarted', seen);
      }
      expect(commands).toEqual(['find', 'update']);

      await tasks.queue(idOf('MACPHONE'), { method: 'GetParameterValues', parameterNames: ['Device.Ethernet.Interface.1.MACAddress'] });
      const moved = new ManualCpe(acs.cwmpUrl, creds);
      await moved.exchange(inform('MACPHONE'));
      await drain(moved, await moved.post(''), () => ({ method: 'GetParameterValuesResponse', parameterList: macParam('00-56-2B-AA-BB-02') }));
      expect(await macs.findOne({ _id: '00562baabb02' as never })).toMatchObject({ deviceId: idOf('MACPHONE'), source: 'parameters' });
      expect(await macs.findOne({ _id: '00562baabb01' as never })).toBeNull();
    });

    test('a periodic session with nothing to do costs at most two MongoDB round trips', async () => {
      await register('CHEAP');
      const commands: string[] = [];
      const listener = (e: CommandStartedEvent) => void (isTraceWrite(e) || commands.push(e.commandName));
      acs.ctx.mongo.on('commandStarted', listener);
      try {
        const cpe = new ManualCpe(acs.cwmpUrl, creds);
        await cpe.exchange(inform('CHEAP'));
        expect((await cpe.post('')).status).toBe(204);
      } finally {
        acs.ctx.mongo.off('commandStarted', listener);
      }
      expect(commands).toEqual(['find', 'update']);
    });
  });
  checked();
}
