import { Tr069Mapper } from '../../../../src/cisco/mapping';
import type { ReconcileContext } from '../../../../src/cwmp/session/reconciler';
import type { AcsRequest, Inform } from '../../../../src/cwmp/soap/types';
import { BOOTSTRAP, learnFromResponse } from '../../../../src/devices/learn';
import { UrlSigner } from '../../../../src/files/signing';
import type { FileInfo } from '../../../../src/files/types';
import type { FirmwarePolicyDoc } from '../../../../src/firmware/types';
import { createLogger } from '../../../../src/log';
import type { ProfileDoc } from '../../../../src/profiles/types';
import type { PlanState } from '../../../../src/provisioning/execute/reconciler';
import { ProvisioningReconciler } from '../../../../src/provisioning/execute/reconciler';
import { profilesView } from '../../../../src/provisioning/desired/snapshot';
import { FILE_TYPE, queueConfigDownload, queueFirmwareDownload, type DownloadFlowDeps } from '../../../../src/provisioning/flows/downloads';
import { effectiveState } from '../../../../src/provisioning/plan/effective';
import { factsOf } from '../../../../src/provisioning/plan/facts';
import type { DesiredConfig } from '../../../../src/provisioning/stores/desired';
import type { TaskDoc } from '../../../../src/tasks/types';
import { MemoryDevices } from '../../../support/memory/devices';
import { MemoryAppliedFiles } from '../../../support/memory/provisioning-applied';
import { MemoryProvisionDevices } from '../../../support/memory/provisioning-devices';
import { MemoryHistory } from '../../../support/memory/provisioning-history';
import { MemoryRollouts } from '../../../support/memory/provisioning-rollouts';
import { MemoryTasks } from '../../../support/memory/tasks';
import { deviceDoc } from '../../../integration/stores/conformance/devices.contract';
import { firmwarePolicy, FW_PC } from '../../../support/provisioning/policy';

/**
 * The reconciler phase by phase (begin, load, each step and answer, transfers settled later)
 * against in-memory versions of its ports; the planner's decisions have their own tables
 * (plan/*.test.ts), this is what the executor does with them.
 */

const PC = FW_PC;
const ID = 'dev-1';
const INTERVAL = 'Device.ManagementServer.PeriodicInformInterval';
const now = new Date('2026-11-18T12:00:00Z');
const ctx: ReconcileContext = { deviceId: ID, sessionId: 's1', now };
const silent = createLogger('silent');

function world() {
  const memory = new MemoryDevices();
  const devices = new MemoryProvisionDevices(memory);
  const tasks = new MemoryTasks(memory);
  const applied = new MemoryAppliedFiles();
  const history = new MemoryHistory();
  const rollouts = new MemoryRollouts();
  const own = new Map<string, DesiredConfig>();
  const files = new Map<string, FileInfo>();
  let profiles = profilesView([]);
  const effective = {
    resolve: async (device: Parameters<typeof effectiveState>[0]) => effectiveState(device, profiles.index.match(factsOf(device)), own.get(device._id), undefined),
  };
  const flows: DownloadFlowDeps = {
    tasks: { queue: (deviceId, rpc, o) => tasks.queue(deviceId, rpc, o) },
    devices: memory,
    files: { get: async (id: string) => files.get(id) },
    signer: new UrlSigner(Buffer.alloc(32, 7), 'https://fs.example'),
    desired: { get: async (deviceId) => (profiles.byName.size || own.has(deviceId) ? own.get(deviceId) ?? { entries: [], delivery: { gzip: false, aes128gcm: false, deviceKey: false }, revision: 'r', updatedAt: now } : undefined) },
    urlWindowSeconds: 600,
    caFileType: 'ca',
  };
  const reconciler = new ProvisioningReconciler({
    devices,
    snapshot: { matchProfiles: (facts) => profiles.index.match(facts), policy: (pc) => rollouts.policy(pc) },
    effective,
    downloads: {
      config: (deviceId, o) => queueConfigDownload(flows, deviceId, o),
      firmware: (deviceId, fileId, o) => queueFirmwareDownload(flows, deviceId, fileId, o),
    },
    faults: tasks,
    mappings: { mapper: async (pc) => new Tr069Mapper(pc, { [pc]: {} }) },
    datamodels: { paths: async () => undefined },
    rollouts,
    history,
    applied,
    log: silent,
    valueMaxAgeMs: 3_600_000,
  });
  return {
    memory,
    devices,
    tasks,
    applied,
    history,
    rollouts,
    files,
    reconciler,
    setProfiles: (docs: ProfileDoc[]) => void (profiles = profilesView(docs)),
    provision: async () => (await devices.get(ID))?.provision,
  };
}

