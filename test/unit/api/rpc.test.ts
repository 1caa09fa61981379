import { ProblemError, schemaProblem } from '../../../src/api/problem';
import { normaliseRpc } from '../../../src/api/rpc';
import { ref, validatorFor } from '../../../src/api/schemas';
import { encodeEnvelope } from '../../../src/cwmp/soap';
import { METHODS } from '../../../src/cwmp/soap/schema';
import type { AcsRequest } from '../../../src/cwmp/soap/types';
import rpcSchema from '../../../schemas/api/rpc.schema.json';

/** The API's RPC schema against the codec: every RPC the ACS can send, and only what it can encode. */
const validate = validatorFor(ref('rpc', 'AcsRequest'), 'json');
const taskCreate = ref('tasks', 'TaskCreate');

const MINIMAL: Record<string, Record<string, unknown>> = {
  GetRPCMethods: {},
  GetParameterValues: { parameterNames: ['Device.DeviceInfo.'] },
  SetParameterValues: { parameterList: [{ name: 'Device.ManagementServer.PeriodicInformInterval', value: 300, type: 'xsd:unsignedInt' }] },
  GetParameterNames: {},
  SetParameterAttributes: { parameterList: [{ name: 'Device.DeviceInfo.SoftwareVersion' }] },
  GetParameterAttributes: { parameterNames: ['Device.DeviceInfo.SoftwareVersion'] },
  AddObject: { objectName: 'Device.Services.VoiceService.1.VoiceProfile.' },
  DeleteObject: { objectName: 'Device.Services.VoiceService.1.VoiceProfile.2.' },
  Download: { fileType: '1 Firmware Upgrade Image', url: 'http://fs.example/sip88xx.12-0-1MPP.loads' },
  Upload: { fileType: '3 Vendor Configuration File', url: 'http://fs.example/up' },
  Reboot: {},
  FactoryReset: {},
  ScheduleInform: { delaySeconds: 60 },
  ScheduleDownload: { fileType: '1 Firmware Upgrade Image', url: 'http://fs.example/f', timeWindowList: [{ windowStart: 0, windowEnd: 3600, windowMode: '1 At Any Time' }] },
  CancelTransfer: { commandKey: 'abc' },
  GetQueuedTransfers: {},
  GetAllQueuedTransfers: {},
};

const acsMethods = Object.keys(METHODS).filter((m) => `${m}Response` in METHODS && !['Inform', 'TransferComplete', 'AutonomousTransferComplete', 'RequestDownload', 'Kicked'].includes(m));

it('has a branch for every RPC the ACS sends, and no other', () => {
  const branches = (rpcSchema.$defs.AcsRequest.oneOf as Array<{ $ref: string }>).map((b) => b.$ref.replace('#/$defs/', ''));
  expect(branches.sort()).toEqual(acsMethods.sort());
  expect(Object.keys(MINIMAL).sort()).toEqual(acsMethods.sort());
});

it.each(Object.entries(MINIMAL))('%s: the minimal request validates, gets its defaults and encodes', (method, args) => {
  const rpc = { method, ...args };
  expect(validate(rpc)).toBe(true);
  const normal = normaliseRpc(rpc as AcsRequest, 'rpc');
  const xml = encodeEnvelope({ namespace: 'urn:dslforum-org:cwmp-1-2', header: { id: '1' }, body: normal });
  expect(xml).toMatch(new RegExp(`<cwmp:${method}[ />]`));
});

it('fills in the optional arguments of a Download', () => {
  const rpc: Record<string, unknown> = { method: 'Download', fileType: '1 Firmware Upgrade Image', url: 'http://x/f' };
  expect(validate(rpc)).toBe(true);
  expect(rpc).toEqual({ method: 'Download', fileType: '1 Firmware Upgrade Image', url: 'http://x/f', commandKey: '', username: '', password: '', fileSize: 0, targetFileName: '', delaySeconds: 0, successURL: '', failureURL: '' });
});

it.each([
  [{ method: 'SetParameterValues' }, 'rpc.parameterList', 'is required'],
  [{ method: 'Download', fileType: '1 Firmware Upgrade Image' }, 'rpc.url', 'is required'],
  [{ method: 'Download', fileType: '1 Firmware Upgrade Image', url: 'file:///etc/passwd' }, 'rpc.url', 'must match pattern'],
  [{ method: 'Reboot', force: true }, 'rpc.force', 'is not allowed (unknown field)'],
  [{ method: 'Jump' }, 'rpc.method', 'is not a known RPC method'],
  [{ parameterNames: [] }, 'rpc.method', 'is required and must be a string'],
  [{ method: 'GetParameterValues', parameterNames: ['Device.A', 5] }, 'rpc.parameterNames.1', 'must be string'],
  [{ method: 'ScheduleInform', delaySeconds: 0 }, 'rpc.delaySeconds', 'must be >= 1'],
])('%j is refused naming %s', (rpc, field, message) => {
  const validateTask = validatorFor(taskCreate, 'json');
  expect(validateTask({ rpc })).toBe(false);
  const problem = schemaProblem('body', validateTask.errors ?? []);
  expect(problem.status).toBe(400);
  expect(problem.errors).toContainEqual(expect.objectContaining({ in: 'body', field, message: expect.stringContaining(message) }));
  expect(problem.message).toContain(`body field "${problem.errors![0].field}"`);
});

describe('normaliseRpc', () => {
  const spv = (...parameterList: unknown[]) => ({ method: 'SetParameterValues', parameterKey: '', parameterList }) as AcsRequest;

  it('types values from their JSON type when no type is given, and stores them as the device reports them', () => {
    const out = normaliseRpc(spv({ name: 'A.B', value: true }, { name: 'A.C', value: 5 }, { name: 'A.D', value: -5 }, { name: 'A.E', value: 'x' }, { name: 'A.F', value: '42', type: 'xsd:unsignedInt' }), 'rpc');
    expect(out).toMatchObject({
      parameterList: [
        { name: 'A.B', value: true, type: 'xsd:boolean' },
        { name: 'A.C', value: 5, type: 'xsd:unsignedInt' },
        { name: 'A.D', value: -5, type: 'xsd:int' },
        { name: 'A.E', value: 'x', type: 'xsd:string' },
        { name: 'A.F', value: 42, type: 'xsd:unsignedInt' },
      ],
    });
  });

  it.each([
    [spv({ name: 'A.B', value: 'often', type: 'xsd:unsignedInt' }), 'rpcs.2.parameterList.0.value'],
    [spv({ name: 'A.B', value: -1, type: 'xsd:unsignedInt' }), 'rpcs.2.parameterList.0.value'],
    [spv({ name: 'A.B', value: 'maybe', type: 'xsd:boolean' }), 'rpcs.2.parameterList.0.value'],
    [spv({ name: 'A.B', value: 1 }, { name: 'A.B', value: 2 }), 'rpcs.2.parameterList.1.name'],
    [spv({ name: 'A.', value: 1 }), 'rpcs.2.parameterList.0.name'],
  ])('refuses %j naming %s', (rpc, field) => {
    let caught: unknown;
    try {
      normaliseRpc(rpc, 'rpcs.2');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ProblemError);
    expect((caught as ProblemError).errors).toEqual([expect.objectContaining({ in: 'body', field })]);
  });
});
