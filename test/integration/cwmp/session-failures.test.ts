import { decodeEnvelope } from '../../../src/cwmp/soap';
import { deviceKey } from '../../../src/devices/id';
import { DeviceRepository } from '../../../src/devices/repository';
import { TaskRepository } from '../../../src/tasks/repository';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../../support/acs';
import { inform, ManualCpe } from '../../support/cwmp-client';

/**
 * One bad name or one failing write never wedges a device (issue 10, item 5): what is valid
 * is stored, what was refused is recorded on the task, and a session that fails ends so the
 * device's next Inform is served.
 */
const logs: Array<Record<string, unknown>> = [];
let acs: TestAcs;
let tasks: TaskRepository;
let devices: DeviceRepository;
const creds = { username: CPE_USERNAME, password: CPE_PASSWORD };
const idOf = (serial: string) => deviceKey({ oui: '00562B', productClass: 'CP-8851-3PCC', serialNumber: serial });

beforeAll(async () => {
  acs = await startTestAcs({}, { logs });
  tasks = new TaskRepository(acs.stores.db);
  devices = new DeviceRepository(acs.stores.db);
});
afterAll(async () => acs?.close());

/** Registers the device, queues `rpc` and opens a session in which it is in flight. */
async function sessionWithTask(serial: string, rpc: Parameters<TaskRepository['queue']>[1]) {
  const first = new ManualCpe(acs.cwmpUrl, creds);
  await first.exchange(inform(serial));
  expect((await first.post('')).status).toBe(204);
  const task = await tasks.queue(idOf(serial), rpc);
  const cpe = new ManualCpe(acs.cwmpUrl, creds);
  await cpe.exchange(inform(serial));
  const request = decodeEnvelope((await cpe.post('')).text);
  expect(request.body.method).toBe(rpc.method);
  return { cpe, task, rpcId: request.header.id! };
}

async function nextInformServed(serial: string): Promise<void> {
  const again = new ManualCpe(acs.cwmpUrl, creds);
  const r = await again.exchange(inform(serial));
  expect(r.reply.status).toBe(200);
  expect(r.envelope.body.method).toBe('InformResponse');
  expect((await again.post('')).status).toBe(204);
}

it('a GetParameterNamesResponse with an invalid name stores the rest and records what was refused', async () => {
  const { cpe, task, rpcId } = await sessionWithTask('GPN-BAD', { method: 'GetParameterNames', parameterPath: 'Device.', nextLevel: false });
  const before = logs.length;
  const reply = await cpe.send(
    {
      method: 'GetParameterNamesResponse',
      parameterList: [
        { name: 'Device.', writable: false },
        { name: 'Device.DeviceInfo.', writable: false },
        { name: 'Device.DeviceInfo..', writable: false },
        { name: 'Device.DeviceInfo.UpTime', writable: false },
        { name: 'Device.Time.NTPServer1', writable: true },
      ],
    },
    { id: rpcId },
  );
  expect(reply.status).toBe(204);
  const done = await tasks.get(task._id);
  expect(done).toMatchObject({ status: 'done', refused: [{ name: 'Device.DeviceInfo..', reason: 'invalid parameter name' }] });
  const stored = await devices.getWithParams(idOf('GPN-BAD'));
  expect(stored!.params).toMatchObject({ Device: { DeviceInfo: { UpTime: { _w: false } }, Time: { NTPServer1: { _w: true } } } });
  expect(logs.slice(before).filter((l) => l.event === 'cwmp.parameters_refused')).toHaveLength(1);
  await nextInformServed('GPN-BAD');
});

it('a GetParameterValuesResponse with an invalid name stores the rest and records what was refused', async () => {
  const { cpe, task, rpcId } = await sessionWithTask('GPV-BAD', { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.'] });
  const reply = await cpe.send(
    {
      method: 'GetParameterValuesResponse',
      parameterList: [
        { name: 'Device.DeviceInfo.UpTime', value: 42, type: 'xsd:unsignedInt' },
        { name: 'Device..UpTime', value: 1, type: 'xsd:unsignedInt' },
        { name: 'Device.DeviceInfo.', value: 'x', type: 'xsd:string' },
      ],
    },
    { id: rpcId },
  );
  expect(reply.status).toBe(204);
  expect((await tasks.get(task._id))?.refused).toEqual([
    { name: 'Device..UpTime', reason: 'invalid parameter name' },
    { name: 'Device.DeviceInfo.', reason: 'an object path where a parameter was expected' },
  ]);
  expect((await devices.getWithParams(idOf('GPV-BAD')))!.params).toMatchObject({ Device: { DeviceInfo: { UpTime: { _v: 42 } } } });
  await nextInformServed('GPV-BAD');
});

it('a write the store refuses ends the session: the task is faulted with the reason, the next Inform is served', async () => {
  const { cpe, task, rpcId } = await sessionWithTask('STORE-FAILS', { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.'] });
  // A tree the values cannot be written into: MongoDB refuses to create a field inside a string.
  await acs.stores.db.collection('device_params').updateOne({ _id: idOf('STORE-FAILS') as never }, { $set: { 'params.Device': 'not an object' } }, { upsert: true });
  const before = logs.length;
  const reply = await cpe.send({ method: 'GetParameterValuesResponse', parameterList: [{ name: 'Device.DeviceInfo.UpTime', value: 42, type: 'xsd:unsignedInt' }] }, { id: rpcId });
  expect(reply.status).toBe(500);
  expect(decodeEnvelope(reply.text).body).toMatchObject({ method: 'Fault', detail: { faultCode: 8002 } });
  expect(logs.slice(before).filter((l) => l.event === 'cwmp.session_failed')).toHaveLength(1);
  const faulted = await tasks.get(task._id);
  expect(faulted).toMatchObject({ status: 'fault', fault: { code: 'acs_error' } });
  expect(faulted?.fault?.message).toMatch(/could not store the answer/);
  await nextInformServed('STORE-FAILS');
});