function profile(parameters: ProfileDoc['parameters'], over: Partial<ProfileDoc> = {}): ProfileDoc {
  return { _id: 'base', revision: 1, precedence: 10, match: { productClasses: [PC] }, parameters, createdAt: now, updatedAt: now, ...over };
}

function inform(over: { events?: string[]; softwareVersion?: string; parameterKey?: string } = {}): Inform {
  return {
    method: 'Inform',
    deviceId: { manufacturer: 'Cisco', oui: '00562B', productClass: PC, serialNumber: 'FCH1' },
    event: (over.events ?? ['2 PERIODIC']).map((eventCode) => ({ eventCode, commandKey: '' })),
    maxEnvelopes: 1,
    currentTime: now.toISOString(),
    retryCount: 0,
    parameterList: [
      { name: 'Device.DeviceInfo.SoftwareVersion', value: over.softwareVersion ?? '11.0.1', type: 'xsd:string' },
      { name: 'Device.ManagementServer.ParameterKey', value: over.parameterKey ?? '', type: 'xsd:string' },
    ],
  };
}

/** A device the ACS knows, with the interval it learned (fresh) in its tree. */
async function known(w: ReturnType<typeof world>, fields: Parameters<typeof deviceDoc>[1] = {}): Promise<void> {
  await w.memory.insert(deviceDoc(ID, { deviceId: { manufacturer: 'Cisco', oui: '00562B', productClass: PC, serialNumber: 'FCH1' }, softwareVersion: '11.0.1', ...fields }));
  const asked: AcsRequest = { method: 'GetParameterValues', parameterNames: [INTERVAL] };
  await w.memory.learn(ID, learnFromResponse(asked, { method: 'GetParameterValuesResponse', parameterList: [{ name: INTERVAL, value: 300, type: 'xsd:unsignedInt' }] }, now, { maxValueLength: 4096, maxParameters: 1000 } as never), now);
}

async function view(w: ReturnType<typeof world>) {
  return (await w.memory.get(ID, { tags: 1, mac: 1, provision: 1 }))!;
}

/** Runs the plan as the engine does, answering each request with `reply`; returns the requests and tasks it issued. */
async function run(w: ReturnType<typeof world>, state: PlanState, reply: (rpc: AcsRequest) => Parameters<ProvisioningReconciler['answer']>[2]) {
  const issued: Array<AcsRequest | TaskDoc> = [];
  let s: unknown = state;
  for (let i = 0; i < 20; i++) {
    const step = await w.reconciler.next(s, ctx);
    s = step.state;
    const rpc = step.rpc ?? step.task?.rpc;
    if (!rpc) return { issued, state: s as PlanState };
    issued.push(step.task ?? rpc);
    s = await w.reconciler.answer(s, step.task ? { ...rpc, ...(rpc.method === 'Download' ? { commandKey: step.task._id } : {}) } : rpc, reply(rpc), ctx);
  }
  throw new Error('the plan did not end in 20 steps');
}

const ok = (rpc: AcsRequest): Parameters<ProvisioningReconciler['answer']>[2] => {
  switch (rpc.method) {
    case 'SetParameterValues':
      return { method: 'SetParameterValuesResponse', status: 0 };
    case 'Download':
      return { method: 'DownloadResponse', status: 1, startTime: '', completeTime: '' };
    default:
      throw new Error(`unexpected ${rpc.method}`);
  }
};

