import type { CommandStartedEvent } from 'mongodb';
import type { Reconciler } from '../../../src/cwmp/session/reconciler';
import { DeviceRepository } from '../../../src/devices/repository';
import { Fleet, type FleetDevice } from '../../../src/sim';
import { startCwmp } from '../../../src/roles/cwmp';
import type { RunningRole } from '../../../src/roles';
import { TaskRepository } from '../../../src/tasks/repository';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../../support/acs';
import { isTraceWrite } from '../../support/mongo';

/**
 * The engine's contract with a reconciler, checked with a small one that wants a 3600 s
 * periodic interval under ParameterKey "rev-1" and records what it was told.
 */
const INTERVAL = 'Device.ManagementServer.PeriodicInformInterval';
const calls: string[] = [];
const reconciler: Reconciler = {
  viewFields: ['tags'],
  begin(view, inform) {
    const key = inform.parameterList.find((p) => p.name === 'Device.ManagementServer.ParameterKey')?.value;
    calls.push(`begin tags=${JSON.stringify(view.tags ?? null)} key=${String(key)}`);
    return key === 'rev-1' ? undefined : { step: 'set' };
  },
  async next(state) {
    const s = state as { step: string };
    calls.push(`next ${s.step}`);
    if (s.step !== 'set') return { state };
    return { state: { step: 'sent' }, rpc: { method: 'SetParameterValues', parameterKey: 'rev-1', parameterList: [{ name: INTERVAL, value: 3600, type: 'xsd:unsignedInt' }] } };
  },
  async answer(_state, _rpc, reply) {
    calls.push(`answer ${reply.method}`);
    return { step: 'done' };
  },
};

let acs: TestAcs;
let cwmp: RunningRole;
let fleet: Fleet;
let device: FleetDevice;

beforeAll(async () => {
  acs = await startTestAcs();
  cwmp = await startCwmp(acs.ctx, { reconciler });
  fleet = new Fleet({ acsUrl: `${cwmp.url}/`, auth: 'digest', username: CPE_USERNAME, password: CPE_PASSWORD, serialPrefix: 'REC', retry: false });
  await fleet.start();
  [device] = fleet.devices;
});
afterAll(async () => {
  await fleet?.stop(1000);
  await cwmp?.close();
  await acs?.close();
});

it('runs the operator tasks first, then the plan; a reconciled device then costs nothing more', async () => {
  expect((await device.runSession()).acsRequests).toEqual(['SetParameterValues']);
  expect(device.model.get(INTERVAL)).toBe(3600);
  expect(calls).toEqual(['begin tags=null key=', 'next set', 'answer SetParameterValuesResponse', 'next done']);
  const stored = await new DeviceRepository(acs.stores.db).getWithParams(device.deviceId);
  expect(stored).toMatchObject({ parameterKey: 'rev-1', params: { Device: { ManagementServer: { PeriodicInformInterval: { _v: 3600 } } } } });

  await acs.stores.db.collection('devices').updateOne({ _id: device.deviceId as never }, { $set: { tags: ['lobby'] } });
  await new TaskRepository(acs.stores.db).queue(device.deviceId, { method: 'GetParameterValues', parameterNames: [INTERVAL] });
  calls.length = 0;
  expect((await device.runSession()).acsRequests).toEqual(['GetParameterValues']);
  expect(calls).toEqual(['begin tags=["lobby"] key=rev-1']);

  const commands: string[] = [];
  const seen = (e: CommandStartedEvent) => void (isTraceWrite(e) || commands.push(e.commandName));
  acs.ctx.mongo.on('commandStarted', seen);
  try {
    expect((await device.runSession()).acsRequests).toEqual([]);
  } finally {
    acs.ctx.mongo.off('commandStarted', seen);
  }
  expect(commands).toEqual(['find', 'update']);
});
