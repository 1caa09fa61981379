import type { DeviceDoc } from '../../../../src/devices/types';
import type { AppliedFiles } from '../../../../src/provisioning/stores/applied';
import type { ProvisionDevices } from '../../../../src/provisioning/stores/devices';
import type { HistoryLog } from '../../../../src/provisioning/stores/history';
import { deviceDoc } from './devices.contract';

/** The contracts of provisioning's own ports: applied files, history, its view of the device documents. */

const at = new Date('2026-11-18T12:00:00.000Z');
const file = (key: string, taskId: string) => ({ taskId, key, digest: `d-${key}`, values: [{ name: 'Station_Name', value: key }, { name: 'Password_1_', value: 'h', secret: true as const }], at });

export function appliedContract(fixture: () => { applied: AppliedFiles }): void {
  it('knows nothing of a device before its first file', async () => {
    expect(await fixture().applied.get('nobody')).toBeUndefined();
  });

  it('a pending file becomes the delivered one when its own task arrives, giving the one before', async () => {
    const { applied } = fixture();
    await applied.pending('d1', file('r1', 't1'));
    expect(await applied.get('d1')).toEqual({ _id: 'd1', pending: file('r1', 't1') });
    const { taskId: _t1, ...first } = file('r1', 't1');
    expect(await applied.delivered('d1', 't1')).toEqual({ now: first });
    expect(await applied.get('d1')).toEqual({ _id: 'd1', file: first });
    await applied.pending('d1', file('r2', 't2'));
    const { taskId: _t2, ...second } = file('r2', 't2');
    expect(await applied.delivered('d1', 't2')).toEqual({ before: first, now: second });
  });

  it('another task than the pending one changes nothing', async () => {
    const { applied } = fixture();
    await applied.pending('d2', file('r1', 't1'));
    expect(await applied.delivered('d2', 'other')).toBeUndefined();
    await applied.dropPending('d2', 'other');
    expect((await applied.get('d2'))?.pending?.taskId).toBe('t1');
    expect(await applied.delivered('nobody', 't1')).toBeUndefined();
  });

  it('dropping the pending file keeps the delivered one', async () => {
    const { applied } = fixture();
    await applied.pending('d3', file('r1', 't1'));
    await applied.delivered('d3', 't1');
    await applied.pending('d3', file('r2', 't2'));
    await applied.dropPending('d3', 't2');
    const { taskId: _t, ...first } = file('r1', 't1');
    expect(await applied.get('d3')).toEqual({ _id: 'd3', file: first });
  });
}

export function historyContract(fixture: () => { history: HistoryLog }): void {
  const entry = (deviceId: string, n: number) => ({ deviceId, at, kind: 'set' as const, key: `r${n}`, profiles: [{ name: 'base', revision: n }], changes: [{ name: 'Station_Name', old: `${n - 1}`, new: `${n}` }] });

  it('lists a device changes newest first, in pages', async () => {
    const { history } = fixture();
    for (let n = 1; n <= 5; n++) await history.record(entry('h1', n));
    await history.record(entry('h2', 9));
    const first = await history.list('h1', 2);
    expect(first.items.map((d) => d.key)).toEqual(['r5', 'r4']);
    expect(first.items[0]).toMatchObject({ ...entry('h1', 5) });
    const second = await history.list('h1', 2, first.next);
    expect(second.items.map((d) => d.key)).toEqual(['r3', 'r2']);
    const last = await history.list('h1', 2, second.next);
    expect(last.items.map((d) => d.key)).toEqual(['r1']);
    expect(last.next).toBeUndefined();
  });

  it('a change with no entries is not recorded', async () => {
    const { history } = fixture();
    await history.record({ ...entry('h3', 1), changes: [] });
    expect((await history.list('h3', 10)).items).toEqual([]);
  });
}

export interface ProvisionDevicesFixture {
  devices: ProvisionDevices;
  seed(doc: DeviceDoc): Promise<void>;
}

export function provisionDevicesContract(fixture: () => ProvisionDevicesFixture): void {
  let n = 0;
  const seeded = async () => {
    const f = fixture();
    const id = `pd-${n++}`;
    await f.seed(deviceDoc(id, { softwareVersion: '11.0.1', mac: '00562babcdef', tags: ['lobby'] }));
    return { ...f, id };
  };

  it('reads the fields provisioning decides on, and nothing of a device that does not exist', async () => {
    const { devices, id } = await seeded();
    const device = await devices.get(id);
    expect(device).toMatchObject({ _id: id, softwareVersion: '11.0.1', mac: '00562babcdef', tags: ['lobby'], deviceId: { productClass: 'CP-8851-3PCC' } });
    expect(device).not.toHaveProperty('taskQueue');
    expect(await devices.get('nobody')).toBeUndefined();
    expect(await devices.tree(id)).toEqual({});
  });

  it('sets and clears fields of the provision part, leaving the others', async () => {
    const { devices, id } = await seeded();
    await devices.update(id, { applied: 'r1', own: 'o1', pending: { key: 'r1', taskId: 't1', at } });
    await devices.update(id, { failed: { key: 'r2', at, code: 9007, message: 'no' } }, ['pending', 'own']);
    expect((await devices.get(id))?.provision).toEqual({ applied: 'r1', failed: { key: 'r2', at, code: 9007, message: 'no' } });
    await devices.update(id, {}, ['failed']);
    expect((await devices.get(id))?.provision).toEqual({ applied: 'r1' });
  });

  it('settles a pending firmware step once, and only that task', async () => {
    const { devices, id } = await seeded();
    await devices.update(id, { firmware: { rollout: 'CP@3', wave: 0, hop: '12.0.2', status: 'pending', taskId: 't1', at } });
    const later = new Date(at.getTime() + 1000);
    expect(await devices.settleFirmware(id, 'other', 'done', later)).toBe(false);
    expect(await devices.settleFirmware(id, 't1', 'fault', later)).toBe(true);
    expect(await devices.settleFirmware(id, 't1', 'done', later)).toBe(false);
    expect((await devices.get(id))?.provision?.firmware).toEqual({ rollout: 'CP@3', wave: 0, hop: '12.0.2', status: 'fault', taskId: 't1', at: later });
  });
}
