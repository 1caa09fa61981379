import { decodeEnvelope } from '../../../src/cwmp/soap';
import type { Inform } from '../../../src/cwmp/soap/types';
import { deviceKey } from '../../../src/devices/id';
import { DeviceRepository } from '../../../src/devices/repository';
import { TaskRepository } from '../../../src/tasks/repository';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../../support/acs';
import { apiClient, enc, type ApiClient } from '../../support/api';
import { runCli } from '../../support/cli';
import { inform, ManualCpe } from '../../support/cwmp-client';

/**
 * Limits on what a device may store (issue 10, item 6), each over real HTTP: the refusal
 * answers the right CWMP fault, is logged once, and leaves a bystander's session and tasks
 * untouched.
 */
const logs: Array<Record<string, unknown>> = [];
let acs: TestAcs;
let tasks: TaskRepository;
let devices: DeviceRepository;
let api: ApiClient;
const creds = { username: CPE_USERNAME, password: CPE_PASSWORD };
const PC = 'CP-8851-3PCC';
const idOf = (serial: string, productClass = PC) => deviceKey({ oui: '00562B', productClass, serialNumber: serial });

let bystander: ManualCpe;
let bystanderTask: string;
let bystanderRpcId: string;

beforeAll(async () => {
  acs = await startTestAcs({ ACS_CWMP_MAX_PARAMETERS: '100', ACS_CWMP_MAX_VALUE_LENGTH: '64', ACS_CWMP_MAX_EVENT_CODES: '4', ACS_CWMP_MAX_BODY: '2097152' }, { logs, roles: ['cwmp', 'api'] });
  tasks = new TaskRepository(acs.stores.db);
  devices = new DeviceRepository(acs.stores.db);
  api = apiClient(acs, await acs.token('operator'));
  const first = new ManualCpe(acs.cwmpUrl, creds);
  await first.exchange(inform('BYSTANDER'));
  await first.post('');
  bystanderTask = (await tasks.queue(idOf('BYSTANDER'), { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.UpTime'] }))._id;
  bystander = new ManualCpe(acs.cwmpUrl, creds);
  await bystander.exchange(inform('BYSTANDER'));
  bystanderRpcId = decodeEnvelope((await bystander.post('')).text).header.id!;
});
afterAll(async () => acs?.close());

/** Runs one over-the-limit request and checks its single log line and the bystander. */
async function expectContained(run: () => Promise<void>, event: string): Promise<void> {
  const before = logs.length;
  await run();
  expect(logs.slice(before).filter((l) => l.event === event)).toHaveLength(1);
  expect(JSON.stringify(logs.slice(before))).not.toContain(CPE_PASSWORD);
  expect(await tasks.get(bystanderTask)).toMatchObject({ status: 'sent', attempts: 1 });
}

function withId(serial: string, deviceId: Partial<Inform['deviceId']>, events?: string[], extra?: Inform['parameterList']): Inform {
  const i = inform(serial, events, extra);
  return { ...i, deviceId: { ...i.deviceId, ...deviceId } };
}

async function expectFault(message: Inform, code: number): Promise<void> {
  const cpe = new ManualCpe(acs.cwmpUrl, creds);
  const r = await cpe.send(message);
  expect(r.status).toBe(500);
  expect(decodeEnvelope(r.text).body).toMatchObject({ method: 'Fault', detail: { faultCode: code } });
}

async function deviceCount(): Promise<number> {
  return acs.stores.db.collection('devices').countDocuments({});
}

describe('the DeviceId of an Inform', () => {
  it('a 100,000-character SerialNumber: fault 8003, nothing stored', async () => {
    const count = await deviceCount();
    await expectContained(() => expectFault(inform('S'.repeat(100_000)), 8003), 'cwmp.refused');
    expect(await deviceCount()).toBe(count);
  });

  it('the TR-069 bound is 64 characters: 64 is accepted, 65 refused', async () => {
    const ok = new ManualCpe(acs.cwmpUrl, creds);
    expect((await ok.exchange(inform('L'.repeat(64)))).envelope.body.method).toBe('InformResponse');
    await ok.post('');
    await expectContained(() => expectFault(inform('L'.repeat(65)), 8003), 'cwmp.refused');
    await expectContained(() => expectFault(withId('PC-LONG', { productClass: 'P'.repeat(65) }), 8003), 'cwmp.refused');
  });

  it('a raw NUL byte or another control character: fault 8003', async () => {
    const count = await deviceCount();
    for (const serial of ['FCH\u0000123', 'FCH\u0001123']) {
      const cpe = new ManualCpe(acs.cwmpUrl, creds);
      const body = (await import('../../../src/cwmp/soap')).encodeEnvelope({ namespace: 'urn:dslforum-org:cwmp-1-2', header: { id: 'nul' }, body: inform('PLACEHOLDER') }).replace('PLACEHOLDER', serial);
      await expectContained(async () => {
        const r = await cpe.post(body);
        expect(r.status).toBe(500);
        expect(decodeEnvelope(r.text).body).toMatchObject({ method: 'Fault', detail: { faultCode: 8003 } });
      }, 'cwmp.refused');
    }
    expect(await deviceCount()).toBe(count);
  });

  it('an OUI that is not six hexadecimal digits: fault 8003', async () => {
    await expectContained(() => expectFault(withId('BAD-OUI', { oui: '00562G' }), 8003), 'cwmp.refused');
    await expectContained(() => expectFault(withId('BAD-OUI', { oui: '00562B0' }), 8003), 'cwmp.refused');
  });

  it('an empty ProductClass is legal: the device is served and manageable through the API and CLI', async () => {
    const cpe = new ManualCpe(acs.cwmpUrl, creds);
    expect((await cpe.exchange(withId('NO-PC', { productClass: '' }))).envelope.body.method).toBe('InformResponse');
    expect((await cpe.post('')).status).toBe(204);
    const id = idOf('NO-PC', '');
    expect(id).toBe('00562B--NO%2DPC');
    const got = await api.get(`/devices/${enc(id)}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id, deviceId: { productClass: '' } });
    expect((await api.post(`/devices/${enc(id)}/tasks`, { rpc: { method: 'Reboot' } })).status).toBe(201);
    Object.assign(process.env, { ACS_API_URL: acs.apiUrl, ACS_API_TOKEN: await acs.token('operator', 'cli') });
    const cli = await runCli('devices', 'get', id, '--json');
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({ id });
  });
});

describe('what one message may report', () => {
  const many = (n: number, tag = 'v') => Array.from({ length: n }, (_, i) => ({ name: `Device.X.P${i}`, value: `${tag}${i}`, type: 'xsd:string' as const }));

  it('an Inform over the parameter limit: fault 8004, nothing stored', async () => {
    await expectContained(() => expectFault(inform('TOO-MANY', ['2 PERIODIC'], many(99)), 8004), 'cwmp.refused');
    expect(await devices.get(idOf('TOO-MANY'))).toBeNull();
  });

  it('a value over the length limit is not stored; the rest is', async () => {
    const cpe = new ManualCpe(acs.cwmpUrl, creds);
    await expectContained(async () => {
      const r = await cpe.exchange(inform('LONG-VALUE', ['2 PERIODIC'], [{ name: 'Device.X.Long', value: 'x'.repeat(65), type: 'xsd:string' }, { name: 'Device.X.Short', value: 'ok', type: 'xsd:string' }]));
      expect(r.envelope.body.method).toBe('InformResponse');
    }, 'cwmp.parameters_refused');
    await cpe.post('');
    const stored = await devices.getWithParams(idOf('LONG-VALUE'));
    expect(stored!.params).toMatchObject({ Device: { X: { Short: { _v: 'ok' } } } });
    expect((stored!.params as any).Device.X.Long).toBeUndefined();
  });

  async function answer(serial: string, response: Parameters<ManualCpe['send']>[0], rpc: Parameters<TaskRepository['queue']>[1] = { method: 'GetParameterValues', parameterNames: ['Device.X.'] }) {
    const first = new ManualCpe(acs.cwmpUrl, creds);
    await first.exchange(inform(serial));
    await first.post('');
    const task = await tasks.queue(idOf(serial), rpc);
    const cpe = new ManualCpe(acs.cwmpUrl, creds);
    await cpe.exchange(inform(serial));
    const id = decodeEnvelope((await cpe.post('')).text).header.id!;
    const reply = await cpe.send(response, { id });
    return { reply, task: await tasks.get(task._id) };
  }

  it('a GetParameterValuesResponse over the parameter limit faults its task and stores nothing', async () => {
    await expectContained(async () => {
      const { reply, task } = await answer('GPV-MANY', { method: 'GetParameterValuesResponse', parameterList: many(101) });
      expect(reply.status).toBe(204);
      expect(task).toMatchObject({ status: 'fault', fault: { code: 'limit_exceeded' } });
    }, 'cwmp.too_many_parameters');
    expect((await devices.getWithParams(idOf('GPV-MANY')))!.params).not.toHaveProperty('Device.X');
  });

  it('a GetParameterValuesResponse value over the length limit is listed as refused on the task', async () => {
    await expectContained(async () => {
      const { task } = await answer('GPV-LONG', { method: 'GetParameterValuesResponse', parameterList: [{ name: 'Device.X.Long', value: 'y'.repeat(65), type: 'xsd:string' }, ...many(2)] });
      expect(task).toMatchObject({ status: 'done', refused: [{ name: 'Device.X.Long', reason: 'value longer than 64 characters' }] });
      const shown = await api.get(`/tasks/${task!._id}`);
      expect(shown.body.refused).toEqual([{ name: 'Device.X.Long', reason: 'value longer than 64 characters' }]);
    }, 'cwmp.parameters_refused');
    expect((await devices.getWithParams(idOf('GPV-LONG')))!.params).toMatchObject({ Device: { X: { P1: { _v: 'v1' } } } });
  });

  it('a 900 KB FaultString is cut to 256 characters', async () => {
    await expectContained(async () => {
      const huge = 'F'.repeat(900_000);
      const { reply, task } = await answer('FAULT-HUGE', { method: 'Fault', faultcode: 'Client', faultstring: huge, detail: { faultCode: 9005, faultString: huge, setParameterValuesFault: [] } });
      expect(reply.status).toBe(204);
      expect(task).toMatchObject({ status: 'fault', fault: { code: 9005, message: 'F'.repeat(256) } });
    }, 'cwmp.fault_string_cut');
  });
});

it('a device keeps at most ACS_CWMP_MAX_EVENT_CODES distinct event codes', async () => {
  const codes = ['2 PERIODIC', 'X 00562B A', 'X 00562B B', 'X 00562B C', 'X 00562B D', 'X 00562B E'];
  for (const code of codes) {
    const cpe = new ManualCpe(acs.cwmpUrl, creds);
    expect((await cpe.exchange(inform('EVENTS', [code]))).envelope.body.method).toBe('InformResponse');
    await cpe.post('');
  }
  const doc = await devices.get(idOf('EVENTS'));
  expect(Object.keys(doc!.eventTimes).sort()).toEqual(codes.slice(0, 4).sort());
  expect(logs.filter((l) => l.event === 'cwmp.event_codes_dropped' && l.deviceId === idOf('EVENTS'))).toHaveLength(2);
});

it('the bystander finishes its session untouched', async () => {
  const r = await bystander.send({ method: 'GetParameterValuesResponse', parameterList: [{ name: 'Device.DeviceInfo.UpTime', value: 5, type: 'xsd:unsignedInt' }] }, { id: bystanderRpcId });
  expect(r.status).toBe(204);
  expect(await tasks.get(bystanderTask)).toMatchObject({ status: 'done' });
});
