import { deviceKey } from '../../../src/devices/id';
import { DeviceRepository } from '../../../src/devices/repository';
import { TaskRepository } from '../../../src/tasks/repository';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../../support/acs';
import { inform, ManualCpe } from '../../support/cwmp-client';

let acs: TestAcs;
beforeAll(async () => {
  acs = await startTestAcs();
});
afterAll(async () => acs?.close());

it('runs Inform → empty POST → queued GetParameterValues → 204 over HTTP', async () => {
  const cpe = new ManualCpe(acs.cwmpUrl, { username: CPE_USERNAME, password: CPE_PASSWORD });
  const first = await cpe.exchange(inform('SMOKE1', ['0 BOOTSTRAP', '1 BOOT']));
  expect(first.reply.status).toBe(200);
  expect(first.envelope.body).toEqual({ method: 'InformResponse', maxEnvelopes: 1 });
  expect((await cpe.post('')).status).toBe(204);

  const id = deviceKey({ oui: '00562B', productClass: 'CP-8851-3PCC', serialNumber: 'SMOKE1' });
  const task = await new TaskRepository(acs.stores.db).queue(id, { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.UpTime'] });

  await cpe.exchange(inform('SMOKE1'));
  const rpc = await cpe.post('');
  expect(rpc.status).toBe(200);
  const { decodeEnvelope } = await import('../../../src/cwmp/soap');
  const request = decodeEnvelope(rpc.text);
  expect(request.body).toEqual({ method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.UpTime'] });
  const done = await cpe.send(
    { method: 'GetParameterValuesResponse', parameterList: [{ name: 'Device.DeviceInfo.UpTime', value: 77, type: 'xsd:unsignedInt' }] },
    { id: request.header.id },
  );
  expect(done.status).toBe(204);
  const stored = await new TaskRepository(acs.stores.db).get(task._id);
  expect(stored).toMatchObject({ status: 'done', attempts: 1 });
  const device = await new DeviceRepository(acs.stores.db).getWithParams(id);
  expect(device?.params).toMatchObject({ Device: { DeviceInfo: { UpTime: { _v: 77 } } } });
  expect(device?.taskQueue).toEqual([]);
});