describe('begin (at Inform, from memory)', () => {
  it('a device no profile matches, without parameters of its own or firmware policy: nothing, no plan', async () => {
    const w = world();
    await known(w);
    expect(w.reconciler.begin(await view(w), inform(), ctx)).toBeUndefined();
  });

  it('a device under a profile, without its revision: a plan for its configuration only', async () => {
    const w = world();
    await known(w);
    w.setProfiles([profile([{ name: 'Periodic_Inform_Interval', value: '600' }])]);
    expect(w.reconciler.begin(await view(w), inform(), ctx)).toMatchObject({ phase: 'load', config: true, firmware: false, productClass: PC, softwareVersion: '11.0.1' });
  });

  it('a device below its policy target inside the window: a plan for its firmware only', async () => {
    const w = world();
    await known(w);
    w.rollouts.put(firmwarePolicy());
    expect(w.reconciler.begin(await view(w), inform(), ctx)).toMatchObject({ config: false, firmware: true });
    expect(w.reconciler.begin(await view(w), inform({ softwareVersion: '12.0.2' }), ctx)).toBeUndefined();
  });
});

describe('the configuration part', () => {
  it('sets what differs, sends the rest by file, and records the revision when the file arrives', async () => {
    const w = world();
    await known(w);
    w.setProfiles([profile([{ name: 'Periodic_Inform_Interval', value: '600' }, { name: 'Station_Name', value: 'Lobby $SN' }])]);
    const state = w.reconciler.begin(await view(w), inform(), ctx)!;
    const { issued } = await run(w, state, ok);
    expect(issued.map((r) => ('rpc' in r ? `task ${r.rpc.method}` : r.method))).toEqual(['SetParameterValues', 'task Download']);
    const set = issued[0] as Extract<AcsRequest, { method: 'SetParameterValues' }>;
    expect(set.parameterList).toEqual([{ name: INTERVAL, value: 600, type: 'xsd:unsignedInt' }]);
    const task = issued[1] as TaskDoc;
    expect(task).toMatchObject({ deviceId: ID, createdBy: 'provisioning', rpc: { fileType: FILE_TYPE.configuration } });
    // The set came first: an interim key, which never matches the revision.
    const key = (await w.provision())!.pending!.key;
    expect(set.parameterKey).not.toBe(key);
    expect((await w.history.list(ID, 10)).items.map((h) => [h.kind, h.changes])).toEqual([['set', [{ name: 'Periodic_Inform_Interval', path: INTERVAL, old: '300', new: '600' }]]]);
    expect((await w.applied.get(ID))?.pending).toMatchObject({ taskId: task._id, key, values: [{ name: 'Station_Name', value: 'Lobby FCH1' }] });
    // Not applied until the file arrives.
    expect((await w.provision())?.applied).toBeUndefined();

    // The next Inform, before the TransferComplete: the file is on its way, nothing to do.
    expect(w.reconciler.begin(await view(w), inform({ parameterKey: set.parameterKey }), ctx)).toBeUndefined();

    await w.reconciler.settled!(task, { status: 'done', result: { method: 'DownloadResponse', status: 0, startTime: '', completeTime: '' } }, ctx);
    const provision = await w.provision();
    expect(provision).toMatchObject({ applied: key });
    expect(provision?.pending).toBeUndefined();
    expect((await w.history.list(ID, 10)).items[0]).toMatchObject({ kind: 'file', key, taskId: task._id, changes: [{ name: 'Station_Name', new: 'Lobby FCH1' }] });
    expect((await w.applied.get(ID))?.file?.key).toBe(key);
    expect(w.reconciler.begin(await view(w), inform({ parameterKey: set.parameterKey }), ctx)).toBeUndefined();
  });

  it('a plan whose last step is a SetParameterValues carries the revision key itself', async () => {
    const w = world();
    await known(w);
    w.setProfiles([profile([{ name: 'Periodic_Inform_Interval', value: '600' }])]);
    const { issued } = await run(w, w.reconciler.begin(await view(w), inform(), ctx)!, ok);
    const set = issued[0] as Extract<AcsRequest, { method: 'SetParameterValues' }>;
    expect(issued).toHaveLength(1);
    expect((await w.provision())?.applied).toBe(set.parameterKey);
    expect(w.reconciler.begin(await view(w), inform({ parameterKey: set.parameterKey }), ctx)).toBeUndefined();
  });

  it('a refused value: a fault record, the revision marked failed and not tried again until it changes', async () => {
    const w = world();
    await known(w);
    w.setProfiles([profile([{ name: 'Periodic_Inform_Interval', value: '600' }])]);
    const refuse = (): Parameters<ProvisioningReconciler['answer']>[2] => ({
      method: 'Fault',
      faultcode: 'Client',
      faultstring: 'CWMP fault',
      detail: { faultCode: 9007, faultString: 'Invalid parameter value', setParameterValuesFault: [{ parameterName: INTERVAL, faultCode: 9007, faultString: 'too large' }] },
    });
    const { issued } = await run(w, w.reconciler.begin(await view(w), inform(), ctx)!, refuse);
    expect(issued).toHaveLength(1);
    const failed = (await w.provision())?.failed;
    expect(failed).toMatchObject({ code: 9007, message: 'Invalid parameter value' });
    expect(await w.tasks.get(failed!.taskId!)).toMatchObject({ status: 'fault', createdBy: 'provisioning', fault: { code: 9007 } });
    expect((await w.history.list(ID, 10)).items).toEqual([]);
    expect(w.reconciler.begin(await view(w), inform(), ctx)).toBeUndefined();
    // A new revision is tried again.
    w.setProfiles([profile([{ name: 'Periodic_Inform_Interval', value: '900' }], { revision: 2 })]);
    expect(w.reconciler.begin(await view(w), inform(), ctx)).toMatchObject({ config: true });
  });

  it('a file the device reports as failed: the revision is marked failed, the delivered file stays the old one', async () => {
    const w = world();
    await known(w);
    w.setProfiles([profile([{ name: 'Station_Name', value: 'Lobby' }])]);
    const { issued } = await run(w, w.reconciler.begin(await view(w), inform(), ctx)!, ok);
    const task = issued[0] as TaskDoc;
    await w.reconciler.settled!(task, { status: 'fault', fault: { code: 9010, message: 'download failed' } }, ctx);
    const provision = await w.provision();
    expect(provision?.failed).toMatchObject({ code: 9010, taskId: task._id });
    expect(provision?.pending).toBeUndefined();
    expect(provision?.applied).toBeUndefined();
    expect(await w.applied.get(ID)).toEqual({ _id: ID });
    expect(w.reconciler.begin(await view(w), inform(), ctx)).toBeUndefined();
  });

  it('at BOOTSTRAP the file goes again and missing mirrors of own parameters are repaired', async () => {
    const w = world();
    await known(w);
    w.setProfiles([profile([{ name: 'Station_Name', value: 'Lobby' }])]);
    const first = await run(w, w.reconciler.begin(await view(w), inform(), ctx)!, ok);
    await w.reconciler.settled!(first.issued[0] as TaskDoc, { status: 'done', result: { method: 'DownloadResponse', status: 0, startTime: '', completeTime: '' } }, ctx);
    // Unchanged file, not resent without BOOTSTRAP...
    expect(w.reconciler.begin(await view(w), inform(), ctx)).toBeUndefined();
    // ...and resent at BOOTSTRAP, the device having lost its configuration.
    await w.devices.update(ID, { own: 'stale-mirror' });
    const again = await run(w, w.reconciler.begin(await view(w), inform({ events: [BOOTSTRAP] }), ctx)!, ok);
    expect(again.issued.map((r) => ('rpc' in r ? r.rpc.method : r.method))).toEqual(['Download']);
    expect((await w.provision())?.own).toBeUndefined();
  });
});

