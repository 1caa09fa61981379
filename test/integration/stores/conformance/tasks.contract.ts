import type { SessionTasks } from '../../../../src/cwmp/session/ports';
import type { TaskRepository } from '../../../../src/tasks/repository';
import { UnknownDeviceError } from '../../../../src/tasks/repository';
import type { DevicesFixture } from './devices.contract';
import { deviceDoc, phone } from './devices.contract';

/** The tasks port, with the operator's side (queue, cancel) the cases arrange with. */
export interface TasksFixture extends DevicesFixture {
  tasks: SessionTasks & Pick<TaskRepository, 'queue' | 'cancel' | 'recordFault'>;
}

const REBOOT = { method: 'Reboot' as const, commandKey: '' };
export const DOWNLOAD = { method: 'Download' as const, commandKey: 'fw', fileType: '1 Firmware Upgrade Image', url: 'http://fs/fw.bin', username: '', password: '', fileSize: 0, targetFileName: '', delaySeconds: 0, successURL: '', failureURL: '' };
const DOWNLOAD_ACCEPTED = { method: 'DownloadResponse' as const, status: 1 as const, startTime: '0001-01-01T00:00:00Z', completeTime: '0001-01-01T00:00:00Z' };

export function tasksContract(fixture: () => TasksFixture): void {
  const t0 = new Date('2026-03-01T10:00:00.000Z');
  const t1 = new Date('2026-03-01T10:01:00.000Z');
  const t2 = new Date('2026-03-01T10:02:00.000Z');

  async function device(): Promise<string> {
    const { id } = phone();
    await fixture().seed(deviceDoc(id));
    return id;
  }

  it('queues pending tasks on their device, oldest first, and refuses an unknown device', async () => {
    const { tasks, devices } = fixture();
    const id = await device();
    const a = await tasks.queue(id, REBOOT, { createdBy: 'op' });
    const b = await tasks.queue(id, { method: 'GetRPCMethods' });
    expect((await devices.get(id))!.taskQueue).toEqual([a._id, b._id]);
    expect(await tasks.get(a._id)).toMatchObject({ _id: a._id, deviceId: id, rpc: REBOOT, status: 'pending', attempts: 0, createdBy: 'op' });
    await expect(tasks.queue(phone().id, REBOOT)).rejects.toBeInstanceOf(UnknownDeviceError);
    expect(await tasks.get('0123456789abcdef01234567')).toBeNull();
  });

  it('lets one session claim a task; a claim from the same stale read fails', async () => {
    const { tasks } = fixture();
    const task = await tasks.queue(await device(), REBOOT);
    const claimed = await tasks.claim(task, 's1', t0);
    expect(claimed).toMatchObject({ status: 'sent', sessionId: 's1', sentAt: t0, attempts: 1 });
    expect(await tasks.claim(task, 's2', t1)).toBeNull();
    expect(await tasks.get(task._id)).toMatchObject({ sessionId: 's1', attempts: 1 });
  });

  it('claims a pending, unexpired task unread, and nothing else', async () => {
    const { tasks } = fixture();
    const id = await device();
    const task = await tasks.queue(id, REBOOT);
    expect(await tasks.claimPending(task._id, 's1', t0)).toMatchObject({ _id: task._id, rpc: REBOOT, status: 'sent', sessionId: 's1', sentAt: t0, updatedAt: t0, attempts: 1 });
    // in flight, even for a session that died: taking it over needs the read `claim` compares with
    expect(await tasks.claimPending(task._id, 's2', t1)).toBeNull();
    expect(await tasks.get(task._id)).toMatchObject({ sessionId: 's1', attempts: 1 });
    expect(await tasks.release(task._id, 's1', t1, { unsent: true })).toBe(true);
    expect(await tasks.claimPending(task._id, 's2', t1)).toMatchObject({ sessionId: 's2', attempts: 1 });

    const expiring = await tasks.queue(id, REBOOT, { expiresAt: t1 });
    expect(await tasks.claimPending(expiring._id, 's3', t0)).toMatchObject({ status: 'sent', attempts: 1 });
    const expired = await tasks.queue(id, REBOOT, { expiresAt: t1 });
    expect(await tasks.claimPending(expired._id, 's3', t1)).toBeNull();
    expect(await tasks.get(expired._id)).toMatchObject({ status: 'pending', attempts: 0 });

    const cancelled = await tasks.queue(id, REBOOT);
    await tasks.cancel(cancelled._id, t0);
    expect(await tasks.claimPending(cancelled._id, 's3', t1)).toBeNull();
    expect(await tasks.claimPending('0123456789abcdef01234567', 's3', t1)).toBeNull();
  });

  it('lets a new session take over a task a dead session left in flight', async () => {
    const { tasks } = fixture();
    const task = await tasks.queue(await device(), REBOOT);
    const left = (await tasks.claim(task, 'dead', t0))!;
    expect(await tasks.claim(left, 'next', t1)).toMatchObject({ status: 'sent', sessionId: 'next', attempts: 2 });
    expect(await tasks.settle(task._id, 'dead', { status: 'done', result: { method: 'RebootResponse' } }, t2)).toBe(false);
  });

  it('settles only for the session holding the task, once', async () => {
    const { tasks } = fixture();
    const task = await tasks.queue(await device(), REBOOT);
    await tasks.claim(task, 's1', t0);
    expect(await tasks.settle(task._id, 's2', { status: 'done', result: { method: 'RebootResponse' } }, t1)).toBe(false);
    expect(await tasks.settle(task._id, 's1', { status: 'done', result: { method: 'RebootResponse' }, refused: [{ name: 'X', reason: 'r' }] }, t1)).toBe(true);
    const done = (await tasks.get(task._id))!;
    expect(done).toMatchObject({ status: 'done', completedAt: t1, updatedAt: t1, result: { method: 'RebootResponse' }, refused: [{ name: 'X', reason: 'r' }] });
    expect(done.sessionId).toBe('s1');
    expect(await tasks.settle(task._id, 's1', { status: 'fault', fault: { code: 9002, message: 'x' } }, t2)).toBe(false);
    expect(await tasks.settle(task._id, 's1', { status: 'done', result: { method: 'RebootResponse' } }, t2)).toBe(false);
    expect((await tasks.get(task._id))!).toMatchObject({ status: 'done', completedAt: t1 });
  });

  it('tells each of many sessions settling together whether it held its task', async () => {
    const { tasks } = fixture();
    const held = await Promise.all([1, 2, 3, 4].map(async (n) => (await tasks.claim(await tasks.queue(await device(), REBOOT), `s${n}`, t0))!));
    const answer = { status: 'done' as const, result: { method: 'RebootResponse' as const } };
    // s3's task was taken over by another session meanwhile
    await tasks.claim(held[2]!, 'next', t1);
    const settled = await Promise.all(held.map((t, i) => tasks.settle(t._id, `s${i + 1}`, answer, t2)));
    expect(settled).toEqual([true, true, false, true]);
    expect(await tasks.get(held[2]!._id)).toMatchObject({ status: 'sent', sessionId: 'next', attempts: 2 });
    expect(await tasks.get(held[3]!._id)).toMatchObject({ status: 'done', completedAt: t2, sessionId: 's4' });
  });

  it('records a fault with its code and message', async () => {
    const { tasks } = fixture();
    const task = await tasks.queue(await device(), REBOOT);
    await tasks.claim(task, 's1', t0);
    expect(await tasks.settle(task._id, 's1', { status: 'fault', fault: { code: 9001, message: 'Request denied' } }, t1)).toBe(true);
    expect(await tasks.get(task._id)).toMatchObject({ status: 'fault', fault: { code: 9001, message: 'Request denied' }, completedAt: t1 });
  });

  it('keeps an accepted transfer sent until its TransferComplete; nothing else moves it but a reset', async () => {
    const { tasks } = fixture();
    const task = await tasks.queue(await device(), DOWNLOAD);
    await tasks.claim(task, 's1', t0);
    expect(await tasks.settle(task._id, 's1', { status: 'awaiting', result: DOWNLOAD_ACCEPTED }, t0)).toBe(true);
    const awaiting = (await tasks.get(task._id))!;
    expect(awaiting).toMatchObject({ status: 'sent', awaiting: 'TransferComplete', result: DOWNLOAD_ACCEPTED });
    expect(awaiting).not.toHaveProperty('sessionId');
    expect(await tasks.release(task._id, 's1', t1)).toBe(false);
    expect(await tasks.claim(awaiting, 's2', t1)).toBeNull();
    const result = { method: 'TransferComplete' as const, startTime: 'a', completeTime: 'b' };
    expect(await tasks.completeTransfer(task._id, { status: 'done', result }, t2)).toBe(true);
    expect(await tasks.get(task._id)).toMatchObject({ status: 'done', result, completedAt: t2 });
    expect(await tasks.completeTransfer(task._id, { status: 'done', result }, t2)).toBe(false);
    expect(await tasks.abandonTransfer(task._id, 'reset', t2)).toBe(false);
  });

  it('abandons an accepted transfer as transfer_lost, and only an accepted one', async () => {
    const { tasks } = fixture();
    const id = await device();
    const sent = await tasks.queue(id, DOWNLOAD);
    await tasks.claim(sent, 's1', t0);
    expect(await tasks.abandonTransfer(sent._id, 'the device bootstrapped', t1)).toBe(false);
    await tasks.settle(sent._id, 's1', { status: 'awaiting', result: DOWNLOAD_ACCEPTED }, t0);
    expect(await tasks.abandonTransfer(sent._id, 'the device bootstrapped', t1)).toBe(true);
    const lost = (await tasks.get(sent._id))!;
    expect(lost).toMatchObject({ status: 'fault', fault: { code: 'transfer_lost', message: 'the device bootstrapped' }, completedAt: t1 });
    expect(lost).not.toHaveProperty('awaiting');
  });

  it('returns a task to pending only for the session holding it', async () => {
    const { tasks } = fixture();
    const task = await tasks.queue(await device(), REBOOT);
    await tasks.claim(task, 's1', t0);
    expect(await tasks.release(task._id, 's2', t1)).toBe(false);
    expect(await tasks.release(task._id, 's1', t1)).toBe(true);
    const pending = (await tasks.get(task._id))!;
    expect(pending).toMatchObject({ status: 'pending', attempts: 1, updatedAt: t1 });
    expect(pending).not.toHaveProperty('sessionId');
    expect(await tasks.release(task._id, 's1', t1)).toBe(false);
    expect(await tasks.claim(pending, 's3', t2)).toMatchObject({ sessionId: 's3', attempts: 2 });
  });

  it('takes the attempt back when a claim is given back before sending', async () => {
    const { tasks } = fixture();
    const task = await tasks.queue(await device(), REBOOT);
    await tasks.claim(task, 's1', t0);
    expect(await tasks.release(task._id, 's1', t1, { unsent: true })).toBe(true);
    const pending = (await tasks.get(task._id))!;
    expect(pending).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await tasks.claim(pending, 's2', t2)).toMatchObject({ sessionId: 's2', attempts: 1 });
  });

  it('expires a task only as it was read', async () => {
    const { tasks } = fixture();
    const task = await tasks.queue(await device(), REBOOT, { expiresAt: t0 });
    expect(task.expiresAt).toEqual(t0);
    await tasks.claim(task, 's1', t0);
    expect(await tasks.expire(task, t1)).toBe(false);
    const current = (await tasks.get(task._id))!;
    expect(await tasks.expire(current, t1)).toBe(true);
    expect(await tasks.get(task._id)).toMatchObject({ status: 'expired', completedAt: t1 });
  });

  it('cancels a pending task, not one in flight', async () => {
    const { tasks } = fixture();
    const id = await device();
    const pending = await tasks.queue(id, REBOOT);
    const inflight = await tasks.queue(id, REBOOT);
    await tasks.claim(inflight, 's1', t0);
    expect(await tasks.cancel(pending._id, t1)).toMatchObject({ status: 'cancelled', completedAt: t1 });
    expect(await tasks.cancel(inflight._id, t1)).toBeNull();
    expect(await tasks.claim(pending, 's1', t2)).toBeNull();
  });

  it('records an RPC refused outside a task as a task in fault', async () => {
    const { tasks } = fixture();
    const id = await device();
    const fault = await tasks.recordFault(id, REBOOT, { code: 9003, message: 'invalid' }, t0, 'provisioning');
    expect(await tasks.get(fault._id)).toMatchObject({ deviceId: id, status: 'fault', attempts: 1, fault: { code: 9003 }, createdBy: 'provisioning', completedAt: t0 });
  });
}
