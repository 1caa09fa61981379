import { decodeCursor, encodeCursor, toPage } from '../../../src/api/pagination';
import { ProblemError } from '../../../src/api/problem';
import { deviceView, maskRpc, taskView } from '../../../src/api/views';
import { buildTree } from '../../../src/devices/params';
import type { TaskDoc } from '../../../src/tasks/types';

/** What leaves the API: no secret, ever; cursors that survive the round trip. */
const now = new Date('2025-06-01T12:00:00Z');

it('masks transfer passwords and the values of secret parameters in RPCs and results', () => {
  expect(maskRpc({ method: 'Download', commandKey: '', fileType: '1 Firmware Upgrade Image', url: 'http://x', username: 'u', password: 'hunter2', fileSize: 0, targetFileName: '', delaySeconds: 0, successURL: '', failureURL: '' })).toMatchObject({ username: 'u', password: '***' });
  const spv = maskRpc({
    method: 'SetParameterValues',
    parameterKey: '',
    parameterList: [
      { name: 'Device.Services.VoiceService.1.VoiceProfile.1.Line.1.SIP.AuthPassword', value: 'sip-secret', type: 'xsd:string' },
      { name: 'Device.ManagementServer.ConnectionRequestPassword', value: 'cr-secret', type: 'xsd:string' },
      { name: 'Device.ManagementServer.PeriodicInformInterval', value: 60, type: 'xsd:unsignedInt' },
    ],
  });
  expect(JSON.stringify(spv)).not.toMatch(/secret/);
  expect(spv).toMatchObject({ parameterList: [{ value: '***' }, { value: '***' }, { value: 60 }] });
  const task: TaskDoc = {
    _id: 'a'.repeat(24),
    deviceId: 'D-P-S',
    rpc: { method: 'GetParameterValues', parameterNames: ['Device.'] },
    status: 'done',
    createdAt: now,
    updatedAt: now,
    attempts: 1,
    result: { method: 'GetParameterValuesResponse', parameterList: [{ name: 'Device.X.Password', value: 'leaked', type: 'xsd:string' }, { name: 'Device.X.Name', value: 'ok', type: 'xsd:string' }] },
  };
  expect(JSON.stringify(taskView(task))).not.toContain('leaked');
  expect(taskView(task)).toMatchObject({ released: false, result: { parameterList: [{ value: '***' }, { value: 'ok' }] } });
});

it('shows a device without its credentials, and only the parameters asked for', () => {
  const params = buildTree(
    [
      { name: 'Device.DeviceInfo.ModelName', value: 'CP-8851', type: 'xsd:string' },
      { name: 'Device.DeviceInfo.UpTime', value: 5, type: 'xsd:unsignedInt' },
      { name: 'Device.Users.User.1.Password', value: 'pw', type: 'xsd:string' },
    ],
    now,
  );
  const doc = { _id: 'D-P-S', tags: ['a'], taskQueue: ['t1'], connectionRequestAuth: { username: 'cr', password: 'cr-pw' }, credentials: { username: 'u', realm: 'r', ha1Md5: 'x', ha1Sha256: 'y' } };
  const all = deviceView(doc, params);
  expect(JSON.stringify(all)).not.toMatch(/cr-pw|ha1|"pw"/);
  expect(all).toMatchObject({ id: 'D-P-S', tags: ['a'], queuedTasks: ['t1'], connectionRequestAuth: { username: 'cr' } });
  expect(Object.keys(all.parameters as object).sort()).toEqual(['Device.DeviceInfo.ModelName', 'Device.DeviceInfo.UpTime', 'Device.Users.User.1.Password']);
  expect((all.parameters as Record<string, { value: unknown }>)['Device.Users.User.1.Password'].value).toBe('***');
  expect(deviceView(doc, params, ['Device.DeviceInfo.UpTime']).parameters).toEqual({ 'Device.DeviceInfo.UpTime': { value: 5, type: 'xsd:unsignedInt', updatedAt: now } });
  expect(Object.keys(deviceView(doc, params, ['Device.DeviceInfo.']).parameters as object)).toHaveLength(2);
  expect(deviceView(doc, params, []).parameters).toBeUndefined();
});

describe('cursors', () => {
  it('carry strings and dates through', () => {
    const key = [new Date('2025-01-02T03:04:05.678Z'), '00562B-CP%2D8851-FCH1'];
    expect(decodeCursor(encodeCursor(key), ['date', 'string'])).toEqual(key);
  });

  it.each([['not base64 json', 'bm90IGpzb24'], ['wrong arity', encodeCursor(['a', 'b'])], ['a number for a string', encodeCursor([5])], ['text for a date', encodeCursor(['2025'])]])(
    'refuses %s, naming the cursor',
    (_why, text) => {
      const kinds: Array<'string' | 'date'> = text === encodeCursor(['2025']) ? ['date'] : ['string'];
      let caught: unknown;
      try {
        decodeCursor(text, kinds);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(ProblemError);
      expect((caught as ProblemError).errors).toEqual([expect.objectContaining({ in: 'query', field: 'cursor' })]);
    },
  );

  it('a page says whether another follows', () => {
    const rows = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    const page = toPage(rows, 2, (r) => r.id, (r) => [r.id]);
    expect(page.items).toEqual(['a', 'b']);
    expect(decodeCursor(page.nextCursor!, ['string'])).toEqual(['b']);
    expect(toPage(rows, 3, (r) => r.id, (r) => [r.id]).nextCursor).toBeNull();
  });
});