describe('the firmware part', () => {
  const file: FileInfo = { id: 'fw-12', filename: 'sip88xx.12-0-2.loads', kind: 'firmware', size: 1000, sha256: 'x', contentType: 'application/octet-stream', productClasses: [PC], version: '12.0.2', uploadedAt: now };

  async function upgrading(policy: FirmwarePolicyDoc = firmwarePolicy()) {
    const w = world();
    await known(w);
    w.rollouts.put(policy);
    w.files.set(file.id, file);
    const { issued } = await run(w, w.reconciler.begin(await view(w), inform(), ctx)!, ok);
    return { w, issued };
  }

  it('admits the device into its wave, queues the Download and records the step as pending', async () => {
    const { w, issued } = await upgrading();
    expect(issued).toHaveLength(1);
    const task = issued[0] as TaskDoc;
    expect(task).toMatchObject({ createdBy: 'provisioning', rpc: { fileType: FILE_TYPE.firmware }, expect: { softwareVersion: '12.0.2' } });
    expect((await w.provision())?.firmware).toMatchObject({ rollout: `${PC}@3`, wave: 0, hop: '12.0.2', from: '11.0.1', status: 'pending', taskId: task._id });
    expect(w.rollouts.policy(PC)?.state.progress.w0).toEqual({ admitted: 1, done: 0, fault: 0 });
    // Installing: the next Inform asks nothing more.
    expect(w.reconciler.begin(await view(w), inform(), ctx)).toBeUndefined();
  });

  it('the install reported done: the step is done, counted in its wave, in history', async () => {
    const { w, issued } = await upgrading();
    const task = issued[0] as TaskDoc;
    await w.reconciler.settled!(task, { status: 'done', result: { method: 'DownloadResponse', status: 0, startTime: '', completeTime: '' } }, ctx);
    expect((await w.provision())?.firmware).toMatchObject({ status: 'done' });
    expect(w.rollouts.policy(PC)?.state.progress.w0).toEqual({ admitted: 1, done: 1, fault: 0 });
    expect((await w.history.list(ID, 10)).items[0]).toMatchObject({ kind: 'firmware', taskId: task._id, changes: [{ name: 'SoftwareVersion', old: '11.0.1', new: '12.0.2' }] });
    // Reported twice (TransferComplete after a lost session): counted once.
    await w.reconciler.settled!(task, { status: 'done', result: { method: 'DownloadResponse', status: 0, startTime: '', completeTime: '' } }, ctx);
    expect(w.rollouts.policy(PC)?.state.progress.w0.done).toBe(1);
  });

  it('a failed install: a fault in its wave, and the device is not tried again in this rollout', async () => {
    const { w, issued } = await upgrading();
    await w.reconciler.settled!(issued[0] as TaskDoc, { status: 'fault', fault: { code: 9010, message: 'no' } }, ctx);
    expect((await w.provision())?.firmware?.status).toBe('fault');
    expect(w.rollouts.policy(PC)?.state.progress.w0).toEqual({ admitted: 1, done: 0, fault: 1 });
    expect(w.reconciler.begin(await view(w), inform(), ctx)).toBeUndefined();
  });

  it('a step to an intermediate load is not counted in the wave: only the target (or a failure) is', async () => {
    const policy = firmwarePolicy({ stages: ['11.5.0'], files: [{ version: '11.5.0', fileId: 'fw-12', filename: file.filename, size: 1000 }] });
    const { w, issued } = await upgrading(policy);
    expect((await w.provision())?.firmware?.hop).toBe('11.5.0');
    await w.reconciler.settled!(issued[0] as TaskDoc, { status: 'done', result: { method: 'DownloadResponse', status: 0, startTime: '', completeTime: '' } }, ctx);
    expect(w.rollouts.policy(PC)?.state.progress.w0).toEqual({ admitted: 1, done: 0, fault: 0 });
  });

  it('a wave the store finds full admits no one, whatever the snapshot said at Inform: no Download', async () => {
    const w = world();
    await known(w);
    w.rollouts.put(firmwarePolicy({ rollout: { waves: [{ count: 1 }], faultThreshold: 0.5, minResults: 1, soakSeconds: 0 } }));
    w.files.set(file.id, file);
    const second = { ...ctx, deviceId: 'dev-2' };
    await w.memory.insert(deviceDoc('dev-2', { softwareVersion: '11.0.1' }));
    // Both Inform while the wave has room for one.
    const first = w.reconciler.begin(await view(w), inform(), ctx)!;
    const other = w.reconciler.begin({ _id: 'dev-2' }, { ...inform(), deviceId: { ...inform().deviceId, serialNumber: 'FCH2' } }, second);
    expect(other).toMatchObject({ firmware: true });
    expect((await run(w, first, ok)).issued).toHaveLength(1);
    expect((await w.reconciler.next(other, second)).task).toBeUndefined();
    expect(w.rollouts.policy(PC)?.state.progress.w0.admitted).toBe(1);
    expect((await w.devices.get('dev-2'))?.provision).toBeUndefined();
  });

  it('a policy naming no file for the hop queues nothing', async () => {
    const { w, issued } = await upgrading(firmwarePolicy({ files: [] }));
    expect(issued).toEqual([]);
    expect((await w.provision())?.firmware).toBeUndefined();
  });
});
