import { buildTree, fieldOf, isValidPath, leaves, mergeNames, parsePath, subtree, valueFields } from '../../../src/devices/params';
import type { ParamTree } from '../../../src/devices/types';

const t0 = new Date('2026-01-01T00:00:00Z');
const t1 = new Date('2026-01-02T00:00:00Z');

describe('parameter paths', () => {
  it('maps paths to fields of the params tree', () => {
    expect(fieldOf('Device.DeviceInfo.SoftwareVersion')).toBe('params.Device.DeviceInfo.SoftwareVersion');
    expect(fieldOf('Device.Services.VoiceService.1.')).toBe('params.Device.Services.VoiceService.1');
    expect(parsePath('Device.X_CISCO_Foo.[alias1].Bar')).toEqual({ segments: ['Device', 'X_CISCO_Foo', '[alias1]', 'Bar'], isObject: false });
  });

  it.each(['', '.', 'Device..X', 'Device.$where', 'Device._v', 'Device.a b', 'Device.' + 'x'.repeat(300), 'Device.__proto__'])('refuses %j', (p) => {
    expect(isValidPath(p)).toBe(false);
  });

  it('records a learned value without touching other attributes', () => {
    expect(valueFields('Device.A.B', 5, 'xsd:unsignedInt', t0)).toEqual({
      'params.Device.A.B._v': 5,
      'params.Device.A.B._t': 'xsd:unsignedInt',
      'params.Device.A.B._ts': t0,
    });
  });

  it('builds a fresh tree and lists its leaves', () => {
    const tree = buildTree(
      [
        { name: 'Device.DeviceInfo.SoftwareVersion', value: 'sip88xx.12-0-1MPP', type: 'xsd:string' },
        { name: 'Device.ManagementServer.PeriodicInformInterval', value: 20, type: 'xsd:unsignedInt' },
        { name: 'Device.DeviceInfo.SoftwareVersion', value: 'sip88xx.12-0-2MPP', type: 'xsd:string' },
      ],
      t0,
    );
    expect([...leaves(tree)]).toEqual([
      ['Device.DeviceInfo.SoftwareVersion', { _v: 'sip88xx.12-0-2MPP', _t: 'xsd:string', _ts: t0 }],
      ['Device.ManagementServer.PeriodicInformInterval', { _v: 20, _t: 'xsd:unsignedInt', _ts: t0 }],
    ]);
    expect(subtree(tree, ['Device', 'DeviceInfo'])).toHaveProperty('SoftwareVersion');
    expect(subtree(tree, ['Device', 'Nope'])).toBeUndefined();
  });
});

describe('mergeNames (GetParameterNames listings)', () => {
  const known: ParamTree = {
    Line: {
      _o: true,
      '1': { _o: true, Enable: { _v: true, _t: 'xsd:boolean', _ts: t0 }, SIP: { AuthUserName: { _v: 'u1', _t: 'xsd:string', _ts: t0 } } },
      '2': { _o: true, Enable: { _v: false, _t: 'xsd:boolean', _ts: t0 } },
    },
  };
  const base = 'Device.Services.VoiceService.1.VoiceProfile.1.';

  it('a full listing keeps known values of listed names and drops the rest', () => {
    const merged = mergeNames(
      known,
      base,
      [
        { name: `${base}Line.`, writable: false },
        { name: `${base}Line.1.`, writable: true },
        { name: `${base}Line.1.Enable`, writable: true },
        { name: `${base}Line.1.DirectoryNumber`, writable: true },
      ],
      false,
      t1,
    );
    expect(merged).toEqual({
      Line: {
        _o: true,
        _w: false,
        _ts: t1,
        '1': { _o: true, _w: true, _ts: t1, Enable: { _v: true, _t: 'xsd:boolean', _ts: t0, _w: true }, DirectoryNumber: { _w: true } },
      },
    });
  });

  it('a next-level listing keeps what is known below still-present children', () => {
    const merged = mergeNames(known.Line as ParamTree, `${base}Line.`, [{ name: `${base}Line.1.`, writable: true }], true, t1);
    expect(merged['1']).toMatchObject({ _o: true, _w: true, _ts: t1, Enable: { _v: true }, SIP: { AuthUserName: { _v: 'u1' } } });
    expect(merged['2']).toBeUndefined();
  });

  it('records the attributes of the listed object itself', () => {
    expect(mergeNames(undefined, `${base}Line.`, [{ name: `${base}Line.`, writable: true }], true, t1)).toEqual({ _o: true, _w: true, _ts: t1 });
  });

  it('ignores names outside the listed path', () => {
    expect(mergeNames(undefined, base, [{ name: 'Device.Other.X', writable: true }], false, t1)).toEqual({});
  });
});
