import type { SessionMacs } from '../../../../src/cwmp/session/ports';
import type { MacDirectory } from '../../../../src/devices/mac-directory';
import { deviceDoc, phone, type DevicesFixture } from './devices.contract';

export interface MacsFixture extends DevicesFixture {
  macs: SessionMacs & Pick<MacDirectory, 'lookup'>;
}

export function macsContract(fixture: () => MacsFixture): void {
  it('records a MAC on the device and in the directory, normalised', async () => {
    const { macs, devices, seed } = fixture();
    const { id } = phone();
    await seed(deviceDoc(id));
    expect(await macs.assign(id, '00:56:2B:AA:BB:01', 'inform')).toBe(true);
    expect(await macs.lookup('00562baabb01')).toBe(id);
    expect((await devices.get(id, { mac: 1 }))!.mac).toBe('00562baabb01');
  });

  it('releases the MAC a device had before, and refuses what is not a MAC', async () => {
    const { macs, seed } = fixture();
    const { id } = phone();
    await seed(deviceDoc(id));
    await macs.assign(id, '00562baabb02', 'inform');
    await macs.assign(id, '00562baabb03', 'parameters');
    expect(await macs.lookup('00562baabb02')).toBeUndefined();
    expect(await macs.lookup('00562baabb03')).toBe(id);
    await expect(macs.assign(id, 'not a mac', 'api')).rejects.toBeInstanceOf(RangeError);
  });

  it('moves a MAC to the device that reports it last, and records nothing for an unknown device', async () => {
    const { macs, seed } = fixture();
    const [a, b] = [phone().id, phone().id];
    await seed(deviceDoc(a));
    await seed(deviceDoc(b));
    await macs.assign(a, '00562baabb04', 'inform');
    await macs.assign(b, '00562baabb04', 'inform');
    expect(await macs.lookup('00562baabb04')).toBe(b);
    await macs.assign(a, '00562baabb05', 'inform');
    expect(await macs.lookup('00562baabb04')).toBe(b);
    expect(await macs.assign(phone().id, '00562baabb06', 'inform')).toBe(false);
    expect(await macs.lookup('00562baabb06')).toBeUndefined();
  });
}
