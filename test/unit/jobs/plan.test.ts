import { jobTaskId } from '../../../src/jobs/ids';
import { cancelledTasks, releasedTasks } from '../../../src/jobs/job-tasks';
import { JobCounter, jobCounts } from '../../../src/jobs/progress';
import { loadTarget, storeTarget } from '../../../src/jobs/target';
import type { JobDoc } from '../../../src/jobs/types';

const job = {
  _id: '65f000000000000000000001',
  rpcs: [{ method: 'Reboot', commandKey: '' }, { method: 'GetRPCMethods' }],
  createdBy: 'ops',
  expiresAt: new Date('2025-07-01T00:00:00Z'),
} as JobDoc;

it('derives one task id per job, device and RPC: a replayed release makes the same ids', () => {
  const now = new Date();
  const first = releasedTasks(job, ['A-B-1', 'A-B-2'], now);
  const again = releasedTasks(job, ['A-B-1', 'A-B-2'], new Date(now.getTime() + 1000));
  expect(first.map((t) => t._id)).toEqual(again.map((t) => t._id));
  expect(new Set(first.map((t) => t._id)).size).toBe(4);
  expect(first.every((t) => /^[0-9a-f]{24}$/.test(t._id))).toBe(true);
  expect(first[1]).toMatchObject({ _id: jobTaskId(job._id, 'A-B-1', 1), deviceId: 'A-B-1', rpc: { method: 'GetRPCMethods' }, status: 'pending', attempts: 0, jobId: job._id, createdBy: 'ops', expiresAt: job.expiresAt, releasedAt: now });
  expect(first[0]).not.toHaveProperty('connectionRequest');
  expect(releasedTasks({ ...job, connectionRequest: true }, ['A-B-1'], now)[0]).toMatchObject({ connectionRequest: { status: 'queued', queuedAt: now, attempts: 0 } });
  expect(jobTaskId('65f000000000000000000002', 'A-B-1', 0)).not.toBe(first[0]._id);
});

it('stores the tasks of devices a cancellation caught unreleased under the same ids, cancelled and never released', () => {
  const now = new Date();
  const fenced = cancelledTasks({ ...job, connectionRequest: true }, ['A-B-1'], now);
  expect(fenced.map((t) => t._id)).toEqual(releasedTasks(job, ['A-B-1'], now).map((t) => t._id));
  expect(fenced.every((t) => t.status === 'cancelled' && t.completedAt === now && !t.releasedAt && !t.connectionRequest)).toBe(true);
});

describe('jobCounts', () => {
  const stored = { pending: 3, sent: 1, done: 2, fault: 0, expired: 0, cancelled: 0 };
  const planned = { ...job, plan: { devices: 10, chunks: 1 }, expiresAt: new Date('2025-07-01T00:00:00Z') };
  const before = new Date('2025-06-30T00:00:00Z');
  const after = new Date('2025-07-02T00:00:00Z');

  it('adds the tasks of the devices not released yet: pending while the job may release them', () => {
    expect(jobCounts({ ...planned, state: 'releasing' }, stored, before)).toEqual({ ...stored, pending: 3 + 14 });
    expect(jobCounts({ ...planned, state: 'releasing', expiresAt: undefined }, stored, after)).toEqual({ ...stored, pending: 3 + 14 });
  });

  it('counts them cancelled once the job is cancelled, expired once it expired or stopped at its expiry', () => {
    for (const state of ['cancelling', 'cancelled'] as const) expect(jobCounts({ ...planned, state }, stored, before)).toEqual({ ...stored, cancelled: 14 });
    expect(jobCounts({ ...planned, state: 'releasing' }, stored, after)).toEqual({ ...stored, expired: 14 });
    expect(jobCounts({ ...planned, state: 'released' }, stored, after)).toEqual({ ...stored, expired: 14 });
  });

  it('adds nothing while planning or once every task is stored', () => {
    expect(jobCounts({ ...job, state: 'planning' }, stored, before)).toEqual(stored);
    const all = { ...stored, done: 16 };
    expect(jobCounts({ ...planned, state: 'releasing' }, all, before)).toEqual(all);
  });
});

it('stores a filter\'s parameter names, which contain dots, as a list and reads them back', () => {
  const target = { filter: { productClass: 'x', params: { 'Device.DeviceInfo.ModelName': 'CP-8851', 'Device.A': 5 } } };
  const stored = storeTarget(target);
  expect(JSON.stringify(stored)).not.toMatch(/"Device\.[^"]*":/);
  expect(loadTarget(stored)).toEqual(target);
  expect(storeTarget({ tag: 't' })).toEqual({ tag: 't' });
});

describe('JobCounter', () => {
  it('shares one count between callers, reuses it while fresh, and counts again when the job changes state', async () => {
    let calls = 0;
    const counter = new JobCounter({
      countByStatus: async () => {
        calls += 1;
        return { pending: calls, sent: 0, done: 0, fault: 0, expired: 0, cancelled: 0 };
      },
    });
    const job = { _id: 'j1', state: 'releasing' as const };
    const [a, b] = await Promise.all([counter.counts(job, 1000), counter.counts(job, 1000)]);
    expect([a.pending, b.pending, calls]).toEqual([1, 1, 1]);
    expect((await counter.counts(job, 1400)).pending).toBe(1);
    expect((await counter.counts({ ...job, state: 'released' }, 1400)).pending).toBe(2);
    expect((await counter.counts({ ...job, state: 'released' }, 999_999)).pending).toBe(3);
  });
});
