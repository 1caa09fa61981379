import { parseRpc } from '../../../src/cli/api/rpc-args';
import { UsageError } from '../../../src/cli/errors';

it.each([
  [['get', 'Device.DeviceInfo.', 'Device.X'], { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.', 'Device.X'] }],
  [['set', 'Device.A:unsignedInt=60', 'Device.B=x=y', 'Device.C:boolean=true'], { method: 'SetParameterValues', parameterKey: '', parameterList: [{ name: 'Device.A', value: '60', type: 'xsd:unsignedInt' }, { name: 'Device.B', value: 'x=y', type: 'xsd:string' }, { name: 'Device.C', value: 'true', type: 'xsd:boolean' }] }],
  [['names', 'Device.', 'next-level'], { method: 'GetParameterNames', parameterPath: 'Device.', nextLevel: true }],
  [['reboot'], { method: 'Reboot', commandKey: '' }],
  [['download', 'http://fs/f.loads', '1 Firmware Upgrade Image'], { method: 'Download', url: 'http://fs/f.loads', fileType: '1 Firmware Upgrade Image' }],
  [['GetQueuedTransfers'], { method: 'GetQueuedTransfers' }],
])('%j', ([method, ...args], rpc) => {
  expect(parseRpc(method, args)).toEqual(rpc);
});

it('takes any method with JSON arguments', () => {
  expect(parseRpc('ScheduleInform', [], '{"delaySeconds":30}')).toEqual({ method: 'ScheduleInform', delaySeconds: 30 });
});

it.each([
  [['get'], 'needs at least one parameter name'],
  [['set', 'Device.A'], 'is not NAME[:TYPE]=VALUE'],
  [['set', 'Device.A:float=1'], 'unknown type "float"'],
  [['warp'], 'unknown RPC "warp"'],
  [['download', 'http://x'], 'needs a URL and a file type'],
])('%j is a usage error', ([method, ...args], message) => {
  expect(() => parseRpc(method, args)).toThrow(UsageError);
  expect(() => parseRpc(method, args)).toThrow(message);
});

it('refuses --rpc that is not a JSON object', () => {
  expect(() => parseRpc('Reboot', [], '{')).toThrow('--rpc is not JSON');
  expect(() => parseRpc('Reboot', [], '[1]')).toThrow('--rpc must be a JSON object');
});
