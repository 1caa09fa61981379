import type { Reconciler } from '../../../src/cwmp/session/reconciler';
import type { AcsRequest, CpeResponse, Fault, TransferComplete } from '../../../src/cwmp/soap/types';
import type { FinalOutcome } from '../../../src/tasks/outcome';
import type { TaskDoc } from '../../../src/tasks/types';
import { EVENT } from '../../../src/sim';
import { DOWNLOAD } from '../../integration/stores/conformance/tasks.contract';
import { engineOn, knownCpe, taskInFlight, TestCpe, type Harness } from './session-engine-harness';

/** SessionEngine across sessions: transfers, held requests, timeouts and the sweeper, the reconciler. */

const GET_SW: AcsRequest = { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.SoftwareVersion'] };
const FIRMWARE = { ...DOWNLOAD, commandKey: '' };

/** The device accepts the Download in one session and finishes it (with `version`, if given) before the next. */
async function downloaded(h: Harness, cpe: TestCpe, task: TaskDoc, fault = { faultCode: 0, faultString: '' }, version?: string): Promise<TransferComplete> {
  await cpe.session();
  expect(await h.tasks.get(task._id)).toMatchObject({ status: 'sent', awaiting: 'TransferComplete' });
  const [transfer] = cpe.device.queuedTransfers();
  cpe.device.transferStarted(transfer);
  cpe.device.transferFinished(transfer, fault, Date.now(), version);
  return cpe.device.transferCompletes()[0];
}

describe('SessionEngine: transfers (M Download, 7 TRANSFER COMPLETE)', () => {
  it('keeps an accepted Download waiting, and its TransferComplete in a later session finishes it', async () => {
    const h = engineOn();
    const cpe = await knownCpe(h);
    const task = await h.tasks.queue(cpe.id, FIRMWARE);
    const tc = await downloaded(h, cpe, task);
    expect(tc.commandKey).toBe(task._id);
    const inform = cpe.device.buildInform();
    expect(inform.event.map((e) => e.eventCode)).toEqual(expect.arrayContaining([EVENT.TRANSFER_COMPLETE, EVENT.M_DOWNLOAD]));
    await cpe.inform(inform);
    const answer = await cpe.post(cpe.envelope(tc));
    expect(answer.message).toEqual({ method: 'TransferCompleteResponse' });
    expect(await h.tasks.get(task._id)).toMatchObject({ status: 'done', result: { method: 'TransferComplete' } });
    expect((await h.devices.get(cpe.id))!.taskQueue).toEqual([]);
    expect(h.observer.events).toContainEqual(expect.objectContaining({ type: 'taskFinished', taskId: task._id, status: 'done' }));
    expect((await cpe.empty()).reply.status).toBe(204);
  });

  it('fails a transfer the device reports failed, or that left another software version than expected', async () => {
    const h = engineOn();
    const cpe = await knownCpe(h);
    const failing = await h.tasks.queue(cpe.id, FIRMWARE);
    const tc = await downloaded(h, cpe, failing, { faultCode: 9010, faultString: 'Download failure' });
    await cpe.inform();
    await cpe.post(cpe.envelope(tc));
    expect(await h.tasks.get(failing._id)).toMatchObject({ status: 'fault', fault: { code: 9010 } });
    cpe.device.transferCompleteAcknowledged(tc);
    await cpe.empty();

    const wrongVersion = await h.tasks.queue(cpe.id, FIRMWARE, { expect: { softwareVersion: 'sip88xx.99-0-0MPP' } });
    const done = await downloaded(h, cpe, wrongVersion, { faultCode: 0, faultString: '' }, 'sip88xx.98-0-0MPP');
    await cpe.inform();
    await cpe.post(cpe.envelope(done));
    expect(await h.tasks.get(wrongVersion._id)).toMatchObject({ status: 'fault', fault: { code: 'version_mismatch' } });
  });

  it('answers a TransferComplete for no known task and changes nothing', async () => {
    const h = engineOn();
    const cpe = await knownCpe(h);
    await cpe.inform();
    const tc: TransferComplete = { method: 'TransferComplete', commandKey: 'nobody', faultStruct: { faultCode: 0, faultString: '' }, startTime: 'a', completeTime: 'b' };
    expect((await cpe.post(cpe.envelope(tc))).message).toEqual({ method: 'TransferCompleteResponse' });
  });

  it('fails accepted transfers as transfer_lost when the device bootstraps, and tells the reconciler', async () => {
    const settled: Array<[string, FinalOutcome]> = [];
    const h = engineOn({ reconciler: { ...noPlan(), settled: async (task, outcome) => void settled.push([task._id, outcome]) } });
    const cpe = await knownCpe(h);
    const task = await h.tasks.queue(cpe.id, FIRMWARE);
    await cpe.session();
    cpe.device.factoryReset();
    await cpe.session();
    expect(await h.tasks.get(task._id)).toMatchObject({ status: 'fault', fault: { code: 'transfer_lost' } });
    expect((await h.devices.get(cpe.id))!.taskQueue).toEqual([]);
    expect(settled).toEqual([[task._id, { status: 'fault', fault: { code: 'transfer_lost', message: expect.any(String) } }]]);
  });
});

describe('SessionEngine: held requests and the end of a session', () => {
  it('asks a device with queued work to hold its requests, and serves those it sends after the 204', async () => {
    const h = engineOn({ env: { ACS_CWMP_HOLD_REQUESTS: 'true' } });
    const cpe = await knownCpe(h);
    const opened = await cpe.inform();
    expect(opened.env?.header.holdRequests).toBeUndefined();
    await cpe.empty();
    await h.tasks.queue(cpe.id, GET_SW);
    const held = await cpe.inform();
    expect(held.env?.header.holdRequests).toBe(true);
    const { last } = await cpe.finish();
    expect(last.reply.status).toBe(204);
    const late = await cpe.post(cpe.envelope({ method: 'GetRPCMethods' }));
    expect(late.message).toMatchObject({ method: 'GetRPCMethodsResponse' });
    expect(await h.sessions.load(cpe.cookie!)).toMatchObject({ phase: 'cpe' });
    expect((await new TestCpe(h, cpe.device).inform()).reply.status).toBe(503);
    expect((await cpe.empty()).reply.status).toBe(204);
  });

  it('answers an empty POST to an ended session with 204 again', async () => {
    const h = engineOn();
    const cpe = await knownCpe(h);
    expect((await cpe.empty()).reply.status).toBe(204);
  });
});

describe('SessionEngine: timeouts and the in-flight sweeper', () => {
  it('forgets a session silent past the timeout: its late answer is refused and the device opens anew', async () => {
    const h = engineOn();
    const { cpe, task, request } = await taskInFlight(h, GET_SW);
    h.clock.advance(h.sessions.ttlMs + 1000);
    expect((await cpe.respond(request)).reply).toMatchObject({ status: 400, close: true });
    expect((await h.tasks.get(task._id))!.status).toBe('sent');
    expect((await new TestCpe(h, cpe.device).inform()).message?.method).toBe('InformResponse');
  });

  it('returns the task of a dead session to pending, and the next session sends it again', async () => {
    const h = engineOn();
    const { cpe, task } = await taskInFlight(h, GET_SW);
    expect(await h.sweeper.sweep(h.clock.now())).toBe(0);
    h.clock.advance(h.sessions.ttlMs + 1000);
    expect(await h.sweeper.sweep(h.clock.now())).toBe(1);
    expect(await h.tasks.get(task._id)).toMatchObject({ status: 'pending', attempts: 1 });
    expect(await h.sweeper.sweep(h.clock.now())).toBe(0);
    const { requests } = await cpe.session();
    expect(requests.map((r) => r.method)).toEqual(['GetParameterValues']);
    expect(await h.tasks.get(task._id)).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('leaves alone the task of a session still waiting for its answer', async () => {
    const h = engineOn();
    const { cpe, task, request } = await taskInFlight(h, GET_SW);
    // A replica whose clock runs ahead finds the record overdue while the session is alive.
    expect(await h.sweeper.sweep(h.clock.now() + h.sessions.ttlMs + 1000)).toBe(0);
    expect(await h.tasks.get(task._id)).toMatchObject({ status: 'sent', sessionId: cpe.cookie });
    expect((await cpe.respond(request)).reply.status).toBe(204);
    expect((await h.tasks.get(task._id))!.status).toBe('done');
  });
});

/** A reconciler with nothing to do, to extend. */
function noPlan(): Reconciler {
  return { viewFields: [], begin: () => undefined, next: async (state) => ({ state }), answer: async (state) => state };
}

describe('SessionEngine: reconciler hand-off', () => {
  /** Asks the device one question and then, depending on the answer, sends one task of its own. */
  function planner(tasks: () => Harness['tasks']) {
    const seen: { begun: string[]; answers: Array<CpeResponse | Fault>; fields: Record<string, unknown>[] } = { begun: [], answers: [], fields: [] };
    const reconciler: Reconciler = {
      viewFields: ['softwareVersion'],
      begin: (view, _inform, ctx) => {
        seen.begun.push(ctx.deviceId);
        seen.fields.push(view);
        return view.softwareVersion === 'up-to-date' ? undefined : { step: 'ask' };
      },
      next: async (state, ctx) => {
        const s = state as { step: string };
        if (s.step === 'ask') return { state: { step: 'asked' }, rpc: { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.ProvisioningCode'] } };
        if (s.step === 'fix') return { state: { step: 'fixed' }, task: await tasks().queue(ctx.deviceId, { method: 'SetParameterValues', parameterList: [{ name: 'Device.DeviceInfo.ProvisioningCode', value: 'wanted', type: 'xsd:string' }], parameterKey: 'plan' }) };
        return { state };
      },
      answer: async (state, _rpc, reply) => {
        seen.answers.push(reply);
        const s = state as { step: string };
        return s.step === 'asked' ? { step: reply.method === 'GetParameterValuesResponse' && reply.parameterList[0]?.value !== 'wanted' ? 'fix' : 'done' } : { step: 'done' };
      },
    };
    return { reconciler, seen };
  }

  it('runs the plan after the operator tasks, hands it every answer, and settles the task it queued', async () => {
    let h: Harness | undefined;
    const plan = planner(() => h!.tasks);
    h = engineOn({ reconciler: plan.reconciler });
    const cpe = new TestCpe(h);
    const { requests } = await cpe.session();
    expect(requests.map((r) => r.method)).toEqual(['GetParameterValues', 'SetParameterValues']);
    expect(plan.seen.answers.map((a) => a.method)).toEqual(['GetParameterValuesResponse', 'SetParameterValuesResponse']);
    expect(cpe.device.model.get('Device.DeviceInfo.ProvisioningCode')).toBe('wanted');
    const device = (await h.devices.get(cpe.id))!;
    expect(device.parameterKey).toBe('plan');
    expect(device.taskQueue).toEqual([]);
    const second = await cpe.session();
    expect(second.requests.map((r) => r.method)).toEqual(['GetParameterValues']);
    expect(plan.seen.begun).toEqual([cpe.id, cpe.id]);
  });

  it('gives the plan the device fields it asked for and costs nothing for a device it calls up to date', async () => {
    const plan = planner(() => h.tasks);
    const h = engineOn({ reconciler: plan.reconciler });
    const cpe = new TestCpe(h);
    await cpe.session();
    await h.devices.apply(cpe.id, { summary: { set: { softwareVersion: 'up-to-date' }, unset: [] }, params: { set: {}, unset: [] } });
    const { requests } = await cpe.session({ ...cpe.device.buildInform(), parameterList: [] });
    expect(plan.seen.fields[1]).toMatchObject({ _id: cpe.id, softwareVersion: 'up-to-date' });
    expect(requests).toEqual([]);
  });

  it('sends the operator tasks before the plan', async () => {
    const h = engineOn({ reconciler: { ...noPlan(), begin: () => 'ask', next: async (state) => (state === 'ask' ? { state: 'asked', rpc: { method: 'GetRPCMethods' } } : { state }) } });
    const cpe = new TestCpe(h);
    expect((await cpe.session()).requests.map((r) => r.method)).toEqual(['GetRPCMethods']);
    await h.tasks.queue(cpe.id, GET_SW);
    expect((await cpe.session()).requests.map((r) => r.method)).toEqual(['GetParameterValues', 'GetRPCMethods']);
  });
});
